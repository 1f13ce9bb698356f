"""The route and the lists of a region as rules: where the service point decides alone, which
contract forms a decision may pick, and which rules version a decision was made under."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from instroom.applications import services as app_services
from instroom.applications.tests.factories import give_rules, make_application
from instroom.assessment import services
from instroom.assessment.models import AgendaItem, Decision
from instroom.audit.models import AuditEvent
from instroom.regions.rules.intake import ContractFormRule, Route
from instroom.regions.rules.schema import Term

YOUTH_HOME = ContractFormRule(
    "youth_home",
    "Jongerenwoning",
    "Youth home",
    tenant="care_provider",
    support_months=30,
    conversion="fixed_term",
    lease_years_after_conversion=5,
)


def _service_point_region(cast, **more):
    from instroom.regions.rules import TEMPLATE

    return give_rules(
        cast.region,
        route=Route(assessed_by="service_point", extra_participants_from=""),
        contract_form=(*TEMPLATE.contract_form, YOUTH_HOME),
        **more,
    )


def _complete(cast):
    application = make_application(cast.care_worker_a, cast.care_a)
    app_services.application_submit(actor=cast.care_worker_a, application=application)
    app_services.application_mark_complete(actor=cast.coordinator, application=application)
    application.refresh_from_db()
    return application


@pytest.mark.django_db
def test_the_service_point_decides_alone_with_the_regions_third_form(cast) -> None:
    version = _service_point_region(cast)
    application = _complete(cast)
    assert application.state == "complete" and application.table is None

    decision = services.service_point_decision_record(
        actor=cast.coordinator,
        application=application,
        outcome="approve",
        reasoning="Zelfstandig genoeg; jongerenwoning past.",
        contract_form="youth_home",
    )
    application.refresh_from_db()
    assert application.state == "approved"
    assert decision.item is None and decision.application == application
    assert decision.support_months == 30  # the form's own length
    assert decision.rule_version == version
    assert decision.contract_form_label == "Jongerenwoning"
    event = AuditEvent.objects.get(action="decision.approve", object_id=str(application.pk))
    assert event.changes["contract_form"] == "youth_home"
    assert event.changes["rule_version"] == version.pk


@pytest.mark.django_db
def test_no_agenda_where_the_service_point_decides(cast) -> None:
    _service_point_region(cast)
    application = _complete(cast)
    session = services.session_plan(
        actor=cast.coordinator,
        table=cast.region.tables.get(),
        starts_at=timezone.now() + timedelta(days=3),
    )
    with pytest.raises(ValidationError, match="zonder tafel"):
        services.agenda_add(actor=cast.coordinator, session=session, application=application)
    assert not AgendaItem.objects.exists()
    from instroom.assessment.selectors import schedulable

    assert not schedulable(session=session).exists()


@pytest.mark.django_db
def test_a_table_region_refuses_the_service_points_own_decision(cast) -> None:
    application = _complete(cast)  # the template: a table assesses
    with pytest.raises(ValidationError, match="beoordelingstafel"):
        services.service_point_decision_record(
            actor=cast.coordinator,
            application=application,
            outcome="approve",
            reasoning="Goed",
            contract_form="three_party",
        )
    assert not Decision.objects.exists()


@pytest.mark.django_db
def test_only_the_service_point_decides_alone(cast) -> None:
    _service_point_region(cast)
    application = _complete(cast)
    for outsider in (cast.care_worker_a, cast.table_member, cast.other_coordinator):
        with pytest.raises(PermissionDenied):
            services.service_point_decision_record(
                actor=outsider,
                application=application,
                outcome="approve",
                reasoning="Goed",
                contract_form="three_party",
            )


@pytest.mark.django_db
def test_a_contract_form_the_region_does_not_have_is_refused(cast) -> None:
    application = _complete(cast)
    with pytest.raises(ValidationError) as error:
        services.service_point_decision_record(
            actor=cast.coordinator,
            application=application,
            outcome="approve",
            reasoning="Goed",
            contract_form="youth_home",
        )
    # A table region: refused for its route, not stored.
    assert "beoordelingstafel" in str(error.value)
    _service_point_region(cast)
    with pytest.raises(ValidationError) as error:
        services.service_point_decision_record(
            actor=cast.coordinator,
            application=application,
            outcome="approve",
            reasoning="Goed",
            contract_form="social_lease",
        )
    assert "contract_form" in error.value.message_dict


@pytest.mark.django_db
def test_reject_and_defer_alone_have_their_conditions(cast) -> None:
    _service_point_region(cast)
    application = _complete(cast)
    with pytest.raises(ValidationError) as error:
        services.service_point_decision_record(
            actor=cast.coordinator, application=application, outcome="defer", reasoning="Wacht"
        )
    assert "missing_information" in error.value.message_dict
    services.service_point_decision_record(
        actor=cast.coordinator,
        application=application,
        outcome="defer",
        reasoning="Wacht op het ondersteuningsplan",
        missing_information="Ondersteuningsplan",
    )
    application.refresh_from_db()
    assert application.state == "deferred"
    services.service_point_decision_record(
        actor=cast.coordinator,
        application=application,
        outcome="reject",
        reasoning="Nog niet zelfstandig",
        earliest_reapplication=timezone.localdate() + timedelta(days=90),
    )
    application.refresh_from_db()
    assert application.state == "rejected" and application.earliest_reapplication is not None


@pytest.mark.django_db
def test_a_decision_keeps_the_rules_it_was_made_under(cast, client) -> None:
    first = _service_point_region(cast)
    application = _complete(cast)
    decision = services.service_point_decision_record(
        actor=cast.coordinator,
        application=application,
        outcome="approve",
        reasoning="Goed",
        contract_form="youth_home",
    )
    # The region renames the form from today on: the decision still reads as it was made.
    from instroom.regions.rules import TEMPLATE

    give_rules(
        cast.region,
        valid_from=timezone.localdate(),
        contract_form=(*TEMPLATE.contract_form,),
    )
    decision = Decision.objects.get(pk=decision.pk)
    assert decision.rule_version == first
    assert decision.contract_form_label == "Jongerenwoning"
    client.force_login(cast.coordinator)
    page = client.get(f"/clients/{application.client_id}/").content.decode()
    assert "Jongerenwoning" in page
    from django.utils import translation

    with translation.override("nl"):
        label = decision.version_label
    assert "1" in label and label in page  # "rules version 1, applies from …"


@pytest.mark.django_db
def test_the_case_page_offers_the_service_point_its_decision(cast, client) -> None:
    _service_point_region(cast)
    application = _complete(cast)
    client.force_login(cast.coordinator)
    page = client.get(f"/clients/{application.client_id}/").content.decode()
    assert f"/sessions/cases/{application.pk}/decide/" in page
    assert "Jongerenwoning" in page  # the region's third form is offered
    assert "/schedule/" not in page  # no table session to plan
    response = client.post(
        f"/sessions/cases/{application.pk}/decide/",
        {"outcome": "approve", "reasoning": "Goed", "contract_form": "youth_home", "urgency": "0"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "approved"
    assert application.decisions.get().support_months == 30
    # The applicant reads the decision with its form on the case page.
    client.force_login(cast.care_worker_a)
    page = client.get(f"/clients/{application.client_id}/").content.decode()
    assert "Jongerenwoning" in page


@pytest.mark.django_db
def test_a_refused_decision_on_the_case_page_says_why(cast, client) -> None:
    _service_point_region(cast)
    application = _complete(cast)
    client.force_login(cast.coordinator)
    response = client.post(
        f"/sessions/cases/{application.pk}/decide/",
        {"outcome": "approve", "reasoning": "Goed", "contract_form": "", "urgency": "0"},
        follow=True,
    )
    assert response.status_code == 200
    assert "contractvorm" in response.content.decode().lower()
    application.refresh_from_db()
    assert application.state == "complete"


@pytest.mark.django_db
def test_dossier_weights_and_exclusion_reasons_are_the_regions(cast) -> None:
    give_rules(
        cast.region,
        dossier_weight=(Term("basis", "Basis", "Basic"), Term("intensief", "Intensief", "Intense")),
        route=Route(extra_participants_from="intensief"),
        exclusion_reason=(Term("veiligheid", "Veiligheid", "Safety"),),
    )
    application = make_application(cast.care_worker_a, cast.care_a, complete=False)
    with pytest.raises(ValidationError) as error:
        app_services.application_update(
            actor=cast.care_worker_a, application=application, dossier_weight="heavy"
        )
    assert "dossier_weight" in error.value.message_dict
    app_services.application_update(
        actor=cast.care_worker_a, application=application, dossier_weight="intensief"
    )
    assert application.dossier_weight_label() == "Intensief"
    municipality = cast.region.municipalities.first()
    with pytest.raises(ValidationError):
        app_services.application_set_exclusions(
            actor=cast.care_worker_a,
            application=application,
            exclusions=[{"municipality": municipality, "reason": "safety"}],
        )
    app_services.application_set_exclusions(
        actor=cast.care_worker_a,
        application=application,
        exclusions=[{"municipality": municipality, "reason": "veiligheid"}],
    )
    assert application.exclusions.get().reason_label() == "Veiligheid"


@pytest.mark.django_db
def test_a_version_from_a_later_date_does_not_apply_yet(cast) -> None:
    give_rules(
        cast.region,
        valid_from=date.today() + timedelta(days=30),
        route=Route(assessed_by="service_point", extra_participants_from=""),
    )
    application = _complete(cast)
    assert application.table is not None  # today a table still assesses


@pytest.mark.django_db
def test_the_route_says_from_which_weight_extra_participants_are_invited(cast, client) -> None:
    give_rules(cast.region, route=Route(extra_participants_from="medium"))
    cases = {}
    for weight in ("light", "medium"):
        application = make_application(cast.care_worker_a, cast.care_a)
        app_services.application_update(
            actor=cast.care_worker_a, application=application, dossier_weight=weight
        )
        app_services.application_submit(actor=cast.care_worker_a, application=application)
        app_services.application_mark_complete(actor=cast.coordinator, application=application)
        cases[weight] = application
    session = services.session_plan(
        actor=cast.coordinator,
        table=cast.region.tables.get(),
        starts_at=timezone.now() + timedelta(days=3),
    )
    for application in cases.values():
        services.agenda_add(actor=cast.coordinator, session=session, application=application)
    from instroom.assessment.selectors import agenda

    rows = {
        r.item.application.dossier_weight: r
        for r in agenda(actor=cast.coordinator, session=session, purpose="test")
    }
    assert rows["medium"].invites_extra and not rows["light"].invites_extra

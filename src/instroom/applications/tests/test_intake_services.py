import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from instroom.applications import services
from instroom.applications.constants import TRANSITIONS, CaseState
from instroom.applications.tests.factories import give_rules, make_application
from instroom.regions.rules.intake import Intake


def test_every_state_has_a_transition_row() -> None:
    assert set(TRANSITIONS) == set(CaseState.values)
    for targets in TRANSITIONS.values():
        assert targets <= set(CaseState.values)


@pytest.mark.django_db
def test_submit_return_resubmit_complete(cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    services.application_submit(actor=cast.care_worker_a, application=application)
    services.application_return(
        actor=cast.coordinator, application=application, reason="Brief ontbreekt"
    )
    assert application.state == "returned" and application.return_reason == "Brief ontbreekt"
    services.application_submit(actor=cast.care_worker_a, application=application)
    services.application_mark_complete(actor=cast.coordinator, application=application)
    application.refresh_from_db()
    assert application.state == "complete"


@pytest.mark.django_db
def test_returning_needs_a_reason(cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    services.application_submit(actor=cast.care_worker_a, application=application)
    with pytest.raises(ValidationError):
        services.application_return(actor=cast.coordinator, application=application, reason="  ")


@pytest.mark.django_db
def test_only_the_own_care_provider_applies_and_submits(cast) -> None:
    with pytest.raises(PermissionDenied):
        make_application(cast.care_worker_b, cast.care_a)
    application = make_application(cast.care_worker_a, cast.care_a)
    with pytest.raises(PermissionDenied):
        services.application_submit(actor=cast.care_worker_b, application=application)
    with pytest.raises(PermissionDenied):
        services.application_mark_complete(actor=cast.other_coordinator, application=application)


@pytest.mark.django_db
def test_second_active_application_for_the_same_bsn_is_refused(cast) -> None:
    first = make_application(cast.care_worker_a, cast.care_a)
    with pytest.raises(ValidationError) as error:
        make_application(cast.care_worker_b, cast.care_b, bsn=first.bsn)
    assert "bsn" in error.value.message_dict
    services.application_withdraw(
        actor=cast.care_worker_a, application=first, reason="Kiest voor een andere woonvorm"
    )
    make_application(cast.care_worker_b, cast.care_b, bsn=first.bsn)  # allowed once withdrawn


@pytest.mark.django_db
def test_invalid_bsn_is_refused_with_the_11_check(cast) -> None:
    with pytest.raises(ValidationError) as error:
        make_application(cast.care_worker_a, cast.care_a, bsn="123456789")
    assert "11" in str(error.value)


@pytest.mark.django_db
def test_source_not_admitted_by_the_region_is_refused(cast) -> None:
    # The template admits BW and MO; a region's rules may admit youth care too.
    with pytest.raises(ValidationError) as error:
        make_application(cast.care_worker_a, cast.care_a, source="youth")
    assert "source" in error.value.message_dict
    give_rules(cast.region, intake=Intake(admitted_sources=("bw", "mo", "youth")))
    assert make_application(cast.care_worker_a, cast.care_a, source="youth").client.source == (
        "youth"
    )


@pytest.mark.django_db
def test_lead_times_against_the_region_target(cast) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from instroom.applications.selectors import lead_times

    application = make_application(cast.care_worker_a, cast.care_a)
    now = timezone.now()
    application.submitted_at = now - timedelta(days=60)
    application.completed_at = now - timedelta(days=50)
    lead = lead_times(application, today=now)
    assert lead.submitted_to_complete_days == 10
    assert lead.waiting_for_decision_days == 50 and lead.target_days == 42
    assert lead.over_target
    application.decided_at = now - timedelta(days=20)
    lead = lead_times(application, today=now)
    assert lead.complete_to_decision_days == 30 and not lead.over_target


@pytest.mark.django_db
def test_withdrawing_asks_a_reason_on_the_page_and_the_api(client, cast) -> None:
    from rest_framework.test import APIClient

    from instroom.audit.models import AuditEvent

    application = make_application(cast.care_worker_a, cast.care_a)
    client.force_login(cast.care_worker_a)
    url = f"/clients/applications/{application.pk}/withdraw/"
    client.post(url, {"reason": "  "})
    application.refresh_from_db()
    assert application.state == "draft"  # one click no longer withdraws
    api = APIClient()
    api.force_authenticate(cast.care_worker_a)
    refused = api.post(f"/api/v1/applications/{application.pk}/withdraw/", {}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()
    client.post(url, {"reason": "Kiest voor een andere woonvorm"})
    application.refresh_from_db()
    assert application.state == "withdrawn"
    event = AuditEvent.objects.get(action="application.withdraw", object_id=str(application.pk))
    assert event.note.text == "Kiest voor een andere woonvorm"


@pytest.mark.django_db
def test_a_scheduled_case_is_not_declared_complete_again(cast) -> None:
    """The state table allows scheduled → complete (the agenda's undo). Declaring it complete
    again, from a stale page or the API, left the case on its agenda with a new completion time."""
    from datetime import timedelta

    from django.utils import timezone
    from django.utils.translation import override

    from instroom.assessment import services as assessment

    application = make_application(cast.care_worker_a, cast.care_a)
    services.application_submit(actor=cast.care_worker_a, application=application)
    services.application_mark_complete(actor=cast.coordinator, application=application)
    session = assessment.session_plan(
        actor=cast.coordinator,
        table=application.table,
        starts_at=timezone.now() + timedelta(days=3),
    )
    assessment.agenda_add(actor=cast.coordinator, session=session, application=application)
    completed_at = application.completed_at
    with override("nl"), pytest.raises(ValidationError) as info:
        services.application_mark_complete(actor=cast.coordinator, application=application)
    assert "Alleen een ingediende aanmelding" in info.value.messages[0]
    application.refresh_from_db()
    assert application.state == "scheduled" and application.completed_at == completed_at

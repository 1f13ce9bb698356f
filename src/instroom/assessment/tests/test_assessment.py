from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from instroom.accounts.models import Notification
from instroom.applications import services as app_services
from instroom.applications.tests.factories import make_application
from instroom.assessment import services
from instroom.assessment.models import Decision


@pytest.fixture
def table(cast):
    table = cast.region.tables.get()
    services.table_member_add(actor=None, table=table, user=cast.table_member, is_chair=True)
    return table


@pytest.fixture
def complete(cast, table):
    application = make_application(cast.care_worker_a, cast.care_a)
    app_services.application_submit(actor=cast.care_worker_a, application=application)
    app_services.application_mark_complete(actor=cast.coordinator, application=application)
    return application


@pytest.fixture
def session(cast, table):
    return services.session_plan(
        actor=cast.coordinator, table=table, starts_at=timezone.now() - timedelta(minutes=1)
    )  # meets today: the table decides on or after its day


@pytest.mark.django_db
def test_complete_goes_to_the_table_of_the_municipality_of_origin(complete, table) -> None:
    assert complete.state == "complete" and complete.table == table


@pytest.mark.django_db
def test_approve_puts_the_client_in_the_pool_and_tells_the_applicant(
    cast, complete, session
) -> None:
    item = services.agenda_add(actor=cast.coordinator, session=session, application=complete)
    assert complete.state == "scheduled"
    mail.outbox.clear()
    services.decision_record(
        actor=cast.table_member,
        item=item,
        outcome="approve",
        reasoning="Klaar om zelfstandig te wonen.",
        contract_form="three_party",
        support_months=24,
        urgency=1,
    )
    complete.refresh_from_db()
    assert complete.state == "approved" and complete.decided_at is not None
    # Told by e-mail (a notice: an approval asks nothing of them; see test_tasks).
    assert not Notification.objects.filter(
        user=cast.care_worker_a, kind__startswith="decision"
    ).exists()


@pytest.mark.django_db
def test_decisions_need_their_reasoning_and_conditions(cast, complete, session) -> None:
    item = services.agenda_add(actor=cast.coordinator, session=session, application=complete)
    for kwargs, field in (
        ({"outcome": "approve", "reasoning": "ok"}, "contract_form"),
        (
            {
                "outcome": "approve",
                "reasoning": "",
                "contract_form": "three_party",
                "support_months": 24,
            },
            "reasoning",
        ),
        ({"outcome": "reject", "reasoning": "nee"}, "earliest_reapplication"),
        (
            {
                "outcome": "reject",
                "reasoning": "nee",
                "earliest_reapplication": timezone.localdate(),
            },
            "earliest_reapplication",
        ),
        ({"outcome": "defer", "reasoning": "later"}, "missing_information"),
    ):
        with pytest.raises(ValidationError) as error:
            services.decision_record(actor=cast.table_member, item=item, **kwargs)
        assert field in error.value.message_dict
    complete.refresh_from_db()
    assert complete.state == "scheduled" and not Decision.objects.exists()


@pytest.mark.django_db
def test_reject_and_defer(cast, table, session) -> None:
    rejected = make_application(cast.care_worker_a, cast.care_a)
    deferred = make_application(cast.care_worker_a, cast.care_a)
    for application in (rejected, deferred):
        app_services.application_submit(actor=cast.care_worker_a, application=application)
        app_services.application_mark_complete(actor=cast.coordinator, application=application)
    item_r = services.agenda_add(actor=cast.coordinator, session=session, application=rejected)
    item_d = services.agenda_add(actor=cast.coordinator, session=session, application=deferred)
    services.decision_record(
        actor=cast.table_member,
        item=item_r,
        outcome="reject",
        reasoning="Nog niet zelfstandig.",
        earliest_reapplication=timezone.localdate() + timedelta(days=180),
    )
    services.decision_record(
        actor=cast.table_member,
        item=item_d,
        outcome="defer",
        reasoning="Informatie ontbreekt.",
        missing_information="Verslag woonbegeleiding",
    )
    rejected.refresh_from_db()
    deferred.refresh_from_db()
    assert (rejected.state, deferred.state) == ("rejected", "deferred")
    # A deferred case can be scheduled again.
    later = services.session_plan(
        actor=cast.coordinator, table=session.table, starts_at=timezone.now() + timedelta(days=30)
    )
    services.agenda_add(actor=cast.coordinator, session=later, application=deferred)
    deferred.refresh_from_db()
    assert deferred.state == "scheduled"


@pytest.mark.django_db
def test_only_the_chair_decides_and_only_the_service_point_plans(cast, complete, session) -> None:
    item = services.agenda_add(actor=cast.coordinator, session=session, application=complete)
    with pytest.raises(PermissionDenied):
        services.decision_record(
            actor=cast.coordinator,
            item=item,
            outcome="defer",
            reasoning="x",
            missing_information="y",
        )
    with pytest.raises(PermissionDenied):
        services.session_plan(
            actor=cast.table_member, table=session.table, starts_at=timezone.now()
        )


@pytest.mark.django_db
def test_taking_a_case_off_the_agenda_undoes_the_scheduling(cast, complete, session) -> None:
    item = services.agenda_add(actor=cast.coordinator, session=session, application=complete)
    with pytest.raises(ValidationError):
        services.agenda_remove(actor=cast.coordinator, item=item, reason=" ")
    services.agenda_remove(actor=cast.coordinator, item=item, reason="Verkeerde sessie")
    complete.refresh_from_db()
    assert complete.state == "complete"
    services.agenda_add(actor=cast.coordinator, session=session, application=complete)


@pytest.mark.django_db
def test_police_see_the_invited_case_only_while_the_session_is_open(
    client, cast, complete, session
) -> None:
    other = make_application(cast.care_worker_a, cast.care_a)
    app_services.application_submit(actor=cast.care_worker_a, application=other)
    app_services.application_mark_complete(actor=cast.coordinator, application=other)
    item = services.agenda_add(actor=cast.coordinator, session=session, application=complete)
    other_item = services.agenda_add(actor=cast.coordinator, session=session, application=other)
    client.force_login(cast.police)
    case_url = reverse("applications:client", args=[complete.client_id])
    assert client.get(case_url).status_code == 404  # not invited yet
    services.invite(actor=cast.coordinator, item=item, user=cast.police)
    page = client.get(case_url)
    assert page.status_code == 200 and complete.client.bsn not in page.content.decode()
    assert client.get(reverse("applications:client", args=[other.client_id])).status_code == 404
    session_page = client.get(reverse("assessment:session", args=[session.pk])).content.decode()
    assert complete.client.last_name in session_page and other.client.last_name not in session_page
    # Decide both and close: access ends.
    for it in (item, other_item):
        services.decision_record(
            actor=cast.table_member,
            item=it,
            outcome="defer",
            reasoning="r",
            missing_information="m",
        )
    services.session_close(actor=cast.coordinator, session=session)
    assert client.get(case_url).status_code == 404


@pytest.mark.django_db
def test_table_member_sees_agenda_cases_without_bsn_and_nothing_else(
    client, cast, complete, session
) -> None:
    not_scheduled = make_application(cast.care_worker_a, cast.care_a)
    services.agenda_add(actor=cast.coordinator, session=session, application=complete)
    client.force_login(cast.table_member)
    page = client.get(reverse("applications:client", args=[complete.client_id])).content.decode()
    assert complete.client.last_name in page and complete.client.bsn not in page
    assert (
        client.get(reverse("applications:client", args=[not_scheduled.client_id])).status_code
        == 404
    )


@pytest.mark.django_db
def test_closing_with_undecided_cases_is_refused_with_their_numbers(
    cast, complete, session
) -> None:
    services.agenda_add(actor=cast.coordinator, session=session, application=complete)
    with pytest.raises(ValidationError) as error:
        services.session_close(actor=cast.coordinator, session=session)
    assert complete.client.case_number in str(error.value)


@pytest.mark.django_db
def test_agenda_and_minutes_download_as_pdf(client, cast, complete, session) -> None:
    item = services.agenda_add(actor=cast.coordinator, session=session, application=complete)
    services.decision_record(
        actor=cast.table_member,
        item=item,
        outcome="approve",
        reasoning="Goed plan.",
        contract_form="three_party",
        support_months=24,
    )
    client.force_login(cast.table_member)
    for name in ("assessment:agenda_pdf", "assessment:minutes_pdf"):
        response = client.get(reverse(name, args=[session.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
    client.force_login(cast.care_worker_b)
    assert client.get(reverse("assessment:minutes_pdf", args=[session.pk])).status_code == 404


@pytest.mark.django_db
def test_timeline_shows_who_did_what_and_why(client, cast, complete, session) -> None:
    item = services.agenda_add(actor=cast.coordinator, session=session, application=complete)
    services.decision_record(
        actor=cast.table_member,
        item=item,
        outcome="defer",
        reasoning="Eerst budgetbeheer regelen.",
        missing_information="Plan",
    )
    client.force_login(cast.coordinator)
    page = client.get(reverse("applications:client", args=[complete.client_id])).content.decode()
    assert "Eerst budgetbeheer regelen." in page
    assert "table" in page  # who: the chair's user name

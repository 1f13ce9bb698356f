"""A stalled offer: the daily run asks the party whose turn it is how it goes (e-mail + task),
answering is one click, and an unanswered request alerts the service point. Nothing twice."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from instroom.accounts.models import Notification
from instroom.homes.tests.factories import make_home
from instroom.matching import services
from instroom.matching.models import Match, StatusRequest
from instroom.matching.tests.factories import make_approved

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)  # the offer is made
FRIDAY = date(2026, 3, 6)  # 4 working days later
NEXT_MONDAY = date(2026, 3, 9)  # 5 working days: the region's default
ANSWER_BY = date(2026, 3, 12)  # 3 working days to answer


@pytest.fixture
def stalled(cast) -> Match:
    for user, address in ((cast.care_worker_a, "zorg@a.example"), (cast.coordinator, "sp@example")):
        user.email = address
        user.save(update_fields=["email"])
    with time_machine.travel(MONDAY, tick=False):
        return services.match_propose(
            actor=cast.corporation_user,
            home=make_home(cast.corporation_user, cast.corporation, rooms=2),
            application=make_approved(cast),
        )


def daily(today: date, capture) -> dict[str, int]:
    with capture(execute=True):
        return services.matches_follow_up(today=today)


def tasks(user, kind: str):
    return Notification.objects.filter(user=user, kind=kind)


def test_a_stalled_offer_gets_one_status_request_however_often_the_day_runs(
    cast, stalled, django_capture_on_commit_callbacks
) -> None:
    assert daily(FRIDAY, django_capture_on_commit_callbacks)["status_requested"] == 0
    mail.outbox.clear()
    counts = daily(NEXT_MONDAY, django_capture_on_commit_callbacks)
    assert counts["status_requested"] == 1
    request = StatusRequest.objects.get(match=stalled)
    assert (request.party, request.state, request.answer_by) == ("care", "open", ANSWER_BY)
    # The care provider's turn: its workers get a task and an e-mail with the link.
    assert tasks(cast.care_worker_a, "match.status_request").count() == 1
    asked = [
        m for m in mail.outbox if cast.care_worker_a.email in m.to and "Statusverzoek" in m.subject
    ]
    assert len(asked) == 1 and reverse("matching:detail", args=[stalled.pk]) in asked[0].body

    sent = len(mail.outbox)
    again = daily(NEXT_MONDAY, django_capture_on_commit_callbacks)
    assert again["status_requested"] == 0 and again["status_escalated"] == 0
    assert len(mail.outbox) == sent
    assert StatusRequest.objects.count() == 1
    assert tasks(cast.care_worker_a, "match.status_request").count() == 1


def test_the_named_contact_is_asked_and_answers_with_one_click(
    client, cast, stalled, django_capture_on_commit_callbacks
) -> None:
    services.match_contact_set(
        actor=cast.corporation_user,
        match=stalled,
        party="corporation",
        contact=cast.corporation_user,
    )
    daily(NEXT_MONDAY, django_capture_on_commit_callbacks)
    client.force_login(cast.care_worker_a)
    page = client.get(reverse("matching:detail", args=[stalled.pk])).content.decode()
    assert "Hoe staat deze voordracht ervoor?" in page
    assert "Wacht op cliënt" in page and "Gaat niet door" in page
    response = client.post(
        reverse("matching:status_answer", args=[stalled.pk]),
        {"answer": "waiting_client"},
        follow=True,
    )
    assert "Je antwoord is vastgelegd" in response.content.decode()
    request = StatusRequest.objects.get()
    assert (request.state, request.answer, request.answered_by) == (
        "answered",
        "waiting_client",
        cast.care_worker_a,
    )
    assert not tasks(cast.care_worker_a, "match.status_request").filter(done_at=None).exists()
    # The answer counts as a step: no new request the next days, nor an alert.
    counts = daily(date(2026, 3, 13), django_capture_on_commit_callbacks)
    assert counts["status_requested"] == 0 and counts["status_escalated"] == 0


def test_an_unanswered_request_alerts_the_service_point_once(
    cast, stalled, django_capture_on_commit_callbacks
) -> None:
    daily(NEXT_MONDAY, django_capture_on_commit_callbacks)
    assert daily(ANSWER_BY, django_capture_on_commit_callbacks)["status_escalated"] == 0
    mail.outbox.clear()
    assert daily(date(2026, 3, 13), django_capture_on_commit_callbacks)["status_escalated"] == 1
    assert StatusRequest.objects.get().state == "escalated"
    assert tasks(cast.coordinator, "match.status_unanswered").count() == 1
    assert any(cast.coordinator.email in m.to for m in mail.outbox)
    assert daily(date(2026, 3, 16), django_capture_on_commit_callbacks)["status_escalated"] == 0
    assert tasks(cast.coordinator, "match.status_unanswered").count() == 1
    # A late answer still closes both tasks.
    services.status_request_answer(actor=cast.care_worker_a, match=stalled, answer="in_progress")
    assert not Notification.objects.filter(
        kind__in=["match.status_request", "match.status_unanswered"], done_at=None
    ).exists()


def test_the_request_closes_when_the_offer_moves_on(
    cast, stalled, django_capture_on_commit_callbacks
) -> None:
    daily(NEXT_MONDAY, django_capture_on_commit_callbacks)
    services.match_provider_decide(actor=cast.care_worker_a, match=stalled, accept=True)
    assert StatusRequest.objects.get().state == "closed"
    assert not tasks(cast.care_worker_a, "match.status_request").filter(done_at=None).exists()
    with pytest.raises(ValidationError):
        services.status_request_answer(
            actor=cast.care_worker_a, match=stalled, answer="in_progress"
        )


def test_the_coordinator_asks_by_hand_once(client, cast, stalled) -> None:
    client.force_login(cast.coordinator)
    url = reverse("matching:status_request", args=[stalled.pk])
    response = client.post(url, follow=True)
    assert "Het statusverzoek is verstuurd" in response.content.decode()
    assert tasks(cast.care_worker_a, "match.status_request").count() == 1
    response = client.post(url, follow=True)
    assert "Er wacht al een statusverzoek" in response.content.decode()
    assert StatusRequest.objects.count() == 1
    client.force_login(cast.corporation_user)
    assert client.post(url).status_code == 403


def test_not_going_ahead_tells_who_may_cancel_and_only_the_party_asked_answers(
    cast, stalled
) -> None:
    services.status_request_send(actor=cast.coordinator, match=stalled)
    with pytest.raises(PermissionDenied):
        services.status_request_answer(
            actor=cast.corporation_user, match=stalled, answer="in_progress"
        )
    with pytest.raises(ValidationError):
        services.status_request_answer(actor=cast.care_worker_a, match=stalled, answer="maybe")
    services.status_request_answer(
        actor=cast.care_worker_a, match=stalled, answer="not_going_ahead"
    )
    assert tasks(cast.corporation_user, "match.not_going_ahead").count() == 1
    assert tasks(cast.coordinator, "match.not_going_ahead").count() == 1
    services.match_cancel(actor=cast.corporation_user, match=stalled, note="Gaat niet door")
    assert not tasks(cast.corporation_user, "match.not_going_ahead").filter(done_at=None).exists()


def test_after_the_clients_acceptance_the_corporation_is_asked(cast, stalled) -> None:
    services.match_provider_decide(actor=cast.care_worker_a, match=stalled, accept=True)
    services.match_client_decide(actor=cast.care_worker_a, match=stalled, accept=True)
    request = services.status_request_send(actor=cast.coordinator, match=stalled)
    assert request.party == "corporation" and request.addressed_to == cast.corporation_user
    assert tasks(cast.corporation_user, "match.status_request").count() == 1
    assert not tasks(cast.care_worker_a, "match.status_request").exists()

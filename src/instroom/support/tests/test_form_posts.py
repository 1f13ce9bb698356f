"""What a person sees after posting a form on a support page: on success a message and the next
page; on a refusal the same page again with the input kept and the reason beside the field (or,
for a button on a list, the reason in a message)."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from instroom.support import services
from instroom.support.models import CaseTableItem, Contract, OrientationActivity, Signal
from instroom.support.tests.factories import accepted_match, housed_contract

pytestmark = pytest.mark.django_db


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def nl(text: str) -> str:
    with override("nl"):
        return gettext(text)


@pytest.fixture
def prepared(cast) -> Contract:
    return services.contract_prepare(actor=cast.corporation_user, match=accepted_match(cast))


@pytest.fixture
def housed(cast) -> Contract:
    return housed_contract(cast, on=timezone.localdate())


def test_drawing_up_a_contract_goes_to_it(client, cast) -> None:
    match = accepted_match(cast)
    client.force_login(cast.corporation_user)
    response = client.post(reverse("support:prepare", args=[match.pk]))
    contract = Contract.objects.get(match=match)
    assert response.status_code == 302
    assert response["Location"] == reverse("support:contract", args=[contract.pk])
    assert said(response) == [nl("The contract is drawn up. Download it for signing.")]


def test_a_refused_signing_shows_the_page_again_with_the_reason_beside_the_field(
    client, cast, prepared
) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    client.force_login(cast.corporation_user)
    response = client.post(
        reverse("support:sign", args=[prepared.pk]),
        {"sign-signed_on": tomorrow, "sign-key_handover_on": tomorrow},
    )
    assert response.status_code == 400
    form = response.context["forms"]["sign"]
    # Invalid input never reaches the service; the reason stands beside the field.
    assert form.errors["planned_move_in_on"]
    assert form["signed_on"].value() == tomorrow
    prepared.refresh_from_db()
    assert prepared.state == "prepared"

    response = client.post(
        reverse("support:sign", args=[prepared.pk]),
        {
            "sign-signed_on": tomorrow,
            "sign-key_handover_on": tomorrow,
            "sign-planned_move_in_on": tomorrow,
        },
    )
    assert response.status_code == 400
    assert response.context["forms"]["sign"].errors["signed_on"] == [
        nl("The signing date cannot be in the future.")
    ]
    prepared.refresh_from_db()
    assert prepared.state == "prepared"
    assert said(response) == []


def test_a_signing_goes_back_to_the_contract_with_a_message(client, cast, prepared) -> None:
    today = timezone.localdate().isoformat()
    client.force_login(cast.corporation_user)
    response = client.post(
        reverse("support:sign", args=[prepared.pk]),
        {"sign-signed_on": today, "sign-key_handover_on": today, "sign-planned_move_in_on": today},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("support:contract", args=[prepared.pk])
    assert said(response) == [nl("The signing is recorded; the home counts for the quota.")]
    prepared.refresh_from_db()
    assert prepared.state == "signed"


def test_a_withdrawn_contract_goes_back_to_the_list(client, cast, prepared) -> None:
    client.force_login(cast.corporation_user)
    response = client.post(
        reverse("support:withdraw", args=[prepared.pk]), {"withdraw-reason": "Huurder ziet af"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("support:contracts")
    prepared.refresh_from_db()
    assert prepared.state == "terminated"


def test_a_withdrawal_without_reason_stays_on_the_contract(client, cast, prepared) -> None:
    client.force_login(cast.corporation_user)
    response = client.post(reverse("support:withdraw", args=[prepared.pk]), {"withdraw-reason": ""})
    assert response.status_code == 400
    assert response.context["forms"]["withdraw"].errors["reason"]


def test_a_meeting_recorded_before_it_was_held_is_refused_on_its_page(client, cast, housed) -> None:
    meeting = housed.meetings.get(kind="introduction")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    answers = {f"record-q{q.position}": "good" for q in services.checklist_for(meeting)}
    client.force_login(cast.support_worker)
    response = client.post(
        reverse("support:meeting_record", args=[meeting.pk]),
        {"record-held_on": tomorrow, "record-notes": "Kennismaking", **answers},
    )
    assert response.status_code == 400
    assert response.context["record_form"].errors["held_on"] == [
        nl("Record a meeting once it has been held.")
    ]


def test_a_planned_meeting_stays_on_the_meeting_page(client, cast, housed) -> None:
    meeting = housed.meetings.get(kind="introduction")
    client.force_login(cast.support_worker)
    response = client.post(
        reverse("support:meeting_plan", args=[meeting.pk]),
        {"plan-planned_at": "2030-01-02T10:00", "plan-location": "Thuis"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("support:meeting", args=[meeting.pk])
    assert said(response) == [nl("The meeting is planned; it is in your calendar feed.")]


def test_a_reported_signal_opens_the_signal(client, cast, housed) -> None:
    client.force_login(cast.corporation_user)
    response = client.post(
        reverse("support:signal_report", args=[housed.pk]),
        {"signal-kind": "nuisance", "signal-severity": "medium", "signal-description": "Lawaai"},
    )
    signal = Signal.objects.get(contract=housed)
    assert response.status_code == 302
    assert response["Location"] == reverse("support:signal", args=[signal.pk])

    response = client.post(
        reverse("support:signal_plan", args=[signal.pk]), {"plan-action_plan": "  "}
    )
    assert response.status_code == 400
    assert response.context["forms"]["plan"].errors["action_plan"]


def test_an_orientation_activity_is_removed_with_a_message(client, cast, housed) -> None:
    activity = services.orientation_add(
        actor=cast.support_worker,
        client=housed.client,
        on=timezone.localdate(),
        description="Buurthuis",
    )
    client.force_login(cast.support_worker)
    response = client.post(
        reverse("support:orientation_remove", args=[housed.pk, activity.pk]),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("support:contract", args=[housed.pk])
    assert said(response) == [nl("The activity is removed.")]
    assert OrientationActivity.objects.get(pk=activity.pk).removed_at is not None


@pytest.fixture
def item(cast, housed) -> CaseTableItem:
    signal = services.signal_report(
        actor=cast.corporation_user,
        contract=housed,
        kind="nuisance",
        severity="medium",
        description="Geluidsoverlast",
    )
    item = services.signal_escalate(actor=cast.support_worker, signal=signal, note="Bespreken")
    services.case_table_session_create(
        actor=cast.coordinator, region=cast.region, starts_at=timezone.now() + timedelta(days=1)
    )
    item.refresh_from_db()
    return item


def test_a_case_table_decision_without_text_says_so_and_goes_back(client, cast, item) -> None:
    client.force_login(cast.coordinator)
    url = reverse("support:case_table_decide", args=[item.pk])
    response = client.post(url, {"decide-decision": " "})
    back = reverse("support:case_table_session", args=[item.session_id])
    assert response.status_code == 302
    assert response["Location"] == back
    assert said(response) == [nl("Write down what the table decided.")]
    item.refresh_from_db()
    assert item.decided_at is None
    client.get(back)  # the message is shown (and used up)

    response = client.post(url, {"decide-decision": "Gesprek met huurder"})
    assert response["Location"] == back
    assert said(response) == [nl("The decision is recorded.")]
    client.get(back)

    response = client.post(url, {"decide-decision": "Nog eens"})
    assert response["Location"] == back
    assert said(response) == [nl("The table has already decided on this case.")]


def test_a_case_table_session_in_the_past_is_refused_on_the_page(client, cast) -> None:
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("support:case_table"),
        {"region": cast.region.pk, "session-starts_at": "2020-01-01T10:00"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["starts_at"] == [nl("Plan the session in the future.")]


def test_closing_a_case_table_session_goes_back_to_the_case_table(client, cast, item) -> None:
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("support:case_table_session", args=[item.session_id]), {"close": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("support:case_table")
    assert said(response) == [nl("The session is closed; undecided cases move to the next one.")]


def test_the_calendar_address_is_shown_once_and_can_be_revoked(client, cast) -> None:
    client.force_login(cast.support_worker)
    response = client.post(reverse("support:calendar"))
    assert response.status_code == 200
    assert response.context["feed_url"].endswith(".ics")
    response = client.post(reverse("support:calendar"), {"revoke": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("support:calendar")
    assert said(response) == [nl("The calendar address no longer works.")]

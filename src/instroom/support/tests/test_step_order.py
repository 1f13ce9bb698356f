"""The support stage's steps in their order: the move after the warm handover, meetings in
their period, the conversion at the end of the support; the service point's override, with a
reason, on the timeline."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from instroom.audit.models import AuditEvent
from instroom.audit.timeline import client_timeline
from instroom.support import services
from instroom.support.models import Contract
from instroom.support.tests.factories import (
    accepted_match,
    ending_contract,
    hold_handover,
    housed_contract,
)

pytestmark = pytest.mark.django_db
REASON = "Crisis: de cliënt moet vandaag weg uit de opvang."


def signed_contract(cast) -> Contract:
    contract = services.contract_prepare(actor=cast.corporation_user, match=accepted_match(cast))
    today = timezone.localdate()
    return services.contract_sign(
        actor=cast.corporation_user,
        contract=contract,
        signed_on=today,
        key_handover_on=today,
        planned_move_in_on=today,
    )


def messages_of(info) -> list[str]:
    return [m for ms in info.value.message_dict.values() for m in ms]


def test_the_move_waits_for_the_warm_handover(cast) -> None:
    contract = signed_contract(cast)
    with override("nl"), pytest.raises(ValidationError) as info:
        services.contract_move_in(
            actor=cast.corporation_user, contract=contract, moved_in_on=timezone.localdate()
        )
    assert info.value.message_dict["moved_in_on"] == [
        "De warme overdracht moet eerst gehouden zijn voordat de huurder verhuist."
    ]
    contract.refresh_from_db()
    assert contract.state == "signed" and not contract.meetings.exclude(kind="handover").exists()


def test_a_handover_held_after_the_move_date_does_not_count(cast) -> None:
    today = timezone.localdate()
    week_ago = datetime.combine(
        today - timedelta(days=7), time(12), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(week_ago, tick=False):
        contract = signed_contract(cast)
    hold_handover(cast, contract, on=today)
    with override("nl"), pytest.raises(ValidationError) as info:
        services.contract_move_in(
            actor=cast.corporation_user, contract=contract, moved_in_on=today - timedelta(days=1)
        )
    assert "na deze verhuizing" in info.value.message_dict["moved_in_on"][0]
    services.contract_move_in(actor=cast.corporation_user, contract=contract, moved_in_on=today)
    contract.refresh_from_db()
    assert contract.state == "housed"


def test_the_three_month_evaluation_waits_for_its_period(cast) -> None:
    moved = timezone.localdate()
    contract = housed_contract(cast, on=moved)
    evaluation = contract.meetings.get(kind="evaluation", months=3)
    answers = {q.position: ("good", "") for q in services.checklist_for(evaluation)}
    with override("nl"), pytest.raises(ValidationError) as info:
        services.meeting_record(
            actor=cast.support_worker,
            meeting=evaluation,
            held_on=moved,
            notes="Te vroeg",
            answers=answers,
        )
    earliest = services.earliest_held_on(evaluation)
    assert earliest == evaluation.due_on - timedelta(days=14)
    assert "kan worden vastgelegd vanaf" in info.value.message_dict["held_on"][0]
    evaluation.refresh_from_db()
    assert evaluation.state == "due"
    # In its period (from the due date minus the region's planning window) it is recorded.
    day = datetime.combine(earliest, time(12), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(day, tick=False):
        services.meeting_record(
            actor=cast.support_worker,
            meeting=evaluation,
            held_on=earliest,
            notes="Op tijd",
            answers=answers,
        )
    evaluation.refresh_from_db()
    assert evaluation.state == "held" and evaluation.held_on == earliest


def test_a_meeting_after_the_move_is_not_held_before_it(cast) -> None:
    moved = timezone.localdate()
    contract = housed_contract(cast, on=moved)
    introduction = contract.meetings.get(kind="introduction")
    with override("nl"), pytest.raises(ValidationError) as info:
        services.meeting_record(
            actor=cast.support_worker,
            meeting=introduction,
            held_on=moved - timedelta(days=3),
            notes="",
            answers={q.position: ("good", "") for q in services.checklist_for(introduction)},
        )
    assert "op of na die dag" in info.value.message_dict["held_on"][0]


def test_conversion_on_the_day_of_the_move_is_refused_and_cancels_nothing(cast) -> None:
    contract = housed_contract(cast, on=timezone.localdate())
    with override("nl"), pytest.raises(ValidationError) as info:
        services.contract_final_decide(
            actor=cast.support_worker, contract=contract, outcome="convert", note="Gaat goed"
        )
    found = messages_of(info)
    assert any(m.startswith("De begeleiding loopt tot") for m in found)
    assert "Leg eerst het gesprek van de eindevaluatie vast; besluit daarna over de uitkomst." in (
        found
    )
    contract.refresh_from_db()
    assert contract.state == "housed"
    assert not contract.meetings.filter(state="cancelled").exists()


def test_conversion_at_the_end_waits_for_the_final_meeting_record(cast) -> None:
    contract = ending_contract(cast)
    final = contract.meetings.get(kind="final")
    # Extending after the final evaluation opens a new one: converting waits for it again.
    new_end = contract.support_ends_on + timedelta(days=120)
    services.contract_final_decide(
        actor=cast.support_worker,
        contract=contract,
        outcome="extend",
        note="Nog even",
        new_end=new_end,
    )
    assert contract.meetings.filter(kind="final", state="due").exists() and final.pk
    with override("nl"), pytest.raises(ValidationError) as info:
        services.contract_final_decide(
            actor=cast.support_worker, contract=contract, outcome="convert", note="Klaar"
        )
    assert len(messages_of(info)) == 2  # not yet due, and the new final evaluation not held


def test_only_the_service_point_overrides_with_a_reason_on_the_timeline(cast) -> None:
    contract = signed_contract(cast)
    today = timezone.localdate()
    with override("nl"), pytest.raises(ValidationError) as info:
        services.contract_move_in(
            actor=cast.corporation_user,
            contract=contract,
            moved_in_on=today,
            override_reason=REASON,
        )
    assert info.value.message_dict["override_reason"] == [
        "Alleen het servicepunt mag een stap buiten de volgorde toestaan."
    ]
    with pytest.raises(ValidationError) as info:
        services.contract_move_in(
            actor=cast.coordinator, contract=contract, moved_in_on=today, override_reason="Crisis"
        )
    assert "override_reason" in info.value.message_dict
    assert not AuditEvent.objects.filter(action="step.override").exists()

    services.contract_move_in(
        actor=cast.coordinator, contract=contract, moved_in_on=today, override_reason=REASON
    )
    contract.refresh_from_db()
    assert contract.state == "housed"
    event = AuditEvent.objects.get(action="step.override")
    assert event.changes["step"] == "move_in" and event.actor == cast.coordinator
    with override("nl"):
        entries = [(str(e.what), e.why) for e in client_timeline(contract.client_id)]
    assert ("Stap buiten volgorde toegestaan", REASON) in entries


def test_the_move_in_form_keeps_the_input_and_offers_the_override_to_the_service_point(
    client, cast
) -> None:
    contract = signed_contract(cast)
    url = f"/support/contracts/{contract.pk}/"
    today = timezone.localdate().isoformat()
    client.force_login(cast.corporation_user)
    assert 'name="move-override"' not in client.get(url).content.decode()
    refused = client.post(f"{url}move-in/", {"move-moved_in_on": today}, HTTP_ACCEPT_LANGUAGE="nl")
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "De warme overdracht moet eerst gehouden zijn" in page
    assert f'value="{today}"' in page

    client.force_login(cast.coordinator)
    assert 'name="move-override"' in client.get(url).content.decode()
    # Ticked without a reason: asked for one, nothing done.
    response = client.post(
        f"{url}move-in/",
        {"move-moved_in_on": today, "move-override": "on"},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 400 and "Zeg waarom" in response.content.decode()
    response = client.post(
        f"{url}move-in/",
        {"move-moved_in_on": today, "move-override": "on", "move-override_reason": REASON},
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.state == "housed"

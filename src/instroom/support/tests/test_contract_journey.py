"""From an accepted match to the end of the support: every step is one audited service call."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from instroom.applications.models import Application
from instroom.audit.models import AuditEvent
from instroom.dates import add_months
from instroom.distribution.models import Placement
from instroom.matching import services as matching
from instroom.privacy.services import retention_run
from instroom.regions.rules.support import DEFAULT_MEETING_KINDS, ChecklistItem
from instroom.support import services
from instroom.support.models import Meeting
from instroom.support.tests.factories import (
    accepted_match,
    ending_contract,
    hold_handover,
    housed_contract,
    support_with,
    use_rules,
)

pytestmark = pytest.mark.django_db


def case_state(contract) -> str:
    return Application.objects.get(pk=contract.application_id).state


def test_signing_counts_for_the_quota_and_moving_in_creates_the_meetings(cast) -> None:
    match = accepted_match(cast)
    contract = services.contract_prepare(actor=cast.corporation_user, match=match)
    assert contract.form == "three_party" and contract.support_months == 24
    assert contract.document.read().startswith(b"%PDF")
    assert not Placement.objects.filter(client=contract.client).exists()

    today = timezone.localdate()
    services.contract_sign(
        actor=cast.corporation_user,
        contract=contract,
        signed_on=today,
        key_handover_on=today,
        planned_move_in_on=today,
    )
    placement = Placement.objects.get(client=contract.client, undone_at__isnull=True)
    assert placement.placed_on == today
    assert placement.municipality_id == contract.home.municipality_id
    assert case_state(contract) == "contracted"
    assert list(contract.meetings.values_list("kind", flat=True)) == ["handover"]

    hold_handover(cast, contract, on=today)
    services.contract_move_in(actor=cast.corporation_user, contract=contract, moved_in_on=today)
    contract.refresh_from_db()
    assert contract.state == "housed" and case_state(contract) == "housed"
    assert contract.support_ends_on == add_months(today, 24)
    schedule = list(
        contract.meetings.exclude(kind="handover").order_by("due_on").values_list("kind", "months")
    )
    assert schedule == [
        ("introduction", 0),
        ("evaluation", 3),
        ("evaluation", 6),
        ("evaluation", 12),
        ("evaluation", 18),
        ("final", 24),
    ]
    actions = set(
        AuditEvent.objects.filter(client_id=contract.client_id).values_list("action", flat=True)
    )
    assert {"contract.prepare", "contract.sign", "contract.move_in", "case.move_in"} <= actions


def test_the_form_and_period_follow_the_tables_decision(cast) -> None:
    from dataclasses import replace

    kinds = tuple(
        replace(k, months=(2, 4, 30)) if k.code == "evaluation" else k
        for k in DEFAULT_MEETING_KINDS
    )
    use_rules(cast.region, support=support_with(meeting_kind=kinds))
    match = accepted_match(cast)
    from instroom.assessment.models import Decision

    Decision.objects.filter(item__application=match.application).update(
        contract_form="care_lease", support_months=6
    )
    contract = services.contract_prepare(actor=cast.corporation_user, match=match)
    assert (contract.form, contract.support_months) == ("care_lease", 6)
    today = timezone.localdate()
    services.contract_sign(
        actor=cast.corporation_user,
        contract=contract,
        signed_on=today,
        key_handover_on=today,
        planned_move_in_on=today,
    )
    hold_handover(cast, contract, on=today)
    services.contract_move_in(actor=cast.corporation_user, contract=contract, moved_in_on=today)
    months = list(contract.meetings.exclude(kind="handover").values_list("months", flat=True))
    assert months == [0, 2, 4, 6]  # 30 lies beyond the support period; the final is at 6


def test_bad_dates_are_refused_with_the_field_named_and_nothing_saved(cast) -> None:
    contract = services.contract_prepare(actor=cast.corporation_user, match=accepted_match(cast))
    today = timezone.localdate()
    with pytest.raises(ValidationError) as info:
        services.contract_sign(
            actor=cast.corporation_user,
            contract=contract,
            signed_on=today + timedelta(days=3),
            key_handover_on=today,
            planned_move_in_on=today - timedelta(days=400),
        )
    assert {"signed_on", "planned_move_in_on"} <= set(info.value.message_dict)
    contract.refresh_from_db()
    assert contract.state == "prepared" and not Placement.objects.exists()


def test_only_the_corporation_or_the_service_point_signs(cast) -> None:
    contract = services.contract_prepare(actor=cast.corporation_user, match=accepted_match(cast))
    today = timezone.localdate()
    for outsider in (cast.care_worker_a, cast.support_worker, cast.other_coordinator):
        with pytest.raises(PermissionDenied):
            services.contract_sign(
                actor=outsider,
                contract=contract,
                signed_on=today,
                key_handover_on=today,
                planned_move_in_on=today,
            )


def test_a_signing_recorded_by_mistake_is_undone_with_its_placement(cast) -> None:
    contract = services.contract_prepare(actor=cast.corporation_user, match=accepted_match(cast))
    today = timezone.localdate()
    services.contract_sign(
        actor=cast.corporation_user,
        contract=contract,
        signed_on=today,
        key_handover_on=today,
        planned_move_in_on=today + timedelta(days=20),
    )
    services.contract_sign_undo(
        actor=cast.corporation_user, contract=contract, reason="Verkeerd dossier"
    )
    contract.refresh_from_db()
    assert contract.state == "prepared" and contract.placement is None
    assert Placement.objects.get(client=contract.client).undone_at is not None
    assert case_state(contract) == "matching"
    assert not contract.meetings.filter(state__in=["due", "planned"]).exists()


def test_a_match_with_a_contract_is_not_cancelled_behind_its_back(cast) -> None:
    match = accepted_match(cast)
    contract = services.contract_prepare(actor=cast.corporation_user, match=match)
    with pytest.raises(ValidationError):
        matching.match_cancel(actor=cast.corporation_user, match=match, note="Oeps")
    services.contract_withdraw(actor=cast.corporation_user, contract=contract, reason="Afgezien")
    match.refresh_from_db()
    assert match.state == "cancelled" and case_state(contract) == "approved"


def test_a_meeting_needs_every_checklist_question_answered(cast) -> None:
    contract = housed_contract(cast, on=timezone.localdate())
    intro = contract.meetings.get(kind="introduction")
    questions = services.checklist_for(intro)
    assert len(questions) >= 5  # the standard checklist of a new region
    answers = {q.position: ("good", "") for q in questions[1:]}
    with pytest.raises(ValidationError) as info:
        services.meeting_record(
            actor=cast.support_worker,
            meeting=intro,
            held_on=timezone.localdate(),
            notes="Goed gesprek",
            answers=answers,
        )
    assert questions[0].text in " ".join(info.value.messages)
    answers[questions[0].position] = ("attention", "Buren nog niet ontmoet")
    services.meeting_record(
        actor=cast.support_worker,
        meeting=intro,
        held_on=timezone.localdate(),
        notes="Goed gesprek",
        answers=answers,
    )
    intro.refresh_from_db()
    assert intro.state == "held"
    first = intro.answers.get(position=questions[0].position)
    assert first.note == "Buren nog niet ontmoet"
    # The region rewords a question later (a new rules version): the record keeps the
    # question as it was asked.
    use_rules(
        cast.region,
        support=support_with(checklist=(ChecklistItem("Nieuwe formulering", "New wording"),)),
    )
    assert services.checklist_for(intro)[0].text == "Nieuwe formulering"
    first.refresh_from_db()
    assert first.question_text == questions[0].text


def test_signal_escalation_case_table_and_termination(cast) -> None:
    contract = housed_contract(cast, on=timezone.localdate())
    signal = services.signal_report(
        actor=cast.corporation_user,
        contract=contract,
        kind="nuisance",
        severity="high",
        description="Klachten van buren over geluid 's nachts.",
    )
    services.signal_plan(actor=cast.support_worker, signal=signal, action_plan="Gesprek met buren")
    item = services.signal_escalate(actor=cast.support_worker, signal=signal, note="Time-out?")
    assert item.session is None  # waits for the next session
    session = services.case_table_session_create(
        actor=cast.coordinator,
        region=cast.region,
        starts_at=timezone.now() + timedelta(days=2),
    )
    item.refresh_from_db()
    assert item.session == session
    # Only the service point ends a tenancy.
    with pytest.raises(PermissionDenied):
        services.signal_close(
            actor=cast.corporation_user, signal=signal, outcome="termination", note="Ontbinding"
        )
    services.case_table_decide(
        actor=cast.coordinator,
        item=item,
        decision="Terug naar beschermd wonen",
        outcome="return_to_care",
    )
    signal.refresh_from_db()
    contract.refresh_from_db()
    from instroom.accounts.models import Notification

    # The signal closed with the decision: a notice by e-mail, nothing left in the task list.
    assert not Notification.objects.filter(
        user=cast.support_worker, kind__startswith="signal.", done_at__isnull=True
    ).exists()
    assert (signal.state, signal.outcome) == ("closed", "return_to_care")
    assert contract.state == "terminated" and case_state(contract) == "terminated"
    assert not contract.meetings.filter(state__in=["due", "planned"]).exists()


def test_timeout_has_a_maximum_length_and_a_return_plan(cast) -> None:
    contract = housed_contract(cast, on=timezone.localdate())
    today = timezone.localdate()
    with pytest.raises(ValidationError) as info:
        services.timeout_start(
            actor=cast.support_worker,
            contract=contract,
            starts_on=today,
            ends_on=today + timedelta(days=200),
            stay="Time-outvoorziening",
            return_plan="",
        )
    assert {"ends_on", "return_plan"} <= set(info.value.message_dict)
    timeout = services.timeout_start(
        actor=cast.support_worker,
        contract=contract,
        starts_on=today,
        ends_on=today + timedelta(days=30),
        stay="Time-outvoorziening",
        return_plan="Terug na drie gesprekken",
    )
    services.timeout_end(actor=cast.support_worker, timeout=timeout, ended_on=today, returned=True)
    timeout.refresh_from_db()
    assert timeout.state == "returned"


@pytest.mark.parametrize(
    ("outcome", "contract_state", "case"),
    [("convert", "converted", "completed"), ("end", "ended", "ended")],
)
def test_the_final_evaluation_converts_or_ends(cast, outcome, contract_state, case) -> None:
    contract = ending_contract(cast)
    services.contract_final_decide(
        actor=cast.support_worker,
        contract=contract,
        outcome=outcome,
        note="Eindevaluatie: woont prettig, contact met buren",
    )
    contract.refresh_from_db()
    assert contract.state == contract_state and case_state(contract) == case
    event = AuditEvent.objects.get(action=f"contract.{outcome}", object_id=str(contract.pk))
    # The free text is the note (erasable under the retention rules), never the append-only log.
    assert "buren" not in str(event.changes) and "final_note" not in event.changes
    assert "buren" in event.note.text


def test_extending_moves_the_final_evaluation(cast) -> None:
    contract = housed_contract(cast, on=timezone.localdate())
    new_end = contract.support_ends_on + timedelta(days=180)
    with pytest.raises(ValidationError):
        services.contract_final_decide(
            actor=cast.support_worker, contract=contract, outcome="extend", note="Nog niet klaar"
        )
    services.contract_final_decide(
        actor=cast.support_worker,
        contract=contract,
        outcome="extend",
        note="Nog niet klaar",
        new_end=new_end,
    )
    contract.refresh_from_db()
    assert contract.state == "housed" and contract.support_ends_on == new_end
    assert contract.meetings.get(kind="final").due_on == new_end


def test_orientation_less_than_six_months_before_the_move_is_flagged(cast) -> None:
    from instroom.support import selectors

    move = timezone.localdate()
    contract = housed_contract(cast, on=move)
    services.orientation_add(
        actor=cast.support_worker,
        client=contract.client,
        on=move - timedelta(days=60),
        description="Buurthuis bezocht",
    )
    assert selectors.orientation(contract).late
    services.orientation_add(
        actor=cast.care_worker_a,
        client=contract.client,
        on=add_months(move, -7),
        description="Kennismaking wijkteam",
    )
    assert not selectors.orientation(contract).late


def test_retention_removes_the_agreement_and_the_notes(cast) -> None:
    from instroom.support.models import Contract, Signal

    contract = ending_contract(cast)
    services.signal_report(
        actor=cast.corporation_user,
        contract=contract,
        kind="arrears",
        severity="low",
        description="Twee maanden huurachterstand",
    )
    services.contract_final_decide(
        actor=cast.support_worker, contract=contract, outcome="convert", note="Prima"
    )
    path = Contract.objects.get(pk=contract.pk).document.path
    later = timezone.localdate() + timedelta(days=31 * (cast.region.retention_months + 1))
    assert contract.client_id in retention_run(today=later)
    fresh = Contract.objects.get(pk=contract.pk)
    assert not fresh.document and fresh.final_note == ""
    assert Signal.objects.get(contract=contract).description == "—"
    import os

    assert not os.path.exists(path)
    assert Meeting.objects.filter(contract=contract, notes__gt="").count() == 0


def test_calendar_feed_shows_planned_meetings_without_personal_data(cast, client) -> None:
    contract = housed_contract(cast, on=timezone.localdate(), last_name="Zwaluwstaart")
    services.contract_assign(
        actor=cast.support_worker,
        contract=contract,
        support_worker=cast.support_worker,
        welfare_organisation=None,
        welfare_contact="",
    )
    meeting = contract.meetings.get(months=3)
    services.meeting_plan(
        actor=cast.support_worker,
        meeting=meeting,
        planned_at=timezone.now() + timedelta(days=80),
        location="Thuis bij de cliënt, Dorpsstraat 5",
    )
    token = services.calendar_feed_create(actor=cast.support_worker)
    body = client.get(f"/support/calendar/{token}.ics").content.decode()
    assert "BEGIN:VEVENT" in body and contract.client.case_number in body
    assert meeting.uid in body
    for secret in ("Zwaluwstaart", "Dorpsstraat", contract.client.first_name, contract.home.street):
        # As a word: a first name like "Eva" is also the start of "Evaluatiegesprek".
        assert not re.search(rf"\b{re.escape(secret)}\b", body), secret
    # A new address revokes the old one.
    services.calendar_feed_create(actor=cast.support_worker)
    assert client.get(f"/support/calendar/{token}.ics").status_code == 404


def test_the_contract_mix_is_shown_against_the_regions_target(cast, client) -> None:
    from decimal import Decimal

    from instroom.assessment.models import Decision

    cast.region.three_party_target = Decimal("0.850")
    cast.region.save()
    today = timezone.localdate()
    for form in ("three_party", "care_lease"):
        match = accepted_match(cast)
        Decision.objects.filter(item__application=match.application).update(contract_form=form)
        contract = services.contract_prepare(actor=cast.corporation_user, match=match)
        services.contract_sign(
            actor=cast.corporation_user,
            contract=contract,
            signed_on=today,
            key_handover_on=today,
            planned_move_in_on=today,
        )
    services.contract_prepare(actor=cast.corporation_user, match=accepted_match(cast))  # unsigned
    client.force_login(cast.coordinator)
    page = client.get("/support/").content.decode()
    row = page[page.index(f'data-mix="{cast.region.name}"') :].split("</tr>")[0]
    cells = [c.split(">", 1)[1].split("<")[0].strip() for c in row.split("<td")[1:]]
    assert cells[1:3] == ["1", "1"]  # the unsigned contract does not count
    assert "50 %" in row and "85 %" in row and "instroom-flag" in row


def test_the_agreement_follows_the_forms_own_text(cast) -> None:
    from dataclasses import replace

    from instroom.regions.rules import TEMPLATE

    forms = tuple(
        replace(f, agreement_nl="## Artikel 1 Wonen\nHuurder {tenant} huurt {address}.\n\nSlot.")
        if f.code == "three_party"
        else f
        for f in TEMPLATE.contract_form
    )
    use_rules(cast.region, contract_form=forms)
    contract = services.contract_prepare(actor=cast.corporation_user, match=accepted_match(cast))
    values = services.document_values(contract)
    articles = services.document_context(contract)["articles"]
    assert articles[0].heading == "Artikel 1 Wonen"  # type: ignore[index]
    assert articles[0].paragraphs == [  # type: ignore[index]
        f"Huurder {contract.client.full_name} huurt {contract.home.address}.",
        "Slot.",
    ]
    assert contract.client.bsn not in " ".join(values.values())


def test_a_signal_without_kind_or_description_is_refused_and_not_saved(cast) -> None:
    from instroom.support.models import Signal

    contract = housed_contract(cast, on=timezone.localdate())
    with pytest.raises(ValidationError) as info:
        services.signal_report(
            actor=cast.corporation_user,
            contract=contract,
            kind="gossip",
            severity="high",
            description="  ",
        )
    assert set(info.value.message_dict) == {"kind", "description"}
    assert not Signal.objects.exists()


def test_the_orientation_flag_names_the_regions_own_months(client, cast) -> None:
    contract = housed_contract(cast, on=timezone.localdate())
    use_rules(cast.region, support=support_with(orientation_months_before=3))
    client.force_login(cast.support_worker)
    page = client.get(f"/support/contracts/{contract.pk}/", HTTP_ACCEPT_LANGUAGE="nl")
    text = page.content.decode()
    assert "minstens 3 maanden voor de verhuizing" in text and "zes" not in text

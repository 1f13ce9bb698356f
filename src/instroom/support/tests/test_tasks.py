"""The support stage's tasks are about the signal, the meeting or the tenancy, and leave the
lists when that moves on: a plan made, a meeting planned or held, a case on the case table."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation

from instroom.accounts.models import Notification
from instroom.dates import add_months
from instroom.support import services
from instroom.support.tests.factories import ending_contract, housed_contract

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MOVE = date(2026, 3, 2)


def at(day: date, hour: int = 6) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM)


def open_tasks(user, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind=kind, done_at__isnull=True))


def report(cast, contract, actor=None):
    return services.signal_report(
        actor=actor or cast.corporation_user,
        contract=contract,
        kind="nuisance",
        severity="high",
        description="Klachten van buren over geluid 's nachts.",
    )


def record(cast, meeting, on: date) -> None:
    services.meeting_record(
        actor=cast.support_worker,
        meeting=meeting,
        held_on=on,
        notes="Gehouden",
        attendees="Woonbegeleider, huurder",
        answers={q.position: ("good", "") for q in services.checklist_for(meeting)},
    )


def test_a_reported_signal_is_a_task_until_there_is_a_plan(cast) -> None:
    contract = housed_contract(cast, on=timezone.localdate())
    signal = report(cast, contract)
    [task] = open_tasks(cast.support_worker, "signal.reported")
    case = contract.client.case_number
    with translation.override("en"):
        assert task.title == f"Signal about case {case}: Nuisance (high)"
    assert len(open_tasks(cast.coordinator, "signal.reported")) == 1  # high: the service point too
    assert open_tasks(cast.corporation_user, "signal.reported") == []  # not to the reporter
    services.signal_plan(actor=cast.support_worker, signal=signal, action_plan="Gesprek met buren")
    assert open_tasks(cast.support_worker, "signal.reported") == []
    assert open_tasks(cast.coordinator, "signal.reported") == []


def test_the_case_table_tasks_close_when_the_table_decides_and_the_signal_closes(cast) -> None:
    contract = housed_contract(cast, on=timezone.localdate())
    signal = report(cast, contract)
    item = services.signal_escalate(actor=cast.support_worker, signal=signal, note="Bespreken")
    assert len(open_tasks(cast.coordinator, "signal.case_table")) == 1
    services.case_table_decide(actor=cast.coordinator, item=item, decision="Eerst een gesprek")
    assert open_tasks(cast.coordinator, "signal.case_table") == []
    # Back to the plan: the support worker carries out the decision, until the signal closes.
    assert len(open_tasks(cast.support_worker, "signal.case_table_decided")) == 1
    services.signal_close(
        actor=cast.support_worker, signal=signal, outcome="resolved", note="Het is rustig."
    )
    assert open_tasks(cast.support_worker, "signal.case_table_decided") == []


def test_a_case_table_decision_that_closes_the_signal_is_a_notice(
    cast, django_capture_on_commit_callbacks
) -> None:
    contract = housed_contract(cast, on=timezone.localdate())
    signal = report(cast, contract)
    item = services.signal_escalate(actor=cast.support_worker, signal=signal, note="Bespreken")
    cast.support_worker.email, cast.support_worker.language = "s@zorg-b.test", "en"
    cast.support_worker.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_table_decide(
            actor=cast.coordinator, item=item, decision="Opgelost", outcome="resolved"
        )
    case = contract.client.case_number
    assert [m.subject for m in mail.outbox if m.to == ["s@zorg-b.test"]] == [
        f"The case table decided on case {case}"
    ]
    assert not Notification.objects.filter(kind__startswith="signal.case_table_").exists()


def test_a_case_that_did_not_return_is_a_task_until_it_is_on_the_case_table(cast) -> None:
    contract = housed_contract(cast, on=timezone.localdate())
    today = timezone.localdate()
    timeout = services.timeout_start(
        actor=cast.support_worker,
        contract=contract,
        starts_on=today,
        ends_on=today + timedelta(days=30),
        stay="Time-outvoorziening",
        return_plan="Terug na drie gesprekken",
    )
    services.timeout_end(actor=cast.support_worker, timeout=timeout, ended_on=today, returned=False)
    assert len(open_tasks(cast.coordinator, "timeout.not_returned")) == 1
    signal = report(cast, contract, actor=cast.support_worker)
    services.signal_escalate(actor=cast.coordinator, signal=signal, note="Niet teruggekeerd")
    assert open_tasks(cast.coordinator, "timeout.not_returned") == []


def test_a_late_time_out_is_a_task_until_it_ends(cast) -> None:
    with time_machine.travel(at(MOVE, 10), tick=False):
        contract = housed_contract(cast, on=MOVE)
        timeout = services.timeout_start(
            actor=cast.support_worker,
            contract=contract,
            starts_on=MOVE,
            ends_on=MOVE + timedelta(days=10),
            stay="Time-outvoorziening",
            return_plan="Terug na drie gesprekken",
        )
    with time_machine.travel(at(MOVE + timedelta(days=11)), tick=False):
        services.support_follow_up()
        assert len(open_tasks(cast.coordinator, "timeout.overdue")) == 1
        services.timeout_end(
            actor=cast.support_worker, timeout=timeout, ended_on=timezone.localdate(), returned=True
        )
    assert open_tasks(cast.coordinator, "timeout.overdue") == []


def test_the_reminder_to_plan_a_meeting_closes_when_it_is_planned(cast) -> None:
    with time_machine.travel(at(MOVE, 10), tick=False):
        contract = housed_contract(cast, on=MOVE)
        for meeting in contract.meetings.filter(kind__in=["handover", "introduction"]):
            record(cast, meeting, MOVE)
    evaluation = contract.meetings.get(kind="evaluation", months=3)
    assert evaluation.due_on == add_months(MOVE, 3)
    with time_machine.travel(at(evaluation.due_on - timedelta(days=14)), tick=False):
        services.support_follow_up()
        [task] = open_tasks(cast.support_worker, "meeting.plan_reminder")
        assert task.due_on == evaluation.due_on
        case = contract.client.case_number
        with translation.override("en"):
            assert task.title == (
                f"Reminder: plan the evaluation meeting at 3 months of case {case} "
                "(due 2 June 2026)"
            )
        services.meeting_plan(
            actor=cast.support_worker, meeting=evaluation, planned_at=at(evaluation.due_on, 10)
        )
    assert open_tasks(cast.support_worker, "meeting.plan_reminder") == []


def test_an_overdue_meeting_and_its_escalation_close_when_it_is_held(cast) -> None:
    with time_machine.travel(at(MOVE, 10), tick=False):
        contract = housed_contract(cast, on=MOVE)
    introduction = contract.meetings.get(kind="introduction")
    with time_machine.travel(at(MOVE + timedelta(days=1)), tick=False):
        services.support_follow_up()
    with time_machine.travel(at(MOVE + timedelta(days=8)), tick=False):
        services.support_follow_up()
        overdue = open_tasks(cast.support_worker, "meeting.overdue_reminder")
        escalated = open_tasks(cast.coordinator, "meeting.escalated")
        assert {t.object_id for t in overdue} >= {introduction.pk}
        assert {t.object_id for t in escalated} >= {introduction.pk}
        record(cast, introduction, MOVE + timedelta(days=7))
    still = {
        t.object_id
        for kind, user in (
            ("meeting.overdue_reminder", cast.support_worker),
            ("meeting.escalated", cast.coordinator),
        )
        for t in open_tasks(user, kind)
    }
    assert introduction.pk not in still


def test_the_final_evaluation_is_a_notice_to_the_service_point(
    cast, django_capture_on_commit_callbacks
) -> None:
    contract = ending_contract(cast)
    cast.coordinator.email = "sp@example.org"  # no preference: Dutch
    cast.coordinator.save()
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.contract_final_decide(
            actor=cast.support_worker, contract=contract, outcome="convert", note="Gaat goed"
        )
    case = contract.client.case_number
    [told] = [m for m in mail.outbox if m.to == ["sp@example.org"]]
    assert (
        told.subject == f"Eindevaluatie van dossier {case}: Omklappen naar een gewoon huurcontract"
    )
    assert not Notification.objects.filter(kind="contract.final_outcome").exists()


def test_the_soft_landing_task_closes_when_the_support_ends(cast) -> None:
    contract = ending_contract(cast)
    support_assign = {
        "support_worker": cast.support_worker,
        "welfare_organisation": cast.region.organisations.get(slug="welzijn"),
        "welfare_contact": "Wijkteam Oost",
    }
    services.contract_assign(actor=cast.support_worker, contract=contract, **support_assign)
    assert len(open_tasks(cast.welfare_user, "contract.soft_landing")) == 1
    services.contract_final_decide(
        actor=cast.support_worker, contract=contract, outcome="convert", note="Gaat goed"
    )
    assert open_tasks(cast.welfare_user, "contract.soft_landing") == []

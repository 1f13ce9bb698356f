"""`instroom daily` across simulated dates: the right people get exactly one reminder and one
escalation per meeting, however often the job runs."""

from datetime import date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from instroom.accounts.constants import Role
from instroom.accounts.models import Notification
from instroom.conftest import make_user
from instroom.dates import add_months
from instroom.support import services
from instroom.support.tests.factories import housed_contract

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MOVE = date(2026, 3, 2)


def at(day: date, hour: int = 6) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM)


def _subjects(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("subject", flat=True))


def test_daily_reminds_once_then_escalates_once(cast, django_capture_on_commit_callbacks) -> None:
    colleague = make_user("colleague", cast.care_b, Role.SUPPORT_WORKER, email="c@zorg-b.test")
    cast.support_worker.email = "s@zorg-b.test"
    cast.support_worker.save()
    cast.coordinator.email = "coordinator@servicepunt.test"
    cast.coordinator.save()
    with time_machine.travel(at(MOVE, 10), tick=False):
        contract = housed_contract(cast, on=MOVE)
        services.contract_assign(
            actor=cast.support_worker,
            contract=contract,
            support_worker=cast.support_worker,
            welfare_organisation=None,
            welfare_contact="",
        )
        # Handover and introduction held on the day of the move.
        for meeting in contract.meetings.filter(kind__in=["handover", "introduction"]):
            services.meeting_record(
                actor=cast.support_worker,
                meeting=meeting,
                held_on=MOVE,
                notes="Gehouden",
                attendees="BW, woonbegeleider, corporatie, wijkteam",
                answers={q.position: ("good", "") for q in services.checklist_for(meeting)},
            )
    Notification.objects.all().delete()
    mail.outbox.clear()

    due = add_months(MOVE, 3)  # the evaluation at three months
    remind_on = due - timedelta(days=14)
    escalate_on = remind_on + timedelta(days=7)
    reminders, escalations = {}, {}
    day = MOVE + timedelta(days=1)
    while day <= due + timedelta(days=20):
        for hour in (6, 18):  # twice a day: a rerun must not send anything again
            with (
                time_machine.travel(at(day, hour), tick=False),
                django_capture_on_commit_callbacks(execute=True),
            ):
                out = StringIO()
                call_command("daily", stdout=out)
            if "1 reminder(s)" in out.getvalue().split("meetings:")[1]:
                reminders[day] = reminders.get(day, 0) + 1
            if "1 escalation(s)" in out.getvalue().split("meetings:")[1]:
                escalations[day] = escalations.get(day, 0) + 1
        day += timedelta(days=1)

    assert reminders == {remind_on: 1}
    assert escalations == {escalate_on: 1}
    worker = _subjects(cast.support_worker)
    assert len(worker) == 1 and contract.client.case_number in worker[0]
    assert len(_subjects(cast.coordinator)) == 1
    # Not the colleague (a support worker is named), not another region's coordinator.
    assert _subjects(colleague) == [] and _subjects(cast.other_coordinator) == []
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == ["coordinator@servicepunt.test", "s@zorg-b.test"]
    # No name in the e-mails: they leave the platform.
    assert all(contract.client.last_name not in m.subject + m.body for m in mail.outbox)


def test_a_meeting_planned_in_time_sends_nothing(cast) -> None:
    with time_machine.travel(at(MOVE, 10), tick=False):
        contract = housed_contract(cast, on=MOVE)
        for meeting in contract.meetings.exclude(state="held"):  # the handover came first
            services.meeting_plan(
                actor=cast.support_worker, meeting=meeting, planned_at=at(meeting.due_on, 10)
            )
    Notification.objects.all().delete()
    for offset in range(0, 60):
        with time_machine.travel(at(MOVE + timedelta(days=offset), 6), tick=False):
            counts = services.support_follow_up()
        # A planned meeting is overdue only once its planned day has passed without a record.
        if MOVE + timedelta(days=offset) <= MOVE:
            assert counts["meeting_reminders"] == 0
    # The introduction (planned on the day of the move, never recorded) becomes overdue the
    # next day: one reminder, one escalation a week later. (The handover was held before it.)
    assert Notification.objects.filter(user=cast.support_worker).count() == 1
    assert Notification.objects.filter(user=cast.coordinator).count() == 1

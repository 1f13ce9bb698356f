"""One transition mechanism: nothing else assigns a state, and transition() locks, checks,
stamps and audits in the caller's transaction."""

import re
from pathlib import Path
from unittest import mock

import pytest
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import override

from instroom.applications.constants import CASE_MACHINE, CaseState
from instroom.applications.models import Application
from instroom.applications.tests.factories import make_application
from instroom.audit.models import AuditEvent
from instroom.homes.constants import HOME_MACHINE
from instroom.homes.tests.factories import make_home
from instroom.statemachine import TransitionError, allowed, transition, transition_many
from instroom.support.constants import MEETING_MACHINE
from instroom.support.tests.factories import housed_contract

SRC = Path(__file__).resolve().parents[1]
# A state assigned, or a bulk update of a state, anywhere but the transition module.
ASSIGNS_STATE = re.compile(r"\.state\s*=(?!=)|\.update\([^)]*\bstate=|setattr\([^,]+,\s*\"state\"")
# Explicit exceptions, each with its reason: migrations (history), tests (they build fixtures).
EXEMPT_DIRS = {"migrations", "tests"}
EXEMPT_FILES = {"statemachine.py"}


def test_no_state_is_changed_outside_the_transition_module() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        if EXEMPT_DIRS & set(path.parts) or path.name in EXEMPT_FILES:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if ASSIGNS_STATE.search(line):
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert not offenders, "change states with statemachine.transition():\n" + "\n".join(offenders)


def test_the_scan_would_see_an_assignment() -> None:
    assert ASSIGNS_STATE.search("    home.state = HomeState.OPEN")
    assert ASSIGNS_STATE.search("qs.update(state=MeetingState.CANCELLED)")
    assert not ASSIGNS_STATE.search("if home.state == HomeState.OPEN:")


@pytest.mark.django_db
def test_an_illegal_step_is_refused_in_the_users_language(cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    with override("nl"), pytest.raises(TransitionError) as info, transaction.atomic():
        transition(
            application,
            machine=CASE_MACHINE,
            to="housed",
            actor=cast.coordinator,
            action="case.move_in",
        )
    with override("nl"):
        draft, housed = str(CaseState.DRAFT.label), str(CaseState.HOUSED.label)
    assert info.value.messages == [
        f"Deze aanmelding is “{draft}”; van daaruit kan ze niet naar “{housed}”."
    ]
    assert Application.objects.get(pk=application.pk).state == "draft"
    assert not AuditEvent.objects.filter(action="case.move_in").exists()


@pytest.mark.django_db
def test_a_step_locks_the_row_stamps_and_audits(cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    before = application.state_changed_at
    with (
        mock.patch.object(
            QuerySet, "select_for_update", autospec=True, side_effect=lambda qs: qs
        ) as lock,
        transaction.atomic(),
    ):
        transition(
            application,
            machine=CASE_MACHINE,
            to="withdrawn",
            actor=cast.care_worker_a,
            action="application.withdraw",
        )
    assert lock.called
    fresh = Application.objects.get(pk=application.pk)
    assert fresh.state == "withdrawn" and fresh.state_changed_at > before
    event = AuditEvent.objects.get(action="application.withdraw", object_id=str(application.pk))
    assert event.changes["state"] == ["draft", "withdrawn"]
    assert event.client_id == application.client_id
    assert allowed(fresh, CASE_MACHINE) == frozenset()


@pytest.mark.django_db
def test_the_state_and_its_audit_record_roll_back_together(cast) -> None:
    home = make_home(cast.corporation_user, cast.corporation)
    with pytest.raises(RuntimeError), transaction.atomic():
        transition(home, machine=HOME_MACHINE, to="withdrawn", actor=None, action="home.withdraw")
        raise RuntimeError("the caller fails after the step")
    home.refresh_from_db()
    assert home.state == "open"
    assert not AuditEvent.objects.filter(action="home.withdraw").exists()


@pytest.mark.django_db(transaction=True)
def test_a_step_outside_a_transaction_is_refused(cast) -> None:
    home = make_home(cast.corporation_user, cast.corporation)
    with pytest.raises(transaction.TransactionManagementError):
        transition(home, machine=HOME_MACHINE, to="withdrawn", actor=None, action="home.withdraw")
    home.refresh_from_db()
    assert home.state == "open"


@pytest.mark.django_db
def test_many_rows_are_each_checked_and_audited(cast) -> None:
    contract = housed_contract(cast, on=timezone.localdate())
    open_meetings = contract.meetings.filter(state__in=["due", "planned"])
    count = open_meetings.count()
    assert count > 3
    with transaction.atomic():
        transition_many(
            open_meetings,
            machine=MEETING_MACHINE,
            to="cancelled",
            actor=None,
            action="meeting.cancel",
        )
    assert not contract.meetings.filter(state__in=["due", "planned"]).exists()
    assert AuditEvent.objects.filter(action="meeting.cancel").count() == count
    cancelled = contract.meetings.filter(state="cancelled")
    with pytest.raises(TransitionError), transaction.atomic():
        transition_many(
            cancelled, machine=MEETING_MACHINE, to="planned", actor=None, action="meeting.plan"
        )

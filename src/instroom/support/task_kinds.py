"""The tasks the support stage creates (see accounts/tasks.py)."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from instroom.accounts.tasks import TaskKind, day, declare

from .constants import (
    OPEN_MEETING_STATES,
    SUPPORT_STATES,
    ContractState,
    FinalOutcome,
    MeetingState,
    SignalState,
    TimeOutState,
)
from .labels import pick

CONTRACT = "support.Contract"
MEETING = "support.Meeting"
SIGNAL = "support.Signal"
TIMEOUT = "support.TimeOut"


def _label(choices: Any, code: str) -> str:
    return str(choices(code).label) if code in choices.values else code


def _signal(params: Mapping[str, Any]) -> Mapping[str, Any]:
    """The region's wording, stored with the task in both languages (the code for old ones)."""
    return {
        **params,
        "kind": pick(params, "kind_names", params.get("kind", "")),
        "severity": pick(params, "severity_names", params.get("severity", "")).lower(),
    }


def _meeting(params: Mapping[str, Any]) -> Mapping[str, Any]:
    """The meeting's name in the reader's language (as Meeting.title), its dates formatted."""
    name = pick(params, "meeting_names", params.get("meeting_kind", ""))
    return {
        **params,
        "meeting": name.lower(),
        "date": day(params.get("date", "")),
        "reminded": day(params.get("reminded", "")),
    }


def _timeout(params: Mapping[str, Any]) -> Mapping[str, Any]:
    """Older reminders were stored without the place."""
    return {**params, "place": params.get("place") or "—", "date": day(params.get("date", ""))}


KINDS = declare(
    TaskKind(
        "contract.plan_signing",
        _("Contract drawn up for case %(case)s: plan the signing"),
        _("Signings to plan"),
        model=CONTRACT,
        open_states=frozenset({ContractState.PREPARED}),
    ),
    TaskKind(
        "contract.plan_handover",
        _("Contract signed for case %(case)s: plan the warm handover"),
        _("Handovers to plan"),
        model=CONTRACT,
        open_states=frozenset({ContractState.SIGNED}),
    ),
    TaskKind(
        "contract.plan_meetings",
        _("Case %(case)s moved in: the support meetings are ready to be planned"),
        _("Support meetings to plan"),
        model=CONTRACT,
        open_states=frozenset({ContractState.HOUSED}),
    ),
    TaskKind(
        # Open for the support period: it closes when the lease is converted or support ends.
        "contract.soft_landing",
        _("Case %(case)s is handed over to you for the soft landing"),
        _("Soft landings"),
        model=CONTRACT,
        open_states=SUPPORT_STATES,
    ),
    TaskKind(
        # Closed when the case goes on the case table (signal_escalate) or the support ends.
        "timeout.not_returned",
        _("Case %(case)s did not return after the time-out: put it on the case table"),
        _("Time-outs to follow up"),
        model=CONTRACT,
        open_states=SUPPORT_STATES,
    ),
    TaskKind(
        "timeout.overdue",
        _("The time-out of case %(case)s (%(place)s) has passed its end date"),
        _("Time-outs to follow up"),
        model=TIMEOUT,
        open_states=frozenset({TimeOutState.ACTIVE}),
        display=_timeout,
        body=_(
            "It ended on %(date)s. Record the end on the contract page: the place stays taken "
            "until then."
        ),
    ),
    TaskKind(
        "timeout.ends_tomorrow",
        _("The time-out of case %(case)s (%(place)s) ends tomorrow: check the return plan"),
        _("Time-outs to follow up"),
        model=TIMEOUT,
        open_states=frozenset({TimeOutState.ACTIVE}),
        display=_timeout,
        body=_("It ends on %(date)s. Record the end on the contract page when the client is back."),
    ),
    TaskKind(
        # The service point is told; the contract's next steps are already done or closed.
        "contract.final_outcome",
        _("Final evaluation of case %(case)s: %(outcome)s"),
        _("Final evaluations"),
        display=lambda p: {**p, "outcome": _label(FinalOutcome, p.get("outcome", ""))},
        notice=True,
    ),
    TaskKind(
        "signal.reported",
        _("Signal about case %(case)s: %(kind)s (%(severity)s)"),
        _("Signals to act on"),
        model=SIGNAL,
        open_states=frozenset({SignalState.OPEN}),
        display=_signal,
        body=_("Make an action plan, or put the case on the case table."),
    ),
    TaskKind(
        "signal.case_table",
        _("Case %(case)s is on the case table: %(kind)s"),
        _("Cases for the case table"),
        model=SIGNAL,
        open_states=frozenset({SignalState.ESCALATED}),
        display=_signal,
    ),
    TaskKind(
        "signal.case_table_decided",
        _("The case table decided on case %(case)s: carry out the decision"),
        _("Signals to act on"),
        model=SIGNAL,
        open_states=frozenset({SignalState.PLAN}),
    ),
    TaskKind(
        # The table closed the signal with its decision: nothing left to do.
        "signal.case_table_closed",
        _("The case table decided on case %(case)s"),
        _("Signals"),
        notice=True,
        body=_("The signal is closed with the table's decision; it is on the signal's page."),
    ),
    TaskKind(
        "meeting.plan_reminder",
        _("Reminder: plan the %(meeting)s of case %(case)s (due %(date)s)"),
        _("Meetings to plan"),
        model=MEETING,
        open_states=frozenset({MeetingState.DUE}),
        display=_meeting,
    ),
    TaskKind(
        "meeting.overdue_reminder",
        _("Reminder: the %(meeting)s of case %(case)s is overdue (due %(date)s)"),
        _("Overdue meetings"),
        model=MEETING,
        open_states=OPEN_MEETING_STATES,
        display=_meeting,
    ),
    TaskKind(
        "meeting.escalated",
        _("A meeting needs attention: %(meeting)s of case %(case)s"),
        _("Meetings needing attention"),
        model=MEETING,
        open_states=OPEN_MEETING_STATES,
        display=_meeting,
        body=_("Due on %(date)s; the support worker was reminded on %(reminded)s."),
    ),
)

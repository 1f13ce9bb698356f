from django.db import models
from django.utils.translation import gettext_lazy as _

from instroom.statemachine import Machine


class ContractState(models.TextChoices):
    PREPARED = "prepared", _("Prepared: waiting for signatures")
    SIGNED = "signed", _("Signed: waiting for the move")
    HOUSED = "housed", _("Living in the home, with support")
    CONVERTED = "converted", _("Converted to a regular lease")
    ENDED = "ended", _("Support ended")
    TERMINATED = "terminated", _("Terminated")


C = ContractState
# The one table of allowed steps; services and templates both use it. Back from SIGNED to
# PREPARED is the undo of a signing recorded by mistake (before the move).
CONTRACT_TRANSITIONS: dict[str, frozenset[str]] = {
    C.PREPARED: frozenset({C.SIGNED, C.TERMINATED}),
    C.SIGNED: frozenset({C.PREPARED, C.HOUSED, C.TERMINATED}),
    C.HOUSED: frozenset({C.CONVERTED, C.ENDED, C.TERMINATED}),
    C.CONVERTED: frozenset(),
    C.ENDED: frozenset(),
    C.TERMINATED: frozenset(),
}
CONTRACT_MACHINE = Machine(
    model="support.Contract",
    transitions=CONTRACT_TRANSITIONS,
    refusal=_("This contract is “%(state)s”; it cannot become “%(to)s”."),
    stamp="state_changed_at",
    scope=lambda contract: {"client": contract.client, "region_id": contract.region_id},
)
# The contract states the case is in the support phase (meetings, signals).
SUPPORT_STATES = frozenset({C.SIGNED, C.HOUSED})
# Signing has happened (the placement counts for the quota).
SIGNED_STATES = frozenset({C.SIGNED, C.HOUSED, C.CONVERTED, C.ENDED, C.TERMINATED})


class MeetingState(models.TextChoices):
    DUE = "due", _("To be planned")
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_MEETING_STATES = frozenset({MeetingState.DUE, MeetingState.PLANNED})
# Planning again moves the date; recording again corrects the record.
MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingState.DUE: frozenset({MeetingState.PLANNED, MeetingState.HELD, MeetingState.CANCELLED}),
    MeetingState.PLANNED: frozenset(
        {MeetingState.PLANNED, MeetingState.HELD, MeetingState.CANCELLED}
    ),
    MeetingState.HELD: frozenset({MeetingState.HELD}),
    MeetingState.CANCELLED: frozenset(),
}
MEETING_MACHINE = Machine(
    model="support.Meeting",
    transitions=MEETING_TRANSITIONS,
    refusal=_("This meeting is “%(state)s”; it cannot become “%(to)s”."),
    scope=lambda meeting: {
        "client": meeting.contract.client,
        "region_id": meeting.contract.region_id,
    },
)


class ChecklistAnswer(models.TextChoices):
    GOOD = "good", _("Going well")
    ATTENTION = "attention", _("Needs attention")
    CONCERN = "concern", _("Concern")
    NOT_APPLICABLE = "na", _("Not applicable")


class FinalOutcome(models.TextChoices):
    CONVERT = "convert", _("Convert to a regular lease")
    EXTEND = "extend", _("Extend the support")
    END = "end", _("End the support")


class SignalState(models.TextChoices):
    OPEN = "open", _("Reported")
    PLAN = "plan", _("Action plan in progress")
    ESCALATED = "escalated", _("On the case table")
    CLOSED = "closed", _("Closed")


SIG = SignalState
SIGNAL_TRANSITIONS: dict[str, frozenset[str]] = {
    SIG.OPEN: frozenset({SIG.PLAN, SIG.ESCALATED, SIG.CLOSED}),
    SIG.PLAN: frozenset({SIG.PLAN, SIG.ESCALATED, SIG.CLOSED}),
    SIG.ESCALATED: frozenset({SIG.PLAN, SIG.CLOSED}),
    SIG.CLOSED: frozenset(),
}

SIGNAL_MACHINE = Machine(
    model="support.Signal",
    transitions=SIGNAL_TRANSITIONS,
    refusal=_("This signal is “%(state)s”; that step is not possible."),
    scope=lambda signal: {
        "client": signal.contract.client,
        "region_id": signal.contract.region_id,
    },
)


class CaseTableStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CLOSED = "closed", _("Closed")


class TimeOutState(models.TextChoices):
    ACTIVE = "active", _("In time-out")
    RETURNED = "returned", _("Returned home")
    NOT_RETURNED = "not_returned", _("Did not return")


class TimeOutPlaceKind(models.TextChoices):
    """What kind of place a time-out is spent in (the register of time-out places)."""

    CRISIS_BED = "crisis_bed", _("Crisis bed")
    TIMEOUT_HOME = "timeout_home", _("Time-out home")
    NETWORK = "network", _("Family or network")
    OTHER = "other", _("Other")


TIMEOUT_TRANSITIONS: dict[str, frozenset[str]] = {
    TimeOutState.ACTIVE: frozenset({TimeOutState.RETURNED, TimeOutState.NOT_RETURNED}),
    TimeOutState.RETURNED: frozenset(),
    TimeOutState.NOT_RETURNED: frozenset(),
}
TIMEOUT_MACHINE = Machine(
    model="support.TimeOut",
    transitions=TIMEOUT_TRANSITIONS,
    refusal=_("This time-out is “%(state)s”; it cannot become “%(to)s”."),
    scope=lambda timeout: {
        "client": timeout.contract.client,
        "region_id": timeout.contract.region_id,
    },
)

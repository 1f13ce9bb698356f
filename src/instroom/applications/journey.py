"""Where in the journey a case is: the steps shown on the client page, derived from the case's
state in this one place (DOMAIN.md §3). Pure: a state in, the steps and the next step out."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .constants import ENDED_STATES
from .constants import CaseState as S

# The journey as the people in it name its steps.
STEPS: tuple[tuple[str, str | Promise], ...] = (
    ("application", _("Application")),
    ("complete", _("Complete")),
    ("assessment", _("Assessment")),
    ("matchable", _("Matchable")),
    ("offer", _("Offer")),
    ("contract", _("Contract")),
    ("support", _("Support")),
    ("closed", _("Converted or closed")),
)

# Per state: the step it belongs to (None: the case left the journey before any outcome), and
# what comes next, in one sentence.
_AT: dict[str, tuple[str | None, str | Promise]] = {
    S.DRAFT: (
        "application",
        _("The care provider completes the application with the client and submits it."),
    ),
    S.SUBMITTED: (
        "application",
        _("The service point checks whether the application is complete."),
    ),
    S.RETURNED: (
        "application",
        _("The care provider adds what is missing and submits the application again."),
    ),
    S.COMPLETE: (
        "complete",
        _("The service point plans the case on a session of the assessment table."),
    ),
    S.SCHEDULED: ("assessment", _("The assessment table decides at its session.")),
    S.DEFERRED: (
        "assessment",
        _("The table asked for more; then the case goes on a session of the table again."),
    ),
    S.REJECTED: (
        "assessment",
        _("The table rejected the application; a new one is possible from the date it set."),
    ),
    S.APPROVED: ("matchable", _("A corporation proposes the client for a suitable home.")),
    S.PARKED: ("matchable", _("Temporarily not matchable; after the parking, matchable again.")),
    S.MATCHING: ("offer", _("The care provider and then the client decide on the offered home.")),
    S.CONTRACTED: ("contract", _("The client moves in; woonbegeleiding starts with the move.")),
    S.HOUSED: (
        "support",
        _("Woonbegeleiding continues; the final evaluation decides on a regular lease."),
    ),
    S.COMPLETED: ("closed", _("The contract has been converted to a regular lease.")),
    S.ENDED: ("closed", _("Woonbegeleiding has ended; the case is closed.")),
    S.TERMINATED: ("closed", _("The tenancy has been terminated; the case is closed.")),
    S.WITHDRAWN: (None, _("The application was withdrawn; a new one can be made later.")),
}
# Where the service point decides without a table (`rules.route.assessed_by`), these say so.
_WITHOUT_TABLE: dict[str, str | Promise] = {
    S.COMPLETE: _("The service point decides on the application."),
    S.DEFERRED: _("The service point asked for more; then it decides again."),
    S.REJECTED: _(
        "The service point rejected the application; a new one is possible from the date it set."
    ),
}
ENDED = ENDED_STATES
# The status badge's colour: waiting on someone to act, going well, or closed.
_TONE: dict[str, str] = {
    S.RETURNED: "warning",
    S.DEFERRED: "warning",
    S.PARKED: "warning",
    S.HOUSED: "success",
    S.COMPLETED: "success",
}


@dataclass(frozen=True)
class Step:
    key: str
    label: str | Promise
    status: str  # "done", "current" or "todo"


@dataclass(frozen=True)
class Journey:
    steps: tuple[Step, ...]
    current: str | None  # the current step's key; None when withdrawn before any outcome
    next: str | Promise  # what comes next (or how the case ended), in one sentence
    ended: bool
    tone: str  # the status badge: "active", "warning", "success" or "neutral" (ended)


def journey(state: str, *, by_table: bool = True) -> Journey:
    """The steps of the journey for a case in `state`: done, current or still to come;
    `by_table` False where the service point decides alone."""
    current, sentence = _AT[state]
    if not by_table:
        sentence = _WITHOUT_TABLE.get(state, sentence)
    keys = [key for key, _label in STEPS]
    position = keys.index(current) if current is not None else -1
    steps = tuple(
        Step(
            key,
            label,
            "current" if i == position else "done" if i < position else "todo",
        )
        for i, (key, label) in enumerate(STEPS)
    )
    ended = state in ENDED
    tone = _TONE.get(state, "neutral" if ended else "active")
    return Journey(steps=steps, current=current, next=sentence, ended=ended, tone=tone)

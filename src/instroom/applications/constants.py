from django.db import models
from django.utils.translation import gettext_lazy as _

from instroom.statemachine import Machine


class CaseState(models.TextChoices):
    """The client's journey (DOMAIN.md §3). Later stages use the states after `approved`."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for completion")
    COMPLETE = "complete", _("Complete, awaiting the decision")
    SCHEDULED = "scheduled", _("On a table session")
    DEFERRED = "deferred", _("Deferred")
    REJECTED = "rejected", _("Rejected")
    APPROVED = "approved", _("Approved, in the pool")
    MATCHING = "matching", _("Match in progress")
    CONTRACTED = "contracted", _("Contract signed")
    HOUSED = "housed", _("Living in the home, with support")
    COMPLETED = "completed", _("Completed, regular lease")
    ENDED = "ended", _("Support ended")
    PARKED = "parked", _("Parked")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    TERMINATED = "terminated", _("Terminated")


S = CaseState
# The one table of allowed transitions: used by the services and by templates that show buttons.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.RETURNED, S.COMPLETE, S.WITHDRAWN}),
    S.RETURNED: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    # Straight to a decision: where the region's route lets the service point decide alone
    # (`assessment.services.service_point_decision_record`); a table's case is scheduled first.
    S.COMPLETE: frozenset({S.SCHEDULED, S.APPROVED, S.REJECTED, S.DEFERRED, S.WITHDRAWN}),
    # Back to COMPLETE: taken off the agenda again (undo of a scheduling mistake).
    S.SCHEDULED: frozenset({S.APPROVED, S.REJECTED, S.DEFERRED, S.COMPLETE, S.WITHDRAWN}),
    S.DEFERRED: frozenset({S.SCHEDULED, S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.REJECTED: frozenset(),
    # Back to COMPLETE: an unjustified refusal whose consequence is "back to the table".
    S.APPROVED: frozenset({S.MATCHING, S.PARKED, S.WITHDRAWN, S.COMPLETE}),
    S.PARKED: frozenset({S.APPROVED, S.WITHDRAWN}),
    # Not withdrawn while an offer runs: the offer ends first (applications.services).
    S.MATCHING: frozenset({S.APPROVED, S.CONTRACTED, S.PARKED}),
    # Back to MATCHING: a signing recorded by mistake is undone (before the move).
    S.CONTRACTED: frozenset({S.HOUSED, S.MATCHING, S.TERMINATED}),
    S.HOUSED: frozenset({S.COMPLETED, S.ENDED, S.TERMINATED}),
    S.COMPLETED: frozenset(),
    S.ENDED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.TERMINATED: frozenset(),
}

CASE_MACHINE = Machine(
    model="applications.Application",
    transitions=TRANSITIONS,
    refusal=_("This application is “%(state)s”; it cannot go to “%(to)s” from there."),
    stamp="state_changed_at",
    scope=lambda application: {"client": application.client},
)

# Undoing a withdrawal (the service point only: `application_reinstate`): back to the state the
# case was withdrawn from, or to the step before it when what it waited for is gone (its match
# was cancelled: the pool; its agenda item was closed: complete). A table of its own, so no other
# service can bring a withdrawn case back by accident.
REINSTATE_TRANSITIONS: dict[str, frozenset[str]] = {
    S.WITHDRAWN: frozenset(
        {
            S.DRAFT,
            S.SUBMITTED,
            S.RETURNED,
            S.COMPLETE,
            S.SCHEDULED,
            S.DEFERRED,
            S.APPROVED,
            S.PARKED,
            S.MATCHING,
        }
    ),
}
REINSTATE_MACHINE = Machine(
    model="applications.Application",
    transitions=REINSTATE_TRANSITIONS,
    refusal=_("This application is “%(state)s”; only a withdrawn application can be reinstated."),
    stamp="state_changed_at",
    scope=lambda application: {"client": application.client},
)

ENDED_STATES = frozenset({S.REJECTED, S.COMPLETED, S.ENDED, S.WITHDRAWN, S.TERMINATED})
ACTIVE_STATES = frozenset(s for s in CaseState.values) - {
    S.REJECTED,
    S.COMPLETED,
    S.ENDED,
    S.WITHDRAWN,
    S.TERMINATED,
}


# States in which the applicant may still edit the application.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})


class BudgetManagement(models.TextChoices):
    NONE = "none", _("None")
    VOLUNTARY = "voluntary", _("Voluntary budget support")
    BUDGET_MANAGEMENT = "budgetbeheer", _("Budget management (budgetbeheer)")
    PROTECTIVE = "bewind", _("Protective administration (beschermingsbewind)")


class MotivationFileType(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
    ODT = "odt", "OpenDocument (ODT)"


MOTIVATION_MAX_BYTES = 5 * 1024 * 1024

# The bounds of what an application states: the forms, the API and the database's check
# constraints all read them here (inclusive).
HOUSEHOLD_ADULTS = (1, 10)
HOUSEHOLD_CHILDREN = (0, 15)
ROOMS_NEEDED = (1, 8)
SUPPORT_MONTHS = (1, 120)

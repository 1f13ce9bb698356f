from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from instroom.statemachine import Machine

if TYPE_CHECKING:
    from .core import Reason


class MatchState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed: waiting for the care provider")
    PROVIDER_ACCEPTED = "provider_ok", _("Care provider agreed: waiting for the client")
    ACCEPTED = "accepted", _("Accepted by the client: ready for the contract")
    PROVIDER_DECLINED = "provider_no", _("Declined by the care provider")
    CLIENT_DECLINED = "client_no", _("Declined by the client")
    CANCELLED = "cancelled", _("Cancelled")


M = MatchState
# A client and a home have at most one match in these states (database constraints).
ACTIVE_MATCH_STATES = frozenset({M.PROPOSED, M.PROVIDER_ACCEPTED, M.ACCEPTED})
# The one table of allowed steps; services and templates both use it.
MATCH_TRANSITIONS: dict[str, frozenset[str]] = {
    M.PROPOSED: frozenset({M.PROVIDER_ACCEPTED, M.PROVIDER_DECLINED, M.CANCELLED}),
    M.PROVIDER_ACCEPTED: frozenset({M.ACCEPTED, M.CLIENT_DECLINED, M.CANCELLED}),
    M.ACCEPTED: frozenset({M.CANCELLED}),
    # A closed offer reopens (by the service point, for a mistake) at the step where it stopped.
    M.PROVIDER_DECLINED: frozenset({M.PROPOSED}),
    M.CLIENT_DECLINED: frozenset({M.PROVIDER_ACCEPTED}),
    M.CANCELLED: frozenset({M.PROPOSED, M.PROVIDER_ACCEPTED, M.ACCEPTED}),
}
# Offers that ended without a home: the next candidate of the ranking may be proposed.
CLOSED_MATCH_STATES = frozenset({M.PROVIDER_DECLINED, M.CLIENT_DECLINED, M.CANCELLED})
MATCH_MACHINE = Machine(
    model="matching.Match",
    transitions=MATCH_TRANSITIONS,
    refusal=_("This offer is “%(state)s”; that step is no longer possible."),
    stamp="state_changed_at",
    scope=lambda match: {"client": match.client},
    details=lambda match: {"home": match.home_id},
)
# After these states the corporation may see the candidate's name (not the BSN).
IDENTITY_SHARED_STATES = frozenset({M.PROVIDER_ACCEPTED, M.ACCEPTED})


class ViewingOutcome(models.TextChoices):
    POSITIVE = "positive", _("Took place – positive")
    DOUBTS = "doubts", _("Took place – doubts")
    NO_SHOW = "no_show", _("The client did not show")
    CANCELLED = "cancelled", _("Cancelled")


class Party(models.TextChoices):
    """The parties of an offer, each with a named contact (`policy.rules.match_parties`)."""

    CORPORATION = "corporation", _("Housing corporation")
    CARE = "care", _("Care provider")
    SERVICE_POINT = "service_point", _("Service point")


class StatusRequestState(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ESCALATED = "escalated", _("No answer in time: the service point was alerted")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed: the offer moved on")


SR = StatusRequestState
OPEN_STATUS_REQUEST_STATES = frozenset({SR.OPEN, SR.ESCALATED})
STATUS_REQUEST_MACHINE = Machine(
    model="matching.StatusRequest",
    transitions={
        SR.OPEN: frozenset({SR.ANSWERED, SR.ESCALATED, SR.CLOSED}),
        SR.ESCALATED: frozenset({SR.ANSWERED, SR.CLOSED}),
        SR.ANSWERED: frozenset(),
        SR.CLOSED: frozenset(),
    },
    refusal=_("This status request is “%(state)s”; it cannot be answered any more."),
    stamp="state_changed_at",
    scope=lambda request: {"client": request.match.client},
    details=lambda request: {"match": request.match_id},
)


class StatusAnswer(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_FOR_CLIENT = "waiting_client", _("Waiting for the client")
    WAITING_FOR_CORPORATION = "waiting_corporation", _("Waiting for the housing corporation")
    NOT_GOING_AHEAD = "not_going_ahead", _("Not going ahead")


class Review(models.TextChoices):
    PENDING = "pending", _("Waiting for the service point")
    JUSTIFIED = "justified", _("Justified: no consequence")
    UNJUSTIFIED = "unjustified", _("Unjustified: the reason's consequence follows")


class Consequence(models.TextChoices):
    """What follows an unjustified refusal, per reason in the region's rules
    (`regions.rules.matching.CONSEQUENCES`)."""

    NONE = "none", _("No consequence")
    WARNING = "warning", _("A warning: enough warnings park the client")
    PARKED = "parked", _("Parked at once")
    BACK_TO_TABLE = "back_to_table", _("Back to the assessment table")


class SnapshotPurpose(models.TextChoices):
    PAGE = "page", _("Ranking page")
    PROPOSAL = "proposal", _("Proposal")
    API = "api", _("API")
    COMMAND = "command", _("Command line")


# How the pages word each hard filter of the core (`core.REASON_CODES`).
REASON_LABELS = {
    "excluded_municipality": _("municipality excluded by the client"),
    "excluded_neighbourhood": _("neighbourhood excluded by the client"),
    "too_few_rooms": _("too few rooms"),
    "not_accessible": _("not wheelchair accessible"),
    "no_ground_floor_or_lift": _("no ground floor or lift"),
    "rent_above_limit": _("rent above the passend-toewijzen limit"),
    "pets": _("no pets allowed"),
    "age_outside_band": _("age outside the regeling's band"),
    "not_local": _("no local tie"),
    "overhoused": _("too many rooms for the household"),
    "cap_reached": _("concentration cap reached"),
    "parked": _("client parked"),
    "support_provider_inactive": _("support provider not active in the municipality"),
    # A cluster's co-tenancy rules (`matching.cotenancy`), after the core's filters.
    "cotenant_age_gap": _("age gap with the residents too large"),
    "cotenant_marked": _("marked “not together” with a resident"),
    "cotenant_heavy": _("too many heavy dossiers in the cluster"),
}

# The same reasons as a sentence with the figures that decide them (why-not, ranking page).
REASON_MESSAGES = {
    "excluded_municipality": _("The client excluded this municipality."),
    "excluded_neighbourhood": _("The client excluded this neighbourhood."),
    "too_few_rooms": _("Needs at least %(need)d rooms; the home has %(rooms)d."),
    "not_accessible": _("Needs a wheelchair-accessible home; this one is not."),
    "no_ground_floor_or_lift": _(
        "Needs a ground floor or a lift; the home is on floor %(floor)d without a lift."
    ),
    "rent_above_limit": _(
        "Rent € %(rent)s is above this client's passend-toewijzen limit of € %(limit)s."
    ),
    "pets": _("The client has pets; no pets are allowed in this home."),
    "age_outside_band": _("Age %(age)d is outside this regeling's band of %(min)d–%(max)d."),
    "not_local": _(
        "The home is not in the client's municipality of origin; this regeling places clients "
        "only there."
    ),
    "overhoused": _(
        "The home has %(rooms)d rooms; this regeling allows at most %(margin)d above the need "
        "of %(need)d."
    ),
    "cap_reached": _("The concentration cap of this complex or neighbourhood is reached."),
    "parked": _("Parked until %(date)s."),
    "support_provider_inactive": _(
        "The client's support provider does not work in this municipality."
    ),
    "cotenant_age_gap": _(
        "The age gap with resident %(with)s is %(gap)d years; this regeling allows at most "
        "%(max)d in one cluster."
    ),
    "cotenant_marked": _(
        "The care provider marked this client and resident %(with)s as not to live together."
    ),
    "cotenant_heavy": _(
        "With this client the cluster would have %(count)d heavy dossiers; at most %(max)d."
    ),
}

# How a candidate who keeps to a cluster's co-tenancy rules fits (`cotenancy.Fit.notes`).
FIT_MESSAGES = {
    "cotenant_age_gap": _("age gap with the residents %(gap)d years (max %(max)d)"),
    "cotenant_heavy": _("heavy dossiers in the cluster %(count)d of max %(max)d"),
}


def fit_text(note: "Reason") -> str:
    return str(FIT_MESSAGES[note.code]) % dict(note.figures)


def reason_text(reason: "Reason") -> str:
    """One reason in the active language, amounts formatted as money there."""
    values = {
        key: number_format(Decimal(f"{value:.2f}"), 2) if isinstance(value, float) else value
        for key, value in reason.figures.items()
    }
    message = str(REASON_MESSAGES[reason.code])
    return message % values if values else message

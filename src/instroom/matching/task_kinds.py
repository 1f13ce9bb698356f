"""The tasks the matching stage creates (see accounts/tasks.py)."""

from django.utils.translation import gettext_lazy as _

from instroom.accounts.tasks import TaskKind, day, declare
from instroom.applications.constants import CaseState

from .constants import ACTIVE_MATCH_STATES, MatchState, StatusRequestState

MATCH = "matching.Match"
STATUS_REQUEST = "matching.StatusRequest"
OFFERS = _("Offers to answer")

KINDS = declare(
    TaskKind(
        "match.answer",
        _("A home is offered to candidate %(number)s"),
        OFFERS,
        model=MATCH,
        open_states=frozenset({MatchState.PROPOSED}),
    ),
    TaskKind(
        "match.remind_provider",
        _("Reminder: the offer of %(address)s is waiting for your answer"),
        OFFERS,
        model=MATCH,
        open_states=frozenset({MatchState.PROPOSED}),
    ),
    TaskKind(
        "match.remind_client",
        _("Reminder: the offer of %(address)s is waiting for your answer"),
        OFFERS,
        model=MATCH,
        open_states=frozenset({MatchState.PROVIDER_ACCEPTED}),
    ),
    TaskKind(
        "match.stalled",
        _("An offer is stalled: %(address)s, candidate %(number)s"),
        _("Stalled offers"),
        model=MATCH,
        open_states=frozenset({MatchState.PROPOSED, MatchState.PROVIDER_ACCEPTED}),
    ),
    TaskKind(
        "match.provider_agreed",
        _("The care provider agreed to the offer of %(address)s"),
        _("Offers being viewed"),
        model=MATCH,
        open_states=frozenset({MatchState.PROVIDER_ACCEPTED}),
    ),
    TaskKind(
        "match.ready_for_contract",
        _("Candidate %(number)s accepted %(address)s: ready for the contract"),
        _("Contracts to draw up"),
        model="applications.Application",
        open_states=frozenset({CaseState.MATCHING}),
    ),
    TaskKind(
        "match.provider_declined",
        _("The care provider declined the offer of %(address)s"),
        _("Declined offers"),
    ),
    TaskKind("match.client_declined", _("The client declined %(address)s"), _("Declined offers")),
    TaskKind(
        "match.judge_refusal",
        _("Candidate %(number)s refused a home: judge the refusal"),
        _("Refusals to judge"),
    ),
    TaskKind(
        "match.cancelled",
        _("An offer was cancelled: %(address)s"),
        _("Cancelled offers"),
    ),
    TaskKind(
        # The care worker is told why and until when; the parking ends by itself.
        "match.parked",
        _("Candidate %(number)s is parked until %(date)s"),
        _("Parked candidates"),
        display=lambda p: {**p, "date": day(p.get("date", ""))},
        notice=True,
    ),
    # An unjustified refusal sent the case back to the table: the service point schedules it.
    TaskKind(
        "match.back_to_table",
        _("Candidate %(number)s goes back to the assessment table: schedule the case"),
        _("Cases back to the table"),
        model="applications.Application",
        open_states=frozenset({CaseState.COMPLETE}),
    ),
    TaskKind(
        "match.back_to_table_notice",
        _("Candidate %(number)s goes back to the assessment table after refusing a home"),
        _("Cases back to the table"),
        notice=True,
    ),
    # Status requests close when answered or when the offer moves on (the request is closed).
    TaskKind(
        "match.status_request",
        _("Status request: how is the offer of %(address)s going?"),
        _("Status requests"),
        model=STATUS_REQUEST,
        open_states=frozenset({StatusRequestState.OPEN, StatusRequestState.ESCALATED}),
    ),
    TaskKind(
        "match.status_unanswered",
        _("No answer to the status request about %(address)s"),
        _("Unanswered status requests"),
        model=STATUS_REQUEST,
        open_states=frozenset({StatusRequestState.ESCALATED}),
    ),
    TaskKind(
        "match.not_going_ahead",
        _("The offer of %(address)s is not going ahead: cancel it"),
        _("Offers not going ahead"),
        model=MATCH,
        open_states=ACTIVE_MATCH_STATES,
    ),
    TaskKind(
        "match.reopened",
        _("The offer of %(address)s was reopened"),
        _("Reopened offers"),
        model=MATCH,
        open_states=ACTIVE_MATCH_STATES,
    ),
)

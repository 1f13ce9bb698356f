"""Monitoring figures of a region: raw counts and durations per municipality, read with a fixed
number of aggregate queries whatever the size of the data (DOMAIN.md §3 "Monitoring and
reporting"). Nothing here decides who sees what or suppresses anything: `publication` does.

Municipality of a figure: intake figures (applications, decisions, pool) count for the client's
municipality of origin; figures from the offer onwards (matches, contracts, meetings, signals)
for the municipality of the home.
"""

import re
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from instroom.applications.constants import CaseState
from instroom.applications.models import Application, Client
from instroom.audit.models import AuditEvent
from instroom.dates import add_months
from instroom.matching.constants import MatchState
from instroom.matching.models import Match
from instroom.regions.models import Municipality, Organisation, Region
from instroom.support.constants import ContractState, MeetingState, SignalState, TimeOutState
from instroom.support.models import Contract, Meeting, Signal, TimeOut, TimeOutPlace

# A meeting counts as held on time when it was held at most this many days after it was due.
ON_TIME_GRACE_DAYS = 14

# The steps of the funnel and of the lead times, in the order of the journey.
FUNNEL_STEPS = (
    ("submitted", gettext_lazy("Submitted")),
    ("complete", gettext_lazy("Complete")),
    ("approved", gettext_lazy("Approved by the table")),
    ("accepted", gettext_lazy("Match accepted")),
    ("signed", gettext_lazy("Contract signed")),
    ("moved_in", gettext_lazy("Moved in")),
)
LEAD_STEPS = (
    ("submitted_complete", gettext_lazy("Submitted → complete")),
    ("complete_decided", gettext_lazy("Complete → decision")),
    ("approved_accepted", gettext_lazy("Approved → match accepted")),
    ("accepted_signed", gettext_lazy("Match accepted → contract signed")),
    ("signed_moved_in", gettext_lazy("Contract signed → moved in")),
)
# Months waited since approval, for the pool's distribution (lower bounds).
WAIT_BUCKETS = (
    (0, gettext_lazy("under 3 months")),
    (3, gettext_lazy("3 to 6 months")),
    (6, gettext_lazy("6 to 12 months")),
    (12, gettext_lazy("12 to 24 months")),
    (24, gettext_lazy("24 months or more")),
)
MEETING_COLUMNS = (
    ("on_time", gettext_lazy("held on time")),
    ("late", gettext_lazy("held late")),
    ("overdue", gettext_lazy("not held, overdue")),
    ("cancelled", gettext_lazy("cancelled")),
)
AFTER_TWO_YEARS = (
    ("housed", gettext_lazy("still living there, with support")),
    ("converted", gettext_lazy("converted to a regular lease")),
    ("ended", gettext_lazy("support ended")),
    ("terminated", gettext_lazy("terminated")),
)
POOL_STATES = (CaseState.APPROVED, CaseState.MATCHING)
# The table's last decision was "approve" (the case is in or past the pool). A case withdrawn
# after its approval is not counted as approved: its state no longer tells.
APPROVED_STATES = frozenset(
    {
        CaseState.APPROVED,
        CaseState.MATCHING,
        CaseState.PARKED,
        CaseState.CONTRACTED,
        CaseState.HOUSED,
        CaseState.COMPLETED,
        CaseState.ENDED,
        CaseState.TERMINATED,
    }
)


# --- Periods ---------------------------------------------------------------------------------

_PERIOD = re.compile(r"^(\d{4})(?:[Qq]([1-4]))?$")


@dataclass(frozen=True)
class Period:
    key: str  # "2026Q3" or "2026"
    start: date
    end: date  # inclusive

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def is_year(self) -> bool:
        return "Q" not in self.key

    @property
    def label(self) -> str:
        if self.is_year:
            return self.key
        return _("quarter %(q)s %(year)d") % {"q": self.key[-1], "year": self.year}

    def quarters(self) -> list["Period"]:
        if not self.is_year:
            return [self]
        return [parse_period(f"{self.year}Q{q}") for q in range(1, 5)]

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def shifted_months(self, months: int) -> tuple[date, date]:
        """The same span `months` earlier (for the cohort that reached two years now)."""
        return add_months(self.start, -months), add_months(self.end, -months)


def parse_period(text: str) -> Period:
    """ "2026Q3" (a quarter) or "2026" (a year); ValueError otherwise."""
    match = _PERIOD.match((text or "").strip())
    if not match or not 2000 <= int(match.group(1)) <= 2100:
        raise ValueError(_("Give a period as a year (2026) or a quarter (2026Q3)."))
    year = int(match.group(1))
    if match.group(2):
        q = int(match.group(2))
        start = date(year, 3 * q - 2, 1)
        end = (date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)) - timedelta(days=1)
        return Period(f"{year}Q{q}", start, end)
    return Period(str(year), date(year, 1, 1), date(year, 12, 31))


def current_quarter(today: date) -> Period:
    return parse_period(f"{today.year}Q{(today.month - 1) // 3 + 1}")


def period_choices(region: Region, today: date) -> list[Period]:
    """Every year and quarter of the scheme up to today, newest first."""
    result = []
    for year in range(today.year, region.start_year - 1, -1):
        last = (today.month - 1) // 3 + 1 if year == today.year else 4
        result.append(parse_period(str(year)))
        result += [parse_period(f"{year}Q{q}") for q in range(last, 0, -1)]
    return result


# --- Scope and raw figures -------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    region: Region
    period: Period
    source: str = ""  # regions.constants.CareSource, "" for all
    corporation_ids: frozenset[int] | None = None  # None: all corporations


def _day(value: datetime | date | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _days(start: Any, end: Any) -> int | None:
    a, b = _day(start), _day(end)
    return None if a is None or b is None else (b - a).days


Counts = dict[int, int]  # municipality id → count


@dataclass(frozen=True)
class TimeOutPlaceRow:
    """A place of the region's register."""

    pk: int
    name: str
    kind: str  # support.constants.TimeOutPlaceKind
    capacity: int
    active: bool


@dataclass(frozen=True)
class TimeOutFigure:
    """One time-out as the monitoring counts it."""

    place: int | None
    started: bool  # started within the period (up to today)
    days: int  # days it held its place within the period, up to today
    length: int | None  # its length in days (so far, if it runs): for one started in the period
    today: bool  # holds its place today


@dataclass
class Figures:
    """Everything the dashboard, the reports and the open data show, before anyone's view."""

    scope: Scope
    today: date
    municipalities: list[tuple[int, str, str]]  # (id, CBS code, name), by name
    pipeline: dict[str, Counts] = field(default_factory=dict)  # state → per municipality
    funnel: dict[str, Counts] = field(default_factory=dict)  # step → per municipality
    lead_days: dict[str, dict[int, list[int]]] = field(default_factory=dict)
    pool_waits: dict[int, list[int]] = field(default_factory=dict)  # days since approval
    contract_mix: dict[str, Counts] = field(default_factory=dict)  # form → per municipality
    meetings: dict[str, Counts] = field(default_factory=dict)
    signals_reported: dict[str, Counts] = field(default_factory=dict)  # kind
    signals_closed: dict[str, Counts] = field(default_factory=dict)  # outcome
    after_two_years: dict[str, Counts] = field(default_factory=dict)
    # Steps the service point let through out of their order (applications.step_order), by step.
    overrides: dict[str, Counts] = field(default_factory=dict)
    cohort: tuple[date, date] | None = None
    # The region's register of time-out places and the time-outs that touch the period.
    timeout_places: list[TimeOutPlaceRow] = field(default_factory=list)
    timeouts: list[TimeOutFigure] = field(default_factory=list)

    @property
    def municipality_ids(self) -> list[int]:
        return [m[0] for m in self.municipalities]


def _add(target: dict[str, Counts], key: str, municipality: int | None, n: int = 1) -> None:
    if municipality is not None:
        bucket = target.setdefault(key, {})
        bucket[municipality] = bucket.get(municipality, 0) + n


def _in(period: Period, value: Any) -> bool:
    return period.contains(_day(value))


def _bounds(period: Period) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(period.start, datetime.min.time(), tzinfo=tz)
    end = datetime.combine(period.end + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    return start, end


def figures(scope: Scope, today: date | None = None) -> Figures:
    """The raw figures of a region for a period, in a fixed number of queries (twelve)."""
    today = today or timezone.localdate()
    region, period = scope.region, scope.period
    start, end = _bounds(period)
    result = Figures(
        scope,
        today,
        list(
            Municipality.objects.filter(region=region)
            .order_by("name")
            .values_list("pk", "cbs_code", "name")
        ),
    )
    clients = Q(client__region=region)
    if scope.source:
        clients &= Q(client__source=scope.source)
    homes = Q(region=region)
    if scope.source:
        homes &= Q(client__source=scope.source)
    if scope.corporation_ids is not None:
        homes &= Q(home__corporation_id__in=scope.corporation_ids)

    # 1. Pipeline now: applications per state (intake: municipality of origin).
    for state, m, n in (
        Application.objects.filter(clients)
        .values_list("state", "client__municipality_of_origin_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        _add(result.pipeline, state, m, n)

    # 2. Milestones of applications within the period, and their lead times.
    lead: dict[str, dict[int, list[int]]] = {key: defaultdict(list) for key, _l in LEAD_STEPS}
    for m, state, submitted, completed, decided in Application.objects.filter(
        clients
        & (
            Q(submitted_at__gte=start, submitted_at__lt=end)
            | Q(completed_at__gte=start, completed_at__lt=end)
            | Q(decided_at__gte=start, decided_at__lt=end)
        )
    ).values_list(
        "client__municipality_of_origin_id", "state", "submitted_at", "completed_at", "decided_at"
    ):
        if _in(period, submitted):
            _add(result.funnel, "submitted", m)
        if _in(period, completed):
            _add(result.funnel, "complete", m)
            if (d := _days(submitted, completed)) is not None:
                lead["submitted_complete"][m].append(d)
        if _in(period, decided):
            if (d := _days(completed, decided)) is not None:
                lead["complete_decided"][m].append(d)
            if state in APPROVED_STATES:
                _add(result.funnel, "approved", m)

    # 4. The pool now and how long each has waited since approval.
    for m, state, decided in Application.objects.filter(
        clients, state__in=[*POOL_STATES, CaseState.PARKED]
    ).values_list("client__municipality_of_origin_id", "state", "decided_at"):
        if state in POOL_STATES and (d := _days(decided, today)) is not None:
            result.pool_waits.setdefault(m, []).append(max(d, 0))

    # 5. Matches accepted by the client within the period (home's municipality).
    for m, decided, accepted in Match.objects.filter(
        homes, state=MatchState.ACCEPTED, state_changed_at__gte=start, state_changed_at__lt=end
    ).values_list("home__municipality_id", "application__decided_at", "state_changed_at"):
        _add(result.funnel, "accepted", m)
        if (d := _days(decided, accepted)) is not None:
            lead["approved_accepted"][m].append(d)

    # 6. Contracts: signed and moved in within the period, and the cohort that reached the end
    # of its support period within it.
    months = region.support_months
    cohort_start, cohort_end = period.shifted_months(months)
    result.cohort = (cohort_start, cohort_end)
    for m, form, state, accepted, signed, moved in Contract.objects.filter(
        homes
        & (
            Q(signed_on__range=(period.start, period.end))
            | Q(moved_in_on__range=(period.start, period.end))
            | Q(moved_in_on__range=(cohort_start, cohort_end))
        )
    ).values_list(
        "home__municipality_id",
        "form",
        "state",
        "match__state_changed_at",
        "signed_on",
        "moved_in_on",
    ):
        if period.contains(signed):
            _add(result.funnel, "signed", m)
            _add(result.contract_mix, form, m)
            if (d := _days(accepted, signed)) is not None:
                lead["accepted_signed"][m].append(max(d, 0))
        if period.contains(moved):
            _add(result.funnel, "moved_in", m)
            if (d := _days(signed, moved)) is not None:
                lead["signed_moved_in"][m].append(d)
        if moved is not None and cohort_start <= moved <= cohort_end:
            outcomes: dict[str, str] = {
                ContractState.CONVERTED: "converted",
                ContractState.ENDED: "ended",
                ContractState.TERMINATED: "terminated",
            }
            outcome = outcomes.get(state, "housed")
            _add(result.after_two_years, outcome, m)
    result.lead_days = {k: dict(v) for k, v in lead.items()}

    # 7. Meetings due within the period (up to today).
    meeting_q = Q(contract__region=region, due_on__range=(period.start, min(period.end, today)))
    if scope.source:
        meeting_q &= Q(contract__client__source=scope.source)
    if scope.corporation_ids is not None:
        meeting_q &= Q(contract__home__corporation_id__in=scope.corporation_ids)
    grace = timedelta(days=ON_TIME_GRACE_DAYS)
    for m, state, due, held in Meeting.objects.filter(meeting_q).values_list(
        "contract__home__municipality_id", "state", "due_on", "held_on"
    ):
        if state == MeetingState.CANCELLED:
            key = "cancelled"
        elif state == MeetingState.HELD and held is not None:
            key = "on_time" if held <= due + grace else "late"
        elif due + grace < today:
            key = "overdue"
        else:
            continue  # still within the grace period: not yet judged
        _add(result.meetings, key, m)

    # 8./9. Signals reported, and closed with their outcome, within the period.
    signal_q = Q(contract__region=region)
    if scope.source:
        signal_q &= Q(contract__client__source=scope.source)
    if scope.corporation_ids is not None:
        signal_q &= Q(contract__home__corporation_id__in=scope.corporation_ids)
    for kind, m, n in (
        Signal.objects.filter(signal_q, reported_at__gte=start, reported_at__lt=end)
        .values_list("kind", "contract__home__municipality_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        _add(result.signals_reported, kind, m, n)
    for outcome, m, n in (
        Signal.objects.filter(
            signal_q, state=SignalState.CLOSED, closed_at__gte=start, closed_at__lt=end
        )
        .values_list("outcome", "contract__home__municipality_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        _add(result.signals_closed, outcome or "resolved", m, n)

    # 10. Steps taken out of order with the service point's override, within the period (by
    # the client's municipality of origin: the log keeps the client, not the home).
    origin = Client.objects.filter(pk=OuterRef("client_id"))
    if scope.source:
        origin = origin.filter(source=scope.source)
    for step, m in (
        AuditEvent.objects.filter(
            action="step.override", region_id=region.pk, at__gte=start, at__lt=end
        )
        .annotate(m=Subquery(origin.values("municipality_of_origin_id")[:1]))
        .values_list("changes__step", "m")
    ):
        _add(result.overrides, str(step), m)

    # 11./12. The register of time-out places, and the time-outs that held a place within the
    # period or hold one today.
    result.timeout_places = [
        TimeOutPlaceRow(*row)
        for row in TimeOutPlace.objects.filter(region=region)
        .order_by("name", "pk")
        .values_list("pk", "name", "kind", "capacity", "active")
    ]
    timeout_q = Q(contract__region=region, starts_on__lte=max(period.end, today)) & (
        Q(state=TimeOutState.ACTIVE) | Q(ended_on__gte=period.start)
    )
    if scope.source:
        timeout_q &= Q(contract__client__source=scope.source)
    if scope.corporation_ids is not None:
        timeout_q &= Q(contract__home__corporation_id__in=scope.corporation_ids)
    counted_until = min(period.end, today)
    for place, state, starts, ended in TimeOut.objects.filter(timeout_q).values_list(
        "place_id", "state", "starts_on", "ended_on"
    ):
        active = state == TimeOutState.ACTIVE
        if starts > today:
            continue  # booked, not begun
        # The days it holds its place: up to today while it runs, else up to its end (a
        # time-out ended on the day it began counts one day).
        last = today if active or ended is None else max(ended - timedelta(days=1), starts)
        first_in, last_in = max(starts, period.start), min(last, counted_until)
        started = period.contains(starts)
        result.timeouts.append(
            TimeOutFigure(
                place=place,
                started=started,
                days=max((last_in - first_in).days + 1, 0),
                length=(last - starts).days + 1 if started else None,
                today=active,
            )
        )
    return result


# --- Summaries over a set of municipalities --------------------------------------------------


def total(counts: Counts | None, municipality_ids: Iterable[int] | None = None) -> int:
    if not counts:
        return 0
    if municipality_ids is None:
        return sum(counts.values())
    return sum(counts.get(m, 0) for m in municipality_ids)


def percentile(values: list[int], q: float) -> float | None:
    """The q-th percentile (0–100), linear between the two nearest ranks; None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return float(ordered[0])
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class LeadTime:
    key: str
    label: str
    n: int
    median: float | None  # days
    p90: float | None


def lead_times(f: Figures, municipality_ids: Iterable[int] | None = None) -> list[LeadTime]:
    ids = None if municipality_ids is None else set(municipality_ids)
    result = []
    for key, label in LEAD_STEPS:
        values = [
            d
            for m, days in f.lead_days.get(key, {}).items()
            if ids is None or m in ids
            for d in days
        ]
        result.append(
            LeadTime(
                key,
                str(label),
                len(values),
                statistics.median(values) if values else None,
                percentile(values, 90),
            )
        )
    return result


def wait_buckets(days: list[int]) -> list[int]:
    """How many waited in each of WAIT_BUCKETS (months counted as 30.44 days)."""
    counts = [0] * len(WAIT_BUCKETS)
    for d in days:
        months = d / 30.44
        index = max(i for i, (low, _l) in enumerate(WAIT_BUCKETS) if months >= low)
        counts[index] += 1
    return counts


def pool_waits(f: Figures, municipality_ids: Iterable[int] | None = None) -> list[int]:
    ids = None if municipality_ids is None else set(municipality_ids)
    return [d for m, days in f.pool_waits.items() if ids is None or m in ids for d in days]


# --- Stalled items (service point only: case numbers and owners) ----------------------------


@dataclass(frozen=True)
class Stalled:
    kind: str
    case_number: str
    owner: str
    since: date
    days: int


def stalled(region: Region, today: date, limit: int = 50) -> tuple[list[Stalled], int]:
    """What waits too long and who should move it: returned applications (the care provider),
    complete ones past the region's decision lead time (the service point), offers past their
    deadline (care provider), accepted offers without a contract (the corporation), meetings
    overdue (the support provider). Four queries; at most `limit` per kind, oldest first."""
    service_point = (
        Organisation.objects.filter(region=region, type="service_point")
        .values_list("name", flat=True)
        .first()
    ) or _("Service point")
    now = timezone.now()
    rows: list[Stalled] = []
    more = 0

    def collect(kind: str, items: list[tuple[str, str, Any]]) -> None:
        nonlocal more
        more += max(len(items) - limit, 0)
        for case, owner, since in items[:limit]:
            day = _day(since) or today
            rows.append(Stalled(kind, case, owner, day, (today - day).days))

    returned_before = now - timedelta(days=14)
    decision_before = now - timedelta(weeks=region.decision_lead_time_weeks)
    apps = Application.objects.filter(client__region=region).filter(
        Q(state=CaseState.RETURNED, state_changed_at__lt=returned_before)
        | Q(state=CaseState.COMPLETE, completed_at__lt=decision_before)
    )
    app_rows = list(
        apps.order_by("state_changed_at").values_list(
            "state", "client__case_number", "client__care_provider__name", "state_changed_at"
        )[: 2 * limit + 1]
    )
    collect(
        str(_("Returned for completion, over 14 days")),
        [(c, o, s) for st, c, o, s in app_rows if st == CaseState.RETURNED],
    )
    collect(
        str(_("Complete, no decision within the target")),
        [(c, service_point, s) for st, c, o, s in app_rows if st == CaseState.COMPLETE],
    )
    matches = list(
        Match.objects.filter(
            region=region,
            state__in=[MatchState.PROPOSED, MatchState.PROVIDER_ACCEPTED],
            step_deadline__lt=today,
        )
        .order_by("step_deadline")
        .values_list("client__case_number", "client__care_provider__name", "step_deadline")[
            : limit + 1
        ]
    )
    collect(str(_("Offer past its deadline")), matches)
    waiting = list(
        Match.objects.filter(
            region=region,
            state=MatchState.ACCEPTED,
            contract__isnull=True,
            state_changed_at__lt=now - timedelta(days=14),
        )
        .order_by("state_changed_at")
        .values_list("client__case_number", "home__corporation__name", "state_changed_at")[
            : limit + 1
        ]
    )
    collect(str(_("Accepted, no contract after 14 days")), waiting)
    meetings = list(
        Meeting.objects.filter(
            contract__region=region,
            state__in=[MeetingState.DUE, MeetingState.PLANNED],
            due_on__lt=today - timedelta(days=ON_TIME_GRACE_DAYS),
        )
        .order_by("due_on")
        .values_list(
            "contract__client__case_number", "contract__client__support_provider__name", "due_on"
        )[: limit + 1]
    )
    collect(str(_("Meeting overdue")), meetings)
    return rows, more


def corporations(region: Region) -> list[tuple[int, str]]:
    return list(
        Organisation.objects.filter(region=region, type="corporation")
        .order_by("name")
        .values_list("pk", "name")
    )

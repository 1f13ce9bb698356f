"""The monitoring figures as tables, for one audience: the same tables feed the dashboard, the
charts, the PDF, the spreadsheet and the open data, so they always agree.

Audiences: the service point sees the exact counts (it works with the cases); anything that
leaves it — the reports, the exports, the municipality's dashboard — is `published`: counts
below 5 hidden as "<5", with secondary suppression per table (`suppression.protect`), and
figures derived from a hidden count (a share, a difference, a median of fewer than 5) hidden too.
A corporation sees its own homes' figures (its own tenancies; no other corporation's).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from instroom.applications.constants import CaseState
from instroom.applications.step_order import STEPS
from instroom.distribution import selectors as distribution
from instroom.regions.selectors import rules_for

from . import monitoring
from .monitoring import Figures
from .suppression import SECONDARY, THRESHOLD, protect

HIDDEN = f"<{THRESHOLD}"
MASKED = (HIDDEN, SECONDARY)
Value = int | float | str | None

PIPELINE_STATES = (
    CaseState.SUBMITTED,
    CaseState.RETURNED,
    CaseState.COMPLETE,
    CaseState.SCHEDULED,
    CaseState.DEFERRED,
    CaseState.APPROVED,
    CaseState.MATCHING,
    CaseState.PARKED,
    CaseState.CONTRACTED,
    CaseState.HOUSED,
)


class Audience(StrEnum):
    SERVICE_POINT = "service_point"  # exact counts, stalled cases
    PUBLISHED = "published"  # suppressed: reports, exports, municipalities
    CORPORATION = "corporation"  # its own homes only


@dataclass
class Row:
    key: str  # CBS code, a step key, or "total"
    label: str
    cells: list[Value]
    is_total: bool = False


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[Row]
    note: str = ""
    row_header: str = ""
    # The columns' codes (counts tables), e.g. a region's signal kinds for the open data.
    keys: list[str] = field(default_factory=list)

    def row(self, key: str) -> Row | None:
        return next((r for r in self.rows if r.key == key), None)

    def value(self, row: str, column: int) -> Value:
        found = self.row(row)
        return None if found is None else found.cells[column]


@dataclass
class Report:
    region: Any
    period: monitoring.Period
    audience: Audience
    tables: list[Table]
    today: date
    area: str  # what the rows cover, e.g. the municipality's name or the region
    notes: list[str] = field(default_factory=list)
    quota_error: str = ""

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


def _sum(cells: list[Value]) -> Value:
    """The sum of counts; hidden when one of them is."""
    counts = [c for c in cells if isinstance(c, int)]
    return sum(counts) if len(counts) == len(cells) else SECONDARY


def _share(part: Value, whole: Value) -> Value:
    """A percentage; hidden ("x") when either count is hidden: it would reveal it."""
    if part in MASKED or whole in MASKED:
        return SECONDARY
    if not isinstance(part, int) or not isinstance(whole, int) or whole == 0:
        return None
    return round(100 * part / whole, 1)


class _Builder:
    def __init__(
        self,
        f: Figures,
        audience: Audience,
        rows: Sequence[int] | None,
    ) -> None:
        self.f = f
        self.audience = audience
        self.published = audience == Audience.PUBLISHED
        self.ids = f.municipality_ids
        self.names = {m[0]: (m[1], m[2]) for m in f.municipalities}
        # Which municipality rows are shown (all, or the user's own / the chosen one).
        self.shown = set(self.ids if rows is None else rows)

    def counts_table(
        self,
        key: str,
        title: str,
        columns: Sequence[tuple[str, Any]],
        source: dict[str, dict[int, int]],
        *,
        add_total: bool = True,
        shares: Sequence[tuple[str, Callable[[list[Value]], Value]]] = (),
        note: str = "",
    ) -> Table:
        """Rows: the municipalities and the region; columns: the categories (+ their total)."""
        matrix = [[source.get(c, {}).get(m, 0) for c, _l in columns] for m in self.ids]
        if not matrix:
            matrix = [[0] * len(columns)]
        shown: list[list[Value]]
        if self.published:
            p = protect(matrix, row_totals=add_total)
            shown = [
                [
                    p.grid[i][j] if not p.is_hidden(i, j) else p.shown(i, j)
                    for j in range(len(columns) + 1)
                ]
                for i in range(len(matrix) + 1)
            ]
        else:
            grid = [[*row, sum(row)] for row in matrix]
            grid.append([sum(col) for col in zip(*grid, strict=True)])
            shown = [list(r) for r in grid]
        if not add_total:
            shown = [r[:-1] for r in shown]
        rows = []
        for i, m in enumerate(self.ids):
            if m in self.shown:
                code, name = self.names[m]
                cells = shown[i]
                rows.append(Row(code, name, [*cells, *(fn(cells) for _l, fn in shares)]))
        cells = shown[-1]
        rows.append(Row("total", _("Region"), [*cells, *(fn(cells) for _l, fn in shares)], True))
        headers = [str(label) for _c, label in columns]
        if add_total:
            headers.append(_("Total"))
        headers += [label for label, _fn in shares]
        keys = [c for c, _l in columns] + (["total"] if add_total else [])
        return Table(key, title, headers, rows, note, _("Municipality"), keys)


def _lead_table(f: Figures, audience: Audience, ids: Sequence[int] | None, title: str) -> Table:
    published = audience == Audience.PUBLISHED
    rows = []
    for lt in monitoring.lead_times(f, ids):
        small = lt.n < THRESHOLD
        median = None if lt.median is None else round(lt.median, 1)
        p90 = None if lt.p90 is None else round(lt.p90, 1)
        if published:
            # The number behind a median is left out: it could undo a hidden count elsewhere.
            cells: list[Value] = [
                HIDDEN if small and lt.n else median,
                HIDDEN if small and lt.n else p90,
            ]
        else:
            cells = [lt.n, median, p90]
        rows.append(Row(lt.key, lt.label, cells))
    columns = [_("median (days)"), _("p90 (days)")]
    if not published:
        columns.insert(0, _("number"))
    return Table("lead_times", title, columns, rows, "", _("Step"))


def _wait_table(f: Figures, audience: Audience, ids: Sequence[int] | None, title: str) -> Table:
    waits = monitoring.pool_waits(f, ids)
    buckets = monitoring.wait_buckets(waits)
    if audience == Audience.PUBLISHED:
        p = protect([buckets])
        values: list[Value] = [
            p.shown(0, j) if p.is_hidden(0, j) else buckets[j] for j in range(len(buckets))
        ]
        n_shown: Value = p.shown(0, len(buckets)) if p.is_hidden(0, len(buckets)) else len(waits)
    else:
        values = list(buckets)
        n_shown = len(waits)
    small = 0 < len(waits) < THRESHOLD and audience == Audience.PUBLISHED
    median = monitoring.percentile(waits, 50)
    p90 = monitoring.percentile(waits, 90)
    rows = [
        Row(str(low), str(label), [values[i]])
        for i, (low, label) in enumerate(monitoring.WAIT_BUCKETS)
    ]
    rows.append(Row("total", _("In the pool"), [n_shown], True))
    rows.append(Row("median", _("Median wait (months)"), [HIDDEN if small else _months(median)]))
    rows.append(Row("p90", _("p90 wait (months)"), [HIDDEN if small else _months(p90)]))
    return Table("waiting", title, [_("clients")], rows, "", _("Waiting since approval"))


def _months(days: float | None) -> float | None:
    return None if days is None else round(days / 30.44, 1)


def _quota_tables(
    f: Figures, audience: Audience, ids: Sequence[int] | None, corporation_slugs: set[str] | None
) -> tuple[list[Table], str]:
    period = f.scope.period
    day = min(f.today, period.end)
    try:
        r = distribution.realisation(f.scope.region, period.year, day)
    except distribution.DistributionError as exc:
        return [], exc.message
    published = audience == Audience.PUBLISHED
    codes = {m[0]: m[1] for m in f.municipalities}
    own_codes = None if ids is None else {codes[i] for i in ids if i in codes}

    def rows_of(
        source: list[distribution.Row], keep: Callable[[distribution.Row], bool]
    ) -> list[Row]:
        realised = [row.realised for row in source]
        if published and source:
            p = protect([[n] for n in realised], row_totals=False)
            hidden = [p.shown(i, 0) if p.is_hidden(i, 0) else "" for i in range(len(source))]
            total_hidden = p.shown(len(source), 0) if p.is_hidden(len(source), 0) else ""
        else:
            hidden = [""] * len(source)
            total_hidden = ""

        def cells(row: distribution.Row, hidden: str) -> list[Value]:
            agreed: list[Value] = [row.agreed] if r.agreed_total else []
            return [
                row.quota,
                *agreed,
                round(float(row.pro_rata), 1),
                hidden or row.realised,
                SECONDARY if hidden else round(float(row.difference), 1),
            ]

        out = []
        for row, is_hidden in zip(source, hidden, strict=True):
            if keep(row):
                out.append(
                    Row(
                        row.key,
                        row.name + (" *" if row.key in estimated else ""),
                        cells(row, is_hidden),
                    )
                )
        # Sub-region subtotals: exact counts only (a published subtotal could undo the hiding).
        if not published and source is r.municipalities:
            for sub in r.sub_regions:
                if any(keep(row) for row in source if row.sub_region == sub.name):
                    out.append(
                        Row(sub.key, _("Sub-region %(name)s") % {"name": sub.name}, cells(sub, ""))
                    )
        out.append(Row("total", _("Region"), cells(r.total, total_hidden), True))
        return out

    estimated = {b.municipality for b in r.basis if b.figure.is_estimate}
    columns = [
        _("quota"),
        *([_("agreed extra homes")] if r.agreed_total else []),
        _("pro-rata target"),
        _("realised"),
        _("difference"),
    ]
    note = _(
        "A placement counts when the contract is signed, for the home's municipality and "
        "corporation. Pro-rata target: the part of the yearly quota for the days passed up to "
        "%(day)s. Not split by source."
    ) % {"day": day.strftime("%d-%m-%Y")}
    if corporation_slugs is not None:
        munis: list[Row] = []
    else:
        munis = rows_of(
            r.municipalities, lambda row: own_codes is None or row.municipality in own_codes
        )
    corps = rows_of(
        r.corporations,
        lambda row: (
            (corporation_slugs is None or row.corporation in corporation_slugs)
            and (own_codes is None or row.municipality in own_codes)
        ),
    )
    tables = []
    if munis:
        tables.append(
            Table(
                "quota",
                _("Quota realisation per municipality, %(year)d") % {"year": period.year},
                columns,
                munis,
                note,
                _("Municipality"),
            )
        )
    tables.append(
        Table(
            "quota_corporations",
            _("Quota realisation per corporation, %(year)d") % {"year": period.year},
            columns,
            corps,
            note,
            _("Corporation and municipality"),
        )
    )
    shown = {row.key for row in munis} | {row.municipality for row in r.corporations}
    basis = [b for b in r.basis if own_codes is None or b.municipality in shown]
    if basis:
        tables.append(
            Table(
                "key_figures",
                _("The figures behind the key, %(year)d") % {"year": period.year},
                [_("value"), _("reference date"), _("source"), _("official or estimate")],
                [
                    Row(
                        f"{b.municipality}/{b.kind}",
                        f"{b.name} — {b.label}",
                        [
                            b.figure.value,
                            b.figure.reference_date.strftime("%d-%m-%Y"),
                            b.figure.source,
                            _("estimate: %(method)s") % {"method": b.figure.method}
                            if b.figure.is_estimate
                            else _("official"),
                        ],
                    )
                    for b in basis
                ],
                _(
                    "The key weighs: %(weights)s. A municipality marked * rests partly on "
                    "estimated figures until the administrator enters the official ones."
                )
                % {
                    "weights": ", ".join(
                        f"{name} {weight.normalize()}" for _k, name, weight in r.weights
                    )
                },
                _("Municipality and figure"),
            )
        )
    return tables, ""


def _timeout_table(f: Figures, audience: Audience) -> Table:
    """Time-out occupancy: per place of the register for the service point; per kind of place
    in anything published (a place of one or two beds would point at a person), with the
    counts below the threshold hidden and the days and average length of fewer than that too."""
    from instroom.support.constants import TimeOutPlaceKind

    published = audience == Audience.PUBLISHED
    elsewhere = _("Elsewhere (not in the register)")
    groups: list[tuple[str, str, list[int | None], int | None]]  # key, label, places, capacity
    if published:
        by_kind: dict[str, list[int | None]] = {}
        for place in f.timeout_places:
            by_kind.setdefault(place.kind, []).append(place.pk)
        groups = [
            (code, str(label), by_kind.get(code, []), None)
            for code, label in TimeOutPlaceKind.choices
        ]
    else:
        groups = [
            (
                f"place-{p.pk}",
                p.name if p.active else _("%(name)s (not active)") % {"name": p.name},
                [p.pk],
                p.capacity,
            )
            for p in f.timeout_places
        ]
    groups.append(("elsewhere", elsewhere, [None], None))
    stats = []
    for _key, _label, places, _capacity in groups:
        mine = [t for t in f.timeouts if t.place in places]
        lengths = [t.length for t in mine if t.length is not None]
        stats.append(
            (
                sum(t.started for t in mine),
                sum(t.days for t in mine),
                round(sum(lengths) / len(lengths), 1) if lengths else None,
                sum(t.today for t in mine),
                sum(1 for t in mine if t.days),
            )
        )
    rows: list[Row] = []
    if published:
        p = protect([[s[0], s[3]] for s in stats], row_totals=False)

        def count(i: int, j: int, value: int) -> Value:
            return p.shown(i, j) if p.is_hidden(i, j) else value

        for i, ((key, label, _p, _c), (started, days, average, now, held)) in enumerate(
            zip(groups, stats, strict=True)
        ):
            few = 0 < held < THRESHOLD or count(i, 0, started) in MASKED
            rows.append(
                Row(
                    key,
                    label,
                    [
                        count(i, 0, started),
                        HIDDEN if few and days else days,
                        HIDDEN if few and average is not None else average,
                        count(i, 1, now),
                    ],
                )
            )
        n = len(groups)
        held_all = sum(s[4] for s in stats)
        total_days = sum(s[1] for s in stats)
        rows.append(
            Row(
                "total",
                _("Region"),
                [
                    count(n, 0, sum(s[0] for s in stats)),
                    HIDDEN if 0 < held_all < THRESHOLD else total_days,
                    HIDDEN if 0 < held_all < THRESHOLD else _average(f),
                    count(n, 1, sum(s[3] for s in stats)),
                ],
                True,
            )
        )
        columns = [_("started"), _("days occupied"), _("average length (days)"), _("today")]
    else:
        for (key, label, _p, capacity), (started, days, average, now, _held) in zip(
            groups, stats, strict=True
        ):
            rows.append(Row(key, label, [capacity, started, days, average, now]))
        rows.append(
            Row(
                "total",
                _("Region"),
                [
                    sum(place.capacity for place in f.timeout_places if place.active),
                    sum(s[0] for s in stats),
                    sum(s[1] for s in stats),
                    _average(f),
                    sum(s[3] for s in stats),
                ],
                True,
            )
        )
        columns = [
            _("places"),
            _("started"),
            _("days occupied"),
            _("average length (days)"),
            _("occupied today"),
        ]
    return Table(
        "timeouts",
        _("Time-outs in %(period)s, and occupancy today") % {"period": f.scope.period.label},
        columns,
        rows,
        _(
            "Started: time-outs that began within the period. Days occupied: the days a place "
            "was held within the period (up to today). Average length: of the time-outs that "
            "began within the period, so far for those still running."
        ),
        _("Time-out place") if not published else _("Kind of place"),
    )


def _average(f: Figures) -> float | None:
    lengths = [t.length for t in f.timeouts if t.length is not None]
    return round(sum(lengths) / len(lengths), 1) if lengths else None


def _term_columns(rules: Any, name: str, counted: dict[str, Any]) -> list[tuple[str, str]]:
    """The region's list as columns, then any code counted that the list no longer has."""
    columns = rules.choices(name)
    known = {code for code, _l in columns}
    return columns + [(code, code) for code in sorted(counted) if code not in known]


def build(
    f: Figures,
    audience: Audience,
    *,
    municipality_ids: Sequence[int] | None = None,
    corporation_slugs: set[str] | None = None,
    area: str = "",
) -> Report:
    """The report for one audience. `municipality_ids`: the municipality rows to show (None:
    all); the region row is always there. `corporation_slugs`: a corporation's own rows."""
    b = _Builder(f, audience, municipality_ids)
    region = f.scope.region
    # The region's lists (signal kinds, outcomes) as in force at the period's end.
    in_force = rules_for(region.pk, on=f.scope.period.end)
    rules = in_force.rules
    target = float(region.three_party_target) * 100
    corporation = audience == Audience.CORPORATION
    tables: list[Table] = []
    if not corporation:
        tables.append(
            b.counts_table(
                "pipeline",
                _("Applications per state today"),
                [(s, CaseState(s).label) for s in PIPELINE_STATES],
                f.pipeline,
                note=_("By the client's municipality of origin; ended cases and drafts left out."),
            )
        )
    steps = monitoring.FUNNEL_STEPS[3:] if corporation else monitoring.FUNNEL_STEPS
    tables.append(
        b.counts_table(
            "funnel",
            _("From application to home in %(period)s") % {"period": f.scope.period.label},
            steps,
            f.funnel,
            add_total=False,
            note=_(
                "How many passed each step within the period. Submitted to approved: by the "
                "municipality of origin; from the match on: by the municipality of the home."
            ),
        )
    )
    lead_ids = None if municipality_ids is None else list(municipality_ids)
    lead = _lead_table(
        f, audience, lead_ids, _("Lead time per step, %(area)s") % {"area": area or region.name}
    )
    if corporation:
        lead.rows = lead.rows[3:]
    tables.append(lead)
    if municipality_ids is not None:
        tables.append(
            _lead_table(
                f, audience, None, _("Lead time per step, %(area)s") % {"area": region.name}
            )
        )
        tables[-1].key = "lead_times_region"
        if corporation:
            tables[-1].rows = tables[-1].rows[3:]
    if not corporation:
        tables.append(
            _wait_table(
                f,
                audience,
                lead_ids,
                _("The pool today: waiting since approval, %(area)s")
                % {"area": area or region.name},
            )
        )
    quota, quota_error = _quota_tables(
        f, audience, None if corporation else municipality_ids, corporation_slugs
    )
    tables += quota
    # The region's contract forms; those whose tenant is the client count as three-party.
    mix_columns = _term_columns(rules, "contract_form", f.contract_mix)
    rented = {t.code for t in rules.contract_form if t.tenant == "care_provider"}
    to_client = [i for i, (code, _l) in enumerate(mix_columns) if code not in rented]
    tables.append(
        b.counts_table(
            "contract_mix",
            _("Contracts signed by form"),
            mix_columns,
            f.contract_mix,
            shares=[
                (
                    _("three-party (%%), target %(target)s%%") % {"target": f"{target:.0f}"},
                    lambda cells: _share(
                        _sum([cells[i] for i in to_client]), cells[len(mix_columns)]
                    ),
                )
            ],
        )
    )
    tables.append(
        b.counts_table(
            "meetings",
            _("Meetings due in the period"),
            monitoring.MEETING_COLUMNS,
            f.meetings,
            shares=[(_("on time (%)"), lambda cells: _share(cells[0], cells[4]))],
            note=_(
                "Held on time: held at most %(days)d days after the date it was due. Meetings "
                "still within those days are not counted yet."
            )
            % {"days": monitoring.ON_TIME_GRACE_DAYS},
        )
    )
    tables.append(
        b.counts_table(
            "signals",
            _("Signals reported"),
            _term_columns(rules, "signal_kind", f.signals_reported),
            f.signals_reported,
        )
    )
    tables.append(
        b.counts_table(
            "signal_outcomes",
            _("Signals closed, by outcome"),
            _term_columns(rules, "signal_outcome", f.signals_closed),
            f.signals_closed,
        )
    )
    if not corporation:
        tables.append(
            b.counts_table(
                "out_of_order",
                _("Steps taken out of order (override)"),
                list(STEPS.items()),
                f.overrides,
                note=_(
                    "Steps the service point allowed before what should come first (with a "
                    "reason on the client's timeline), by the client's municipality of origin."
                ),
            )
        )
    if not corporation:
        tables.append(_timeout_table(f, audience))
    cohort = f.cohort
    tables.append(
        b.counts_table(
            "after_two_years",
            _("After the support period: those who moved in %(start)s to %(end)s")
            % {
                "start": cohort[0].strftime("%d-%m-%Y") if cohort else "",
                "end": cohort[1].strftime("%d-%m-%Y") if cohort else "",
            },
            monitoring.AFTER_TWO_YEARS,
            f.after_two_years,
            shares=[
                (
                    _("still housed (%)"),
                    lambda cells: _share(_sum(cells[:3]), cells[4]),
                ),
                (_("converted (%)"), lambda cells: _share(cells[1], cells[4])),
            ],
            note=_(
                "The clients whose support period (%(months)d months) ended within the period. "
                "Still housed: everyone but the terminated tenancies."
            )
            % {"months": region.support_months},
        )
    )
    notes = [_("Labels follow the region's %(rules)s.") % {"rules": in_force.version_label}]
    if f.scope.source:
        from instroom.regions.constants import CareSource

        notes.append(
            _("Only clients from: %(source)s.") % {"source": CareSource(f.scope.source).label}
        )
    if audience == Audience.PUBLISHED:
        notes.append(
            _(
                "Counts below %(n)d are shown as “<%(n)d”; where a total would reveal them, "
                "another count is hidden too, shown as “%(x)s”, and so are percentages and "
                "differences made from a hidden count."
            )
            % {"n": THRESHOLD, "x": SECONDARY}
        )
    return Report(
        region, f.scope.period, audience, tables, f.today, area or region.name, notes, quota_error
    )

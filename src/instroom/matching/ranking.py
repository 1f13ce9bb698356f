"""From the database to the pure core and back: load the pool of one region, describe one home,
rank, explain, and keep each ranking shown as a snapshot.

The pool is read with a handful of flat queries (no query per candidate), so ranking one home
costs the same number of queries for 100 candidates as for 50,000 (see `make bench`).
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from instroom.accounts.models import User
from instroom.applications.constants import CaseState
from instroom.applications.models import Application, Client
from instroom.dates import local_date
from instroom.homes.models import Home
from instroom.regions.models import Organisation
from instroom.regions.rules.matching import Matching
from instroom.regions.selectors import EffectiveRules, affordability_limits, rules_for

from . import clusters, core, cotenancy
from .models import Parking, RankingSnapshot

# Clients a home may be offered to, and parked ones (shown with their reason).
POOL_STATES = (CaseState.APPROVED, CaseState.PARKED)
PENSION_AGE = 67


@dataclass(frozen=True)
class Ranked:
    home: Home
    offer: core.HomeOffer
    config: core.ScoreConfig
    filters: core.FilterConfig
    rules: EffectiveRules  # the region's rules the ranking was made under
    pool: core.Pool
    application_ids: np.ndarray
    evaluation: core.Evaluation
    # In a cluster: how each candidate (pool index) fits the people already there.
    fits: dict[int, cotenancy.Fit] = field(default_factory=dict)

    def candidate(self, i: int) -> core.Candidate:
        return self.pool.candidate(i)


def score_config(matching: Matching) -> core.ScoreConfig:
    """The points of a regeling's rules (`rules.matching.score`) for the pure core."""
    from dataclasses import asdict

    return core.ScoreConfig.from_dict(asdict(matching.score))


def filter_config(matching: Matching) -> core.FilterConfig:
    """The hard filters a regeling switched on (`rules.matching.filters`) for the pure core."""
    f = matching.filters
    return core.FilterConfig(
        pets=f.pets,
        accessibility=f.accessibility,
        age_band=f.age_band.enabled,
        age_min=f.age_band.min_age,
        age_max=f.age_band.max_age,
        local_tie=f.local_tie,
        overhousing=f.overhousing,
        overhousing_margin=f.overhousing_margin,
    )


# Column headings of the criteria (the region's own explanation is in `criteria`).
COMPONENT_LABELS = {
    "preference": gettext_lazy("Preference"),
    "waiting": gettext_lazy("Waiting time"),
    "urgency": gettext_lazy("Urgency"),
    "fit": gettext_lazy("Fit"),
    "origin": gettext_lazy("Own municipality"),
}


@dataclass(frozen=True)
class CriterionShown:
    code: str
    name: str  # short heading
    explanation: str  # the region's own words, in the active language
    points: str  # the points the rules give, in words


def _points_text(code: str, c: core.ScoreConfig) -> str:
    if code == "preference":
        return (
            " / ".join(str(p) for p in c.preference_points)
            + " "
            + _("for the 1st / 2nd / … preferred municipality")
        )
    if code == "waiting":
        return _("%(p)s per month since approval, at most %(max)s") % {
            "p": c.waiting_points_per_month,
            "max": c.waiting_max_points,
        }
    if code == "urgency":
        return _("%(p)s per level set by the table") % {"p": c.urgency_points_per_level}
    if code == "fit":
        return _("%(p)s, minus %(minus)s per room more than needed") % {
            "p": c.fit_points,
            "minus": c.overhousing_penalty_per_room,
        }
    return _("%(p)s when the home is in the municipality of origin") % {"p": c.origin_points}


def criteria(matching: Matching, config: core.ScoreConfig) -> list[CriterionShown]:
    """Each score criterion as the ranking page, the snapshot and `instroom rank` explain it:
    the region's words (`rules.matching.criterion`) and the points `config` gives. A criterion
    the region did not word keeps the standard heading."""
    words = {c.code: c.label for c in matching.criterion}
    return [
        CriterionShown(
            code,
            str(COMPONENT_LABELS[code]),
            words.get(code, str(COMPONENT_LABELS[code])),
            _points_text(code, config),
        )
        for code in core.COMPONENTS
    ]


def filters_explained(filters: core.FilterConfig) -> list[str]:
    """The regional hard filters as the ranking page states them (the others always apply)."""
    lines = []
    if filters.age_band:
        lines.append(
            _("Only clients aged %(min)d to %(max)d.")
            % {"min": filters.age_min, "max": filters.age_max}
        )
    if filters.local_tie:
        lines.append(_("Only clients from the home's own municipality (local tie)."))
    if filters.overhousing:
        lines.append(
            _("At most %(n)d room(s) more than the household needs.")
            % {"n": filters.overhousing_margin}
        )
    if not filters.pets:
        lines.append(_("Pets are not checked against the home."))
    if not filters.accessibility:
        lines.append(_("Wheelchair access, ground floor and lift are not checked."))
    return lines


def snapshot_rules(
    snapshot: RankingSnapshot,
) -> tuple[EffectiveRules, core.ScoreConfig, core.FilterConfig]:
    """The rules a snapshot was made under and the points and filters it used (kept with it;
    snapshots from before filters were kept used the defaults)."""
    from dataclasses import fields

    from instroom.regions.selectors import rules_version

    known = {f.name for f in fields(core.FilterConfig)}
    filters = core.FilterConfig(**{k: v for k, v in snapshot.filters.items() if k in known})
    return (
        rules_version(snapshot.rule_version_id),
        core.ScoreConfig.from_dict(snapshot.config),
        filters,
    )


def matching_rules(region_id: int, on: date | None = None) -> Matching:
    """The match point's rules of a region (deadlines, filters, score, refusal reasons), read
    afresh: a new rules version applies without a restart."""
    return rules_for(region_id, on=on).rules.matching


def cap_reached(home: Home, today: date) -> bool:
    """The concentration cap of the home's complex or neighbourhood (distribution stage)."""
    import importlib

    try:
        caps = importlib.import_module("instroom.distribution.selectors")
    except ImportError:  # pragma: no cover - until the distribution stage has its caps
        return False
    check = getattr(caps, "may_place", None)
    if check is None:
        return False
    return not check(home=home, today=today)


def home_offer(home: Home, *, today: date) -> core.HomeOffer:
    active = frozenset(
        Organisation.objects.filter(
            region_id=home.region_id,
            active=True,
            provides_ambulant_support=True,
            municipalities=home.municipality_id,
        ).values_list("pk", flat=True)
    )
    return core.HomeOffer(
        home_id=home.pk,
        municipality_id=home.municipality_id,
        neighbourhood_id=home.neighbourhood_id,
        rooms=home.rooms,
        floor=home.floor,
        has_lift=home.has_lift,
        wheelchair_accessible=home.wheelchair_accessible,
        rent_eur=home.rent_eur,
        pets_allowed=home.pets_allowed,
        cap_reached=cap_reached(home, today),
        active_support_provider_ids=active,
    )


HOUSEHOLD_TYPES = (
    "one_person",
    "two_persons",
    "three_plus",
    "one_person_pension",
    "two_persons_pension",
    "three_plus_pension",
)


def _day_ordinals(column: Any, fallback: int) -> np.ndarray:
    """Dates as day ordinals (`date.toordinal()`), from whatever the database returned."""
    values = np.array([fallback if v is None else v for v in column], dtype=object)
    if len(values) and isinstance(values[0], int | np.integer | float):
        return values.astype(np.int64)
    days = np.array([str(v)[:10] for v in values], dtype="datetime64[D]").astype(np.int64)
    return days + date(1970, 1, 1).toordinal()


def _local_day_ordinals(column: Sequence[Any], fallback: int) -> np.ndarray:
    """Moments as the database returned them (UTC text or datetimes) → day ordinals of their
    calendar day in Europe/Amsterdam. The offset changes only on the hour: each distinct hour
    is converted once."""
    days: dict[str, int] = {}
    out = np.full(len(column), fallback, dtype=np.int64)
    for i, value in enumerate(column):
        if value is None:
            continue
        if isinstance(value, int | np.integer):  # already a day ordinal (PostgreSQL)
            out[i] = value
            continue
        if isinstance(value, datetime):
            out[i] = local_date(value).toordinal()
            continue
        hour = str(value)[:13]
        if hour not in days:
            days[hour] = local_date(str(value)).toordinal()
        out[i] = days[hour]
    return out


def _main_query(region_id: int, application_ids: list[int] | None) -> tuple[str, list[Any]]:
    a, c = Application._meta.db_table, Client._meta.db_table
    if connection.vendor == "postgresql":
        # Day ordinals computed by PostgreSQL: no date objects to build in Python.
        dob = "(c.date_of_birth - DATE '0001-01-01') + 1"
        decided = "((a.decided_at AT TIME ZONE %s)::date - DATE '0001-01-01') + 1"
        income = "CAST(a.yearly_income_eur AS double precision)"
        params: list[Any] = [settings.TIME_ZONE]
    else:  # SQLite (the demo): dates as text, the decision a UTC moment (made local in Python)
        dob, decided, income = (
            "c.date_of_birth",
            "a.decided_at",
            "CAST(a.yearly_income_eur AS REAL)",
        )
        params = []
    sql = (
        # Small numbers and flags travel packed in two integers: fewer Python objects per row.
        "SELECT a.id, c.id, c.candidate_number, c.municipality_of_origin_id, "  # noqa: S608
        "COALESCE(a.rooms_min, 1) * 10000 + (c.household_adults + c.household_children) * 100"
        " + a.urgency, "
        "CAST(a.needs_ground_floor_or_lift AS INTEGER) + 2 * CAST(a.needs_wheelchair_access AS "
        "INTEGER) + 4 * CAST(a.pets AS INTEGER), "
        f"{income}, {dob}, {decided}, c.support_provider_id, a.pool_preferences, "
        "a.pool_excluded_municipalities, a.pool_excluded_neighbourhoods "
        f"FROM {a} a JOIN {c} c ON c.id = a.client_id "
        "WHERE c.region_id = %s AND a.state IN (%s, %s)"
    )
    params += [region_id, *POOL_STATES]
    if application_ids is not None:
        sql += f" AND a.id IN ({', '.join(['%s'] * len(application_ids))})"
        params += application_ids
    return sql, params


def _id_lists(texts: Sequence[str]) -> np.ndarray:
    """'3,1,2' per row → a -1 padded (n, width) array, parsed for all rows at once."""
    n = len(texts)
    if not n or not any(texts):
        return np.full((n, 1), -1, dtype=np.int64)
    strings = np.array(texts, dtype=str)
    counts = np.char.count(strings, ",") + (np.char.str_len(strings) > 0)
    values = np.fromstring(",".join(t for t in texts if t), dtype=np.int64, sep=",")
    rows = np.repeat(np.arange(n), counts)
    position = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)
    out = np.full((n, int(counts.max())), -1, dtype=np.int64)
    out[rows, position] = values
    return out


def load_pool(
    region_id: int, *, today: date, application_ids: list[int] | None = None
) -> tuple[core.Pool, np.ndarray]:
    """The pool of a region (approved and parked clients) as the core's columns, and the
    application id of each row: one flat query (the services keep preferences, exclusions and
    urgency on the application row) plus the open parkings, turned into arrays by NumPy."""
    with connection.cursor() as cursor:
        cursor.execute(*_main_query(region_id, application_ids))
        rows = cursor.fetchall()
    n = len(rows)
    today_ordinal = today.toordinal()
    cols: list[Sequence[Any]] = list(zip(*rows, strict=True)) if n else [()] * 13
    app_ids = np.array(cols[0], dtype=np.int64)
    parked = np.full(n, core.Pool.NO_DATE, dtype=np.int64)
    if n:
        where = (
            {"application_id__in": application_ids}
            if application_ids is not None
            else {"application__client__region_id": region_id}
        )
        position = {int(a): i for i, a in enumerate(app_ids)} if n < 50 else None
        for app_id, until in Parking.objects.filter(ended_on__isnull=True, **where).values_list(
            "application_id", "until"
        ):
            if position is not None:
                at = position.get(app_id)
            else:
                found = np.flatnonzero(app_ids == app_id)
                at = int(found[0]) if len(found) else None
            if at is not None:
                parked[at] = until.toordinal()

    # Passend toewijzen: the rent cap applies when the income is at most the limit of the
    # household type (size, and pension age at 67).
    packed = np.array(cols[4], dtype=np.int64)
    rooms_min, size, urgency = packed // 10000, packed // 100 % 100, packed % 100
    flags = np.array(cols[5], dtype=np.int64)
    born = _day_ordinals(cols[7], today_ordinal)
    try:
        cutoff = today.replace(year=today.year - PENSION_AGE).toordinal()
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - PENSION_AGE, day=28).toordinal()
    kind = np.minimum(np.maximum(size, 1), 3) - 1 + 3 * (born <= cutoff)
    limits = affordability_limits(region_id, year=today.year)
    income_limit = np.array(
        [float(limits[t].income_limit_eur) if t in limits else np.nan for t in HOUSEHOLD_TYPES]
    )
    rent_cap = np.array(
        [float(limits[t].rent_cap_eur) if t in limits else np.nan for t in HOUSEHOLD_TYPES]
    )
    income = np.array(cols[6], dtype=np.float64)
    with np.errstate(invalid="ignore"):
        applies = income <= income_limit[kind]  # NaN income or limit: False
    rent_limit = np.where(applies, rent_cap[kind], np.nan)

    pool = core.Pool.from_columns(
        candidate_numbers=cols[2],
        client_id=cols[1],
        municipality_of_origin_id=cols[3],
        preferences=_id_lists(cols[10]),
        excluded_municipalities=_id_lists(cols[11]),
        excluded_neighbourhoods=_id_lists(cols[12]),
        rooms_min=rooms_min,
        household_size=size,
        needs_lift=(flags & 1).astype(bool),
        needs_wheelchair=(flags & 2).astype(bool),
        has_pets=(flags & 4).astype(bool),
        rent_limit=rent_limit,
        approved_on=_local_day_ordinals(cols[8], today_ordinal),
        urgency=urgency,
        parked_until=parked,
        support_provider_id=cols[9],
        date_of_birth=born,
    )
    return pool, app_ids


def cotenancy_fits(
    home: Home, pool: core.Pool, app_ids: np.ndarray, *, today: date
) -> dict[int, cotenancy.Fit]:
    """For a place of a cluster: how each candidate of the pool (by index) fits the people
    already in the cluster's other places, by the region's co-tenancy rules
    (`matching.cotenancy`, the same rule as the proposal and batch matching). Empty for a
    home outside a cluster or when the region switched every rule off."""
    if home.cluster_id is None or not len(pool):
        return {}
    config = clusters.cotenancy_config(home.region_id, on=today)
    if not (config.max_age_gap or config.max_heavy or config.respect_marks):
        return {}
    residents = clusters.cluster_residents(home.cluster_id, today=today, exclude_home_id=home.pk)
    heavy = clusters.heavy_weights(home.region_id, on=today)
    heavy_apps = set(
        Application.objects.filter(
            client__region_id=home.region_id, state__in=POOL_STATES, dossier_weight__in=heavy
        ).values_list("pk", flat=True)
    )
    ages = pool.ages(today)
    fits = {}
    for i in range(len(pool)):
        candidate = cotenancy.Person(
            client_id=int(pool.client_id[i]),
            label=str(pool.candidate_numbers[i]),
            age=int(ages[i]) if ages[i] >= 0 else None,
            heavy=int(app_ids[i]) in heavy_apps,
        )
        # The residents' marks name the candidate (both ways: `clusters.marks_of`).
        fits[i] = cotenancy.fit(candidate, residents, config)
    return fits


def _with_cotenancy(
    home: Home, pool: core.Pool, app_ids: np.ndarray, evaluation: core.Evaluation, today: date
) -> dict[int, cotenancy.Fit]:
    fits = cotenancy_fits(home, pool, app_ids, today=today)
    evaluation.add_reasons({i: f.reasons for i, f in fits.items() if f.reasons})
    return fits


def rank_home(home: Home, *, today: date | None = None) -> Ranked:
    today = today or timezone.localdate()
    pool, app_ids = load_pool(home.region_id, today=today)
    offer = home_offer(home, today=today)
    rules = rules_for(home.region_id, on=today)
    config = score_config(rules.rules.matching)
    filters = filter_config(rules.rules.matching)
    evaluation = core.evaluate(offer, pool, config, today, filters)
    fits = _with_cotenancy(home, pool, app_ids, evaluation, today)
    return Ranked(home, offer, config, filters, rules, pool, app_ids, evaluation, fits)


def why_not(home: Home, application: Application, *, today: date) -> list[core.Reason]:
    """The hard filters that exclude this one pair now, a cluster's co-tenancy rules included
    (empty: the pair may be matched)."""
    pool, ids = load_pool(home.region_id, today=today, application_ids=[application.pk])
    if not len(pool):
        return []
    offer = home_offer(home, today=today)
    rules = matching_rules(home.region_id, on=today)
    evaluation = core.evaluate(offer, pool, score_config(rules), today, filter_config(rules))
    _with_cotenancy(home, pool, ids, evaluation, today)
    return list(evaluation.reasons(0))


def snapshot_store(ranked: Ranked, *, actor: User | None, purpose: str) -> RankingSnapshot:
    evaluation = ranked.evaluation
    eligible = [
        {
            "position": row.position,
            "client_id": row.client_id,
            "application_id": int(ranked.application_ids[row.index]),
            "candidate_number": row.candidate_number,
            "total": row.total,
            "points": row.points,
        }
        for row in evaluation.rows()
    ]
    # Codes only per excluded candidate (the pages word them); built per filter, not per person.
    codes: dict[int, list[str]] = defaultdict(list)
    for code in (*core.REASON_CODES, *cotenancy.CODES):
        for i in np.flatnonzero(evaluation.masks.get(code, ())):
            codes[int(i)].append(code)
    pool = ranked.pool
    excluded = [
        {
            "client_id": int(pool.client_id[i]),
            "candidate_number": pool.candidate_numbers[i],
            "reasons": codes[int(i)],
        }
        for i in evaluation.excluded_indices()
    ]
    return RankingSnapshot.objects.create(
        home=ranked.home,
        created_by=actor,
        purpose=purpose,
        pool_size=len(ranked.pool),
        rule_version_id=ranked.rules.version_id,
        config=_config_dict(ranked.config),
        filters=_config_dict(ranked.filters),
        eligible=eligible,
        excluded=excluded,
        reason_counts=dict(evaluation.reason_counts()),
    )


def _config_dict(config: core.ScoreConfig | core.FilterConfig) -> dict[str, Any]:
    from dataclasses import asdict

    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(config).items()}

"""From the database to the pure core and back: load the pool of one region, describe one home,
rank, explain, and keep each ranking shown as a snapshot.

The pool is read with a handful of flat queries (no query per candidate), so ranking one home
costs the same number of queries for 100 candidates as for 50,000 (see `make bench`).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from instroom.applications.constants import CaseState
from instroom.applications.models import Application, Client, Exclusion, Preference
from instroom.assessment.models import Decision
from instroom.homes.models import Home
from instroom.regions.models import AffordabilityLimit, Organisation

from . import core
from .models import MatchingSettings, Parking, RankingSnapshot

# Clients a home may be offered to, and parked ones (shown with their reason).
POOL_STATES = (CaseState.APPROVED, CaseState.PARKED)
PENSION_AGE = 67


@dataclass(frozen=True)
class Ranked:
    home: Home
    offer: core.HomeOffer
    config: core.ScoreConfig
    pool: core.Pool
    candidates: list[core.Candidate]
    application_ids: list[int]
    evaluation: core.Evaluation


def score_config(region_id: int) -> core.ScoreConfig:
    row = MatchingSettings.objects.filter(region_id=region_id).values_list("score", flat=True)
    overrides = next(iter(row), None) or {}
    return core.ScoreConfig.from_dict(overrides)


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


def _household_type(size: int, born: date, today: date) -> str:
    pension = (today.year - born.year - ((today.month, today.day) < (born.month, born.day))) >= (
        PENSION_AGE
    )
    kind = "one_person" if size <= 1 else "two_persons" if size == 2 else "three_plus"
    return f"{kind}_pension" if pension else kind


def _rent_limits(region_id: int, year: int) -> dict[str, tuple[Decimal, Decimal]]:
    """household type → (income limit, rent cap) of the year, or the latest year before it."""
    limits: dict[str, tuple[Decimal, Decimal]] = {}
    rows = AffordabilityLimit.objects.filter(region_id=region_id, year__lte=year).order_by("-year")
    for kind, income, cap in rows.values_list("household_type", "income_limit_eur", "rent_cap_eur"):
        if kind not in limits and cap is not None:
            limits[kind] = (income, cap)
    return limits


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    return datetime.fromisoformat(str(value)).date()


def load_candidates(
    region_id: int, *, today: date, application_ids: list[int] | None = None
) -> tuple[list[core.Candidate], list[int]]:
    """The pool of a region as the core's candidates (and their application ids), in a fixed
    number of queries."""
    a, c = Application._meta.db_table, Client._meta.db_table
    sql = (
        f"SELECT a.id, c.id, c.candidate_number, c.municipality_of_origin_id, a.rooms_min, "  # noqa: S608
        f"c.household_adults + c.household_children, a.needs_ground_floor_or_lift, "
        f"a.needs_wheelchair_access, a.pets, a.yearly_income_eur, c.date_of_birth, a.decided_at, "
        f"c.support_provider_id "
        f"FROM {a} a JOIN {c} c ON c.id = a.client_id "
        f"WHERE c.region_id = %s AND a.state IN (%s, %s)"
    )
    params: list[Any] = [region_id, *POOL_STATES]
    if application_ids is not None:
        sql += f" AND a.id IN ({', '.join(['%s'] * len(application_ids))})"
        params += application_ids
    sql += " ORDER BY a.id"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return [], []
    in_pool = Application.objects.filter(client__region_id=region_id, state__in=POOL_STATES)
    if application_ids is not None:
        in_pool = in_pool.filter(pk__in=application_ids)
    preferences: dict[int, list[int]] = defaultdict(list)
    for app_id, municipality_id in (
        Preference.objects.filter(application__in=in_pool)
        .order_by("application_id", "rank")
        .values_list("application_id", "municipality_id")
    ):
        preferences[app_id].append(municipality_id)
    excluded_m: dict[int, set[int]] = defaultdict(set)
    excluded_n: dict[int, set[int]] = defaultdict(set)
    for app_id, municipality_id, neighbourhood_id in Exclusion.objects.filter(
        application__in=in_pool
    ).values_list("application_id", "municipality_id", "neighbourhood_id"):
        if neighbourhood_id is not None:
            excluded_n[app_id].add(neighbourhood_id)
        elif municipality_id is not None:
            excluded_m[app_id].add(municipality_id)
    urgency = dict(
        Decision.objects.filter(item__application__in=in_pool, outcome="approve")
        .order_by("decided_at")
        .values_list("item__application_id", "urgency")
    )
    parked = dict(
        Parking.objects.filter(application__in=in_pool, ended_on__isnull=True).values_list(
            "application_id", "until"
        )
    )
    limits = _rent_limits(region_id, today.year)
    candidates: list[core.Candidate] = []
    ids: list[int] = []
    for (
        app_id,
        client_id,
        number,
        origin,
        rooms_min,
        size,
        lift,
        wheelchair,
        pets,
        income,
        born,
        decided_at,
        support,
    ) in rows:
        born = _as_date(born) or today
        limit = limits.get(_household_type(int(size), born, today))
        rent_limit = None
        if limit is not None and income is not None and Decimal(str(income)) <= limit[0]:
            rent_limit = limit[1]
        candidates.append(
            core.Candidate(
                client_id=client_id,
                candidate_number=number,
                municipality_of_origin_id=origin,
                preferred_municipality_ids=tuple(preferences.get(app_id, ())),
                excluded_municipality_ids=frozenset(excluded_m.get(app_id, ())),
                excluded_neighbourhood_ids=frozenset(excluded_n.get(app_id, ())),
                rooms_min=int(rooms_min or 1),
                household_size=int(size),
                needs_ground_floor_or_lift=bool(lift),
                needs_wheelchair_access=bool(wheelchair),
                has_pets=bool(pets),
                rent_limit_eur=rent_limit,
                approved_on=_as_date(decided_at) or today,
                urgency=int(urgency.get(app_id, 0)),
                parked_until=parked.get(app_id),
                support_provider_id=support,
            )
        )
        ids.append(app_id)
    return candidates, ids


def rank_home(home: Home, *, today: date | None = None) -> Ranked:
    today = today or timezone.localdate()
    candidates, ids = load_candidates(home.region_id, today=today)
    offer = home_offer(home, today=today)
    config = score_config(home.region_id)
    pool = core.Pool.from_candidates(candidates)
    evaluation = core.evaluate(offer, pool, config, today)
    return Ranked(home, offer, config, pool, candidates, ids, evaluation)


def why_not(home: Home, application: Application, *, today: date) -> list[core.Reason]:
    """The hard filters that exclude this one pair now (empty: the pair may be matched)."""
    candidates, _ids = load_candidates(
        home.region_id, today=today, application_ids=[application.pk]
    )
    if not candidates:
        return []
    offer = home_offer(home, today=today)
    evaluation = core.evaluate(
        offer, core.Pool.from_candidates(candidates), score_config(home.region_id), today
    )
    return list(evaluation.reasons(0))


def snapshot_store(ranked: Ranked, *, actor: Any, purpose: str) -> RankingSnapshot:
    evaluation = ranked.evaluation
    eligible = [
        {
            "position": row.position,
            "client_id": row.client_id,
            "application_id": ranked.application_ids[row.index],
            "candidate_number": row.candidate_number,
            "total": row.total,
            "points": row.points,
        }
        for row in evaluation.rows()
    ]
    excluded = [
        {
            "client_id": int(ranked.candidates[i].client_id),
            "candidate_number": ranked.candidates[i].candidate_number,
            "reasons": [
                {"code": r.code, "message": str(r.message)} for r in evaluation.reasons(int(i))
            ],
        }
        for i in evaluation.excluded_indices()
    ]
    return RankingSnapshot.objects.create(
        home=ranked.home,
        created_by=actor,
        purpose=purpose,
        pool_size=len(ranked.pool),
        config=_config_dict(ranked.config),
        eligible=eligible,
        excluded=excluded,
        reason_counts=dict(evaluation.reason_counts()),
    )


def _config_dict(config: core.ScoreConfig) -> dict[str, Any]:
    from dataclasses import asdict

    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(config).items()}

"""Eligibility and score of candidates for one home: the pure core of the match point.

No database access: the caller describes the home (`HomeOffer`) and the pool (`Pool`, column
arrays built once from `Candidate`s or straight from a cursor), and `evaluate` answers with
NumPy over the whole pool at once — for every candidate the hard filters that exclude it (each
with a readable reason) and the points per named score component.

Ordering of the eligible (deterministic, documented on the ranking page):
  1. higher total points;
  2. earlier approval by the table (longer waiting);
  3. higher urgency;
  4. candidate number, ascending (unique: the final tie-break).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from django.utils.translation import gettext_lazy as _

# The hard filters in the order their reasons are listed.
REASON_CODES = (
    "excluded_municipality",
    "excluded_neighbourhood",
    "too_few_rooms",
    "not_accessible",
    "no_ground_floor_or_lift",
    "rent_above_limit",
    "pets",
    "cap_reached",
    "parked",
    "support_provider_inactive",
)
COMPONENTS = ("preference", "waiting", "urgency", "fit", "origin")
_NO_DATE = np.iinfo(np.int64).min  # "no parking" as a day ordinal


@dataclass(frozen=True)
class Candidate:
    client_id: int
    candidate_number: str
    municipality_of_origin_id: int
    preferred_municipality_ids: tuple[int, ...]
    excluded_municipality_ids: frozenset[int]
    excluded_neighbourhood_ids: frozenset[int]
    rooms_min: int
    household_size: int
    needs_ground_floor_or_lift: bool
    needs_wheelchair_access: bool
    has_pets: bool
    rent_limit_eur: Decimal | None
    approved_on: date
    urgency: int
    parked_until: date | None
    support_provider_id: int


@dataclass(frozen=True)
class HomeOffer:
    home_id: int
    municipality_id: int
    neighbourhood_id: int | None
    rooms: int
    floor: int
    has_lift: bool
    wheelchair_accessible: bool
    rent_eur: Decimal
    pets_allowed: bool
    cap_reached: bool
    active_support_provider_ids: frozenset[int]


@dataclass(frozen=True)
class ScoreConfig:
    """Points per named component; a region overrides any of them (`from_dict`)."""

    preference_points: tuple[int, ...] = (30, 20, 10)
    waiting_points_per_month: int = 1
    waiting_max_points: int = 24
    urgency_points_per_level: int = 10
    fit_points: int = 10
    overhousing_penalty_per_room: int = 5
    origin_points: int = 5

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ScoreConfig":
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                raise ValueError(f"unknown score component: {key}")
            if key == "preference_points":
                if not isinstance(value, list | tuple) or not all(
                    isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value
                ):
                    raise ValueError(f"{key}: give a list of whole numbers of 0 or more")
                values[key] = tuple(value)
            else:
                if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    raise ValueError(f"{key}: give a whole number of 0 or more")
                values[key] = value
        return cls(**values)


@dataclass(frozen=True)
class Reason:
    code: str
    message: Any  # a lazy translation with the concrete figures filled in

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class RankedCandidate:
    index: int
    client_id: int
    candidate_number: str
    total: int
    points: dict[str, int]
    position: int


@dataclass(frozen=True)
class ExcludedCandidate:
    index: int
    client_id: int
    candidate_number: str
    reasons: list[Reason]


def _padded(rows: Sequence[Iterable[int]]) -> np.ndarray:
    lists = [list(r) for r in rows]
    width = max((len(r) for r in lists), default=0) or 1
    out = np.full((len(lists), width), -1, dtype=np.int64)
    for i, row in enumerate(lists):
        out[i, : len(row)] = row
    return out


@dataclass(frozen=True, eq=False)
class Pool:
    """The candidates as columns. Layout of `from_columns` (all of length n, row i = one
    candidate; int64 unless said otherwise):

    client_id, municipality_of_origin_id, rooms_min, household_size, urgency,
    support_provider_id; needs_lift, needs_wheelchair, has_pets (bool);
    rent_limit (float64, NaN = no limit); approved_on and parked_until (day ordinals as from
    `date.toordinal()`, parked_until = `NO_DATE` when not parked);
    preferences, excluded_municipalities, excluded_neighbourhoods (2-D int64, -1 padded; the
    preference columns in order of preference); candidate_numbers (a sequence of str).
    """

    client_id: np.ndarray
    candidate_numbers: tuple[str, ...]
    municipality_of_origin_id: np.ndarray
    preferences: np.ndarray
    excluded_municipalities: np.ndarray
    excluded_neighbourhoods: np.ndarray
    rooms_min: np.ndarray
    household_size: np.ndarray
    needs_lift: np.ndarray
    needs_wheelchair: np.ndarray
    has_pets: np.ndarray
    rent_limit: np.ndarray
    approved_on: np.ndarray
    urgency: np.ndarray
    parked_until: np.ndarray
    support_provider_id: np.ndarray
    number_rank: np.ndarray = field(repr=False)

    NO_DATE = _NO_DATE

    def __len__(self) -> int:
        return len(self.client_id)

    def candidate(self, i: int) -> Candidate:
        """Row i as a Candidate again (for showing a few rows; not for the hot path)."""
        parked = int(self.parked_until[i])
        limit = float(self.rent_limit[i])
        return Candidate(
            client_id=int(self.client_id[i]),
            candidate_number=self.candidate_numbers[i],
            municipality_of_origin_id=int(self.municipality_of_origin_id[i]),
            preferred_municipality_ids=tuple(int(m) for m in self.preferences[i] if m >= 0),
            excluded_municipality_ids=frozenset(
                int(m) for m in self.excluded_municipalities[i] if m >= 0
            ),
            excluded_neighbourhood_ids=frozenset(
                int(n) for n in self.excluded_neighbourhoods[i] if n >= 0
            ),
            rooms_min=int(self.rooms_min[i]),
            household_size=int(self.household_size[i]),
            needs_ground_floor_or_lift=bool(self.needs_lift[i]),
            needs_wheelchair_access=bool(self.needs_wheelchair[i]),
            has_pets=bool(self.has_pets[i]),
            rent_limit_eur=None if np.isnan(limit) else Decimal(f"{limit:.2f}"),
            approved_on=date.fromordinal(int(self.approved_on[i])),
            urgency=int(self.urgency[i]),
            parked_until=None if parked == _NO_DATE else date.fromordinal(parked),
            support_provider_id=int(self.support_provider_id[i]),
        )

    @classmethod
    def from_columns(cls, *, candidate_numbers: Sequence[str], **columns: Any) -> "Pool":
        n = len(candidate_numbers)
        ints = (
            "client_id",
            "municipality_of_origin_id",
            "rooms_min",
            "household_size",
            "urgency",
            "support_provider_id",
            "approved_on",
            "parked_until",
        )
        data: dict[str, Any] = {k: np.asarray(columns[k], dtype=np.int64) for k in ints}
        for k in ("needs_lift", "needs_wheelchair", "has_pets"):
            data[k] = np.asarray(columns[k], dtype=bool)
        data["rent_limit"] = np.asarray(columns["rent_limit"], dtype=np.float64)
        for k in ("preferences", "excluded_municipalities", "excluded_neighbourhoods"):
            array = np.asarray(columns[k], dtype=np.int64)
            data[k] = array if array.ndim == 2 and array.shape[0] == n else np.full((n, 1), -1)
        for k, v in data.items():
            if len(v) != n:
                raise ValueError(f"column {k} has {len(v)} rows, expected {n}")
        numbers = tuple(candidate_numbers)
        order = sorted(range(n), key=numbers.__getitem__)
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
        return cls(candidate_numbers=numbers, number_rank=rank, **data)

    @classmethod
    def from_candidates(cls, candidates: Sequence[Candidate]) -> "Pool":
        cs = list(candidates)
        return cls.from_columns(
            candidate_numbers=[c.candidate_number for c in cs],
            client_id=[c.client_id for c in cs],
            municipality_of_origin_id=[c.municipality_of_origin_id for c in cs],
            preferences=_padded([c.preferred_municipality_ids for c in cs]),
            excluded_municipalities=_padded([sorted(c.excluded_municipality_ids) for c in cs]),
            excluded_neighbourhoods=_padded([sorted(c.excluded_neighbourhood_ids) for c in cs]),
            rooms_min=[c.rooms_min for c in cs],
            household_size=[c.household_size for c in cs],
            needs_lift=[c.needs_ground_floor_or_lift for c in cs],
            needs_wheelchair=[c.needs_wheelchair_access for c in cs],
            has_pets=[c.has_pets for c in cs],
            rent_limit=[
                float(c.rent_limit_eur) if c.rent_limit_eur is not None else np.nan for c in cs
            ],
            approved_on=[c.approved_on.toordinal() for c in cs],
            urgency=[c.urgency for c in cs],
            parked_until=[
                c.parked_until.toordinal() if c.parked_until is not None else _NO_DATE for c in cs
            ],
            support_provider_id=[c.support_provider_id for c in cs],
        )


def _months_between(start: np.ndarray, today: date) -> np.ndarray:
    """Whole months from each start day (ordinal) to today; 0 for a start in the future."""
    days = np.asarray(start, dtype=np.int64)
    if len(days) == 0:
        return days
    # Calendar months: convert ordinals to (year, month, day) through numpy datetimes.
    epoch = date(1970, 1, 1).toordinal()
    as_days = (days - epoch).astype("datetime64[D]")
    months = as_days.astype("datetime64[M]")
    start_month = months.astype(np.int64)
    day_of_month = (as_days - months).astype(np.int64) + 1
    today_month = (today.year - 1970) * 12 + today.month - 1
    whole = today_month - start_month - (today.day < day_of_month)
    return np.maximum(whole, 0)


def _decimal_text(value: float) -> str:
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


class Evaluation:
    """The answer for one home: masks per filter and points per component, for the pool."""

    def __init__(self, home: HomeOffer, pool: Pool, config: ScoreConfig, today: date) -> None:
        self.home, self.pool, self.config, self.today = home, pool, config, today
        n = len(pool)
        rooms, rent = home.rooms, float(home.rent_eur)
        self.masks: dict[str, np.ndarray] = {
            "excluded_municipality": (pool.excluded_municipalities == home.municipality_id).any(
                axis=1
            ),
            "excluded_neighbourhood": (
                (pool.excluded_neighbourhoods == home.neighbourhood_id).any(axis=1)
                if home.neighbourhood_id is not None
                else np.zeros(n, dtype=bool)
            ),
            "too_few_rooms": pool.rooms_min > rooms,
            "not_accessible": pool.needs_wheelchair & (not home.wheelchair_accessible),
            "no_ground_floor_or_lift": pool.needs_lift & (home.floor > 0 and not home.has_lift),
            "rent_above_limit": ~np.isnan(pool.rent_limit) & (pool.rent_limit < rent - 1e-9),
            "pets": pool.has_pets & (not home.pets_allowed),
            "cap_reached": np.full(n, bool(home.cap_reached)),
            "parked": pool.parked_until > today.toordinal(),
            "support_provider_inactive": ~np.isin(
                pool.support_provider_id,
                np.fromiter(home.active_support_provider_ids, dtype=np.int64),
            ),
        }
        excluded = np.zeros(n, dtype=bool)
        for mask in self.masks.values():
            excluded |= mask
        self.excluded = excluded

        c = config
        prefs = pool.preferences
        hit = prefs == home.municipality_id
        table = np.zeros(prefs.shape[1] + 1, dtype=np.int64)
        k = min(len(c.preference_points), prefs.shape[1])
        table[:k] = c.preference_points[:k]
        first = np.where(hit.any(axis=1), hit.argmax(axis=1), prefs.shape[1])
        need = np.maximum(pool.rooms_min, np.maximum(pool.household_size - 1, 1))
        self.points: dict[str, np.ndarray] = {
            "preference": table[first],
            "waiting": np.minimum(
                _months_between(pool.approved_on, today) * c.waiting_points_per_month,
                c.waiting_max_points,
            ),
            "urgency": pool.urgency * c.urgency_points_per_level,
            "fit": np.maximum(
                c.fit_points - np.maximum(rooms - need, 0) * c.overhousing_penalty_per_room, 0
            ),
            "origin": np.where(
                pool.municipality_of_origin_id == home.municipality_id, c.origin_points, 0
            ),
        }
        total = np.zeros(n, dtype=np.int64)
        for values in self.points.values():
            total += values
        self.totals = total
        self._order: np.ndarray | None = None

    def eligible_order(self) -> np.ndarray:
        """Pool indices of the eligible candidates, best first (see the module docstring)."""
        if self._order is None:
            idx = np.flatnonzero(~self.excluded)
            p = self.pool
            # lexsort: the last key is the primary one.
            keys = (p.number_rank[idx], -p.urgency[idx], p.approved_on[idx], -self.totals[idx])
            self._order = idx[np.lexsort(keys)]
        return self._order

    def excluded_indices(self) -> np.ndarray:
        return np.flatnonzero(self.excluded)

    def total(self, i: int) -> int:
        return int(self.totals[i])

    def points_of(self, i: int) -> dict[str, int]:
        return {name: int(values[i]) for name, values in self.points.items()}

    def reason_counts(self) -> dict[str, int]:
        return {code: int(m.sum()) for code, m in self.masks.items() if m.any()}

    def reasons(self, i: int) -> list[Reason]:
        """Every hard filter that excludes candidate i, with the figures that decide it."""
        home, p = self.home, self.pool
        found = []
        for code in REASON_CODES:
            if not self.masks[code][i]:
                continue
            message: Any
            if code == "excluded_municipality":
                message = _("The client excluded this municipality.")
            elif code == "excluded_neighbourhood":
                message = _("The client excluded this neighbourhood.")
            elif code == "too_few_rooms":
                message = _("Needs at least %(need)d rooms; the home has %(rooms)d.") % {
                    "need": int(p.rooms_min[i]),
                    "rooms": home.rooms,
                }
            elif code == "not_accessible":
                message = _("Needs a wheelchair-accessible home; this one is not.")
            elif code == "no_ground_floor_or_lift":
                message = _(
                    "Needs a ground floor or a lift; the home is on floor %(floor)d without a lift."
                ) % {"floor": home.floor}
            elif code == "rent_above_limit":
                message = _(
                    "Rent € %(rent)s is above this client's passend-toewijzen limit of € %(limit)s."
                ) % {
                    "rent": _decimal_text(float(home.rent_eur)),
                    "limit": _decimal_text(float(p.rent_limit[i])),
                }
            elif code == "pets":
                message = _("The client has pets; no pets are allowed in this home.")
            elif code == "cap_reached":
                message = _("The concentration cap of this complex or neighbourhood is reached.")
            elif code == "parked":
                message = _("Parked until %(date)s.") % {
                    "date": date.fromordinal(int(p.parked_until[i])).isoformat()
                }
            else:
                message = _("The client's support provider does not work in this municipality.")
            found.append(Reason(code, message))
        return found

    def rows(self, limit: int | None = None) -> list[RankedCandidate]:
        order = self.eligible_order()
        if limit is not None:
            order = order[:limit]
        return [
            RankedCandidate(
                index=int(i),
                client_id=int(self.pool.client_id[i]),
                candidate_number=self.pool.candidate_numbers[i],
                total=int(self.totals[i]),
                points=self.points_of(int(i)),
                position=position,
            )
            for position, i in enumerate(order, start=1)
        ]

    def excluded_rows(self, limit: int | None = None) -> list[ExcludedCandidate]:
        indices = self.excluded_indices()
        if limit is not None:
            indices = indices[:limit]
        return [
            ExcludedCandidate(
                index=int(i),
                client_id=int(self.pool.client_id[i]),
                candidate_number=self.pool.candidate_numbers[i],
                reasons=self.reasons(int(i)),
            )
            for i in indices
        ]


def evaluate(home: HomeOffer, pool: Pool, config: ScoreConfig, today: date) -> Evaluation:
    return Evaluation(home, pool, config, today)

"""Eligibility and score of candidates for one home: the pure core of the match point.

No database access and no models: the caller describes the home (`HomeOffer`) and the pool
(`Pool`, column arrays built once from `Candidate`s or straight from a cursor), and `evaluate`
answers with NumPy over the whole pool at once — for every candidate the hard filters that
exclude it (each with a readable reason) and the points per named score component. Python loops
run only when building a pool from `Candidate`s and when explaining single candidates.

Hard filters (`REASON_CODES`, in the order reasons are listed): the home's municipality or
neighbourhood is excluded by the client; fewer rooms than the client's minimum; wheelchair
access needed but missing; a ground floor or lift needed but the home is upstairs without a
lift; rent above the client's passend-toewijzen limit (strictly above: rent equal to the limit
is allowed); pets but no pets allowed; the client's age (whole years on `today`) outside the
regeling's band; the home outside the client's municipality of origin (local tie); more rooms
than the need plus the regeling's margin (overhousing); the home's concentration cap reached
(everybody); the client parked (until a date after today); the client's support provider not
active in the home's municipality. `FilterConfig` switches the regional ones on or off: with
pets or accessibility off, those reasons never apply; the age band, the local tie and the
overhousing filter are off unless the regeling switches them on.

Score components (`COMPONENTS`, see `ScoreConfig` for the points):
  preference  points for the place of the home's municipality in the client's ordered list;
  waiting     whole calendar months since the table's approval, capped;
  urgency     the level the table set (0 … URGENCY_MAX) times the points per level;
  fit         fit points minus a penalty per room above the need, floored at 0; the need is
              max(rooms_min, household_size − 1, 1) — one room for one or two people, one more
              for each further person — so a home is never "too big" for the client's own
              minimum;
  origin      the home lies in the client's municipality of origin.

Ordering of the eligible (deterministic, documented on the ranking page):
  1. higher total points;
  2. earlier approval by the table (longer waiting);
  3. higher urgency;
  4. candidate number, ascending (unique: the final tie-break).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

# The hard filters in the order their reasons are listed.
REASON_CODES = (
    "excluded_municipality",
    "excluded_neighbourhood",
    "too_few_rooms",
    "not_accessible",
    "no_ground_floor_or_lift",
    "rent_above_limit",
    "pets",
    "age_outside_band",
    "not_local",
    "overhoused",
    "cap_reached",
    "parked",
    "support_provider_inactive",
)
COMPONENTS = ("preference", "waiting", "urgency", "fit", "origin")
NO_DATE = int(np.iinfo(np.int64).min)  # "not parked" as a day ordinal
_EPOCH = date(1970, 1, 1).toordinal()  # numpy's datetime64 day 0 as a date ordinal

# The highest urgency a table can set (assessment.constants.Urgency has one level per value).
URGENCY_MAX = 2


@dataclass(frozen=True)
class Candidate:
    client_id: int
    candidate_number: str  # unique, e.g. "K-00123"; the final tie-break
    municipality_of_origin_id: int
    preferred_municipality_ids: tuple[int, ...]  # first = most wanted
    excluded_municipality_ids: frozenset[int]
    excluded_neighbourhood_ids: frozenset[int]
    rooms_min: int
    household_size: int
    needs_ground_floor_or_lift: bool
    needs_wheelchair_access: bool
    has_pets: bool
    rent_limit_eur: Decimal | None  # passend-toewijzen cap for this client; None = no cap
    approved_on: date  # the table's decision
    urgency: int  # 0 = normal … URGENCY_MAX, set by the table
    parked_until: date | None
    support_provider_id: int
    date_of_birth: date | None = None  # None: unknown, never outside an age band


@dataclass(frozen=True)
class HomeOffer:
    home_id: int
    municipality_id: int
    neighbourhood_id: int | None
    rooms: int
    floor: int  # 0 = ground floor
    has_lift: bool
    wheelchair_accessible: bool
    rent_eur: Decimal
    pets_allowed: bool
    cap_reached: bool  # the caller computed the concentration cap of complex and neighbourhood
    active_support_provider_ids: frozenset[int]  # active in the home's municipality


@dataclass(frozen=True)
class ScoreConfig:
    """Points per named component; a region overrides any of them (`from_dict`).

    preference_points             for the 1st, 2nd, 3rd … preferred municipality; a
                                  municipality not listed (or listed beyond the tuple) gets 0;
    waiting_points_per_month      per whole month since approval, up to waiting_max_points;
    urgency_points_per_level      times the urgency level the table set;
    fit_points                    for a home that fits, minus overhousing_penalty_per_room for
                                  each room above the need, floored at 0;
    origin_points                 when the home lies in the municipality of origin.
    """

    preference_points: tuple[int, ...] = (30, 20, 10)
    waiting_points_per_month: int = 1
    waiting_max_points: int = 24
    urgency_points_per_level: int = 10
    fit_points: int = 10
    overhousing_penalty_per_room: int = 5
    origin_points: int = 5

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "preference_points":
                if not isinstance(value, list | tuple) or not all(_whole(v) for v in value):
                    raise ValueError(f"{f.name}: give a list of whole numbers of 0 or more")
                object.__setattr__(self, f.name, tuple(value))
            elif not _whole(value):
                raise ValueError(f"{f.name}: give a whole number of 0 or more, not {value!r}")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ScoreConfig":
        """Defaults overridden by `data` (e.g. a region's JSON); a bad value or an unknown key
        raises ValueError naming the key."""
        if not isinstance(data, Mapping):
            raise ValueError("score configuration: give a mapping of component names to points")
        known = {f.name for f in fields(cls)}
        for key in data:
            if key not in known:
                raise ValueError(f"unknown score component: {key}")
        return cls(**data)


@dataclass(frozen=True)
class FilterConfig:
    """The hard filters a regeling switches on or off, with their parameters (the rest always
    apply). pets / accessibility: the home's pet rule and its wheelchair access, ground floor or
    lift are checked; age_band: only clients aged age_min … age_max (both included, whole years
    on the day of ranking); local_tie: only homes in the client's municipality of origin;
    overhousing: at most overhousing_margin rooms above the client's room need."""

    pets: bool = True
    accessibility: bool = True
    age_band: bool = False
    age_min: int = 18
    age_max: int = 110
    local_tie: bool = False
    overhousing: bool = False
    overhousing_margin: int = 1

    def __post_init__(self) -> None:
        for name in ("age_min", "age_max", "overhousing_margin"):
            if not _whole(getattr(self, name)):
                raise ValueError(f"{name}: give a whole number of 0 or more")
        if self.age_min > self.age_max:
            raise ValueError("age_max: the highest age is below the lowest")


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@dataclass(frozen=True)
class Reason:
    """Why a hard filter excludes a candidate: a stable code (one of REASON_CODES) and the
    figures that decide it. The wording lives with the constants (`matching.constants`)."""

    code: str
    figures: Mapping[str, int | float | str] = field(default_factory=dict)


@dataclass(frozen=True)
class RankedCandidate:
    index: int  # row in the pool
    client_id: int
    candidate_number: str
    total: int
    points: dict[str, int]
    position: int  # 1 = first


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


def _id_matrix(name: str, values: ArrayLike, n: int) -> np.ndarray:
    array = np.asarray(values, dtype=np.int64)
    if array.size == 0:
        return np.full((n, 1), -1, dtype=np.int64)
    if array.ndim != 2 or array.shape[0] != n:
        raise ValueError(f"column {name}: give an (n, width) array padded with -1 for {n} rows")
    return array


def _day_ordinals(name: str, values: ArrayLike, *, missing_allowed: bool) -> np.ndarray:
    """Dates as day ordinals (`date.toordinal()`), from ordinals, datetime64 or date/None."""
    array = np.asarray(values)
    if array.dtype.kind == "O" or array.dtype.kind == "M":
        days = np.asarray(array, dtype="datetime64[D]")
        out = days.astype(np.int64) + _EPOCH
        out[np.isnat(days)] = NO_DATE
    else:
        out = np.asarray(array, dtype=np.int64).copy()
    if not missing_allowed and (out == NO_DATE).any():
        raise ValueError(f"column {name}: every candidate needs a date")
    return out


@dataclass(frozen=True, eq=False)
class Pool:
    """The candidates as columns; row i is one candidate. Build it with `from_candidates` or,
    straight from a database cursor, with `from_columns` (see there for the layout)."""

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
    born: np.ndarray  # date of birth as day ordinals, NO_DATE = unknown
    # Precomputed once, so that `evaluate` does only arithmetic:
    number_rank: np.ndarray = field(repr=False)  # rank of candidate_number, 0 = lowest
    approved_month: np.ndarray = field(repr=False)  # months since 1970-01 of approved_on
    approved_day: np.ndarray = field(repr=False)  # day of the month of approved_on
    room_need: np.ndarray = field(repr=False)  # max(rooms_min, household_size - 1, 1)
    born_year: np.ndarray = field(repr=False)  # year of birth (0 when unknown)
    born_month_day: np.ndarray = field(repr=False)  # month * 100 + day of birth

    NO_DATE = NO_DATE

    def __len__(self) -> int:
        return len(self.client_id)

    def candidate(self, i: int) -> Candidate:
        """Row i as a Candidate again (for showing a few rows; not for the hot path)."""
        parked = int(self.parked_until[i])
        born = int(self.born[i])
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
            parked_until=None if parked == NO_DATE else date.fromordinal(parked),
            support_provider_id=int(self.support_provider_id[i]),
            date_of_birth=None if born == NO_DATE else date.fromordinal(born),
        )

    @classmethod
    def from_columns(
        cls,
        *,
        client_id: ArrayLike,
        candidate_numbers: Sequence[str],
        municipality_of_origin_id: ArrayLike,
        preferences: ArrayLike,
        excluded_municipalities: ArrayLike,
        excluded_neighbourhoods: ArrayLike,
        rooms_min: ArrayLike,
        household_size: ArrayLike,
        needs_lift: ArrayLike,
        needs_wheelchair: ArrayLike,
        has_pets: ArrayLike,
        rent_limit: ArrayLike,
        approved_on: ArrayLike,
        urgency: ArrayLike,
        parked_until: ArrayLike,
        support_provider_id: ArrayLike,
        date_of_birth: ArrayLike | None = None,
    ) -> "Pool":
        """A pool from n rows of columns, e.g. filled straight from a cursor:

        candidate_numbers             n str, unique (the final tie-break);
        client_id, municipality_of_origin_id, rooms_min, household_size, urgency,
        support_provider_id           n ints (int64);
        needs_lift (ground floor or lift), needs_wheelchair, has_pets
                                      n bools;
        rent_limit                    n floats in euros, NaN = no passend-toewijzen cap;
        approved_on                   n dates: day ordinals (`date.toordinal()`), datetime64
                                      or `date` objects;
        parked_until                  likewise, with `Pool.NO_DATE` (ordinals), NaT or None
                                      for "not parked";
        date_of_birth                 likewise, missing = unknown (None: unknown for all);
        preferences, excluded_municipalities, excluded_neighbourhoods
                                      (n, width) int arrays padded with -1 (width may differ
                                      per column; an empty array means "none for anybody");
                                      preferences in order, most wanted first.
        """
        numbers = tuple(candidate_numbers)
        n = len(numbers)
        data: dict[str, np.ndarray] = {
            "client_id": np.asarray(client_id, dtype=np.int64),
            "municipality_of_origin_id": np.asarray(municipality_of_origin_id, dtype=np.int64),
            "rooms_min": np.asarray(rooms_min, dtype=np.int64),
            "household_size": np.asarray(household_size, dtype=np.int64),
            "urgency": np.asarray(urgency, dtype=np.int64),
            "support_provider_id": np.asarray(support_provider_id, dtype=np.int64),
            "needs_lift": np.asarray(needs_lift, dtype=bool),
            "needs_wheelchair": np.asarray(needs_wheelchair, dtype=bool),
            "has_pets": np.asarray(has_pets, dtype=bool),
            "rent_limit": np.asarray(rent_limit, dtype=np.float64),
            "approved_on": _day_ordinals("approved_on", approved_on, missing_allowed=False),
            "parked_until": _day_ordinals("parked_until", parked_until, missing_allowed=True),
            "born": (
                np.full(n, NO_DATE, dtype=np.int64)
                if date_of_birth is None
                else _day_ordinals("date_of_birth", date_of_birth, missing_allowed=True)
            ),
            "preferences": _id_matrix("preferences", preferences, n),
            "excluded_municipalities": _id_matrix(
                "excluded_municipalities", excluded_municipalities, n
            ),
            "excluded_neighbourhoods": _id_matrix(
                "excluded_neighbourhoods", excluded_neighbourhoods, n
            ),
        }
        for name, column in data.items():
            if column.shape[:1] != (n,):
                raise ValueError(f"column {name} has {len(column)} rows, expected {n}")

        # The rank of each candidate number, so the final tie-break is an integer key.
        as_array = np.array(numbers, dtype=str)
        order = np.argsort(as_array, kind="stable")
        in_order = as_array[order]
        if (in_order[1:] == in_order[:-1]).any():
            raise ValueError("candidate_numbers must be unique (they are the final tie-break)")
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)

        days = (data["approved_on"] - _EPOCH).astype("datetime64[D]")
        months = days.astype("datetime64[M]")
        known = data["born"] != NO_DATE
        birth_days = (np.where(known, data["born"], _EPOCH) - _EPOCH).astype("datetime64[D]")
        birth_months = birth_days.astype("datetime64[M]")
        return cls(
            candidate_numbers=numbers,
            number_rank=rank,
            approved_month=months.astype(np.int64),
            approved_day=(days - months).astype(np.int64) + 1,
            room_need=np.maximum(data["rooms_min"], np.maximum(data["household_size"] - 1, 1)),
            born_year=np.where(
                known, birth_days.astype("datetime64[Y]").astype(np.int64) + 1970, 0
            ),
            born_month_day=(birth_months.astype(np.int64) % 12 + 1) * 100
            + (birth_days - birth_months).astype(np.int64)
            + 1,
            **data,
        )

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
            approved_on=np.array([c.approved_on.toordinal() for c in cs], dtype=np.int64),
            urgency=[c.urgency for c in cs],
            parked_until=np.array(
                [c.parked_until.toordinal() if c.parked_until else NO_DATE for c in cs],
                dtype=np.int64,
            ),
            support_provider_id=[c.support_provider_id for c in cs],
            date_of_birth=np.array(
                [c.date_of_birth.toordinal() if c.date_of_birth else NO_DATE for c in cs],
                dtype=np.int64,
            ),
        )

    def ages(self, today: date) -> np.ndarray:
        """Whole years on `today` (-1 when the date of birth is unknown)."""
        before_birthday = today.month * 100 + today.day < self.born_month_day
        age = today.year - self.born_year - before_birthday
        return np.where(self.born != NO_DATE, age, -1)


class Evaluation:
    """The answer for one home: a mask per hard filter and points per component, for the
    whole pool (`masks`, `component_points`, `totals`, `excluded` are arrays of length n)."""

    def __init__(
        self,
        home: HomeOffer,
        pool: Pool,
        config: ScoreConfig,
        today: date,
        filters: FilterConfig | None = None,
    ) -> None:
        filters = filters or FilterConfig()
        self.home, self.pool, self.config, self.today = home, pool, config, today
        self.filters = filters
        n = len(pool)
        none = np.zeros(n, dtype=bool)
        upstairs_without_lift = home.floor > 0 and not home.has_lift
        active = np.fromiter(home.active_support_provider_ids, dtype=np.int64)
        self.ages = pool.ages(today)
        known_age = self.ages >= 0
        self.masks: dict[str, np.ndarray] = {
            "excluded_municipality": (pool.excluded_municipalities == home.municipality_id).any(
                axis=1
            ),
            "excluded_neighbourhood": (
                (pool.excluded_neighbourhoods == home.neighbourhood_id).any(axis=1)
                if home.neighbourhood_id is not None
                else none
            ),
            "too_few_rooms": pool.rooms_min > home.rooms,
            "not_accessible": pool.needs_wheelchair
            if filters.accessibility and not home.wheelchair_accessible
            else none,
            "no_ground_floor_or_lift": pool.needs_lift
            if filters.accessibility and upstairs_without_lift
            else none,
            # NaN (no cap) compares False. Both sides are the same decimals made float, so
            # "equal to the limit" stays equal and is allowed.
            "rent_above_limit": pool.rent_limit < float(home.rent_eur),
            "pets": pool.has_pets if filters.pets and not home.pets_allowed else none,
            "age_outside_band": (
                known_age & ((self.ages < filters.age_min) | (self.ages > filters.age_max))
                if filters.age_band
                else none
            ),
            "not_local": (
                pool.municipality_of_origin_id != home.municipality_id
                if filters.local_tie
                else none
            ),
            "overhoused": (
                home.rooms > pool.room_need + filters.overhousing_margin
                if filters.overhousing
                else none
            ),
            "cap_reached": np.full(n, bool(home.cap_reached)),
            "parked": pool.parked_until > today.toordinal(),
            "support_provider_inactive": ~np.isin(pool.support_provider_id, active),
        }
        excluded = np.zeros(n, dtype=bool)
        for mask in self.masks.values():
            excluded |= mask
        self.excluded = excluded

        c = config
        prefs = pool.preferences
        width = prefs.shape[1]
        hit = prefs == home.municipality_id
        table = np.zeros(width + 1, dtype=np.int64)  # the last entry: not listed
        k = min(len(c.preference_points), width)
        table[:k] = c.preference_points[:k]
        first = np.where(hit.any(axis=1), hit.argmax(axis=1), width)
        today_month = (today.year - 1970) * 12 + today.month - 1
        months = today_month - pool.approved_month - (today.day < pool.approved_day)
        self.component_points: dict[str, np.ndarray] = {
            "preference": table[first],
            "waiting": np.minimum(
                np.maximum(months, 0) * c.waiting_points_per_month, c.waiting_max_points
            ),
            "urgency": pool.urgency * c.urgency_points_per_level,
            "fit": np.maximum(
                c.fit_points
                - np.maximum(home.rooms - pool.room_need, 0) * c.overhousing_penalty_per_room,
                0,
            ),
            "origin": np.where(
                pool.municipality_of_origin_id == home.municipality_id, c.origin_points, 0
            ),
        }
        total = np.zeros(n, dtype=np.int64)
        for values in self.component_points.values():
            total += values
        self.totals = total
        self._order: np.ndarray | None = None
        self._added: dict[int, list[Reason]] = {}

    def add_reasons(self, found: dict[int, list[Reason]]) -> None:
        """Exclude candidates for rules checked outside the core (a cluster's co-tenancy
        rules, `matching.cotenancy`): `found` maps a pool index to its reasons, listed after
        the core's own; each code gets a mask (so `reason_counts` counts it)."""
        for i, reasons in found.items():
            i = self._index(i)
            for reason in reasons:
                mask = self.masks.get(reason.code)
                if mask is None:
                    mask = self.masks[reason.code] = np.zeros(len(self.pool), dtype=bool)
                mask[i] = True
            if reasons:
                self.excluded[i] = True
                self._added.setdefault(i, []).extend(reasons)
        self._order = None

    def _index(self, i: int) -> int:
        i = int(i)
        if not 0 <= i < len(self.pool):
            raise IndexError(f"candidate index {i} is outside the pool of {len(self.pool)}")
        return i

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

    def is_eligible(self, i: int) -> bool:
        return not bool(self.excluded[self._index(i)])

    def total(self, i: int) -> int:
        return int(self.totals[self._index(i)])

    def points(self, i: int) -> dict[str, int]:
        """Points per component (in `COMPONENTS` order) of candidate i, eligible or not."""
        i = self._index(i)
        return {name: int(values[i]) for name, values in self.component_points.items()}

    points_of = points  # the name batch matching uses

    def reason_counts(self) -> dict[str, int]:
        """How many candidates each hard filter excludes (filters that exclude nobody left
        out); a candidate with two reasons counts for both."""
        return {code: int(m.sum()) for code, m in self.masks.items() if m.any()}

    def reasons(self, i: int) -> list[Reason]:
        """Every hard filter that excludes candidate i, with the figures that decide it
        (empty when i is eligible)."""
        i = self._index(i)
        home, p = self.home, self.pool
        found = []
        for code in REASON_CODES:
            if not self.masks[code][i]:
                continue
            figures: dict[str, int | float | str] = {}
            if code == "too_few_rooms":
                figures = {"need": int(p.rooms_min[i]), "rooms": home.rooms}
            elif code == "no_ground_floor_or_lift":
                figures = {"floor": home.floor}
            elif code == "rent_above_limit":
                figures = {"rent": float(home.rent_eur), "limit": float(p.rent_limit[i])}
            elif code == "parked":
                figures = {"date": date.fromordinal(int(p.parked_until[i])).isoformat()}
            elif code == "age_outside_band":
                f = self.filters
                figures = {"age": int(self.ages[i]), "min": f.age_min, "max": f.age_max}
            elif code == "overhoused":
                figures = {
                    "rooms": home.rooms,
                    "need": int(p.room_need[i]),
                    "margin": self.filters.overhousing_margin,
                }
            reason = Reason(code, figures)
            found.append(reason)
        return found + self._added.get(i, [])

    def rows(self, limit: int | None = None) -> list[RankedCandidate]:
        """The eligible, best first (the first `limit` of them)."""
        order = self.eligible_order()
        if limit is not None:
            order = order[:limit]
        p = self.pool
        return [
            RankedCandidate(
                index=int(i),
                client_id=int(p.client_id[i]),
                candidate_number=p.candidate_numbers[i],
                total=int(self.totals[i]),
                points=self.points(int(i)),
                position=position,
            )
            for position, i in enumerate(order, start=1)
        ]

    def excluded_rows(self, limit: int | None = None) -> list[ExcludedCandidate]:
        """The excluded in pool order, each with its reasons."""
        indices = self.excluded_indices()
        if limit is not None:
            indices = indices[:limit]
        p = self.pool
        return [
            ExcludedCandidate(
                index=int(i),
                client_id=int(p.client_id[i]),
                candidate_number=p.candidate_numbers[i],
                reasons=self.reasons(int(i)),
            )
            for i in indices
        ]


def evaluate(
    home: HomeOffer,
    pool: Pool,
    config: ScoreConfig,
    today: date,
    filters: FilterConfig | None = None,
) -> Evaluation:
    """Hard filters (`filters`, the defaults when None) and points of every candidate in `pool`
    for `home` on `today`."""
    return Evaluation(home, pool, config, today, filters)

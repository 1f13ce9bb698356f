"""The eligibility-and-score core, tested like a library: no database.

`oracle` below is a deliberately plain reading of DOMAIN.md §3 "Homes and matching" — one
candidate at a time, Decimals and dates, loops — and hypothesis checks the vectorised core against
it on random pools, built both from `Candidate`s and from cursor-like columns.
"""

import functools
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from django.utils import translation
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from instroom.matching import cotenancy
from instroom.matching.constants import reason_text
from instroom.matching.core import (
    COMPONENTS,
    REASON_CODES,
    URGENCY_MAX,
    Candidate,
    FilterConfig,
    HomeOffer,
    Pool,
    ScoreConfig,
    evaluate,
)

TODAY = date(2026, 11, 23)
HAARLEM, ZANDVOORT, BLOEMENDAAL, VELSEN = 1, 2, 3, 4
MUNICIPALITIES = [HAARLEM, ZANDVOORT, BLOEMENDAAL, VELSEN]
NEIGHBOURHOODS = [11, 12, 21, 22]
PROVIDERS = [7, 8, 9]
RENTS = ["498.20", "650.00", "682.96", "737.14", "737.15", "812.00", "880.00"]


# --- the oracle ------------------------------------------------------------------------------


def whole_months(start: date, today: date) -> int:
    """Month anniversaries of `start` reached by `today`; an anniversary on a day the month
    lacks (the 31st of April) falls on the 1st of the next month."""
    count = 0
    while True:
        year, month = divmod(start.month - 1 + count + 1, 12)
        year, month = start.year + year, month + 1
        try:
            anniversary = date(year, month, start.day)
        except ValueError:
            anniversary = date(year + month // 12, month % 12 + 1, 1)
        if anniversary > today:
            return count
        count += 1


def age_on(born: date, today: date) -> int:
    """Whole years: birthdays counted one by one (29 February: the birthday falls on 1 March in
    a year without one)."""
    age = 0
    while True:
        year = born.year + age + 1
        try:
            birthday = date(year, born.month, born.day)
        except ValueError:
            birthday = date(year, 3, 1)
        if birthday > today:
            return age
        age += 1


def oracle_reasons(
    home: HomeOffer, c: Candidate, today: date, filters: FilterConfig | None = None
) -> list[str]:
    f = filters or FilterConfig()
    household_need = 1 if c.household_size <= 2 else c.household_size - 1
    need = max(c.rooms_min, household_need)
    checks = [
        ("excluded_municipality", home.municipality_id in c.excluded_municipality_ids),
        (
            "excluded_neighbourhood",
            home.neighbourhood_id is not None
            and home.neighbourhood_id in c.excluded_neighbourhood_ids,
        ),
        ("too_few_rooms", home.rooms < c.rooms_min),
        (
            "not_accessible",
            f.accessibility and c.needs_wheelchair_access and not home.wheelchair_accessible,
        ),
        (
            "no_ground_floor_or_lift",
            f.accessibility
            and c.needs_ground_floor_or_lift
            and home.floor != 0
            and not home.has_lift,
        ),
        ("rent_above_limit", c.rent_limit_eur is not None and home.rent_eur > c.rent_limit_eur),
        ("pets", f.pets and c.has_pets and not home.pets_allowed),
        (
            "age_outside_band",
            f.age_band
            and c.date_of_birth is not None
            and not f.age_min <= age_on(c.date_of_birth, today) <= f.age_max,
        ),
        ("not_local", f.local_tie and home.municipality_id != c.municipality_of_origin_id),
        ("overhoused", f.overhousing and home.rooms - need > f.overhousing_margin),
        ("cap_reached", home.cap_reached),
        ("parked", c.parked_until is not None and today < c.parked_until),
        (
            "support_provider_inactive",
            c.support_provider_id not in home.active_support_provider_ids,
        ),
    ]
    return [code for code, applies in checks if applies]


def oracle_points(home: HomeOffer, c: Candidate, config: ScoreConfig, today: date) -> dict:
    preference = 0
    if home.municipality_id in c.preferred_municipality_ids:
        place = c.preferred_municipality_ids.index(home.municipality_id)
        if place < len(config.preference_points):
            preference = config.preference_points[place]
    household_need = 1 if c.household_size <= 2 else c.household_size - 1
    extra_rooms = max(0, home.rooms - max(c.rooms_min, household_need))
    return {
        "preference": preference,
        "waiting": min(
            config.waiting_max_points,
            whole_months(c.approved_on, today) * config.waiting_points_per_month,
        ),
        "urgency": config.urgency_points_per_level * c.urgency,
        "fit": max(0, config.fit_points - config.overhousing_penalty_per_room * extra_rooms),
        "origin": config.origin_points
        if home.municipality_id == c.municipality_of_origin_id
        else 0,
    }


def oracle(
    home: HomeOffer,
    candidates: list[Candidate],
    config: ScoreConfig,
    today: date,
    filters: FilterConfig | None = None,
):
    """(client ids of the eligible best first, {client id: points}, {client id: reason codes})."""
    points = {c.client_id: oracle_points(home, c, config, today) for c in candidates}
    reasons = {c.client_id: oracle_reasons(home, c, today, filters) for c in candidates}
    total = {cid: sum(p.values()) for cid, p in points.items()}

    def better_first(a: Candidate, b: Candidate) -> int:
        if total[a.client_id] != total[b.client_id]:
            return -1 if total[a.client_id] > total[b.client_id] else 1
        if a.approved_on != b.approved_on:
            return -1 if a.approved_on < b.approved_on else 1
        if a.urgency != b.urgency:
            return -1 if a.urgency > b.urgency else 1
        return -1 if a.candidate_number < b.candidate_number else 1

    eligible = [c for c in candidates if not reasons[c.client_id]]
    eligible.sort(key=functools.cmp_to_key(better_first))
    return [c.client_id for c in eligible], points, reasons


# --- strategies ------------------------------------------------------------------------------

# Narrow ranges on purpose: equal totals, equal approval dates and equal urgencies are common,
# so the tie-breaks are exercised; month ends and leap days are in range.
candidate_fields = st.fixed_dictionaries(
    {
        "municipality_of_origin_id": st.sampled_from(MUNICIPALITIES),
        "preferred_municipality_ids": st.lists(
            st.sampled_from(MUNICIPALITIES), max_size=4, unique=True
        ).map(tuple),
        "excluded_municipality_ids": st.frozensets(st.sampled_from(MUNICIPALITIES), max_size=2),
        "excluded_neighbourhood_ids": st.frozensets(st.sampled_from(NEIGHBOURHOODS), max_size=2),
        "rooms_min": st.integers(1, 4),
        "household_size": st.integers(1, 6),
        "needs_ground_floor_or_lift": st.booleans(),
        "needs_wheelchair_access": st.booleans(),
        "has_pets": st.booleans(),
        "rent_limit_eur": st.one_of(st.none(), st.sampled_from(RENTS).map(Decimal)),
        "approved_on": st.one_of(
            st.sampled_from([date(2024, 1, 31), date(2024, 2, 29), date(2025, 5, 31)]),
            st.dates(date(2023, 1, 1), date(2027, 12, 31)),
        ),
        "urgency": st.integers(0, URGENCY_MAX),
        "parked_until": st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2027, 12, 31))),
        "support_provider_id": st.sampled_from(PROVIDERS),
        # Birthdays near the band's edges and 29 February are in range.
        "date_of_birth": st.one_of(
            st.none(),
            st.sampled_from([date(2000, 2, 29), date(2004, 2, 29), date(1999, 11, 23)]),
            st.dates(date(1955, 1, 1), date(2010, 12, 31)),
        ),
    }
)


@st.composite
def pools(draw, max_size: int = 60) -> list[Candidate]:
    rows = draw(st.lists(candidate_fields, max_size=max_size))
    numbers = draw(st.lists(st.integers(0, 99_999), min_size=len(rows), unique=True))
    client_ids = draw(st.lists(st.integers(1, 10**9), min_size=len(rows), unique=True))
    return [
        Candidate(client_id=cid, candidate_number=f"K-{number:05d}", **row)
        for cid, number, row in zip(client_ids, numbers, rows, strict=False)
    ]


homes = st.builds(
    HomeOffer,
    home_id=st.integers(1, 1000),
    municipality_id=st.sampled_from(MUNICIPALITIES),
    neighbourhood_id=st.one_of(st.none(), st.sampled_from(NEIGHBOURHOODS)),
    rooms=st.integers(1, 6),
    floor=st.integers(0, 5),
    has_lift=st.booleans(),
    wheelchair_accessible=st.booleans(),
    rent_eur=st.sampled_from(RENTS).map(Decimal),
    pets_allowed=st.booleans(),
    cap_reached=st.sampled_from([False, False, False, True]),
    active_support_provider_ids=st.frozensets(st.sampled_from(PROVIDERS)),
)
configs = st.builds(
    ScoreConfig,
    preference_points=st.lists(st.integers(0, 40), max_size=6).map(tuple),
    waiting_points_per_month=st.integers(0, 3),
    waiting_max_points=st.integers(0, 48),
    urgency_points_per_level=st.integers(0, 20),
    fit_points=st.integers(0, 20),
    overhousing_penalty_per_room=st.integers(0, 10),
    origin_points=st.integers(0, 10),
)
filter_configs = st.builds(
    FilterConfig,
    pets=st.booleans(),
    accessibility=st.booleans(),
    age_band=st.booleans(),
    age_min=st.integers(16, 30),
    age_max=st.integers(30, 70),
    local_tie=st.booleans(),
    overhousing=st.booleans(),
    overhousing_margin=st.integers(0, 3),
)
days = st.dates(date(2024, 1, 1), date(2027, 12, 31))


def columns_pool(candidates: list[Candidate], extra_padding: int) -> Pool:
    """The pool as a caller reading a cursor would build it: datetime64 dates with NaT,
    -1 padded id matrices (wider than needed), NaN for "no rent cap"."""

    def matrix(rows: list[list[int]]) -> np.ndarray:
        width = max((len(r) for r in rows), default=0) + extra_padding
        out = np.full((len(rows), max(width, 1)), -1)
        for i, r in enumerate(rows):
            out[i, : len(r)] = r
        return out

    return Pool.from_columns(
        candidate_numbers=[c.candidate_number for c in candidates],
        client_id=np.array([c.client_id for c in candidates]),
        municipality_of_origin_id=np.array([c.municipality_of_origin_id for c in candidates]),
        preferences=matrix([list(c.preferred_municipality_ids) for c in candidates]),
        excluded_municipalities=matrix([list(c.excluded_municipality_ids) for c in candidates]),
        excluded_neighbourhoods=matrix([list(c.excluded_neighbourhood_ids) for c in candidates]),
        rooms_min=np.array([c.rooms_min for c in candidates]),
        household_size=np.array([c.household_size for c in candidates]),
        needs_lift=np.array([c.needs_ground_floor_or_lift for c in candidates]),
        needs_wheelchair=np.array([c.needs_wheelchair_access for c in candidates]),
        has_pets=np.array([c.has_pets for c in candidates]),
        rent_limit=np.array(
            [np.nan if c.rent_limit_eur is None else float(c.rent_limit_eur) for c in candidates]
        ),
        approved_on=np.array([c.approved_on for c in candidates], dtype="datetime64[D]"),
        urgency=np.array([c.urgency for c in candidates]),
        parked_until=np.array([c.parked_until for c in candidates], dtype="datetime64[D]"),
        support_provider_id=np.array([c.support_provider_id for c in candidates]),
        date_of_birth=np.array([c.date_of_birth for c in candidates], dtype="datetime64[D]"),
    )


def ids_in_order(candidates: list[Candidate], home: HomeOffer, config=None, today=TODAY):
    evaluation = evaluate(home, Pool.from_candidates(candidates), config or ScoreConfig(), today)
    return [candidates[i].client_id for i in evaluation.eligible_order()]


# --- the core against the oracle -------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(
    pools(),
    homes,
    configs,
    days,
    st.one_of(st.none(), st.integers(0, 2)),
    st.one_of(st.none(), filter_configs),
)
def test_the_core_agrees_with_the_oracle(candidates, home, config, today, padding, filters) -> None:
    pool = (
        Pool.from_candidates(candidates)
        if padding is None
        else columns_pool(candidates, extra_padding=padding)
    )
    evaluation = evaluate(home, pool, config, today, filters)
    expected_order, expected_points, expected_reasons = oracle(
        home, candidates, config, today, filters
    )

    assert [candidates[i].client_id for i in evaluation.eligible_order()] == expected_order
    for i, c in enumerate(candidates):
        assert evaluation.points(i) == expected_points[c.client_id]
        assert evaluation.total(i) == sum(expected_points[c.client_id].values())
        assert [r.code for r in evaluation.reasons(i)] == expected_reasons[c.client_id]
    expected_counts = {
        code: n for code in REASON_CODES if (n := sum(code in r for r in expected_reasons.values()))
    }
    assert evaluation.reason_counts() == expected_counts
    rows = evaluation.rows()
    assert [r.position for r in rows] == list(range(1, len(rows) + 1))
    assert [(r.client_id, r.points, r.total) for r in rows] == [
        (cid, expected_points[cid], sum(expected_points[cid].values())) for cid in expected_order
    ]


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(pools(), homes, configs, days)
def test_eligible_and_excluded_partition_the_pool(candidates, home, config, today) -> None:
    evaluation = evaluate(home, Pool.from_candidates(candidates), config, today)
    eligible = set(evaluation.eligible_order().tolist())
    excluded = set(evaluation.excluded_indices().tolist())
    assert eligible.isdisjoint(excluded)
    assert eligible | excluded == set(range(len(candidates)))
    assert len(evaluation.eligible_order()) == len(eligible)  # nobody twice
    for i in range(len(candidates)):
        assert bool(evaluation.reasons(i)) == (i in excluded) == (not evaluation.is_eligible(i))
    assert [r.index for r in evaluation.excluded_rows()] == sorted(excluded)


@settings(max_examples=150, deadline=None)
@given(pools(), homes, configs, st.randoms(use_true_random=False))
def test_the_order_candidates_are_given_in_does_not_matter(candidates, home, config, rnd) -> None:
    first = ids_in_order(candidates, home, config)
    shuffled = list(candidates)
    rnd.shuffle(shuffled)
    assert ids_in_order(shuffled, home, config) == first


@settings(max_examples=150, deadline=None)
@given(pools(max_size=40), homes, configs, st.data())
def test_raising_urgency_never_lowers_a_position(candidates, home, config, data) -> None:
    assume(candidates)
    who = data.draw(st.sampled_from(candidates))
    before = ids_in_order(candidates, home, config)
    raised = [replace(c, urgency=c.urgency + 1) if c is who else c for c in candidates]
    after = ids_in_order(raised, home, config)
    assert (who.client_id in before) == (who.client_id in after)  # urgency is no filter
    if who.client_id in before:
        assert after.index(who.client_id) <= before.index(who.client_id)


@settings(max_examples=50, deadline=None)
@given(pools(), homes)
def test_a_home_whose_cap_is_reached_excludes_everybody(candidates, home) -> None:
    evaluation = evaluate(
        replace(home, cap_reached=True), Pool.from_candidates(candidates), ScoreConfig(), TODAY
    )
    assert len(evaluation.eligible_order()) == 0 and evaluation.rows() == []
    for i in range(len(candidates)):
        assert "cap_reached" in [r.code for r in evaluation.reasons(i)]
    assert evaluation.reason_counts().get("cap_reached", 0) == len(candidates)


def dutch_money(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


@settings(max_examples=100, deadline=None)
@given(pools(max_size=15), homes, days)
def test_each_reason_names_its_figures(candidates, home, today) -> None:
    evaluation = evaluate(home, Pool.from_candidates(candidates), ScoreConfig(), today)
    for i, c in enumerate(candidates):
        for reason in evaluation.reasons(i):
            with translation.override("en"):
                english = reason_text(reason)
            with translation.override("nl"):
                dutch = reason_text(reason)
            assert english and dutch and english != dutch, reason.code
            if reason.code == "too_few_rooms":
                for text in (english, dutch):
                    assert f"{c.rooms_min} " in text and f" {home.rooms}." in text
            elif reason.code == "no_ground_floor_or_lift":
                assert f"floor {home.floor} " in english
                assert f"verdieping {home.floor} " in dutch
            elif reason.code == "rent_above_limit":
                assert c.rent_limit_eur is not None
                assert f"€ {home.rent_eur:.2f}" in english
                assert f"€ {c.rent_limit_eur:.2f}" in english
                assert f"€ {dutch_money(home.rent_eur)}" in dutch
                assert dutch_money(c.rent_limit_eur) in dutch
            elif reason.code == "parked":
                assert c.parked_until is not None
                assert c.parked_until.isoformat() in english
                assert c.parked_until.isoformat() in dutch


# --- examples a user would recognise ---------------------------------------------------------


def candidate(**overrides) -> Candidate:
    fields: dict = dict(
        client_id=1,
        candidate_number="K-00001",
        municipality_of_origin_id=HAARLEM,
        preferred_municipality_ids=(HAARLEM, ZANDVOORT),
        excluded_municipality_ids=frozenset(),
        excluded_neighbourhood_ids=frozenset(),
        rooms_min=1,
        household_size=1,
        needs_ground_floor_or_lift=False,
        needs_wheelchair_access=False,
        has_pets=False,
        rent_limit_eur=Decimal("737.14"),
        approved_on=date(2026, 1, 10),
        urgency=0,
        parked_until=None,
        support_provider_id=7,
    )
    fields.update(overrides)
    return Candidate(**fields)


def home(**overrides) -> HomeOffer:
    fields: dict = dict(
        home_id=1,
        municipality_id=HAARLEM,
        neighbourhood_id=11,
        rooms=2,
        floor=0,
        has_lift=False,
        wheelchair_accessible=False,
        rent_eur=Decimal("650.00"),
        pets_allowed=True,
        cap_reached=False,
        active_support_provider_ids=frozenset({7}),
    )
    fields.update(overrides)
    return HomeOffer(**fields)


def only(candidate: Candidate, offer: HomeOffer, today: date = TODAY):
    return evaluate(offer, Pool.from_candidates([candidate]), ScoreConfig(), today)


def codes(evaluation, i: int = 0) -> list[str]:
    return [r.code for r in evaluation.reasons(i)]


def test_a_client_who_excluded_haarlem_is_never_eligible_for_a_haarlem_home() -> None:
    no_haarlem = candidate(
        client_id=2, candidate_number="K-00002", excluded_municipality_ids=frozenset({HAARLEM})
    )
    others = [candidate(client_id=i, candidate_number=f"K-{i:05d}") for i in (3, 4)]
    evaluation = evaluate(
        home(municipality_id=HAARLEM),
        Pool.from_candidates([no_haarlem, *others]),
        ScoreConfig(),
        TODAY,
    )
    assert 2 not in [r.client_id for r in evaluation.rows()]
    assert codes(evaluation, 0) == ["excluded_municipality"]
    # The same client is a candidate for a home in Zandvoort.
    assert codes(only(no_haarlem, home(municipality_id=ZANDVOORT))) == []


def test_an_excluded_neighbourhood_excludes_only_that_neighbourhood() -> None:
    client = candidate(excluded_neighbourhood_ids=frozenset({11}))
    assert codes(only(client, home(neighbourhood_id=11))) == ["excluded_neighbourhood"]
    assert codes(only(client, home(neighbourhood_id=12))) == []
    assert codes(only(client, home(neighbourhood_id=None))) == []


def test_rent_equal_to_the_limit_is_allowed_one_cent_more_is_not() -> None:
    client = candidate(rent_limit_eur=Decimal("737.14"))
    assert codes(only(client, home(rent_eur=Decimal("737.14")))) == []
    assert codes(only(client, home(rent_eur=Decimal("737.15")))) == ["rent_above_limit"]
    assert codes(only(candidate(rent_limit_eur=None), home(rent_eur=Decimal("1200.00")))) == []


def test_the_rent_reason_reads_well_in_english_and_dutch() -> None:
    evaluation = only(candidate(), home(rent_eur=Decimal("812.00")))
    [reason] = evaluation.reasons(0)
    with translation.override("en"):
        assert reason_text(reason) == (
            "Rent € 812.00 is above this client's passend-toewijzen limit of € 737.14."
        )
    with translation.override("nl"):
        assert "812,00" in reason_text(reason) and "737,14" in reason_text(reason)


def test_a_parked_client_is_matchable_again_on_the_day_the_parking_ends() -> None:
    client = candidate(parked_until=date(2027, 3, 1))
    [reason] = only(client, home(), today=date(2027, 2, 28)).reasons(0)
    assert reason.code == "parked"
    with translation.override("en"):
        assert reason_text(reason) == "Parked until 2027-03-01."
    assert codes(only(client, home(), today=date(2027, 3, 1))) == []


def test_rooms_accessibility_pets_and_support_provider() -> None:
    assert codes(only(candidate(rooms_min=2), home(rooms=1))) == ["too_few_rooms"]
    with translation.override("en"):
        assert reason_text(only(candidate(rooms_min=2), home(rooms=1)).reasons(0)[0]) == (
            "Needs at least 2 rooms; the home has 1."
        )
    wheelchair = candidate(needs_wheelchair_access=True)
    assert codes(only(wheelchair, home(wheelchair_accessible=False))) == ["not_accessible"]
    assert codes(only(wheelchair, home(wheelchair_accessible=True))) == []
    lift = candidate(needs_ground_floor_or_lift=True)
    assert codes(only(lift, home(floor=2, has_lift=False))) == ["no_ground_floor_or_lift"]
    assert codes(only(lift, home(floor=2, has_lift=True))) == []
    assert codes(only(lift, home(floor=0, has_lift=False))) == []
    assert codes(only(candidate(has_pets=True), home(pets_allowed=False))) == ["pets"]
    assert codes(only(candidate(support_provider_id=8), home())) == ["support_provider_inactive"]


def test_every_reason_at_once_in_the_documented_order() -> None:
    client = candidate(
        excluded_municipality_ids=frozenset({HAARLEM}),
        excluded_neighbourhood_ids=frozenset({11}),
        rooms_min=3,
        needs_wheelchair_access=True,
        needs_ground_floor_or_lift=True,
        has_pets=True,
        parked_until=TODAY + timedelta(days=1),
        support_provider_id=9,
        municipality_of_origin_id=ZANDVOORT,
        date_of_birth=date(1960, 1, 1),
    )
    offer = home(rooms=2, floor=3, rent_eur=Decimal("800.00"), pets_allowed=False, cap_reached=True)
    filters = FilterConfig(age_band=True, age_max=27, local_tie=True, overhousing=True)
    evaluation = evaluate(offer, Pool.from_candidates([client]), ScoreConfig(), TODAY, filters)
    # Too few rooms and too many rooms exclude each other.
    assert codes(evaluation) == [c for c in REASON_CODES if c != "overhoused"]


def test_points_per_component_for_a_worked_example() -> None:
    evaluation = only(candidate(urgency=1, approved_on=date(2025, 11, 23)), home(rooms=3))
    # 1st preference 30; 12 whole months 12; urgency 1 → 10; 3 rooms where 1 is needed:
    # 10 − 2 × 5 = 0; Haarlem is the municipality of origin 5.
    assert evaluation.points(0) == {
        "preference": 30,
        "waiting": 12,
        "urgency": 10,
        "fit": 0,
        "origin": 5,
    }
    assert list(evaluation.points(0)) == list(COMPONENTS)
    assert evaluation.total(0) == 57 == evaluation.rows()[0].total


def test_waiting_points_stop_at_the_maximum_and_count_whole_months() -> None:
    assert only(candidate(approved_on=date(2020, 1, 1)), home()).points(0)["waiting"] == 24
    assert only(candidate(approved_on=date(2026, 10, 24)), home()).points(0)["waiting"] == 0
    assert only(candidate(approved_on=date(2026, 10, 23)), home()).points(0)["waiting"] == 1


def test_a_family_of_four_is_not_overhoused_in_three_rooms() -> None:
    family = candidate(household_size=4, rooms_min=2)
    assert only(family, home(rooms=3)).points(0)["fit"] == 10
    assert only(family, home(rooms=4)).points(0)["fit"] == 5
    assert only(candidate(household_size=1), home(rooms=5)).points(0)["fit"] == 0


def test_ties_go_to_the_longest_waiting_then_urgency_then_candidate_number() -> None:
    config = ScoreConfig(waiting_points_per_month=0, urgency_points_per_level=0)
    early = candidate(client_id=1, candidate_number="K-00009", approved_on=date(2025, 1, 1))
    late = candidate(client_id=2, candidate_number="K-00001", approved_on=date(2025, 6, 1))
    urgent = candidate(
        client_id=3, candidate_number="K-00008", approved_on=date(2025, 6, 1), urgency=2
    )
    low_number = candidate(client_id=4, candidate_number="K-00000", approved_on=date(2025, 6, 1))
    got = ids_in_order([late, low_number, urgent, early], home(), config)
    assert got == [1, 3, 4, 2]


def test_rows_and_excluded_rows_describe_the_candidates() -> None:
    pool = Pool.from_candidates(
        [
            candidate(client_id=10, candidate_number="K-00010", urgency=2),
            candidate(client_id=11, candidate_number="K-00011", has_pets=True),
            candidate(client_id=12, candidate_number="K-00012"),
        ]
    )
    evaluation = evaluate(home(pets_allowed=False), pool, ScoreConfig(), TODAY)
    rows = evaluation.rows()
    assert [(r.position, r.index, r.client_id, r.candidate_number) for r in rows] == [
        (1, 0, 10, "K-00010"),
        (2, 2, 12, "K-00012"),
    ]
    assert evaluation.rows(limit=1) == rows[:1]
    [excluded] = evaluation.excluded_rows()
    assert (excluded.index, excluded.client_id, excluded.candidate_number) == (1, 11, "K-00011")
    assert [r.code for r in excluded.reasons] == ["pets"]
    assert evaluation.reason_counts() == {"pets": 1}
    with pytest.raises(IndexError):
        evaluation.points(3)
    with pytest.raises(IndexError):
        evaluation.reasons(-1)


def test_an_empty_pool() -> None:
    evaluation = evaluate(home(), Pool.from_candidates([]), ScoreConfig(), TODAY)
    assert len(evaluation.pool) == 0
    assert evaluation.rows() == [] and evaluation.excluded_rows() == []
    assert evaluation.reason_counts() == {}


# --- building a pool -------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(pools(max_size=20))
def test_a_pool_gives_back_the_candidates_it_was_made_of(candidates) -> None:
    for pool in (Pool.from_candidates(candidates), columns_pool(candidates, extra_padding=1)):
        assert len(pool) == len(candidates)
        assert [pool.candidate(i) for i in range(len(pool))] == candidates


def test_from_columns_accepts_day_ordinals_and_dates() -> None:
    c = candidate(parked_until=date(2027, 1, 1))
    base = columns_pool([c], extra_padding=0)
    for approved, parked in [
        ([c.approved_on.toordinal()], [date(2027, 1, 1).toordinal()]),
        ([c.approved_on], [date(2027, 1, 1)]),
    ]:
        pool = Pool.from_columns(
            **{**_columns_of(base), "approved_on": approved, "parked_until": parked}
        )
        assert pool.candidate(0) == c
    unparked = Pool.from_columns(**{**_columns_of(base), "parked_until": [Pool.NO_DATE]})
    assert unparked.candidate(0).parked_until is None
    unparked = Pool.from_columns(**{**_columns_of(base), "parked_until": [None]})
    assert unparked.candidate(0).parked_until is None


def _columns_of(pool: Pool) -> dict:
    names = [
        "client_id",
        "municipality_of_origin_id",
        "preferences",
        "excluded_municipalities",
        "excluded_neighbourhoods",
        "rooms_min",
        "household_size",
        "needs_lift",
        "needs_wheelchair",
        "has_pets",
        "rent_limit",
        "approved_on",
        "urgency",
        "parked_until",
        "support_provider_id",
    ]
    return {"candidate_numbers": pool.candidate_numbers, "date_of_birth": pool.born} | {
        n: getattr(pool, n) for n in names
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"urgency": [0, 1, 2]}, "urgency"),
        ({"preferences": [1, 2]}, "preferences"),
        ({"candidate_numbers": ["K-00001", "K-00001"]}, "unique"),
        ({"approved_on": np.array(["NaT", "2026-01-01"], dtype="datetime64[D]")}, "approved_on"),
    ],
)
def test_from_columns_refuses_columns_that_do_not_fit(change, message) -> None:
    two = Pool.from_candidates([candidate(), candidate(client_id=2, candidate_number="K-00002")])
    with pytest.raises(ValueError, match=message):
        Pool.from_columns(**{**_columns_of(two), **change})


def test_the_pool_may_have_no_preferences_or_exclusions_at_all() -> None:
    base = _columns_of(Pool.from_candidates([candidate(preferred_municipality_ids=())]))
    empty = np.empty((1, 0), dtype=np.int64)
    pool = Pool.from_columns(
        **base
        | {"preferences": empty, "excluded_municipalities": [], "excluded_neighbourhoods": empty}
    )
    evaluation = evaluate(home(), pool, ScoreConfig(), TODAY)
    assert evaluation.points(0)["preference"] == 0 and codes(evaluation) == []


# --- configuration ---------------------------------------------------------------------------


def test_configuration_from_a_dict() -> None:
    assert ScoreConfig.from_dict({}) == ScoreConfig()
    config = ScoreConfig.from_dict({"preference_points": [50, 25], "origin_points": 0})
    assert config.preference_points == (50, 25) and config.origin_points == 0
    assert config.waiting_max_points == ScoreConfig().waiting_max_points
    hash(config)  # frozen and hashable, also when given a list


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"fit_points": -1}, "fit_points"),
        ({"waiting_max_points": 2.5}, "waiting_max_points"),
        ({"origin_points": "5"}, "origin_points"),
        ({"urgency_points_per_level": True}, "urgency_points_per_level"),
        ({"preference_points": [30, "x"]}, "preference_points"),
        ({"preference_points": [30, -1]}, "preference_points"),
        ({"preference_points": 30}, "preference_points"),
        ({"colour": 3}, "colour"),
    ],
)
def test_a_bad_configuration_names_the_key(data, key) -> None:
    with pytest.raises(ValueError, match=key):
        ScoreConfig.from_dict(data)


def test_a_bad_configuration_is_refused_when_constructed_directly_too() -> None:
    with pytest.raises(ValueError, match="overhousing_penalty_per_room"):
        ScoreConfig(overhousing_penalty_per_room=-5)


def test_whole_months_oracle_on_month_ends() -> None:
    # The oracle itself, on the cases that are easy to get wrong.
    assert whole_months(date(2024, 1, 31), date(2024, 2, 29)) == 0
    assert whole_months(date(2024, 1, 31), date(2024, 3, 1)) == 1
    assert whole_months(date(2024, 1, 31), date(2024, 3, 31)) == 2
    assert whole_months(date(2024, 2, 29), date(2025, 2, 28)) == 11
    assert whole_months(date(2024, 2, 29), date(2025, 3, 1)) == 12
    assert whole_months(date(2026, 12, 1), date(2026, 11, 30)) == 0


def test_urgency_has_one_range_everywhere() -> None:
    """The table's levels (the form, the API's choices, the model) are exactly the core's range."""
    from instroom.assessment.constants import Urgency

    assert sorted(Urgency.values) == list(range(URGENCY_MAX + 1))


def test_every_reason_code_has_its_wording() -> None:
    from instroom.matching.constants import REASON_LABELS, REASON_MESSAGES

    assert set(REASON_LABELS) == set(REASON_MESSAGES) == set(REASON_CODES) | set(cotenancy.CODES)

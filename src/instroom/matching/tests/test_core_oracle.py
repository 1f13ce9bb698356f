"""The vectorised core against a deliberately plain oracle: one candidate at a time, in loops,
written from DOMAIN.md's rules and not from the core's code."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from instroom.matching.core import Candidate, HomeOffer, Pool, ScoreConfig, evaluate

TODAY = date(2026, 11, 23)
MUNICIPALITIES = [1, 2, 3, 4]
NEIGHBOURHOODS = [11, 12, 21, 22]
PROVIDERS = [7, 8, 9]


def months(start: date, today: date) -> int:
    whole = (today.year - start.year) * 12 + today.month - start.month
    if today.day < start.day:
        whole -= 1
    return max(whole, 0)


def oracle(home: HomeOffer, candidates: list[Candidate], config: ScoreConfig, today: date):
    """(eligible client ids best first with their points, {client id: reason codes})."""
    eligible, excluded = [], {}
    for c in candidates:
        reasons = []
        if home.municipality_id in c.excluded_municipality_ids:
            reasons.append("excluded_municipality")
        if (
            home.neighbourhood_id is not None
            and home.neighbourhood_id in c.excluded_neighbourhood_ids
        ):
            reasons.append("excluded_neighbourhood")
        if c.rooms_min > home.rooms:
            reasons.append("too_few_rooms")
        if c.needs_wheelchair_access and not home.wheelchair_accessible:
            reasons.append("not_accessible")
        if c.needs_ground_floor_or_lift and home.floor > 0 and not home.has_lift:
            reasons.append("no_ground_floor_or_lift")
        if c.rent_limit_eur is not None and home.rent_eur > c.rent_limit_eur:
            reasons.append("rent_above_limit")
        if c.has_pets and not home.pets_allowed:
            reasons.append("pets")
        if home.cap_reached:
            reasons.append("cap_reached")
        if c.parked_until is not None and c.parked_until > today:
            reasons.append("parked")
        if c.support_provider_id not in home.active_support_provider_ids:
            reasons.append("support_provider_inactive")
        if reasons:
            excluded[c.client_id] = reasons
            continue
        points = {"preference": 0}
        for rank, municipality in enumerate(c.preferred_municipality_ids):
            if municipality == home.municipality_id:
                if rank < len(config.preference_points):
                    points["preference"] = config.preference_points[rank]
                break
        points["waiting"] = min(
            months(c.approved_on, today) * config.waiting_points_per_month,
            config.waiting_max_points,
        )
        points["urgency"] = c.urgency * config.urgency_points_per_level
        need = max(c.rooms_min, c.household_size - 1, 1)
        points["fit"] = max(
            config.fit_points - max(home.rooms - need, 0) * config.overhousing_penalty_per_room, 0
        )
        points["origin"] = (
            config.origin_points if c.municipality_of_origin_id == home.municipality_id else 0
        )
        eligible.append((c, points, sum(points.values())))
    eligible.sort(key=lambda e: (-e[2], e[0].approved_on, -e[0].urgency, e[0].candidate_number))
    return [(c.client_id, points) for c, points, _t in eligible], excluded


candidates_strategy = st.builds(
    Candidate,
    client_id=st.integers(1, 10**6),
    candidate_number=st.text("ABCDEF0123456789", min_size=6, max_size=6),
    municipality_of_origin_id=st.sampled_from(MUNICIPALITIES),
    preferred_municipality_ids=st.lists(
        st.sampled_from(MUNICIPALITIES), max_size=4, unique=True
    ).map(tuple),
    excluded_municipality_ids=st.frozensets(st.sampled_from(MUNICIPALITIES), max_size=2),
    excluded_neighbourhood_ids=st.frozensets(st.sampled_from(NEIGHBOURHOODS), max_size=2),
    rooms_min=st.integers(1, 4),
    household_size=st.integers(1, 5),
    needs_ground_floor_or_lift=st.booleans(),
    needs_wheelchair_access=st.booleans(),
    has_pets=st.booleans(),
    rent_limit_eur=st.one_of(
        st.none(), st.decimals(min_value=500, max_value=900, places=2, allow_nan=False)
    ),
    approved_on=st.dates(TODAY - timedelta(days=1500), TODAY + timedelta(days=5)),
    urgency=st.integers(0, 2),
    parked_until=st.one_of(
        st.none(), st.dates(TODAY - timedelta(days=60), TODAY + timedelta(days=60))
    ),
    support_provider_id=st.sampled_from(PROVIDERS),
)
homes_strategy = st.builds(
    HomeOffer,
    home_id=st.just(1),
    municipality_id=st.sampled_from(MUNICIPALITIES),
    neighbourhood_id=st.one_of(st.none(), st.sampled_from(NEIGHBOURHOODS)),
    rooms=st.integers(1, 5),
    floor=st.integers(0, 4),
    has_lift=st.booleans(),
    wheelchair_accessible=st.booleans(),
    rent_eur=st.decimals(min_value=450, max_value=950, places=2, allow_nan=False),
    pets_allowed=st.booleans(),
    cap_reached=st.sampled_from([False, False, False, False, True]),
    active_support_provider_ids=st.frozensets(st.sampled_from(PROVIDERS), min_size=1),
)
configs = st.builds(
    ScoreConfig,
    preference_points=st.lists(st.integers(0, 40), max_size=4).map(tuple),
    waiting_points_per_month=st.integers(0, 3),
    waiting_max_points=st.integers(0, 40),
    urgency_points_per_level=st.integers(0, 20),
    fit_points=st.integers(0, 20),
    overhousing_penalty_per_room=st.integers(0, 10),
    origin_points=st.integers(0, 10),
)


def unique_pool(cands: list[Candidate]) -> list[Candidate]:
    seen_ids, seen_numbers, out = set(), set(), []
    for c in cands:
        if c.client_id in seen_ids or c.candidate_number in seen_numbers:
            continue
        seen_ids.add(c.client_id)
        seen_numbers.add(c.candidate_number)
        out.append(c)
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(candidates_strategy, max_size=60), homes_strategy, configs)
def test_the_core_agrees_with_the_oracle(cands, home, config) -> None:
    cands = unique_pool(cands)
    evaluation = evaluate(home, Pool.from_candidates(cands), config, TODAY)
    expected_order, expected_excluded = oracle(home, cands, config, TODAY)
    got = [(r.client_id, r.points) for r in evaluation.rows()]
    assert got == expected_order
    excluded = {
        int(cands[i].client_id): [r.code for r in evaluation.reasons(int(i))]
        for i in evaluation.excluded_indices()
    }
    assert excluded == expected_excluded
    # Eligible and excluded partition the pool.
    assert len(got) + len(excluded) == len(cands)


@settings(max_examples=100, deadline=None)
@given(st.lists(candidates_strategy, max_size=40), homes_strategy, st.randoms())
def test_the_order_candidates_are_given_in_does_not_matter(cands, home, rnd) -> None:
    cands = unique_pool(cands)
    first = [
        r.client_id
        for r in evaluate(home, Pool.from_candidates(cands), ScoreConfig(), TODAY).rows()
    ]
    rnd.shuffle(cands)
    second = [
        r.client_id
        for r in evaluate(home, Pool.from_candidates(cands), ScoreConfig(), TODAY).rows()
    ]
    assert first == second


@settings(max_examples=100, deadline=None)
@given(st.lists(candidates_strategy, min_size=1, max_size=30), homes_strategy, st.data())
def test_raising_urgency_never_lowers_a_position(cands, home, data) -> None:
    cands = unique_pool(cands)
    pick = data.draw(st.integers(0, len(cands) - 1))
    before = [
        r.client_id
        for r in evaluate(home, Pool.from_candidates(cands), ScoreConfig(), TODAY).rows()
    ]
    who = cands[pick]
    raised = [
        Candidate(**{**c.__dict__, "urgency": c.urgency + 1}) if c is who else c for c in cands
    ]
    after = [
        r.client_id
        for r in evaluate(home, Pool.from_candidates(raised), ScoreConfig(), TODAY).rows()
    ]
    if who.client_id in before:
        assert after.index(who.client_id) <= before.index(who.client_id)


def candidate(**overrides) -> Candidate:
    fields = dict(
        client_id=1,
        candidate_number="K-000001",
        municipality_of_origin_id=1,
        preferred_municipality_ids=(1, 2),
        excluded_municipality_ids=frozenset(),
        excluded_neighbourhood_ids=frozenset(),
        rooms_min=1,
        household_size=1,
        needs_ground_floor_or_lift=False,
        needs_wheelchair_access=False,
        has_pets=False,
        rent_limit_eur=Decimal("682.96"),
        approved_on=date(2026, 1, 10),
        urgency=0,
        parked_until=None,
        support_provider_id=7,
    )
    fields.update(overrides)
    return Candidate(**fields)


def home(**overrides) -> HomeOffer:
    fields = dict(
        home_id=1,
        municipality_id=1,
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


def test_a_client_who_excluded_the_municipality_is_never_eligible_there() -> None:
    evaluation = evaluate(
        home(),
        Pool.from_candidates([candidate(excluded_municipality_ids=frozenset({1}))]),
        ScoreConfig(),
        TODAY,
    )
    assert evaluation.rows() == []
    assert [r.code for r in evaluation.reasons(0)] == ["excluded_municipality"]


def test_reasons_name_the_figures() -> None:
    evaluation = evaluate(
        home(rent_eur=Decimal("812.00"), rooms=1, floor=3),
        Pool.from_candidates(
            [candidate(rooms_min=2, needs_ground_floor_or_lift=True, parked_until=date(2027, 3, 1))]
        ),
        ScoreConfig(),
        TODAY,
    )
    text = {r.code: str(r) for r in evaluation.reasons(0)}
    assert "812,00" in text["rent_above_limit"] and "682,96" in text["rent_above_limit"]
    assert "2" in text["too_few_rooms"] and "1" in text["too_few_rooms"]
    assert "3" in text["no_ground_floor_or_lift"]
    assert "2027-03-01" in text["parked"]


def test_a_capped_home_excludes_everybody() -> None:
    cands = [candidate(client_id=i, candidate_number=f"K-{i:06d}") for i in range(5)]
    evaluation = evaluate(home(cap_reached=True), Pool.from_candidates(cands), ScoreConfig(), TODAY)
    assert evaluation.rows() == [] and evaluation.reason_counts() == {"cap_reached": 5}


def test_points_per_component_for_a_worked_example() -> None:
    evaluation = evaluate(
        home(rooms=3),
        Pool.from_candidates([candidate(urgency=1, approved_on=date(2025, 11, 23))]),
        ScoreConfig(),
        TODAY,
    )
    # 1st preference 30; 12 whole months 12; urgency 10; 3 rooms for 1 needed: 10 - 2×5 = 0;
    # own municipality 5.
    assert evaluation.rows()[0].points == {
        "preference": 30,
        "waiting": 12,
        "urgency": 10,
        "fit": 0,
        "origin": 5,
    }
    assert evaluation.rows()[0].total == 57


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"fit_points": -1}, "fit_points"),
        ({"preference_points": [1, "x"]}, "preference_points"),
        ({"colour": 3}, "colour"),
    ],
)
def test_bad_configuration_names_the_key(data, key) -> None:
    with pytest.raises(ValueError, match=key):
        ScoreConfig.from_dict(data)


@settings(max_examples=50, deadline=None)
@given(st.lists(candidates_strategy, max_size=20))
def test_a_pool_gives_back_the_candidates_it_was_made_of(cands) -> None:
    cands = unique_pool(cands)
    pool = Pool.from_candidates(cands)
    assert [pool.candidate(i) for i in range(len(pool))] == cands

"""The batch solver against oracles: scipy's assignment without caps, the MIP against the flow
with nested caps, brute force on tiny instances, and an independent checker on every result."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from instroom.matching.solver import (
    FLOW,
    MIP,
    Caps,
    HomeSlot,
    NotNested,
    Problem,
    greedy_by_score,
    one_home_at_a_time,
    solve,
    solve_flow,
    solve_mip,
    violations,
    without_caps,
)


def instance(seed: int, n: int, m: int, density: float, caps: bool, corporations: bool = False):
    rng = np.random.default_rng(seed)
    towns = [f"GM{i}" for i in range(3)]
    homes = []
    for _h in range(m):
        town = towns[rng.integers(len(towns))]
        hood = f"{town}-B{rng.integers(3)}" if rng.random() < 0.8 else None
        complex_ = f"{hood}-C{rng.integers(2)}" if hood and rng.random() < 0.7 else None
        homes.append(HomeSlot(town, hood, complex_, f"corp{rng.integers(2)}"))
    mask = rng.random((n, m)) < density
    c, h = np.nonzero(mask)
    scores = rng.integers(0, 60, size=len(c))
    limits = Caps()
    if caps:
        limits = Caps(
            municipality={t: int(rng.integers(0, 4)) for t in towns},
            neighbourhood={s.neighbourhood: 2 for s in homes if s.neighbourhood},
            complex={s.complex: 1 for s in homes if s.complex},
            corporation={"corp0": int(rng.integers(1, 3))} if corporations else {},
        )
    return Problem(
        n, homes, c.astype(np.int64), h.astype(np.int64), scores.astype(np.int64), limits
    )


def brute_force(problem: Problem) -> int:
    edges = list(
        zip(
            problem.edge_candidate.tolist(),
            problem.edge_home.tolist(),
            problem.edge_score.tolist(),
            strict=True,
        )
    )
    best = 0
    for size in range(len(edges) + 1):
        for chosen in itertools.combinations(edges, size):
            pairs = [(c, h) for c, h, _s in chosen]
            if not violations(problem, pairs):
                best = max(best, sum(s for _c, _h, s in chosen))
    return best


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 40), st.integers(1, 40), st.floats(0.02, 0.5))
def test_without_caps_the_flow_equals_scipys_optimal_assignment(seed, n, m, density) -> None:
    problem = instance(seed, n, m, density, caps=False)
    solution = solve_flow(problem)
    matrix = np.zeros((n, m), dtype=np.int64)
    matrix[problem.edge_candidate, problem.edge_home] = problem.edge_score
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    assert solution.total == int(matrix[rows, cols].sum())
    assert violations(problem, solution.pairs) == []


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 30), st.integers(1, 30), st.floats(0.05, 0.5))
def test_with_nested_caps_the_flow_and_the_mip_agree(seed, n, m, density) -> None:
    problem = instance(seed, n, m, density, caps=True)
    flow, mip = solve_flow(problem), solve_mip(problem)
    assert flow.total == mip.total
    assert mip.optimal and mip.gap == 0.0
    assert violations(problem, flow.pairs) == [] and violations(problem, mip.pairs) == []


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 4), st.integers(1, 4), st.booleans())
def test_tiny_instances_match_brute_force(seed, n, m, corporations) -> None:
    problem = instance(seed, n, m, 0.6, caps=True, corporations=corporations)
    solution = solve(problem)
    assert solution.total == brute_force(problem)
    assert violations(problem, solution.pairs) == []
    assert solution.method == (MIP if problem.caps.corporation else FLOW)


def test_a_cap_per_corporation_crosses_the_hierarchy_and_goes_to_the_mip() -> None:
    problem = instance(7, 20, 12, 0.4, caps=True, corporations=True)
    with pytest.raises(NotNested):
        solve_flow(problem)
    solution = solve(problem)
    assert solution.method == MIP and solution.optimal
    assert violations(problem, solution.pairs) == []


def test_the_scarce_candidate_gets_the_only_home_that_fits() -> None:
    """Home 0 fits both; home 1 fits only candidate 1. One home at a time gives home 0 to its
    best candidate (1) and home 1 stays empty; the batch gives both."""
    problem = Problem(
        2,
        [HomeSlot("GM1"), HomeSlot("GM1")],
        np.array([0, 1, 1]),
        np.array([0, 0, 1]),
        np.array([10, 11, 9]),
    )
    assert solve(problem).total == 19
    assert sorted(solve(problem).pairs) == [(0, 0), (1, 1)]
    assert one_home_at_a_time(problem) == 11
    assert greedy_by_score(problem) == 11


def test_caps_lower_the_total_and_are_kept() -> None:
    problem = instance(3, 30, 20, 0.3, caps=True)
    capped, free = solve(problem), solve(without_caps(problem))
    assert capped.total <= free.total
    assert violations(problem, capped.pairs) == []
    assert violations(problem, free.pairs)  # the unconstrained optimum breaks some cap


def test_the_checker_finds_every_kind_of_violation() -> None:
    problem = Problem(
        2,
        [HomeSlot("GM1", "B1", "C1"), HomeSlot("GM1", "B1", "C1")],
        np.array([0, 1, 0]),
        np.array([0, 1, 1]),
        np.array([5, 5, 5]),
        Caps(complex={"C1": 1}),
    )
    assert violations(problem, [(0, 0), (1, 1)]) == ["complex C1: 2 placed, cap 1"]
    assert "a candidate has two homes" in violations(problem, [(0, 0), (0, 1)])
    assert "pair (1, 0) is not eligible" in violations(problem, [(1, 0)])


@pytest.mark.django_db
def test_the_batch_for_a_region_keeps_every_filter_and_cap(cast) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    from instroom.homes.tests.factories import make_home
    from instroom.matching import batch
    from instroom.matching.tests.factories import make_approved

    a = cast.region.municipalities.order_by("cbs_code").first()
    cast.region.cap_per_complex = 1
    cast.region.save()
    first, second = make_approved(cast), make_approved(cast)
    make_home(cast.corporation_user, cast.corporation, municipality=a, complex_code="C-1")
    make_home(cast.corporation_user, cast.corporation, municipality=a, complex_code="C-1")
    report = batch.run(cast.region)
    # Two candidates fit both homes, but the complex takes one more placement only.
    assert len(report.pairs) == 1
    assert report.unconstrained_total >= report.solution.total > 0
    assert {p.application_id for p in report.pairs} <= {first.pk, second.pk}
    out = StringIO()
    call_command("match-batch", region=cast.region.slug, dry_run=True, format="json", stdout=out)
    assert '"price_of_fairness"' in out.getvalue()
    from instroom.matching.models import BatchRun, Match

    assert not BatchRun.objects.exists()
    stored = StringIO()
    call_command("match-batch", region=cast.region.slug, stdout=stored)
    assert "stored for review" in stored.getvalue()
    assert BatchRun.objects.get().status == "done" and not Match.objects.exists()
    with pytest.raises(CommandError):
        call_command("match-batch", region="nergens", dry_run=True, stdout=StringIO())


@pytest.mark.parametrize("method", [solve_flow, solve_mip])
def test_a_neighbourhood_named_like_a_placeholder_cannot_take_another_homes_place(method) -> None:
    # Home 0 lies in a neighbourhood literally called "@GM1" with no places left; home 1 lies
    # in GM1 without a neighbourhood, in a complex. Only home 0 is capped.
    homes = [HomeSlot("GM1", "@GM1"), HomeSlot("GM1", None, "C-1")]
    problem = Problem(
        2,
        homes,
        np.array([0, 1]),
        np.array([0, 1]),
        np.array([50, 40]),
        Caps(neighbourhood={"@GM1": 0}),
    )
    solution = method(problem)
    assert solution.pairs == [(1, 1)] and solution.total == 40
    assert violations(problem, solution.pairs) == []


def test_keys_are_typed_the_same_code_in_two_places_is_two_complexes() -> None:
    # Tuples as keys: complex C-1 of corporation a in neighbourhood 1 and of b in 2.
    homes = [
        HomeSlot("GM1", 1, ("a", 1, "C-1"), "a"),
        HomeSlot("GM2", 2, ("b", 2, "C-1"), "b"),
    ]
    problem = Problem(
        2,
        homes,
        np.array([0, 1]),
        np.array([0, 1]),
        np.array([10, 20]),
        Caps(complex={("a", 1, "C-1"): 1, ("b", 2, "C-1"): 1}),
    )
    assert solve_flow(problem).total == solve_mip(problem).total == 30

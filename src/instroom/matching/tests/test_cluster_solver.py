"""Batch matching that fills the places of clusters: the MIP against brute force over every
assignment on small random instances (every rule of each cluster's whole group kept, caps
respected), the independent checker on every result, and the rules one by one."""

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from instroom.matching import cotenancy
from instroom.matching.cotenancy import Config, Person
from instroom.matching.solver import (
    FLOW,
    MIP,
    Caps,
    ClusterPlaces,
    HomeSlot,
    Problem,
    greedy_by_score,
    one_home_at_a_time,
    solve,
    solve_mip,
    violations,
    without_caps,
)

RESIDENT_IDS = 100  # residents' client ids start here; candidates' are 1..n


def random_instance(seed: int) -> Problem:
    """≤ 6 candidates, ≤ 2 clusters of ≤ 3 free places with ≤ 2 residents, ≤ 2 ordinary
    homes; random ages (some unknown), heavy dossiers, marks, rules, scores and caps."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 7))
    config = Config(
        max_age_gap=int(rng.choice([0, 5, 10, 20])),
        max_heavy=int(rng.choice([0, 1, 2])),
        respect_marks=bool(rng.random() < 0.8),
    )

    def person(client_id: int, label: str) -> Person:
        return Person(
            client_id,
            label,
            age=None if rng.random() < 0.15 else int(rng.integers(18, 60)),
            heavy=bool(rng.random() < 0.35),
        )

    people = [person(i + 1, f"K{i + 1}") for i in range(n)]
    slots: list[HomeSlot] = []
    clusters = []
    next_resident = RESIDENT_IDS
    for k in range(int(rng.integers(0, 3))):
        places = int(rng.integers(1, 4))
        first = len(slots)
        slots += [HomeSlot("GM1", f"B{k}", f"cluster-{k}", "corp1") for _ in range(places)]
        residents: list[Person] = []
        for _r in range(int(rng.integers(0, 3))):
            residents.append(person(next_resident, f"R{next_resident}"))
            next_resident += 1
        # Residents who already live together keep the rules among themselves.
        while cotenancy.group_reasons(residents, config):
            residents.pop()
        clusters.append(ClusterPlaces(f"cluster-{k}", list(range(first, len(slots))), residents))
    for h in range(int(rng.integers(0, 3))):
        slots.append(HomeSlot(f"GM{1 + h}", None, None, "corp2"))
    # Marks "not together", between candidates and with residents.
    everyone = [p.client_id for p in people] + [
        r.client_id for cl in clusters for r in cl.residents
    ]
    for i, p in enumerate(people):
        if rng.random() < 0.4:
            other = int(rng.choice(everyone))
            if other != p.client_id:
                people[i] = Person(p.client_id, p.label, p.age, p.heavy, frozenset({other}))
    m = len(slots)
    mask = rng.random((n, m)) < 0.6
    c, h = np.nonzero(mask)
    scores = rng.integers(0, 50, size=len(c))
    caps = Caps()
    if rng.random() < 0.5:
        caps = Caps(
            municipality={"GM1": int(rng.integers(1, 4))},
            corporation={"corp1": int(rng.integers(1, 4))} if rng.random() < 0.3 else {},
        )
    return Problem(
        n,
        slots,
        c.astype(np.int64),
        h.astype(np.int64),
        scores.astype(np.int64),
        caps,
        clusters=clusters,
        people=people,
        cotenant_rules=config,
    )


def keeps_every_rule(problem: Problem, pairs: list[tuple[int, int]]) -> bool:
    """The oracle's own test: caps, and every rule of each cluster's whole group."""
    if violations(without_clusters_checked(problem), pairs):
        return False
    placed = {h: c for c, h in pairs}
    for cluster in problem.clusters:
        group = [*cluster.residents] + [
            problem.people[placed[h]] for h in cluster.homes if h in placed
        ]
        if cotenancy.group_reasons(group, problem.cotenant_rules):
            return False
    return True


def without_clusters_checked(problem: Problem) -> Problem:
    """The problem with the clusters left out, so `violations` checks eligibility and caps
    only: the co-tenancy rules are the oracle's to check, with `group_reasons`."""
    return Problem(
        problem.n_candidates,
        problem.homes,
        problem.edge_candidate,
        problem.edge_home,
        problem.edge_score,
        problem.caps,
    )


def brute_force(problem: Problem) -> int:
    """Every way to give each candidate one of its homes or none, nobody sharing a home."""
    options: list[list[tuple[int, int] | None]] = [[None] for _ in range(problem.n_candidates)]
    for c, h, s in zip(
        problem.edge_candidate.tolist(),
        problem.edge_home.tolist(),
        problem.edge_score.tolist(),
        strict=True,
    ):
        options[c].append((h, s))
    best = 0
    for choice in itertools.product(*options):
        homes = [o[0] for o in choice if o is not None]
        if len(set(homes)) != len(homes):
            continue
        pairs = [(c, o[0]) for c, o in enumerate(choice) if o is not None]
        if keeps_every_rule(problem, pairs):
            best = max(best, sum(o[1] for o in choice if o is not None))
    return best


@settings(max_examples=120, deadline=None)
@given(st.integers(0, 10**6))
def test_the_best_assignment_under_the_cotenancy_rules_equals_brute_force(seed) -> None:
    problem = random_instance(seed)
    solution = solve(problem)
    assert violations(problem, solution.pairs) == []
    assert keeps_every_rule(problem, solution.pairs)
    assert solution.total == brute_force(problem)
    assert solution.optimal and solution.gap == 0.0
    # The baselines keep the rules too, and never beat the optimum.
    assert greedy_by_score(problem) <= solution.total
    assert one_home_at_a_time(problem) <= solution.total


def _problem(people, clusters, edges, config, homes=None) -> Problem:
    c, h, s = (np.array(col, dtype=np.int64) for col in zip(*edges, strict=True))
    slots = homes or [HomeSlot("GM1") for _ in range(1 + int(h.max()))]
    return Problem(
        len(people), slots, c, h, s, clusters=clusters, people=people, cotenant_rules=config
    )


def test_two_clients_marked_not_together_never_share_a_cluster() -> None:
    a = Person(1, "K1", age=30, avoid=frozenset({2}))
    b = Person(2, "K2", age=31)
    cluster = ClusterPlaces("hofje", [0, 1])
    # Both score best in the cluster; the ordinary home 2 is worth less to either.
    edges = [(0, 0, 50), (0, 1, 50), (1, 0, 40), (1, 1, 40), (1, 2, 10)]
    solution = solve(_problem([a, b], [cluster], edges, Config()))
    assert solution.method == MIP
    assert sorted(solution.pairs) == [(0, 0), (1, 2)] or sorted(solution.pairs) == [(0, 1), (1, 2)]
    assert solution.total == 60
    # Without the care provider's marks counting, both move in.
    free = solve(_problem([a, b], [cluster], edges, Config(respect_marks=False)))
    assert free.total == 90


def test_a_mark_against_a_resident_keeps_the_candidate_out() -> None:
    resident = Person(100, "R1", age=40)
    a = Person(1, "K1", age=40, avoid=frozenset({100}))
    cluster = ClusterPlaces("kamerwoning", [0], [resident])
    solution = solve(_problem([a], [cluster], [(0, 0, 50), (0, 1, 5)], Config()))
    assert solution.pairs == [(0, 1)]


def test_heavy_dossiers_never_exceed_the_maximum_counting_residents() -> None:
    people = [Person(i + 1, f"K{i + 1}", heavy=True) for i in range(3)]
    cluster = ClusterPlaces("hofje", [0, 1, 2], [Person(100, "R1", heavy=True)])
    edges = [(c, h, 30) for c in range(3) for h in range(3)]
    solution = solve(_problem(people, [cluster], edges, Config(max_heavy=2)))
    assert len(solution.pairs) == 1  # one resident heavy already: one more may come
    assert violations(_problem(people, [cluster], edges, Config(max_heavy=2)), solution.pairs) == []
    # Without the rule all three places fill.
    assert len(solve(_problem(people, [cluster], edges, Config())).pairs) == 3


def test_the_age_gap_keeps_one_window_of_ages_per_cluster() -> None:
    ages = [20, 24, 29, 45]
    people = [Person(i + 1, f"K{i + 1}", age=a) for i, a in enumerate(ages)]
    cluster = ClusterPlaces("hofje", [0, 1, 2, 3])
    edges = [(c, h, 10 + c) for c in range(4) for h in range(4)]
    problem = _problem(people, [cluster], edges, Config(max_age_gap=9))
    solution = solve(problem)
    # 20, 24 and 29 fit within 9 years (33 points); 45 alone would be 13.
    assert sorted(c for c, _h in solution.pairs) == [0, 1, 2]
    assert violations(problem, solution.pairs) == []


def test_residents_who_already_break_a_rule_do_not_close_the_cluster() -> None:
    # The rules changed after these two moved in: 15 years apart, at most 10 now. A newcomer
    # within 10 years of each may still come (as the ranking's `fit` says); others may not.
    residents = [Person(100, "R1", age=25), Person(101, "R2", age=40)]
    fits, too_old = Person(1, "K1", age=32), Person(2, "K2", age=50)
    cluster = ClusterPlaces("hofje", [0, 1], residents)
    edges = [(0, 0, 10), (1, 1, 20)]
    problem = _problem([fits, too_old], [cluster], edges, Config(max_age_gap=10))
    solution = solve(problem)
    assert solution.pairs == [(0, 0)]
    assert violations(problem, solution.pairs) == []
    assert violations(problem, [(0, 0), (1, 1)]) != []


def test_the_checker_names_the_cluster_and_the_rule() -> None:
    people = [Person(1, "K1", heavy=True), Person(2, "K2", heavy=True, avoid=frozenset({1}))]
    cluster = ClusterPlaces("hofje", [0, 1])
    problem = _problem(people, [cluster], [(0, 0, 1), (1, 1, 1)], Config(max_heavy=1))
    found = violations(problem, [(0, 0), (1, 1)])
    assert any("hofje" in f and cotenancy.MARKED in f for f in found)
    assert any("hofje" in f and "heavy" in f for f in found)


def test_the_price_of_fairness_keeps_the_cotenancy_rules() -> None:
    a = Person(1, "K1", avoid=frozenset({2}))
    b = Person(2, "K2")
    cluster = ClusterPlaces("hofje", [0, 1])
    problem = _problem([a, b], [cluster], [(0, 0, 50), (1, 1, 40)], Config())
    problem = Problem(
        problem.n_candidates,
        problem.homes,
        problem.edge_candidate,
        problem.edge_home,
        problem.edge_score,
        Caps(municipality={"GM1": 0}),
        problem.clusters,
        problem.people,
        problem.cotenant_rules,
    )
    assert solve(problem).total == 0
    assert solve(without_caps(problem)).total == 50


def test_a_run_stopped_by_its_time_limit_still_proposes_pairs_that_keep_every_rule() -> None:
    # The MIP starts from the greedy assignment (which keeps every cap and rule): stopped at
    # once, it proposes at least that, and says whether it proved optimality.
    problem = next(
        p for p in map(random_instance, range(100)) if p.clusters and greedy_by_score(p) > 0
    )
    solution = solve_mip(problem, time_limit=1e-6)
    assert violations(problem, solution.pairs) == []
    assert solution.total >= greedy_by_score(problem)
    assert solution.optimal or solution.gap is None or solution.gap >= 0


def test_with_every_cotenancy_rule_off_a_cluster_is_ordinary_homes_to_the_exact_flow() -> None:
    people = [Person(1, "K1", age=20, heavy=True), Person(2, "K2", age=60, heavy=True)]
    cluster = ClusterPlaces("hofje", [0, 1], [Person(100, "R1", age=40, heavy=True)])
    edges = [(0, 0, 10), (1, 1, 20)]
    off = Config(max_age_gap=0, max_heavy=0)
    solution = solve(_problem(people, [cluster], edges, off))
    assert solution.method == FLOW and solution.total == 30
    assert solve(_problem(people, [cluster], edges, Config(max_heavy=2))).method == MIP

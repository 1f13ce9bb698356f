"""Benchmark of batch matching with clusters (printed by `make bench`): free places of
clusters (a woonvorm with several places) filled under the co-tenancy rules (age gap, heavy
dossiers counting the residents, the care provider's marks), beside ordinary homes with nested
caps. Solved as a MIP by HiGHS; prints the sizes, the time (model building included, median
of 3; the larger instance one run), the status or gap, and two references measured in the same
run: the same instance with every place an ordinary home (the min-cost flow, no co-tenancy
rules) and the greedy baseline that keeps the rules, as a ratio of the optimum.

    .venv/bin/python scripts/bench_clusters.py [--time-limit SECONDS]
"""

import argparse
import time

import numpy as np

from instroom.matching.cotenancy import Config, Person
from instroom.matching.solver import (
    Caps,
    ClusterPlaces,
    HomeSlot,
    Problem,
    Solution,
    greedy_by_score,
    solve,
    violations,
    without_clusters,
)


def instance(candidates: int, clusters: int, places: int, homes: int, seed: int) -> Problem:
    rng = np.random.default_rng(seed)
    towns = [f"GM{i:02d}" for i in range(7)]

    def person(client_id: int, label: str) -> Person:
        return Person(
            client_id,
            label,
            age=int(rng.integers(18, 66)),
            heavy=bool(rng.random() < 0.2),
        )

    people = [person(i + 1, f"K{i + 1}") for i in range(candidates)]
    for i in rng.choice(candidates, size=candidates // 20, replace=False):
        other = int(rng.integers(1, candidates + 1))
        p = people[i]
        people[i] = Person(p.client_id, p.label, p.age, p.heavy, frozenset({other}))
    slots: list[HomeSlot] = []
    groups: list[ClusterPlaces] = []
    next_resident = candidates + 1
    for k in range(clusters):
        town = towns[rng.integers(len(towns))]
        hood = f"{town}-BU{rng.integers(40)}"
        first = len(slots)
        free = int(rng.integers(1, places + 1))  # the other places are lived in
        slots += [HomeSlot(town, hood, f"cluster-{k}") for _ in range(free)]
        residents = [
            Person(next_resident + r, f"R{next_resident + r}", age=int(rng.integers(25, 45)))
            for r in range(places - free)
        ]
        next_resident += places - free
        groups.append(ClusterPlaces(f"cluster-{k}", list(range(first, len(slots))), residents))
    for _ in range(homes):
        town = towns[rng.integers(len(towns))]
        hood = f"{town}-BU{rng.integers(40)}"
        slots.append(HomeSlot(town, hood, f"{hood}-C{rng.integers(5)}"))
    m = len(slots)
    # Each candidate fits about one place in eight (filters), cluster places a bit more often.
    c, h = np.nonzero(rng.random((candidates, m)) < 0.12)
    scores = rng.integers(1, 90, size=len(c))
    caps = Caps(
        municipality={t: max(1, int(m / len(towns) * 0.8)) for t in towns},
        neighbourhood={s.neighbourhood: 4 for s in slots if s.neighbourhood},
    )
    return Problem(
        candidates,
        slots,
        c.astype(np.int64),
        h.astype(np.int64),
        scores.astype(np.int64),
        caps,
        clusters=groups,
        people=people,
        cotenant_rules=Config(max_age_gap=15, max_heavy=1),
    )


def median_seconds(problem: Problem, time_limit: float, runs: int) -> tuple[float, Solution]:
    times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        solution = solve(problem, time_limit=time_limit)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2], solution


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    print("batch matching with clusters (age gap 15 years, at most 1 heavy dossier per cluster,")
    print("marks respected; nested caps), median of 3 (the larger: one run; a run stopped at the")
    print("time limit gives the gap it reached); references measured in the same run")
    for candidates, clusters, places, homes, runs in ((200, 20, 4, 100, 3), (1000, 100, 4, 500, 1)):
        problem = instance(candidates, clusters, places, homes, seed=candidates + clusters)
        seconds, solution = median_seconds(problem, args.time_limit, runs)
        assert not violations(problem, solution.pairs)
        bare_seconds, bare = median_seconds(without_clusters(problem), args.time_limit, runs)
        greedy = greedy_by_score(problem)
        free = sum(len(g.homes) for g in problem.clusters)
        status = (
            "optimal"
            if solution.optimal
            else f"stopped at {args.time_limit:g} s, gap {solution.gap}"
        )
        of = "the optimum" if solution.optimal else "the proposal"
        print(
            f"{candidates:>5} candidates × {clusters:>3} clusters of {places} ({free} free places)"
            f" + {homes:>4} homes, {len(problem.edge_score):,} eligible pairs: "
            f"{seconds * 1000:8.1f} ms, {status}, total {solution.total:,}"
            f"; without co-tenancy rules {bare_seconds * 1000:.1f} ms ({bare.method}, "
            f"total {bare.total:,}), {seconds / bare_seconds:.0f}× slower; greedy keeping the "
            f"rules {greedy / solution.total:.3f} of {of}"
        )


if __name__ == "__main__":
    main()

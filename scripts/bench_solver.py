"""Benchmark of the batch solver (printed by `make bench`): solve time with nested caps, model
building included, and the two baselines as a ratio of the optimum, on synthetic instances."""

import time

import numpy as np

from instroom.matching.solver import (
    Caps,
    HomeSlot,
    Problem,
    greedy_by_score,
    one_home_at_a_time,
    solve,
)


def instance(homes: int, candidates: int, density: float, seed: int) -> Problem:
    rng = np.random.default_rng(seed)
    towns = [f"GM{i:02d}" for i in range(7)]
    slots = []
    for _ in range(homes):
        town = towns[rng.integers(len(towns))]
        hood = f"{town}-BU{rng.integers(40)}"
        slots.append(HomeSlot(town, hood, f"{hood}-C{rng.integers(5)}"))
    edges = rng.random((candidates, homes)) < density if candidates * homes <= 2e7 else None
    if edges is not None:
        c, h = np.nonzero(edges)
    else:  # sparse sampling for the big instance
        count = int(candidates * homes * density)
        c = rng.integers(candidates, size=count)
        h = rng.integers(homes, size=count)
        keep = np.unique(c * homes + h)
        c, h = keep // homes, keep % homes
    scores = rng.integers(1, 90, size=len(c))
    caps = Caps(
        municipality={t: int(homes / len(towns) * 0.8) for t in towns},
        neighbourhood={s.neighbourhood: 4 for s in slots if s.neighbourhood},
        complex={s.complex: 2 for s in slots if s.complex},
    )
    return Problem(
        candidates, slots, c.astype(np.int64), h.astype(np.int64), scores.astype(np.int64), caps
    )


def main() -> None:
    print("batch solver, nested caps (complex ⊂ neighbourhood ⊂ municipality), median of 3;")
    print("baselines within the same caps, as a ratio of the optimum")
    for homes, candidates, density, market in (
        (2000, 2000, 0.01, "tight market: one candidate per home"),
        (2000, 9000, 0.01, "loose market: 4.5 candidates per home"),
        (500, 2000, 0.01, "size 500 × 2,000"),
        (5000, 20000, 0.01, "size 5,000 × 20,000"),
    ):
        problem = instance(homes, candidates, density, seed=homes + candidates)
        times = []
        for _ in range(3):
            start = time.perf_counter()
            solution = solve(problem)
            times.append(time.perf_counter() - start)
        per_home = len(problem.edge_score) / homes
        a, b = one_home_at_a_time(problem), greedy_by_score(problem)
        print(
            f"{homes:>5} homes × {candidates:>6} candidates ({market}, {per_home:.1f} eligible "
            f"per home, {len(problem.edge_score):,} edges): {sorted(times)[1] * 1000:7.1f} ms, "
            f"{solution.method}, total {solution.total:,}; one home at a time "
            f"{a / solution.total:.3f}, greedy by score {b / solution.total:.3f} of the optimum"
        )


if __name__ == "__main__":
    main()

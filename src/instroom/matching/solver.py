"""Batch matching: the assignment of many homes to many candidates with the highest total score,
under the hard filters (only eligible pairs are edges), the municipality quotas and the
concentration caps. Pure Python on NumPy arrays; no database access.

Two exact methods:
- nested caps (complex ⊂ neighbourhood ⊂ municipality): a min-cost flow (OR-Tools
  SimpleMinCostFlow) on source → candidate → home → complex → neighbourhood → municipality →
  sink, with an arc source → sink so anybody may stay unmatched; integral and optimal;
- caps that cross that hierarchy (per corporation): a mixed-integer programme solved by HiGHS
  (highspy), which reports the optimality gap.
Soft quotas (a municipality behind on its quota is preferred) are a bonus on the edges into its
homes, added by the caller to the scores. The solver proposes; people decide.

Group keys are any hashable values (the product passes typed keys: a complex is a
`ComplexKey`, a neighbourhood its id); inside, every node is a tuple tagged with its level, so a
key of one level can never stand in for another (no string placeholders).
"""

import time
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np

FLOW = "min-cost flow (OR-Tools)"
MIP = "mixed-integer programme (HiGHS)"


@dataclass(frozen=True)
class HomeSlot:
    """Where a home sits in the cap hierarchy (keys: any hashable values)."""

    municipality: Hashable
    neighbourhood: Hashable | None = None
    complex: Hashable | None = None
    corporation: Hashable | None = None


@dataclass(frozen=True)
class Caps:
    """Places left per group; a group missing from a mapping is unlimited."""

    municipality: dict[Hashable, int] = field(default_factory=dict)
    neighbourhood: dict[Hashable, int] = field(default_factory=dict)
    complex: dict[Hashable, int] = field(default_factory=dict)
    corporation: dict[Hashable, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.municipality or self.neighbourhood or self.complex or self.corporation)


@dataclass(frozen=True)
class Problem:
    """Edges are the eligible pairs: parallel arrays of candidate index, home index, score."""

    n_candidates: int
    homes: Sequence[HomeSlot]
    edge_candidate: np.ndarray
    edge_home: np.ndarray
    edge_score: np.ndarray
    caps: Caps = field(default_factory=Caps)


@dataclass(frozen=True)
class Solution:
    pairs: list[tuple[int, int]]  # (candidate, home)
    total: int
    method: str
    optimal: bool
    gap: float | None
    seconds: float


class NotNested(ValueError):
    """The caps cross the complex ⊂ neighbourhood ⊂ municipality hierarchy."""


# The node between a complex (or a home) and its municipality: a real neighbourhood, or the
# municipality itself for homes without one. Tagged tuples: they cannot collide.
Parent = tuple[str, Hashable]


def _parent(slot: HomeSlot) -> Parent:
    if slot.neighbourhood is not None:
        return ("neighbourhood", slot.neighbourhood)
    return ("municipality", slot.municipality)


def _nesting(problem: Problem) -> tuple[dict[Hashable, Parent], dict[Parent, Hashable]]:
    """complex → its parent node and parent node → municipality, or NotNested."""
    complex_parent: dict[Hashable, Parent] = {}
    parent_town: dict[Parent, Hashable] = {}
    for slot in problem.homes:
        parent = _parent(slot)
        if slot.complex is not None and complex_parent.setdefault(slot.complex, parent) != parent:
            raise NotNested(f"complex {slot.complex} lies in two neighbourhoods")
        if parent_town.setdefault(parent, slot.municipality) != slot.municipality:
            raise NotNested(f"neighbourhood {slot.neighbourhood} lies in two municipalities")
    return complex_parent, parent_town


def solve_flow(problem: Problem) -> Solution:
    from ortools.graph.python import min_cost_flow

    start = time.perf_counter()
    if problem.caps.corporation:
        raise NotNested("a cap per corporation crosses the hierarchy")
    complex_parent, parent_town = _nesting(problem)
    n, m = problem.n_candidates, len(problem.homes)
    source, sink = 0, 1
    candidate_node = 2
    home_node = candidate_node + n
    next_node = home_node + m
    complexes = {c: next_node + i for i, c in enumerate(complex_parent)}
    next_node += len(complexes)
    parents = {p: next_node + i for i, p in enumerate(parent_town)}
    next_node += len(parents)
    towns = list(dict.fromkeys(s.municipality for s in problem.homes))
    municipalities = {t: next_node + i for i, t in enumerate(towns)}
    big = n + m + 1
    caps = problem.caps

    tails: list[np.ndarray] = []
    heads: list[np.ndarray] = []
    capacity: list[np.ndarray] = []
    cost: list[np.ndarray] = []

    def arcs(
        t: Sequence[int] | np.ndarray,
        h: Sequence[int] | np.ndarray,
        c: Sequence[int] | np.ndarray,
        k: Sequence[int] | np.ndarray,
    ) -> None:
        tails.append(np.asarray(t, dtype=np.int32))
        heads.append(np.asarray(h, dtype=np.int32))
        capacity.append(np.asarray(c, dtype=np.int64))
        cost.append(np.asarray(k, dtype=np.int64))

    arcs(np.zeros(n), candidate_node + np.arange(n), np.ones(n), np.zeros(n))
    arcs([source], [sink], [n], [0])  # staying unmatched costs nothing
    edge_arcs_start = sum(len(a) for a in tails)
    e = len(problem.edge_score)
    arcs(
        candidate_node + problem.edge_candidate,
        home_node + problem.edge_home,
        np.ones(e),
        -problem.edge_score.astype(np.int64),
    )

    def parent_of_home(slot: HomeSlot) -> int:
        if slot.complex is not None:
            return complexes[slot.complex]
        return parents[_parent(slot)]

    arcs(
        home_node + np.arange(m),
        [parent_of_home(s) for s in problem.homes],
        np.ones(m),
        np.zeros(m),
    )
    for c, parent in complex_parent.items():
        arcs([complexes[c]], [parents[parent]], [caps.complex.get(c, big)], [0])
    for parent, town in parent_town.items():
        level, key = parent
        limit = caps.neighbourhood.get(key, big) if level == "neighbourhood" else big
        arcs([parents[parent]], [municipalities[town]], [limit], [0])
    for t in towns:
        arcs([municipalities[t]], [sink], [caps.municipality.get(t, big)], [0])

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails),
        np.concatenate(heads),
        np.concatenate(capacity),
        np.concatenate(cost),
    )
    supplies = np.zeros(next_node, dtype=np.int64)
    supplies[source], supplies[sink] = n, -n
    flow.set_nodes_supplies(np.arange(next_node, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    used = flow.flows(np.arange(edge_arcs_start, edge_arcs_start + e, dtype=np.int32)) > 0
    pairs = list(
        zip(problem.edge_candidate[used].tolist(), problem.edge_home[used].tolist(), strict=True)
    )
    return Solution(
        pairs=pairs,
        total=int(problem.edge_score[used].sum()),
        method=FLOW,
        optimal=True,
        gap=0.0,
        seconds=time.perf_counter() - start,
    )


def _row_of(rows: dict[Hashable, int], key: Hashable | None) -> int:
    return -1 if key is None else rows.get(key, -1)


def solve_mip(problem: Problem, *, time_limit: float = 60.0) -> Solution:
    import highspy

    start = time.perf_counter()
    n, m, e = problem.n_candidates, len(problem.homes), len(problem.edge_score)
    if e == 0:
        return Solution([], 0, MIP, True, 0.0, time.perf_counter() - start)
    caps = problem.caps
    # Rows: one per candidate, one per home, one per capped group.
    rows_of_edge: list[np.ndarray] = [problem.edge_candidate, n + problem.edge_home]
    upper: list[float] = [1.0] * (n + m)
    next_row = n + m
    for level in ("complex", "neighbourhood", "municipality", "corporation"):
        limits: dict[Hashable, int] = getattr(caps, level)
        if not limits:
            continue
        keys = list(limits)
        row = {k: next_row + i for i, k in enumerate(keys)}
        next_row += len(keys)
        upper += [float(limits[k]) for k in keys]
        home_row = np.array(
            [_row_of(row, getattr(s, level)) for s in problem.homes], dtype=np.int64
        )
        rows_of_edge.append(home_row[problem.edge_home] if m else np.zeros(0, dtype=np.int64))
    index = np.stack(rows_of_edge, axis=1) if e else np.zeros((0, len(rows_of_edge)), np.int64)
    mask = index >= 0
    counts = mask.sum(axis=1)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = e, next_row
    lp.col_cost_ = (-problem.edge_score).astype(np.float64)
    lp.col_lower_ = np.zeros(e)
    lp.col_upper_ = np.ones(e)
    lp.row_lower_ = np.full(next_row, -highspy.kHighsInf)
    lp.row_upper_ = np.array(upper, dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    lp.a_matrix_.index_ = index[mask].astype(np.int32)
    lp.a_matrix_.value_ = np.ones(int(counts.sum()))
    lp.integrality_ = [highspy.HighsVarType.kInteger] * e
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(time_limit))
    highs.passModel(lp)
    highs.run()
    status = highs.getModelStatus()
    values = np.asarray(highs.getSolution().col_value) if e else np.zeros(0)
    used = values > 0.5
    info = highs.getInfo()
    optimal = status == highspy.HighsModelStatus.kOptimal
    gap = float(info.mip_gap) if e else 0.0
    pairs = list(
        zip(problem.edge_candidate[used].tolist(), problem.edge_home[used].tolist(), strict=True)
    )
    return Solution(
        pairs=pairs,
        total=int(problem.edge_score[used].sum()),
        method=MIP,
        optimal=optimal,
        gap=0.0 if optimal and gap < 1e-9 else gap,
        seconds=time.perf_counter() - start,
    )


def solve(problem: Problem, *, time_limit: float = 60.0) -> Solution:
    """The exact flow when the caps nest, otherwise the MIP (stopped after `time_limit`
    seconds, with the gap it reached)."""
    try:
        return solve_flow(problem)
    except NotNested:
        return solve_mip(problem, time_limit=time_limit)


def without_caps(problem: Problem) -> Problem:
    return Problem(
        problem.n_candidates,
        problem.homes,
        problem.edge_candidate,
        problem.edge_home,
        problem.edge_score,
        Caps(),
    )


def violations(problem: Problem, pairs: Sequence[tuple[int, int]]) -> list[str]:
    """An independent check of a result: every pair an eligible edge, nobody twice, no cap
    exceeded. Empty when the result is valid."""
    found: list[str] = []
    edges = set(zip(problem.edge_candidate.tolist(), problem.edge_home.tolist(), strict=True))
    candidates = [c for c, _h in pairs]
    homes = [h for _c, h in pairs]
    if len(set(candidates)) != len(candidates):
        found.append("a candidate has two homes")
    if len(set(homes)) != len(homes):
        found.append("a home has two candidates")
    for pair in pairs:
        if pair not in edges:
            found.append(f"pair {pair} is not eligible")
    for level in ("complex", "neighbourhood", "municipality", "corporation"):
        limits: dict[Hashable, int] = getattr(problem.caps, level)
        used: dict[Hashable, int] = {}
        for h in homes:
            key = getattr(problem.homes[h], level)
            if key is not None:
                used[key] = used.get(key, 0) + 1
        for key, count in used.items():
            if key in limits and count > limits[key]:
                found.append(f"{level} {key}: {count} placed, cap {limits[key]}")
    return found


class _CapCounter:
    """Places left per capped group, for the baselines."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.left = {
            level: dict(getattr(problem.caps, level))
            for level in ("complex", "neighbourhood", "municipality", "corporation")
        }

    def fits(self, home: int) -> bool:
        slot = self.problem.homes[home]
        return all(
            getattr(slot, level) is None or left.get(getattr(slot, level), 1) > 0
            for level, left in self.left.items()
        )

    def take(self, home: int) -> None:
        slot = self.problem.homes[home]
        for level, left in self.left.items():
            key = getattr(slot, level)
            if key is not None and key in left:
                left[key] -= 1


def one_home_at_a_time(problem: Problem) -> int:
    """Baseline (a): homes in turn, each to its best still-available candidate, within the
    caps, as most allocation systems do. Returns the total score."""
    order = np.lexsort((-problem.edge_score, problem.edge_home))
    caps = _CapCounter(problem)
    taken: set[int] = set()
    total = 0
    current, done = -1, False
    for i in order:
        h = int(problem.edge_home[i])
        if h != current:
            current, done = h, not caps.fits(h)
        if done:
            continue
        c = int(problem.edge_candidate[i])
        if c not in taken:
            taken.add(c)
            caps.take(h)
            total += int(problem.edge_score[i])
            done = True
    return total


def greedy_by_score(problem: Problem) -> int:
    """Baseline (b): all pairs, best score first, whenever both are free and the caps allow."""
    order = np.argsort(-problem.edge_score, kind="stable")
    caps = _CapCounter(problem)
    taken_c: set[int] = set()
    taken_h: set[int] = set()
    total = 0
    for i in order:
        c, h = int(problem.edge_candidate[i]), int(problem.edge_home[i])
        if c in taken_c or h in taken_h or not caps.fits(h):
            continue
        taken_c.add(c)
        taken_h.add(h)
        caps.take(h)
        total += int(problem.edge_score[i])
    return total

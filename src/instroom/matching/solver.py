"""Batch matching: the assignment of many homes to many candidates with the highest total score,
under the hard filters (only eligible pairs are edges), the municipality quotas and the
concentration caps. Pure Python on NumPy arrays; no database access.

Two exact methods:
- nested caps (complex ⊂ neighbourhood ⊂ municipality): a min-cost flow (OR-Tools
  SimpleMinCostFlow) on source → candidate → home → complex → neighbourhood → municipality →
  sink, with an arc source → sink so anybody may stay unmatched; integral and optimal;
- caps that cross that hierarchy (per corporation), or clusters (a woonvorm with several places
  whose people must fit together, `cotenancy`): a mixed-integer programme solved by HiGHS
  (highspy), which reports the optimality gap.
Soft quotas (a municipality behind on its quota is preferred) are a bonus on the edges into its
homes, added by the caller to the scores. The solver proposes; people decide.

Group keys are any hashable values (the product passes typed keys: a complex is a
`ComplexKey`, a neighbourhood its id); inside, every node is a tuple tagged with its level, so a
key of one level can never stand in for another (no string placeholders).
"""

import math
import time
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from . import cotenancy

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
class ClusterPlaces:
    """The free places of one cluster (indices into `Problem.homes`) and the people who live
    in (or are matched to) its other places."""

    key: Hashable
    homes: Sequence[int]
    residents: Sequence[cotenancy.Person] = ()


@dataclass(frozen=True)
class Problem:
    """Edges are the eligible pairs: parallel arrays of candidate index, home index, score.
    With clusters, `people` holds each candidate as a `cotenancy.Person` (by candidate index)
    and `cotenant_rules` the region's rules for who may live together."""

    n_candidates: int
    homes: Sequence[HomeSlot]
    edge_candidate: np.ndarray
    edge_home: np.ndarray
    edge_score: np.ndarray
    caps: Caps = field(default_factory=Caps)
    clusters: Sequence[ClusterPlaces] = ()
    people: Sequence[cotenancy.Person] = ()
    cotenant_rules: cotenancy.Config = field(default_factory=cotenancy.Config)


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
    if problem.clusters:
        raise NotNested("who may live together in a cluster is not a flow")
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


@dataclass
class _Rows:
    """Extra rows (all of the form Σ ≤ upper) and extra binary columns of the MIP, as
    coordinates; edges whose pair is forbidden outright get an upper bound of 0."""

    first_row: int
    first_col: int
    row: list[int] = field(default_factory=list)
    col: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    columns: int = 0
    # Per cluster with an age window: (cluster index, age → window column, candidate → age).
    windows: list[tuple[int, dict[int, int], dict[int, int]]] = field(default_factory=list)

    def new_row(self, upper: float) -> int:
        self.upper.append(float(upper))
        return self.first_row + len(self.upper) - 1

    def new_col(self) -> int:
        self.columns += 1
        return self.first_col + self.columns - 1

    def add(self, row: int, cols: Sequence[int] | np.ndarray, value: float = 1.0) -> None:
        cols = [int(c) for c in cols]
        self.row += [row] * len(cols)
        self.col += cols
        self.value += [value] * len(cols)


def _cluster_rows(problem: Problem, rows: _Rows, forbidden: np.ndarray) -> None:
    """The co-tenancy rules of every cluster, for the candidates with an edge into it:
    - a candidate who breaks a pairwise rule with a resident: those edges are forbidden (the
      same test as the ranking's `fit`);
    - two candidates marked "not together": at most one of them in the cluster;
    - the age gap between candidates: the cluster chooses one window [k, k + gap] of ages and
      each candidate with a known age outside it stays out (a row per age, where a row per
      conflicting pair would grow with the square of the pool);
    - heavy dossiers: at most the places `max_heavy` leaves after the residents'."""
    config, people = problem.cotenant_rules, problem.people
    index_of_client = {p.client_id: i for i, p in enumerate(people)}
    home_cluster = np.full(len(problem.homes), -1, dtype=np.int64)
    for k, cluster in enumerate(problem.clusters):
        home_cluster[np.asarray(cluster.homes, dtype=np.int64)] = k
    edge_cluster = home_cluster[problem.edge_home]
    in_clusters = np.flatnonzero(edge_cluster >= 0)
    order = in_clusters[np.argsort(edge_cluster[in_clusters], kind="stable")]
    bounds = np.searchsorted(edge_cluster[order], np.arange(len(problem.clusters) + 1))
    for k, cluster in enumerate(problem.clusters):
        edges = order[bounds[k] : bounds[k + 1]]
        by_candidate: dict[int, list[int]] = {}
        for e, c in zip(edges.tolist(), problem.edge_candidate[edges].tolist(), strict=True):
            by_candidate.setdefault(c, []).append(e)
        for c in list(by_candidate):
            if any(cotenancy.pair_reasons(people[c], r, config) for r in cluster.residents):
                forbidden[by_candidate.pop(c)] = True
        if config.respect_marks:
            marked: set[tuple[int, int]] = set()
            for a in by_candidate:
                for client in people[a].avoid:
                    b = index_of_client.get(client)
                    if b is not None and b != a and b in by_candidate:
                        marked.add((min(a, b), max(a, b)))
            for a, b in sorted(marked):
                rows.add(rows.new_row(1), by_candidate[a] + by_candidate[b])
        if config.max_age_gap:
            ages: dict[int, int] = {}
            for c in by_candidate:
                age = people[c].age
                if age is not None:
                    ages[c] = age
            window = _age_window(ages, config.max_age_gap, by_candidate, rows, len(cluster.homes))
            if window:
                rows.windows.append((k, window, ages))
        if config.max_heavy:
            left = config.max_heavy - sum(1 for r in cluster.residents if r.heavy)
            heavy = [e for c, es in by_candidate.items() if people[c].heavy for e in es]
            if heavy and left < len(heavy):
                rows.add(rows.new_row(max(0, left)), heavy)


def _age_window(
    ages: dict[int, int],
    gap: int,
    by_candidate: dict[int, list[int]],
    rows: _Rows,
    places: int,
) -> dict[int, int]:
    """At most `gap` years between the candidates placed in one cluster (each of them is
    already within `gap` of every resident): the window columns by their first age.

    One row per distinct age rather than per candidate: those of age a placed in the cluster
    number at most min(how many, free places) × [a window holding a is chosen]. Fewer rows
    and far fewer coefficients for a big pool; the bound is small (a cluster has few places),
    so the relaxation stays tight."""
    if not ages or max(ages.values()) - min(ages.values()) <= gap:
        return {}
    # A window starts at the youngest age in the group, which is someone's age.
    window = {k: rows.new_col() for k in sorted(set(ages.values()))}
    rows.add(rows.new_row(1), list(window.values()))
    of_age: dict[int, list[int]] = {}
    for c, age in ages.items():
        of_age.setdefault(age, []).append(c)
    for age, group in of_age.items():
        row = rows.new_row(0)
        rows.add(row, [e for c in group for e in by_candidate[c]])
        bound = float(min(len(group), places))
        rows.add(row, [col for k, col in window.items() if k <= age <= k + gap], -bound)
    return window


def _start(problem: Problem, rows: _Rows, n_cols: int) -> np.ndarray:
    """A feasible first solution for the MIP (the greedy baseline keeps every cap and rule),
    so that a run stopped by its time limit still proposes something, with a finite gap."""
    values = np.zeros(n_cols)
    edge_of = {
        pair: i
        for i, pair in enumerate(
            zip(problem.edge_candidate.tolist(), problem.edge_home.tolist(), strict=True)
        )
    }
    placed = _greedy_pairs(problem)
    for pair in placed:
        values[edge_of[pair]] = 1.0
    cluster_of = {h: k for k, cl in enumerate(problem.clusters) for h in cl.homes}
    home_of = dict(placed)
    for k, window, ages in rows.windows:
        inside = [
            age for c, age in ages.items() if c in home_of and cluster_of.get(home_of[c]) == k
        ]
        if inside:
            values[window[min(inside)]] = 1.0
    return values


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
    index = np.stack(rows_of_edge, axis=1)
    mask = index >= 0
    edge_cols = np.broadcast_to(np.arange(e)[:, None], index.shape)[mask]
    # Clusters: more rows (and a few binary columns) after the edges'.
    extra = _Rows(first_row=next_row, first_col=e)
    forbidden = np.zeros(e, dtype=bool)
    if problem.clusters:
        _cluster_rows(problem, extra, forbidden)
    n_rows, n_cols = next_row + len(extra.upper), e + extra.columns
    all_rows = np.concatenate([index[mask], np.asarray(extra.row, dtype=np.int64)])
    all_cols = np.concatenate([edge_cols, np.asarray(extra.col, dtype=np.int64)])
    all_values = np.concatenate([np.ones(int(mask.sum())), np.asarray(extra.value)])
    by_col = np.argsort(all_cols, kind="stable")
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_cols, n_rows
    lp.col_cost_ = np.concatenate([-problem.edge_score.astype(np.float64), np.zeros(extra.columns)])
    lp.col_lower_ = np.zeros(n_cols)
    lp.col_upper_ = np.concatenate([np.where(forbidden, 0.0, 1.0), np.ones(extra.columns)])
    lp.row_lower_ = np.full(n_rows, -highspy.kHighsInf)
    lp.row_upper_ = np.array(upper + extra.upper, dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    counts = np.bincount(all_cols, minlength=n_cols)
    lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    lp.a_matrix_.index_ = all_rows[by_col].astype(np.int32)
    lp.a_matrix_.value_ = all_values[by_col]
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_cols
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.passModel(lp)
    if problem.clusters:
        highs.setSolution(n_cols, np.arange(n_cols, dtype=np.int32), _start(problem, extra, n_cols))
    highs.setOptionValue("time_limit", max(0.1, time_limit - (time.perf_counter() - start)))
    highs.run()
    status = highs.getModelStatus()
    values = np.asarray(highs.getSolution().col_value)[:e]
    used = values > 0.5 if len(values) == e else np.zeros(e, dtype=bool)
    info = highs.getInfo()
    optimal = status == highspy.HighsModelStatus.kOptimal
    gap = float(info.mip_gap)
    pairs = list(
        zip(problem.edge_candidate[used].tolist(), problem.edge_home[used].tolist(), strict=True)
    )
    return Solution(
        pairs=pairs,
        total=int(problem.edge_score[used].sum()),
        method=MIP,
        optimal=optimal,
        # No bound yet (stopped early): the gap is unknown, not infinite (JSON has no inf).
        gap=0.0 if optimal and gap < 1e-9 else (gap if math.isfinite(gap) else None),
        seconds=time.perf_counter() - start,
    )


def solve(problem: Problem, *, time_limit: float = 60.0) -> Solution:
    """The exact flow when the caps nest (and no co-tenancy rule binds a cluster), otherwise
    the MIP (stopped after `time_limit` seconds, with the gap it reached)."""
    if problem.clusters and not _rules_bind(problem):
        problem = without_clusters(problem)
    try:
        return solve_flow(problem)
    except NotNested:
        return solve_mip(problem, time_limit=time_limit)


def _rules_bind(problem: Problem) -> bool:
    """Whether any co-tenancy rule can keep someone out of a cluster: with all of them off,
    the places of a cluster are ordinary homes to the solver."""
    config = problem.cotenant_rules
    marks = config.respect_marks and any(p.avoid for p in problem.people)
    resident_marks = config.respect_marks and any(
        r.avoid for cluster in problem.clusters for r in cluster.residents
    )
    return bool(config.max_age_gap or config.max_heavy or marks or resident_marks)


def without_caps(problem: Problem) -> Problem:
    """The same problem without caps and quotas (for the price of fairness); who may live
    together in a cluster is no cap and stays."""
    return replace(problem, caps=Caps())


def without_clusters(problem: Problem) -> Problem:
    """The same problem with every place of a cluster an ordinary home (for the bench)."""
    return replace(problem, clusters=(), people=())


def cluster_breaches(problem: Problem, pairs: Sequence[tuple[int, int]]) -> list[str]:
    """The co-tenancy rules the pairs break, per cluster: the rules of its whole group
    (residents and newcomers) that involve a newcomer. A rule the residents already broke
    among themselves before anyone was added is not the proposal's."""
    found: list[str] = []
    config = problem.cotenant_rules
    placed = {h: c for c, h in pairs}
    for cluster in problem.clusters:
        newcomers = [problem.people[placed[h]] for h in cluster.homes if h in placed]
        residents = list(cluster.residents)
        if not newcomers:
            continue
        for i, a in enumerate(newcomers):
            for b in newcomers[i + 1 :] + residents:
                for reason in cotenancy.pair_reasons(a, b, config):
                    found.append(
                        f"cluster {cluster.key}: {a.label} and {b.label} break {reason.code}"
                    )
        heavy = sum(1 for p in newcomers + residents if p.heavy)
        if config.max_heavy and heavy > config.max_heavy and any(p.heavy for p in newcomers):
            found.append(
                f"cluster {cluster.key}: {heavy} heavy dossiers, at most {config.max_heavy}"
            )
    return found


def violations(problem: Problem, pairs: Sequence[tuple[int, int]]) -> list[str]:
    """An independent check of a result: every pair an eligible edge, nobody twice, no cap
    exceeded, no co-tenancy rule broken in a cluster. Empty when the result is valid."""
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
    return found + cluster_breaches(problem, pairs)


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


class _Cotenants:
    """Who lives in each cluster so far, for the baselines: a candidate joins only when
    `cotenancy.fit` allows it."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.cluster_of = {h: k for k, cl in enumerate(problem.clusters) for h in cl.homes}
        self.groups = [list(cl.residents) for cl in problem.clusters]

    def fits(self, candidate: int, home: int) -> bool:
        k = self.cluster_of.get(home)
        if k is None:
            return True
        person = self.problem.people[candidate]
        return cotenancy.fit(person, self.groups[k], self.problem.cotenant_rules).fits

    def take(self, candidate: int, home: int) -> None:
        k = self.cluster_of.get(home)
        if k is not None:
            self.groups[k].append(self.problem.people[candidate])


def one_home_at_a_time(problem: Problem) -> int:
    """Baseline (a): homes in turn, each to its best still-available candidate, within the
    caps and the co-tenancy rules, as most allocation systems do. Returns the total score."""
    order = np.lexsort((-problem.edge_score, problem.edge_home))
    caps = _CapCounter(problem)
    together = _Cotenants(problem)
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
        if c not in taken and together.fits(c, h):
            taken.add(c)
            caps.take(h)
            together.take(c, h)
            total += int(problem.edge_score[i])
            done = True
    return total


def greedy_by_score(problem: Problem) -> int:
    """Baseline (b): all pairs, best score first, whenever both are free and the caps and the
    co-tenancy rules allow."""
    score = dict(
        zip(
            zip(problem.edge_candidate.tolist(), problem.edge_home.tolist(), strict=True),
            problem.edge_score.tolist(),
            strict=True,
        )
    )
    return sum(score[pair] for pair in _greedy_pairs(problem))


def _greedy_pairs(problem: Problem) -> list[tuple[int, int]]:
    order = np.argsort(-problem.edge_score, kind="stable")
    caps = _CapCounter(problem)
    together = _Cotenants(problem)
    taken_c: set[int] = set()
    taken_h: set[int] = set()
    pairs = []
    for i in order:
        c, h = int(problem.edge_candidate[i]), int(problem.edge_home[i])
        if c in taken_c or h in taken_h or not caps.fits(h) or not together.fits(c, h):
            continue
        taken_c.add(c)
        taken_h.add(h)
        caps.take(h)
        together.take(c, h)
        pairs.append((c, h))
    return pairs

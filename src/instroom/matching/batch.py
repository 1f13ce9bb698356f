"""From the database to the batch solver and back: all open homes of a region against its pool,
the caps as places left, municipalities behind on their quota preferred, the free places of
clusters with the people already living there (who may live together: `cotenancy`), and the
report that goes with every run (total, price of fairness, per municipality against quota, time,
optimality or gap)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _

from instroom.applications.models import Application
from instroom.distribution import selectors as distribution
from instroom.homes.constants import HomeState
from instroom.homes.models import Cluster, Home
from instroom.regions.models import Region
from instroom.regions.rules.matching import Cotenancy
from instroom.validation import age_on

from . import clusters, core, cotenancy, ranking, solver
from .constants import ACTIVE_MATCH_STATES
from .models import Match

# Points added to every pair whose home lies in a municipality behind its pro-rata quota.
BEHIND_BONUS = 10
# Seconds the MIP may take (caps per corporation); it then reports the gap it reached.
MIP_TIME_LIMIT = 60.0


@dataclass(frozen=True)
class RunCaps:
    """Caps a region sets for one run: at most so many homes proposed now per municipality
    (CBS code) and per corporation (slug). A cap per corporation crosses the complex ⊂
    neighbourhood ⊂ municipality hierarchy and sends the run to the MIP."""

    municipality: dict[str, int] = field(default_factory=dict)
    corporation: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {"municipality": dict(self.municipality), "corporation": dict(self.corporation)}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "RunCaps":
        data = data or {}
        return cls(dict(data.get("municipality", {})), dict(data.get("corporation", {})))


@dataclass(frozen=True)
class Pair:
    home: Home
    application_id: int
    candidate_number: str
    points: int  # the ranking's points for this pair
    bonus: int  # the behind-quota bonus of the home's municipality
    points_by_criterion: dict[str, int]

    @property
    def cluster(self) -> Cluster | None:
        """The cluster this home is a place of (None: an ordinary home)."""
        return self.home.cluster

    @property
    def score(self) -> int:
        """What the solver maximised for this pair: the sum over pairs is the total score."""
        return self.points + self.bonus


@dataclass(frozen=True)
class Report:
    region: Region
    homes: int
    candidates: int
    edges: int
    pairs: list[Pair]
    solution: solver.Solution
    unconstrained_total: int
    quota: dict[str, tuple[str, int, int, int]]  # code → (name, quota, realised, assigned now)
    run_caps: RunCaps = field(default_factory=RunCaps)
    time_limit: float = MIP_TIME_LIMIT  # seconds the MIP was given
    clusters: int = 0  # clusters with a free place in this run
    cluster_places: int = 0  # their free places

    @property
    def price_of_fairness(self) -> int:
        return self.unconstrained_total - self.solution.total

    @property
    def price_of_fairness_percent(self) -> float:
        if not self.unconstrained_total:
            return 0.0
        return 100 * self.price_of_fairness / self.unconstrained_total


def run(
    region: Region,
    *,
    today: date | None = None,
    progress: Callable[[int, str], None] | None = None,
    run_caps: RunCaps | None = None,
    time_limit: float = MIP_TIME_LIMIT,
) -> Report:
    today = today or timezone.localdate()
    run_caps = run_caps or RunCaps()
    tell = progress or (lambda _p, _m: None)
    tell(5, _("Reading the open homes and the pool"))
    homes = list(
        Home.objects.filter(region=region, state=HomeState.OPEN)
        .select_related("municipality", "neighbourhood", "corporation", "cluster")
        .order_by("pk")
    )
    pool, app_ids = ranking.load_pool(region.pk, today=today)
    rules = ranking.matching_rules(region.pk, on=today)
    config, filters = ranking.score_config(rules), ranking.filter_config(rules)
    try:
        report = distribution.realisation(region, today.year, today)
        rows = {r.key: r for r in report.municipalities}
    except distribution.DistributionError:
        rows = {}
    behind = {code for code, r in rows.items() if r.realised < r.pro_rata}

    cand: list[np.ndarray] = []
    home_index: list[np.ndarray] = []
    score: list[np.ndarray] = []
    slots: list[solver.HomeSlot] = []
    caps = solver.Caps()
    caps.municipality.update(run_caps.municipality)
    caps.corporation.update(run_caps.corporation)
    bonuses: list[int] = []
    evaluations: list[core.Evaluation] = []
    tell(15, _("Checking every pair against the filters"))
    for h, home in enumerate(homes):
        if h % 10 == 0 and homes:
            tell(15 + int(60 * h / len(homes)), _("Checking every pair against the filters"))
        offer = ranking.home_offer(home, today=today)
        # The caps are the solver's to keep across homes: the core filters everything else.
        offer = core.HomeOffer(**{**offer.__dict__, "cap_reached": False})
        evaluation = core.evaluate(offer, pool, config, today, filters)
        evaluations.append(evaluation)
        eligible = np.flatnonzero(~evaluation.excluded)
        bonus = BEHIND_BONUS if home.municipality.cbs_code in behind else 0
        cand.append(eligible)
        home_index.append(np.full(len(eligible), h))
        score.append(evaluation.totals[eligible] + bonus)
        bonuses.append(bonus)
        # Typed keys (one meaning of "complex" everywhere: distribution.complex_key).
        complex_ = distribution.complex_key(home)
        slots.append(
            solver.HomeSlot(
                home.municipality.cbs_code, home.neighbourhood_id, complex_, home.corporation.slug
            )
        )
        status = distribution.cap_status(
            region=region,
            neighbourhood_id=home.neighbourhood_id,
            complex=complex_,
            today=today,
        )
        if complex_ is not None and status.complex_left is not None:
            caps.complex[complex_] = status.complex_left
        if home.neighbourhood_id is not None and status.neighbourhood_left is not None:
            caps.neighbourhood[home.neighbourhood_id] = status.neighbourhood_left
    places: dict[int, list[int]] = {}  # cluster id → indices of its free places
    for h, home in enumerate(homes):
        if home.cluster_id is not None:
            places.setdefault(home.cluster_id, []).append(h)
    clusters: list[solver.ClusterPlaces] = []
    people: list[cotenancy.Person] = []
    together = rules.cotenancy
    if places:
        residents = _cluster_residents(list(places), today=today, rules=together)
        clusters = [solver.ClusterPlaces(k, hs, residents.get(k, [])) for k, hs in places.items()]
        people = _pool_people(region, pool, app_ids, today=today, rules=together)
    problem = solver.Problem(
        len(pool),
        slots,
        np.concatenate(cand) if cand else np.zeros(0, np.int64),
        np.concatenate(home_index) if home_index else np.zeros(0, np.int64),
        np.concatenate(score).astype(np.int64) if score else np.zeros(0, np.int64),
        caps,
        clusters=clusters,
        people=people,
        cotenant_rules=_cotenancy_config(together),
    )
    tell(80, _("Finding the best assignment"))
    solution = solver.solve(problem, time_limit=time_limit)
    unconstrained = solver.solve(solver.without_caps(problem), time_limit=time_limit).total
    problems = solver.violations(problem, solution.pairs)
    if problems:  # the independent checker: never hand people a proposal that breaks a rule
        raise RuntimeError("; ".join(problems))
    pairs = [
        Pair(
            home=homes[h],
            application_id=int(app_ids[c]),
            candidate_number=pool.candidate_numbers[c],
            points=int(evaluations[h].totals[c]),
            bonus=bonuses[h],
            points_by_criterion=evaluations[h].points_of(c),
        )
        for c, h in sorted(solution.pairs, key=lambda p: p[1])
    ]
    assigned: dict[str, int] = {}
    for pair in pairs:
        code = pair.home.municipality.cbs_code
        assigned[code] = assigned.get(code, 0) + 1
    quota = {code: (r.name, r.quota, r.realised, assigned.get(code, 0)) for code, r in rows.items()}
    return Report(
        region,
        len(homes),
        len(pool),
        len(problem.edge_score),
        pairs,
        solution,
        unconstrained,
        quota,
        run_caps,
        time_limit,
        clusters=len(clusters),
        cluster_places=sum(len(hs) for hs in places.values()),
    )


# The glue between the database and `cotenancy.Person`/`Config`, in bulk for the whole pool:
# the same facts as `matching.clusters` reads for the ranking (age on the day, heavy dossier
# weights, the care providers' "not together" marks through `clusters.marks_of`).


def _cotenancy_config(rules: Cotenancy) -> cotenancy.Config:
    return cotenancy.Config(
        max_age_gap=rules.max_age_gap,
        max_heavy=rules.max_heavy,
        respect_marks=rules.respect_marks,
    )


def _cluster_residents(
    cluster_ids: list[int], *, today: date, rules: Cotenancy
) -> dict[int, list[cotenancy.Person]]:
    """Per cluster, the clients of the active matches on its other places (proposed, agreed,
    or living there under an accepted match); a place offered again is nobody's any more."""
    out: dict[int, list[cotenancy.Person]] = {}
    rows = Match.objects.filter(
        home__cluster_id__in=cluster_ids,
        home__state__in=[HomeState.PROPOSED, HomeState.LET],
        state__in=sorted(ACTIVE_MATCH_STATES),
    ).values_list(
        "home__cluster_id",
        "client_id",
        "client__candidate_number",
        "client__date_of_birth",
        "application__dossier_weight",
    )
    found = list(rows.order_by("pk"))
    marks = clusters.marks_of([row[1] for row in found])
    for cluster_id, client_id, number, born, weight in found:
        out.setdefault(cluster_id, []).append(
            cotenancy.Person(
                client_id,
                number,
                age=age_on(born, today) if born else None,
                heavy=weight in rules.heavy_weights,
                avoid=marks[client_id],
            )
        )
    return out


def _pool_people(
    region: Region, pool: core.Pool, app_ids: np.ndarray, *, today: date, rules: Cotenancy
) -> list[cotenancy.Person]:
    """Every candidate of the pool as a `cotenancy.Person` (by pool index): age on the day,
    heavy when the application's dossier weight is one of the region's heavy weights."""
    heavy = set(
        Application.objects.filter(
            client__region=region, dossier_weight__in=rules.heavy_weights
        ).values_list("pk", flat=True)
    )
    people = []
    marks = clusters.marks_of([int(pool.client_id[i]) for i in range(len(pool))])
    for i in range(len(pool)):
        born = int(pool.born[i])
        people.append(
            cotenancy.Person(
                int(pool.client_id[i]),
                pool.candidate_numbers[i],
                age=None if born == core.NO_DATE else age_on(date.fromordinal(born), today),
                heavy=int(app_ids[i]) in heavy,
                avoid=marks[int(pool.client_id[i])],
            )
        )
    return people


def as_record(report: Report) -> tuple[dict[str, object], list[dict[str, object]]]:
    """The report and the pairs as stored with a run (JSON)."""
    s = report.solution
    summary: dict[str, object] = {
        "homes": report.homes,
        "candidates": report.candidates,
        "eligible_pairs": report.edges,
        "total": s.total,
        "total_without_caps": report.unconstrained_total,
        "price_of_fairness": report.price_of_fairness,
        "price_of_fairness_percent": round(report.price_of_fairness_percent, 2),
        "method": s.method,
        "optimal": s.optimal,
        "gap": s.gap,
        "seconds": round(s.seconds, 4),
        "time_limit": report.time_limit if s.method == solver.MIP else None,
        "caps": report.run_caps.as_dict(),
        "clusters": report.clusters,
        "cluster_places": report.cluster_places,
        "municipalities": [
            {"cbs_code": code, "name": name, "quota": q, "realised": r, "assigned": a}
            for code, (name, q, r, a) in sorted(report.quota.items(), key=lambda kv: kv[1][0])
        ],
    }
    pairs: list[dict[str, object]] = [
        {
            "home_id": p.home.pk,
            "address": p.home.address,
            "municipality": p.home.municipality.name,
            "application_id": p.application_id,
            "candidate_number": p.candidate_number,
            **pair_record(p),
        }
        for p in report.pairs
    ]
    return summary, pairs


def pair_record(pair: Pair) -> dict[str, object]:
    """A pair's numbers: its points, its behind-quota bonus and their sum (the score the
    solver maximised), with the points per criterion; and the cluster whose place it fills
    (None for an ordinary home)."""
    cluster = pair.cluster
    return {
        "cluster": None
        if cluster is None
        else {"id": cluster.pk, "name": cluster.name, "place": pair.home.place},
        "points": pair.points,
        "bonus": pair.bonus,
        "score": pair.score,
        "points_by_criterion": pair.points_by_criterion,
    }


def execute(run_id: int) -> None:
    """Carry out a stored run (in the background worker), keeping its progress up to date."""
    from .models import BatchRun

    batch_run = BatchRun.objects.select_related("region").get(pk=run_id)

    def tell(percent: int, message: str) -> None:
        BatchRun.objects.filter(pk=run_id).update(
            status=BatchRun.Status.RUNNING, progress=percent, message=message[:300]
        )

    try:
        report = run(batch_run.region, progress=tell, run_caps=RunCaps.from_dict(batch_run.caps))
    except Exception as exc:  # the run records why; the worker carries on with the next job
        BatchRun.objects.filter(pk=run_id).update(
            status=BatchRun.Status.FAILED, message=str(exc)[:300], finished_at=timezone.now()
        )
        raise
    summary, pairs = as_record(report)
    BatchRun.objects.filter(pk=run_id).update(
        status=BatchRun.Status.DONE,
        progress=100,
        message="",
        report=summary,
        pairs=pairs,
        finished_at=timezone.now(),
    )

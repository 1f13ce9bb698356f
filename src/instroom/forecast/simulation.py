"""The ten-year regional forecast: a monthly stock-and-flow simulation, vectorised over Monte
Carlo replications (NumPy; no database access, no loop per person).

Per month, for every replication at once:
  new applications per source (Poisson)  → in assessment
  in assessment → decided (geometric stay, mean `assessment_months`) → approved (share
      `approval_rate`) into the pool, the rest rejected
  homes offered (Poisson around the corporations' yearly supply, at most the yearly quota and the
      caps' yearly ceiling) → each accepted with
      probability 1 − `refusal_rate`; a refused home is offered again the next month, one with
      nobody waiting goes back to the regular route
  placements take the longest-waiting first (FIFO by month of approval), so the waiting time of
      everyone placed is known → median and p90 per month
  placed → housed with support for `support_months`, then done.
Everybody who entered is in exactly one of: assessment, pool, housed, done, rejected.

Placements are spread over the municipalities by the key (multinomial), and set against the
regular queue: the scheme's share of all social-rent allocations, and the extra months a regular
seeker waits because those homes go to the scheme.

`deterministic=True` replaces every draw by its expected value (fractional people), for tests
that compare with hand-computed figures.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Inputs:
    inflow_per_month: dict[str, float]  # per source (bw, mo, youth, …)
    approval_rate: float = 0.8
    assessment_months: float = 2.0
    homes_per_year: float = 178.0  # what the corporations offer to the scheme (all together)
    quota_per_year: float = 178.0  # the region's contingent: at most this many per year
    # What each corporation offers a year; when given, it replaces homes_per_year (their sum).
    supply_per_corporation: dict[str, float] = field(default_factory=dict)
    # The concentration caps as a yearly ceiling for the region: neighbourhoods × places per
    # neighbourhood per window, per year. None: no ceiling.
    caps_per_year: float | None = None
    refusal_rate: float = 0.1
    support_months: int = 24
    key: dict[str, float] = field(default_factory=lambda: {"region": 1.0})  # municipality → share
    regular_allocations_per_year: float = 2000.0  # all social-rent lets in the region
    regular_queue: float = 20000.0  # regular seekers waiting
    start_pool: float = 0.0

    def check(self) -> None:
        for name in ("approval_rate", "refusal_rate"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"{name}: give a share between 0 and 1, not {value}")
        for name in ("assessment_months",):
            if getattr(self, name) < 1:
                raise ValueError(f"{name}: at least 1 month")
        for name in (
            "homes_per_year",
            "quota_per_year",
            "regular_allocations_per_year",
            "regular_queue",
            "start_pool",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name}: cannot be negative")
        if any(v < 0 for v in self.supply_per_corporation.values()):
            raise ValueError("supply_per_corporation: cannot be negative")
        if self.caps_per_year is not None and self.caps_per_year < 0:
            raise ValueError("caps_per_year: cannot be negative")
        if any(v < 0 for v in self.inflow_per_month.values()):
            raise ValueError("inflow_per_month: cannot be negative")
        if not self.key or abs(sum(self.key.values()) - 1) > 1e-9:
            raise ValueError("key: the shares must add up to 1")


@dataclass(frozen=True)
class Result:
    months: int
    runs: int
    entered: np.ndarray  # (runs, months) cumulative
    in_assessment: np.ndarray
    pool: np.ndarray
    housed: np.ndarray
    done: np.ndarray
    rejected: np.ndarray
    placements: np.ndarray  # (runs, months)
    placements_by_municipality: dict[str, np.ndarray]  # (runs, months)
    wait_mean: np.ndarray  # (runs, months), months waited by those placed; NaN if nobody
    wait_median: np.ndarray
    wait_p90: np.ndarray
    scheme_share: np.ndarray  # (runs, months): placements / regular allocations that month
    regular_extra_wait: np.ndarray  # (runs, months): extra months in the regular queue

    def band(self, series: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """p10, median and p90 over the replications, per month."""
        with np.errstate(all="ignore"):
            low, mid, high = np.nanpercentile(series, [10, 50, 90], axis=0)
        return low, mid, high


def _weighted_quantile(counts: np.ndarray, ages: np.ndarray, q: float) -> np.ndarray:
    """Per row: the q-quantile of `ages` weighted by `counts` (ages ascending); NaN if empty."""
    total = counts.sum(axis=1)
    cum = np.cumsum(counts, axis=1)
    target = q * total
    index = (cum < target[:, None] - 1e-9).sum(axis=1)
    index = np.minimum(index, counts.shape[1] - 1)
    return np.where(total > 1e-9, ages[index], np.nan)


def simulate(
    inputs: Inputs,
    *,
    years: int = 10,
    runs: int = 1000,
    seed: int = 2026,
    deterministic: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Result:
    inputs.check()
    months = 12 * years
    rng = np.random.default_rng(seed)
    runs = 1 if deterministic else runs

    def poisson(mean: float | np.ndarray, size: tuple[int, ...]) -> np.ndarray:
        if deterministic:
            return np.broadcast_to(np.asarray(mean, dtype=float), size).astype(float)
        return rng.poisson(mean, size=size).astype(float)

    def binomial(n: np.ndarray, p: float) -> np.ndarray:
        if deterministic:
            return n * p
        return rng.binomial(n.astype(np.int64), p).astype(float)

    shape = (runs, months)
    entered = np.zeros(shape)
    in_assessment = np.zeros(shape)
    pool = np.zeros(shape)
    housed = np.zeros(shape)
    done = np.zeros(shape)
    rejected = np.zeros(shape)
    placements = np.zeros(shape)
    wait_mean = np.full(shape, np.nan)
    wait_median = np.full(shape, np.nan)
    wait_p90 = np.full(shape, np.nan)
    # The pool by month of approval (column a = approved in month a), for FIFO waiting times.
    cohorts = np.zeros((runs, months + 1))
    cohorts[:, 0] = inputs.start_pool
    placed_at = np.zeros((runs, months))  # placements per month, to end support later
    assessing = np.zeros(runs)
    carried_homes = np.zeros(runs)
    total_in = np.full(runs, float(inputs.start_pool))
    done_now = np.zeros(runs)
    rejected_now = np.zeros(runs)
    inflow = sum(inputs.inflow_per_month.values())
    leave = 1 / inputs.assessment_months
    supply = (
        sum(inputs.supply_per_corporation.values())
        if inputs.supply_per_corporation
        else inputs.homes_per_year
    )
    ceilings = [supply, inputs.quota_per_year]
    if inputs.caps_per_year is not None:
        ceilings.append(inputs.caps_per_year)
    monthly_supply = min(ceilings) / 12
    for t in range(months):
        arrivals = poisson(inflow, (runs,))
        total_in += arrivals
        assessing += arrivals
        decided = binomial(assessing, leave)
        assessing -= decided
        approved = binomial(decided, inputs.approval_rate)
        rejected_now += decided - approved
        cohorts[:, t + 1] += approved
        offered = poisson(monthly_supply, (runs,)) + carried_homes
        accepted = binomial(offered, 1 - inputs.refusal_rate)
        waiting = cohorts[:, : t + 2].sum(axis=1)
        placed = np.minimum(accepted, waiting)
        # A refused home is offered again next month; one nobody in the pool is waiting for
        # goes back to the regular route (it does not pile up for later).
        carried_homes = offered - accepted
        # FIFO: take from the oldest cohorts first.
        counts = cohorts[:, : t + 2]
        before = np.cumsum(counts, axis=1) - counts
        taken = np.clip(placed[:, None] - before, 0, counts)
        cohorts[:, : t + 2] -= taken
        ages = (t + 1) - np.arange(t + 2)  # months since approval, oldest first
        order = np.argsort(ages)
        with np.errstate(invalid="ignore", divide="ignore"):
            wait_mean[:, t] = (taken * ages).sum(axis=1) / placed
        wait_median[:, t] = _weighted_quantile(taken[:, order], ages[order].astype(float), 0.5)
        wait_p90[:, t] = _weighted_quantile(taken[:, order], ages[order].astype(float), 0.9)
        placed_at[:, t] = placed
        if t >= inputs.support_months:
            done_now += placed_at[:, t - inputs.support_months]
        placements[:, t] = placed
        entered[:, t] = total_in
        in_assessment[:, t] = assessing
        pool[:, t] = cohorts.sum(axis=1)
        start = max(0, t - inputs.support_months + 1)
        housed[:, t] = placed_at[:, start : t + 1].sum(axis=1)
        done[:, t] = done_now
        rejected[:, t] = rejected_now
        if progress is not None and (t + 1) % 12 == 0:
            progress(int(100 * (t + 1) / months))

    keys = sorted(inputs.key)
    shares = np.array([inputs.key[k] for k in keys])
    if deterministic:
        by_town = placements[:, :, None] * shares
    else:
        flat = placements.reshape(-1).astype(np.int64)
        by_town = rng.multinomial(flat, shares).reshape(runs, months, len(keys)).astype(float)
    per_month_lets = inputs.regular_allocations_per_year / 12
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(per_month_lets > 0, placements / per_month_lets, np.nan)
        regular_left = np.maximum(per_month_lets - placements, 1e-9)
        extra = inputs.regular_queue / regular_left - inputs.regular_queue / max(
            per_month_lets, 1e-9
        )
    return Result(
        months=months,
        runs=runs,
        entered=entered,
        in_assessment=in_assessment,
        pool=pool,
        housed=housed,
        done=done,
        rejected=rejected,
        placements=placements,
        placements_by_municipality={k: by_town[:, :, i] for i, k in enumerate(keys)},
        wait_mean=wait_mean,
        wait_median=wait_median,
        wait_p90=wait_p90,
        scheme_share=share,
        regular_extra_wait=extra,
    )

"""Benchmark of the matching core (not a test): `evaluate` + `eligible_order` for one home
against random pools of 10,000 and 50,000 candidates, no database. Prints the median and p95 over
many homes, and, once per size, the cost of building the pool from columns and from Candidates.

The budget for ranking one home is 50 ms (10,000) and 200 ms (50,000) including the database
read on a 2-core machine, so the core should stay well under ~10 ms and ~40 ms.

    .venv/bin/python scripts/bench_core.py [--sizes 10000,50000] [--repeat 50]
"""

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np

from instroom.matching.core import HomeOffer, Pool, ScoreConfig, evaluate

TODAY = date(2026, 11, 23)
MUNICIPALITIES = 8
NEIGHBOURHOODS = 200
PROVIDERS = 25


def columns(n: int, rng: np.random.Generator) -> dict[str, Any]:
    """A fictional pool shaped like the real one: most clients list 1–3 municipalities, some
    exclude one or two, a few need a lift or a wheelchair, most have a rent cap."""

    def ids(width: int, share: float, high: int) -> np.ndarray:
        values = rng.integers(1, high + 1, size=(n, width))
        return np.where(rng.random((n, width)) < share, values, -1)

    today = TODAY.toordinal()
    return {
        "candidate_numbers": [f"K-{i:06d}" for i in rng.permutation(n)],
        "client_id": np.arange(1, n + 1),
        "municipality_of_origin_id": rng.integers(1, MUNICIPALITIES + 1, n),
        "preferences": ids(3, 0.7, MUNICIPALITIES),
        "excluded_municipalities": ids(2, 0.15, MUNICIPALITIES),
        "excluded_neighbourhoods": ids(3, 0.2, NEIGHBOURHOODS),
        "rooms_min": rng.integers(1, 4, n),
        "household_size": rng.integers(1, 6, n),
        "needs_lift": rng.random(n) < 0.12,
        "needs_wheelchair": rng.random(n) < 0.03,
        "has_pets": rng.random(n) < 0.2,
        "rent_limit": np.where(rng.random(n) < 0.75, rng.choice([682.96, 737.14], n), np.nan),
        "approved_on": today - rng.integers(0, 1500, n),
        "urgency": rng.choice([0, 0, 0, 1, 2, 3], n),
        "parked_until": np.where(rng.random(n) < 0.05, today + 30, Pool.NO_DATE),
        "support_provider_id": rng.integers(1, PROVIDERS + 1, n),
    }


def homes(count: int, rng: np.random.Generator) -> list[HomeOffer]:
    return [
        HomeOffer(
            home_id=h,
            municipality_id=int(rng.integers(1, MUNICIPALITIES + 1)),
            neighbourhood_id=int(rng.integers(1, NEIGHBOURHOODS + 1)),
            rooms=int(rng.integers(1, 5)),
            floor=int(rng.integers(0, 5)),
            has_lift=bool(rng.random() < 0.5),
            wheelchair_accessible=bool(rng.random() < 0.1),
            rent_eur=Decimal(f"{rng.uniform(500, 900):.2f}"),
            pets_allowed=bool(rng.random() < 0.7),
            cap_reached=False,
            active_support_provider_ids=frozenset(
                int(p) for p in rng.choice(PROVIDERS, 20, replace=False) + 1
            ),
        )
        for h in range(count)
    ]


def ms(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    rng = np.random.default_rng(20261123)
    config = ScoreConfig()
    print(f"matching core, evaluate + eligible_order, median and p95 of {args.repeat} homes")
    for n in (int(s) for s in args.sizes.split(",")):
        data = columns(n, rng)
        pool = Pool.from_columns(**data)
        build_columns = min(ms(lambda: Pool.from_columns(**data)) for _ in range(3))  # noqa: B023
        candidates = [pool.candidate(i) for i in range(n)]
        build_candidates = ms(lambda: Pool.from_candidates(candidates))  # noqa: B023
        offers = homes(args.repeat, rng)
        evaluate(offers[0], pool, config, TODAY).eligible_order()  # warm up
        times, eligible = [], []
        for offer in offers:
            start = time.perf_counter()
            order = evaluate(offer, pool, config, TODAY).eligible_order()
            times.append((time.perf_counter() - start) * 1000)
            eligible.append(len(order))
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(
            f"  {n:>7,} candidates: median {statistics.median(times):6.2f} ms, "
            f"p95 {p95:6.2f} ms (median {int(statistics.median(eligible)):,} eligible); "
            f"pool built once: from columns {build_columns:.1f} ms, "
            f"from Candidates {build_candidates:.0f} ms"
        )


if __name__ == "__main__":
    main()

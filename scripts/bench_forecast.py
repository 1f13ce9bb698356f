"""Benchmark of the forecast (printed by `make bench`): one region, ten years monthly."""

import time

from instroom.forecast.simulation import Inputs, simulate

inputs = Inputs(
    inflow_per_month={"bw": 9.0, "mo": 7.0, "youth": 2.0},
    approval_rate=0.8,
    homes_per_year=178,
    quota_per_year=178,
    key={f"GM{i}": s for i, s in enumerate([0.41, 0.19, 0.12, 0.11, 0.06, 0.06, 0.05])},
)
for runs in (1000,):
    times = []
    for _ in range(3):
        start = time.perf_counter()
        simulate(inputs, years=10, runs=runs)
        times.append(time.perf_counter() - start)
    print(
        f"forecast: 1 region, 120 months, {runs} replications: "
        f"{sorted(times)[1]:.2f} s (median of 3)"
    )

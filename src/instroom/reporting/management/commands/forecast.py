"""`instroom forecast --region SLUG --years 10 --runs 1000 [--format table|json]`."""

import json
import sys
from dataclasses import asdict, replace
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from instroom.forecast.simulation import simulate
from instroom.regions.models import Region
from instroom.reporting.forecast_inputs import calibrate


class Command(BaseCommand):
    help = "The ten-year forecast of a region, calibrated from its own history (Monte Carlo)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--region", required=True)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--runs", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--scenario", default=None, help="a scenario saved on the page")
        parser.add_argument(
            "--homes-per-year",
            type=float,
            default=None,
            help="a scenario: homes a year instead of the quota",
        )
        parser.add_argument("--format", choices=["table", "json", "png"], default="table")
        parser.add_argument("--out", default=None, help="file for --format png (else stdout)")

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            region = Region.objects.get(slug=o["region"])
        except Region.DoesNotExist:
            raise CommandError(f"No region {o['region']!r}.") from None
        if not 1 <= o["years"] <= 30 or not 1 <= o["runs"] <= 100000:
            raise CommandError("years: 1 to 30; runs: 1 to 100,000")
        inputs, notes = calibrate(region)
        if o["scenario"]:
            from instroom.forecast.models import Scenario
            from instroom.forecast.simulation import Inputs

            saved = Scenario.objects.filter(region=region, name=o["scenario"]).first()
            if saved is None:
                names = ", ".join(
                    Scenario.objects.filter(region=region).values_list("name", flat=True)
                )
                raise CommandError(f"No scenario {o['scenario']!r}. Saved: {names or 'none'}")
            inputs = Inputs(**saved.inputs)
        if o["homes_per_year"] is not None:
            inputs = replace(
                inputs, homes_per_year=o["homes_per_year"], quota_per_year=o["homes_per_year"]
            )

        def bar(percent: int) -> None:
            if o["format"] == "table":
                done = percent // 5
                sys.stderr.write(f"\r[{'#' * done}{' ' * (20 - done)}] {percent:3d}%")
                sys.stderr.flush()

        try:
            result = simulate(
                inputs, years=o["years"], runs=o["runs"], seed=o["seed"], progress=bar
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if o["format"] == "table":
            sys.stderr.write("\n")
        years: list[dict[str, Any]] = []
        for y in range(o["years"]):
            end = 12 * y + 11
            span = slice(12 * y, 12 * y + 12)
            pool = np.percentile(result.pool[:, end], [10, 50, 90])
            placed = np.percentile(result.placements[:, span].sum(axis=1), [10, 50, 90])
            with np.errstate(all="ignore"):
                wait = np.nanmedian(result.wait_median[:, span])
                wait90 = np.nanmedian(result.wait_p90[:, span])
                share = np.nanmean(result.scheme_share[:, span])
                extra = np.nanmean(result.regular_extra_wait[:, span])
            years.append(
                {
                    "year": y + 1,
                    "pool_p10_p50_p90": [round(float(v), 1) for v in pool],
                    "placements_p10_p50_p90": [round(float(v), 1) for v in placed],
                    "wait_median_months": None if np.isnan(wait) else round(float(wait), 1),
                    "wait_p90_months": None if np.isnan(wait90) else round(float(wait90), 1),
                    "scheme_share_of_lets": round(float(share), 4),
                    "regular_extra_wait_months": round(float(extra), 2),
                }
            )
        if o["format"] == "png":
            self._png(region.name, result, o["out"])
            return
        if o["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "region": region.slug,
                        "runs": result.runs,
                        "inputs": asdict(inputs),
                        "calibration": [n.__dict__ for n in notes],
                        "years": years,
                    },
                    indent=2,
                    ensure_ascii=False,
                    default=str,
                )
            )
            return
        self.stdout.write(
            f"{region.name}: {o['years']} years, {result.runs} runs, seed {o['seed']}"
        )
        for n in notes:
            self.stdout.write(f"  {n.field:<30} {n.value!s:<28} ({n.basis})")
        self.stdout.write(
            f"{'year':>4} {'pool p10/p50/p90':>22} {'placed p50':>10} "
            f"{'wait p50':>8} {'wait p90':>8} {'share':>6} {'extra':>6}"
        )
        for row in years:
            p = row["pool_p10_p50_p90"]
            self.stdout.write(
                f"{row['year']:>4} {p[0]:>6.0f}/{p[1]:>6.0f}/{p[2]:>6.0f} "
                f"{row['placements_p10_p50_p90'][1]:>10.0f} "
                f"{row['wait_median_months'] if row['wait_median_months'] is not None else '—':>8} "
                f"{row['wait_p90_months'] if row['wait_p90_months'] is not None else '—':>8} "
                f"{row['scheme_share_of_lets']:>6.1%} {row['regular_extra_wait_months']:>6.2f}"
            )

    def _png(self, title: str, result: Any, out: str | None) -> None:
        """Three panels (pool, months waited, placements): median lines, p10–p90 bands."""
        import io

        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot as plt

        months = np.arange(1, result.months + 1) / 12
        figure, axes = plt.subplots(3, 1, figsize=(8, 9), sharex=True)
        panels = [
            (result.pool, "pool (people waiting)"),
            (result.wait_median, "months waited (median of those placed)"),
            (result.placements, "placements per month"),
        ]
        for ax, (series, label) in zip(axes, panels, strict=True):
            low, mid, high = result.band(series)
            ax.fill_between(months, low, high, alpha=0.3, linewidth=0)
            ax.plot(months, mid, linewidth=1.5)
            ax.set_ylabel(label, fontsize=8)
        axes[-1].set_xlabel("years")
        figure.suptitle(f"{title}: {result.runs} runs, p10–p90")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=100)
        plt.close(figure)
        if out:
            with open(out, "wb") as file:
                file.write(buffer.getvalue())
            self.stdout.write(f"written: {out}")
        else:
            sys.stdout.buffer.write(buffer.getvalue())

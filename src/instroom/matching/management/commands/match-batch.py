"""`instroom match-batch --region SLUG [--dry-run] [--format table|json]
[--cap-corporation SLUG=N ...] [--cap-municipality GMxxxx=N ...] [--time-limit SECONDS]`."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from instroom.matching import batch, solver
from instroom.regions.constants import OrganisationType
from instroom.regions.models import Organisation, Region


def _caps(option: str, values: list[str], known: set[str]) -> dict[str, int]:
    """'KEY=N' values → {KEY: N}; a CommandError (no traceback) for anything else."""
    caps: dict[str, int] = {}
    for value in values:
        key, sep, number = value.partition("=")
        key, number = key.strip(), number.strip()
        if not sep or not key:
            raise CommandError(f"{option} {value!r}: write it as KEY=N, e.g. {option} ymere=3.")
        if key not in known:
            raise CommandError(
                f"{option} {value!r}: {key!r} is not one of the region's: "
                + ", ".join(sorted(known))
                + "."
            )
        if not number.isascii() or not number.isdigit():
            raise CommandError(f"{option} {value!r}: N must be a whole number of 0 or more.")
        if key in caps:
            raise CommandError(f"{option}: {key!r} is given twice.")
        caps[key] = int(number)
    return caps


class Command(BaseCommand):
    help = (
        "The best assignment of all open homes of a region to its pool, under the caps, with the "
        "price of fairness. It proposes; people decide."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--region", required=True)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print the proposal only; otherwise it is also stored for review on the page",
        )
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument(
            "--cap-corporation",
            action="append",
            default=[],
            metavar="SLUG=N",
            help="at most N homes of this corporation in this run (repeatable); solved as a MIP",
        )
        parser.add_argument(
            "--cap-municipality",
            action="append",
            default=[],
            metavar="GMxxxx=N",
            help="at most N homes in this municipality (CBS code) in this run (repeatable)",
        )
        parser.add_argument(
            "--time-limit",
            type=float,
            default=batch.MIP_TIME_LIMIT,
            metavar="SECONDS",
            help="how long the MIP may search before it reports its gap (default %(default)s)",
        )

    def handle(self, *args: Any, region: str, dry_run: bool, format: str, **options: Any) -> None:
        try:
            found = Region.objects.get(slug=region)
        except Region.DoesNotExist:
            raise CommandError(f"No region {region!r}.") from None
        corporations = set(
            Organisation.objects.filter(
                region=found, type=OrganisationType.CORPORATION
            ).values_list("slug", flat=True)
        )
        municipalities = set(found.municipalities.values_list("cbs_code", flat=True))
        run_caps = batch.RunCaps(
            municipality=_caps("--cap-municipality", options["cap_municipality"], municipalities),
            corporation=_caps("--cap-corporation", options["cap_corporation"], corporations),
        )
        time_limit = options["time_limit"]
        if not time_limit > 0:
            raise CommandError("--time-limit must be a positive number of seconds.")
        report = batch.run(found, run_caps=run_caps, time_limit=time_limit)
        stored = None
        if not dry_run:
            from django.utils import timezone

            from instroom.matching.models import BatchRun

            summary_, pairs_ = batch.as_record(report)
            stored = BatchRun.objects.create(
                region=found,
                status=BatchRun.Status.DONE,
                progress=100,
                report=summary_,
                pairs=pairs_,
                caps=run_caps.as_dict(),
                finished_at=timezone.now(),
            )
        s = report.solution
        summary = {
            "region": found.slug,
            "homes": report.homes,
            "candidates": report.candidates,
            "eligible_pairs": report.edges,
            "total_score": s.total,
            "total_without_caps": report.unconstrained_total,
            "price_of_fairness": report.price_of_fairness,
            "price_of_fairness_percent": round(report.price_of_fairness_percent, 2),
            "method": s.method,
            "optimal": s.optimal,
            "gap": s.gap,
            "seconds": round(s.seconds, 4),
            "time_limit": report.time_limit if s.method == solver.MIP else None,
            "caps": run_caps.as_dict(),
            "clusters": report.clusters,
            "cluster_places": report.cluster_places,
            "pairs": [
                {
                    "home": p.home.pk,
                    "address": p.home.address,
                    "candidate": p.candidate_number,
                    **batch.pair_record(p),
                }
                for p in report.pairs
            ],
            "municipalities": [
                {"cbs_code": code, "name": name, "quota": q, "realised": r, "assigned": a}
                for code, (name, q, r, a) in sorted(report.quota.items())
            ],
        }
        if stored is not None:
            summary["review"] = reverse("matching:batch_run", args=[stored.pk])
        if format == "json":
            self.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False))
            return
        self.stdout.write(
            f"{found.name}: {report.homes} open homes, {report.candidates} candidates, "
            f"{report.edges} eligible pairs"
        )
        limit = f", time limit {report.time_limit:g} s" if s.method == solver.MIP else ""
        self.stdout.write(
            f"total score {s.total} ({s.method}, {'optimal' if s.optimal else 'not proven optimal'}"
            f", gap {s.gap if s.gap is not None else '?'}, {s.seconds * 1000:.1f} ms{limit}); "
            f"without caps {report.unconstrained_total}: price of fairness "
            f"{report.price_of_fairness} ({report.price_of_fairness_percent:.1f}%)"
        )
        if run_caps.municipality or run_caps.corporation:
            caps = {**run_caps.municipality, **run_caps.corporation}
            listed = ", ".join(f"{k}={v}" for k, v in caps.items())
            self.stdout.write(f"caps for this run: {listed}")
        if report.clusters:
            self.stdout.write(
                f"{report.cluster_places} free places in {report.clusters} clusters, filled "
                "under the co-tenancy rules"
            )
        self.stdout.write(
            f"  {'home':<40} {'cluster':<24} {'candidate':<10} {'points':>6} {'bonus':>5} "
            f"{'score':>5}"
        )
        for p in report.pairs:
            cluster = f"{p.cluster.name}, {p.home.place}" if p.cluster else "–"
            self.stdout.write(
                f"  {p.home.address:<40} {cluster[:24]:<24} {p.candidate_number:<10} "
                f"{p.points:>6} {p.bonus:>5} {p.score:>5}"
            )
        self.stdout.write(f"  {'total':<76} {s.total:>12}")
        for _code, (name, q, r, a) in sorted(report.quota.items()):
            self.stdout.write(f"  {name:<16} quota {q:>4}  realised {r:>4}  proposed now {a:>3}")
        if stored is not None:
            self.stdout.write(f"stored for review: {summary['review']} (nothing is proposed yet)")

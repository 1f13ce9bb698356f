"""`instroom match-batch --region SLUG [--dry-run] [--format table|json]`."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from instroom.matching import batch
from instroom.regions.models import Region


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

    def handle(self, *args: Any, region: str, dry_run: bool, format: str, **options: Any) -> None:
        try:
            found = Region.objects.get(slug=region)
        except Region.DoesNotExist:
            raise CommandError(f"No region {region!r}.") from None
        report = batch.run(found)
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
            "pairs": [
                {
                    "home": p.home.pk,
                    "address": p.home.address,
                    "candidate": p.candidate_number,
                    "score": p.score,
                    "points": p.points,
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
        self.stdout.write(
            f"total score {s.total} ({s.method}, {'optimal' if s.optimal else f'gap {s.gap}'}, "
            f"{s.seconds * 1000:.1f} ms); without caps {report.unconstrained_total}: price of "
            f"fairness {report.price_of_fairness} ({report.price_of_fairness_percent:.1f}%)"
        )
        for p in report.pairs:
            self.stdout.write(f"  {p.home.address:<40} {p.candidate_number:<10} {p.score:>4}")
        for _code, (name, q, r, a) in sorted(report.quota.items()):
            self.stdout.write(f"  {name:<16} quota {q:>4}  realised {r:>4}  proposed now {a:>3}")
        if stored is not None:
            self.stdout.write(f"stored for review: {summary['review']} (nothing is proposed yet)")

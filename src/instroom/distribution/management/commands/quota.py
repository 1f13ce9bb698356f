"""`instroom quota --region SLUG --year YYYY [--format table|json]`."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from instroom.distribution import selectors
from instroom.regions.models import Region


class Command(BaseCommand):
    help = (
        "Each municipality's share (exact fraction and decimal), its quota, carry-over and "
        "realisation for one year of a region."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--region", required=True, help="the region's slug, e.g. zk-ijmond")
        parser.add_argument("--year", type=int, default=timezone.localdate().year)
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, region: str, year: int, format: str, **options: Any) -> None:
        try:
            found = Region.objects.get(slug=region)
        except Region.DoesNotExist:
            known = ", ".join(Region.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f"No region {region!r}. Known: {known}") from None
        try:
            report = selectors.realisation(found, year, timezone.localdate())
        except selectors.DistributionError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from None
        rows = [
            {
                "cbs_code": row.key,
                "municipality": row.name,
                "share": f"{row.share.numerator}/{row.share.denominator}" if row.share else None,
                "share_decimal": round(float(row.share), 6) if row.share is not None else None,
                "quota": row.quota,
                "carry_over": round(float(row.carry_over), 3)
                if row.carry_over is not None
                else None,
                "realised": row.realised,
            }
            for row in report.municipalities
        ]
        if format == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "region": found.slug,
                        "year": year,
                        "total": report.total.quota,
                        "municipalities": rows,
                    },
                    indent=2,
                    ensure_ascii=False,
                )
            )
            return
        self.stdout.write(f"{found.name} — {year}: {report.total.quota} homes")
        self.stdout.write(
            f"{'CBS':<7} {'municipality':<16} {'share (exact)':>24} {'decimal':>9} "
            f"{'quota':>6} {'carry':>7} {'realised':>9}"
        )
        for r in rows:
            self.stdout.write(
                f"{r['cbs_code']:<7} {r['municipality']:<16} {r['share']:>24} "
                f"{r['share_decimal']:>9.6f} {r['quota']:>6} {r['carry_over']:>7.2f} "
                f"{r['realised']:>9}"
            )
        self.stdout.write(
            f"{'':<7} {'total':<16} {'':>24} {1:>9.6f} {report.total.quota:>6} {'':>7} "
            f"{report.total.realised:>9}"
        )

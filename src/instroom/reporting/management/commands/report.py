"""`instroom report --region SLUG --period 2026Q3|2026 --format pdf|xlsx --out FILE`: the
quarterly or yearly report of a region for the evaluation table and the board, as it leaves the
service point (counts below 5 hidden)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from instroom.regions.models import Region
from instroom.reporting import exports, monitoring


class Command(BaseCommand):
    help = "The quarterly or yearly report of a region as PDF or spreadsheet (suppressed)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--region", required=True)
        parser.add_argument("--period", required=True, help="a year (2026) or a quarter (2026Q3)")
        parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
        parser.add_argument("--out", required=True, help="the file to write")
        parser.add_argument("--language", default="nl", help="nl (default) or en")

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            region = Region.objects.get(slug=o["region"])
        except Region.DoesNotExist:
            raise CommandError(f"No region {o['region']!r}.") from None
        try:
            period = monitoring.parse_period(o["period"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        with translation.override(o["language"]):
            report = exports.region_report(region, period)
            data = exports.pdf_bytes(report) if o["format"] == "pdf" else exports.xlsx_bytes(report)
        with open(o["out"], "wb") as file:
            file.write(data)
        self.stdout.write(f"written: {o['out']} ({len(data):,} bytes, {region.name}, {period.key})")

"""`instroom quota --region SLUG --year YYYY [--format table|json]`."""

import json
from fractions import Fraction
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from instroom.distribution import selectors
from instroom.regions.models import Region


def _decimal(value: Fraction | None, places: int) -> float | None:
    return None if value is None else round(float(value), places)


def _exact(value: Fraction | None) -> str | None:
    if value is None:
        return None
    return str(value.numerator) if value.denominator == 1 else f"{value}"


class Command(BaseCommand):
    help = (
        "Each municipality's plain share of the year's homes, its backlog, target and quota with "
        "the reason they differ, and its realisation for one year of a region, then the split "
        "over corporations."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--region", required=True, help="the region's slug, e.g. zk-ijmond")
        parser.add_argument(
            "--year", type=int, default=timezone.localdate().year, help="default: this year"
        )
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, region: str, year: int, format: str, **options: Any) -> None:
        try:
            found = Region.objects.get(slug=region)
        except Region.DoesNotExist:
            known = ", ".join(Region.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f"No region {region!r}. Known: {known}") from None
        today = timezone.localdate()
        try:
            report = selectors.realisation(found, year, today)
        except selectors.DistributionError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from None
        rows = [
            {
                "cbs_code": row.key,
                "municipality": row.name,
                # The plain share of this year's total, in homes (exact: share_exact).
                "share": _decimal(row.share_homes, 3),
                "share_exact": _exact(row.share_homes),
                "backlog": row.backlog,
                "target": row.target,
                "quota": row.quota,
                "reason": row.reason,
                "key_share": _exact(row.share),
                "key_share_decimal": _decimal(row.share, 6),
                "carry_over": _exact(row.carry_over),
                "carry_over_decimal": _decimal(row.carry_over, 3),
                # Fixed agreed extra homes (lokale afspraken), on top of the key's quota.
                "agreed_extra_homes": row.agreed,
                "agreement": row.agreement,
                "quota_with_agreed": row.total_quota,
                "sub_region": row.sub_region or None,
                "realised": row.realised,
                "pro_rata_target": round(float(row.pro_rata), 3),
            }
            for row in report.municipalities
        ]
        sub_regions: list[dict[str, Any]] = [
            {
                "sub_region": sub.name,
                "quota": sub.quota,
                "agreed_extra_homes": sub.agreed,
                "quota_with_agreed": sub.total_quota,
                "realised": sub.realised,
                "pro_rata_target": round(float(sub.pro_rata), 3),
                "key_share": _exact(sub.share),
                "municipalities": [r for r in rows if r["sub_region"] == sub.name],
            }
            for sub in report.sub_regions
        ]
        figures = [
            {
                "cbs_code": b.municipality,
                "municipality": b.name,
                "figure": b.kind,
                "name": b.label,
                "value": b.figure.value,
                "reference_date": str(b.figure.reference_date),
                "source": b.figure.source,
                "is_estimate": b.figure.is_estimate,
                "method": b.figure.method or None,
            }
            for b in report.basis
        ]
        corporations = [
            {
                "cbs_code": row.municipality,
                "corporation": row.corporation,
                "name": row.name,
                "quota": row.quota,
                "realised": row.realised,
            }
            for row in report.corporations
        ]
        estimates = sorted({f"{b.name} ({b.label})" for b in report.basis if b.figure.is_estimate})
        if format == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "region": found.slug,
                        "year": year,
                        "method": report.method,
                        "carry_over_rule": report.carry_over,
                        "catch_up_limit_percent": report.catch_up_limit_percent,
                        "catch_up_years": report.catch_up_years,
                        "weights": [
                            {"figure": kind, "name": name, "weight": str(weight)}
                            for kind, name, weight in report.weights
                        ],
                        "total": report.total.quota,
                        "agreed_extra_homes": report.total.agreed,
                        "total_with_agreed": report.total.total_quota,
                        "realised": report.total.realised,
                        "date": today.isoformat(),
                        "sub_regions": sub_regions,
                        "municipalities": rows,
                        "corporations": corporations,
                        "missing_corporation_stock": report.missing_stock,
                        "figures": figures,
                        "rests_on_estimates": report.rests_on_estimates,
                        "estimated_figures": estimates,
                        "years_without_placements": list(report.unrecorded_years),
                    },
                    indent=2,
                    ensure_ascii=False,
                )
            )
            return
        self.stdout.write(
            f"{found.name} — {year}: {report.total.quota} homes, {report.method_label}, "
            f"carry-over: {report.carry_over_label}"
        )
        self.stdout.write(
            "key: " + ", ".join(f"{name} {float(w):g}" for _kind, name, w in report.weights)
        )
        header = (
            f"{'CBS':<7} {'municipality':<18} {'key share (exact)':>24} {'share':>8} "
            f"{'backlog':>8} {'target':>7} {'quota':>6} {'agreed':>7} {'realised':>9}  why"
        )

        def line(r: dict[str, Any]) -> str:
            estimated = (
                " *"
                if any(f["is_estimate"] for f in figures if f["cbs_code"] == r["cbs_code"])
                else ""
            )
            return (
                f"{r['cbs_code']:<7} {(r['municipality'] + estimated)[:18]:<18} "
                f"{r['key_share']:>24} {r['share']:>8.3f} {r['backlog']:>8} {r['target']:>7} "
                f"{r['quota']:>6} {r['agreed_extra_homes']:>7} {r['realised']:>9}  {r['reason']}"
            )

        def subtotal(name: str, quota: int, agreed: int, realised: int) -> str:
            return (
                f"{'':<7} {name[:18]:<18} {'':>24} {'':>8} {'':>8} {'':>7} {quota:>6} "
                f"{agreed:>7} {realised:>9}"
            )

        self.stdout.write(header)
        if sub_regions:
            for sub in sub_regions:
                self.stdout.write(f"— {sub['sub_region']}")
                for r in sub["municipalities"]:
                    self.stdout.write(line(r))
                self.stdout.write(
                    subtotal(
                        f"subtotal {sub['sub_region']}",
                        sub["quota"],
                        sub["agreed_extra_homes"],
                        sub["realised"],
                    )
                )
            loose = [r for r in rows if r["sub_region"] is None]
            if loose:
                self.stdout.write("— (no sub-region)")
                for r in loose:
                    self.stdout.write(line(r))
        else:
            for r in rows:
                self.stdout.write(line(r))
        self.stdout.write(
            subtotal("total", report.total.quota, report.total.agreed, report.total.realised)
        )
        if report.total.agreed:
            self.stdout.write(
                "agreed: fixed extra homes agreed locally (lokale afspraken), on top of the key's "
                f"quota: {report.total.quota} + {report.total.agreed} = "
                f"{report.total.total_quota} homes; what a municipality delivers counts for "
                "them first."
            )
        self.stdout.write(
            "share: the plain share of this year's homes; backlog: whole homes behind (+) or "
            "ahead (−) of the fair position from earlier years; target: what brings it back."
        )
        if report.catch_up_years is not None:
            self.stdout.write(
                f"Everyone behind is back at the fair position within {report.catch_up_years} "
                "year(s), as far as others are ahead."
            )
        if corporations:
            self.stdout.write("")
            self.stdout.write(f"{'per corporation':<48} {'quota':>6} {'realised':>9}")
            for c in corporations:
                self.stdout.write(f"{c['name']:<48} {c['quota']:>6} {c['realised']:>9}")
        if report.missing_stock:
            self.stdout.write("")
            self.stdout.write(
                "No social rental stock per corporation is configured for: "
                + ", ".join(report.missing_stock)
                + ". Their quota is not split over corporations until those figures are entered."
            )
        if report.unrecorded_years:
            self.stdout.write("")
            self.stdout.write(
                "No placements are recorded for "
                + ", ".join(map(str, report.unrecorded_years))
                + ": until they are entered, the carry-over counts those years as still owed."
            )
        if estimates:
            self.stdout.write("")
            self.stdout.write("* The key rests on estimated figures (not official yet):")
            for f in figures:
                if f["is_estimate"]:
                    self.stdout.write(
                        f"  {f['municipality']}, {f['name']}: {f['value']} "
                        f"({f['reference_date']}; estimate: {f['method']})"
                    )

"""Reads of the distribution: a region's quotas with carry-over, the realisation, and the
concentration caps. Feeds the pure `apportion` module with the region's figures."""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from instroom.regions.constants import FigureKind, OrganisationType
from instroom.regions.models import CorporationStock, Municipality, Organisation, Region
from instroom.regions.selectors import municipality_figures

from . import apportion
from .models import Placement


class DistributionError(ValueError):
    """A configuration the distribution cannot work with; `field` names what to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _months_back(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def key_figures(region: Region) -> tuple[list[apportion.Figures], dict[str, Municipality]]:
    municipalities = {m.cbs_code: m for m in region.municipalities.order_by("cbs_code")}
    figures = municipality_figures(region)
    rows = []
    for code, m in municipalities.items():
        own = figures.get(m.pk, {})
        households = own.get(FigureKind.HOUSEHOLDS)
        social = own.get(FigureKind.SOCIAL_STOCK)
        rows.append(
            apportion.Figures(
                key=code,
                households=households.value if households else None,
                social_stock=social.value if social else None,
            )
        )
    return rows, municipalities


def _years(region: Region, up_to: int) -> list[apportion.Year]:
    figures, _municipalities = key_figures(region)
    configured = {q.year: q for q in region.quota_years.filter(year__lte=up_to)}
    years = []
    for year in range(region.start_year, up_to + 1):
        q = configured.get(year)
        if q is None:
            raise DistributionError(
                "total_homes",
                _("There is no yearly quota for %(year)d: add it in the configuration.")
                % {"year": year},
            )
        try:
            shares = apportion.shares(figures, q.weight_households, q.weight_social_stock)
        except apportion.ConfigurationError as exc:
            raise DistributionError(exc.field, str(exc)) from None
        years.append(apportion.Year(year, q.total_homes, shares, q.method))
    return years


def delivered(region: Region) -> dict[int, dict[str, int]]:
    """Placements that count, per year and CBS code."""
    result: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Placement.objects.filter(region=region, undone_at__isnull=True)
        .values_list("placed_on__year", "municipality__cbs_code")
        .annotate(n=Count("pk"))
    )
    for year, code, n in rows:
        result[year][code] = n
    return result


def region_quota(region: Region, year: int) -> apportion.YearResult:
    if year < region.start_year:
        raise DistributionError(
            "year",
            _("The scheme starts in %(start)d; choose that year or later.")
            % {"start": region.start_year},
        )
    try:
        return apportion.with_carry_over(_years(region, year), delivered(region))[-1]
    except apportion.ConfigurationError as exc:
        raise DistributionError(exc.field, str(exc)) from None


def corporation_split(region: Region, quota: dict[str, int]) -> dict[str, dict[str, int]]:
    """Each municipality's quota over its corporations by their share of the social stock
    there (largest remainder, same tie-breaks); {} for a municipality without stock figures."""
    stock: dict[str, dict[str, int]] = defaultdict(dict)
    for code, slug, homes in CorporationStock.objects.filter(
        municipality__region=region
    ).values_list("municipality__cbs_code", "corporation__slug", "homes"):
        stock[code][slug] = homes
    result = {}
    for code, n in quota.items():
        weights = {slug: Fraction(homes) for slug, homes in stock.get(code, {}).items()}
        result[code] = apportion.largest_remainder(n, weights) if weights else {}
    return result


@dataclass(frozen=True)
class Row:
    key: str
    name: str
    share: Fraction | None
    quota: int
    carry_over: Fraction | None
    realised: int
    pro_rata: Fraction

    @property
    def difference(self) -> Fraction:
        """Realised minus the pro-rata target for today: negative is behind."""
        return self.realised - self.pro_rata

    @property
    def share_percent(self) -> float | None:
        return None if self.share is None else float(self.share * 100)


@dataclass(frozen=True)
class Realisation:
    region: Region
    year: int
    today: date
    fraction_of_year: Fraction
    municipalities: list[Row]
    corporations: list[Row]
    total: Row
    missing_stock: list[str]  # municipalities without corporation stock figures

    @property
    def chart_max(self) -> int:
        return max([1, *(max(r.quota, r.realised) for r in self.municipalities)])


def _fraction_of_year(year: int, today: date) -> Fraction:
    start, end = date(year, 1, 1), date(year, 12, 31)
    if today < start:
        return Fraction(0)
    if today >= end:
        return Fraction(1)
    return Fraction((today - start).days + 1, (end - start).days + 1)


def realisation(region: Region, year: int, today: date) -> Realisation:
    result = region_quota(region, year)
    _figures, municipalities = key_figures(region)
    part = _fraction_of_year(year, today)
    counted = Placement.objects.filter(region=region, undone_at__isnull=True, placed_on__year=year)
    by_municipality = dict(
        counted.values_list("municipality__cbs_code")
        .annotate(n=Count("pk"))
        .values_list("municipality__cbs_code", "n")
    )
    by_corporation: dict[tuple[str, str], int] = {
        (code, slug): n
        for code, slug, n in counted.values_list("municipality__cbs_code", "corporation__slug")
        .annotate(n=Count("pk"))
        .values_list("municipality__cbs_code", "corporation__slug", "n")
    }
    rows = [
        Row(
            key=code,
            name=municipalities[code].name,
            share=result.share[code],
            quota=result.quota[code],
            carry_over=result.carry_over(code),
            realised=by_municipality.get(code, 0),
            pro_rata=result.quota[code] * part,
        )
        for code in sorted(result.quota, key=lambda c: municipalities[c].name)
    ]
    split = corporation_split(region, result.quota)
    names = dict(
        Organisation.objects.filter(region=region, type=OrganisationType.CORPORATION).values_list(
            "slug", "name"
        )
    )
    corporations = [
        Row(
            key=f"{code}/{slug}",
            name=f"{names.get(slug, slug)} — {municipalities[code].name}",
            share=None,
            quota=n,
            carry_over=None,
            realised=by_corporation.get((code, slug), 0),
            pro_rata=n * part,
        )
        for code in sorted(split, key=lambda c: municipalities[c].name)
        for slug, n in sorted(split[code].items())
    ]
    total_quota = sum(r.quota for r in rows)
    total = Row(
        key="total",
        name=region.name,
        share=Fraction(1),
        quota=total_quota,
        carry_over=None,
        realised=sum(r.realised for r in rows),
        pro_rata=total_quota * part,
    )
    missing = [municipalities[c].name for c, n in split.items() if not n and result.quota[c]]
    return Realisation(region, year, today, part, rows, corporations, total, sorted(missing))


def visible_rows(report: Realisation, view: Any) -> tuple[list[Row], list[Row]]:
    """Data minimisation: the municipality and corporation rows this viewer may see (all, or
    their own municipality's and corporation's beside the region total)."""
    if view.everything:
        return report.municipalities, report.corporations
    codes = set(
        Municipality.objects.filter(pk__in=view.municipality_ids).values_list("cbs_code", flat=True)
    )
    slugs = set(
        Organisation.objects.filter(pk__in=view.corporation_ids).values_list("slug", flat=True)
    )
    return (
        [r for r in report.municipalities if r.key in codes],
        [r for r in report.corporations if r.key.split("/", 1)[1] in slugs],
    )


# --- Concentration caps -------------------------------------------------------------------


@dataclass(frozen=True)
class CapStatus:
    complex_left: int | None  # None: the home has no complex number
    neighbourhood_left: int | None  # None: the home has no neighbourhood
    since: date

    @property
    def may_place(self) -> bool:
        return all(
            left is None or left > 0 for left in (self.complex_left, self.neighbourhood_left)
        )


def cap_status(
    *,
    region: Region,
    neighbourhood_id: int | None,
    complex_code: str,
    today: date,
) -> CapStatus:
    """How many more placements this complex and this neighbourhood can take within the
    region's rolling window (at most k per complex and per neighbourhood)."""
    since = _months_back(today, region.cap_window_months)
    window = Placement.objects.filter(
        region=region, undone_at__isnull=True, placed_on__gt=since, placed_on__lte=today
    )
    counts = window.aggregate(
        in_complex=Count("pk", filter=Q(complex_code=complex_code))
        if complex_code
        else Count("pk", filter=Q(pk__in=[])),
        in_neighbourhood=Count("pk", filter=Q(neighbourhood_id=neighbourhood_id)),
    )
    return CapStatus(
        complex_left=max(region.cap_per_complex - counts["in_complex"], 0)
        if complex_code
        else None,
        neighbourhood_left=max(region.cap_per_neighbourhood - counts["in_neighbourhood"], 0)
        if neighbourhood_id
        else None,
        since=since,
    )


def may_place(*, home: Any, today: date) -> bool:
    """May one more be placed in this home's complex and neighbourhood? (A hard filter of the
    match point.)"""
    region = Region.objects.get(pk=home.region_id)
    return cap_status(
        region=region,
        neighbourhood_id=home.neighbourhood_id,
        complex_code=home.complex_code,
        today=today,
    ).may_place

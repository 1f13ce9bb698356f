"""Reads about regions. Configuration is not personal data: any signed-in user may read it."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from .constants import FigureKind
from .models import AffordabilityLimit, Municipality, MunicipalityFigure, Region


def region_list() -> QuerySet[Region]:
    return Region.objects.order_by("name")


def region_get(*, slug: str) -> Region:
    return Region.objects.get(slug=slug)


@dataclass(frozen=True)
class Figure:
    value: int
    reference_date: object
    source: str
    is_estimate: bool
    method: str


def municipality_figures(region: Region) -> dict[int, dict[str, Figure]]:
    """The latest figure of each kind per municipality, in one query."""
    result: dict[int, dict[str, Figure]] = {}
    rows = MunicipalityFigure.objects.filter(municipality__region=region).order_by(
        "municipality_id", "kind", "-reference_date"
    )
    for row in rows:
        per_kind = result.setdefault(row.municipality_id, {})
        if row.kind not in per_kind:  # first is latest
            per_kind[row.kind] = Figure(
                row.value, row.reference_date, row.source, row.is_estimate, row.method
            )
    return result


@dataclass(frozen=True)
class MunicipalityRow:
    municipality: Municipality
    figures: dict[str, Figure]
    table_names: list[str]


def region_overview(region: Region) -> list[MunicipalityRow]:
    figures = municipality_figures(region)
    municipalities = region.municipalities.prefetch_related("tables").order_by("name")
    return [
        MunicipalityRow(m, figures.get(m.id, {}), [t.name for t in m.tables.all()])
        for m in municipalities
    ]


KEY_FIGURES = (FigureKind.HOUSEHOLDS, FigureKind.SOCIAL_STOCK)


@dataclass(frozen=True)
class RentLimit:
    income_limit_eur: Decimal
    rent_cap_eur: Decimal
    year: int  # the year the cap was taken from
    asked_year: int
    source: str

    @property
    def is_fallback(self) -> bool:
        return self.year != self.asked_year


def affordability_limit(region: Region, *, year: int, household_type: str) -> RentLimit | None:
    """The passend-toewijzen limit for a year; without a rent cap that year, the latest complete
    year's cap is used and the answer says so (`is_fallback`)."""
    rows = list(
        AffordabilityLimit.objects.filter(
            region=region, household_type=household_type, year__lte=year
        ).order_by("-year")
    )
    if not rows:
        return None
    income_row = rows[0]
    for row in rows:
        if row.rent_cap_eur is not None:
            return RentLimit(
                income_limit_eur=income_row.income_limit_eur,
                rent_cap_eur=row.rent_cap_eur,
                year=row.year,
                asked_year=year,
                source=row.source,
            )
    return None

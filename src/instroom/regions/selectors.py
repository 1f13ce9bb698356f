"""Reads about regions. Configuration is not personal data: any signed-in user may read it."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from . import rules as rules_module
from .models import (
    AffordabilityLimit,
    AssessmentTable,
    FigureKind,
    Municipality,
    MunicipalityFigure,
    Region,
    RuleVersion,
)


def region_list() -> QuerySet[Region]:
    return Region.objects.order_by("name")


@dataclass(frozen=True)
class Figure:
    value: int
    reference_date: date
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


def figure_kinds(region: Region) -> list[FigureKind]:
    """The kinds of figure the region keeps per municipality, well-known ones first."""
    from .constants import WellKnownFigure

    order = {slug: i for i, slug in enumerate(WellKnownFigure.values)}
    return sorted(region.figure_kinds.all(), key=lambda k: (order.get(k.slug, 99), k.slug))


def tables_for(municipality: Municipality) -> QuerySet[AssessmentTable]:
    """The assessment tables that cover a municipality: those that name it, and those that
    cover its sub-region. The one place the platform decides which table assesses whom."""
    covers = Q(municipalities=municipality)
    if municipality.sub_region_id:
        covers |= Q(sub_region_id=municipality.sub_region_id)
    return (
        AssessmentTable.objects.filter(region_id=municipality.region_id)
        .filter(covers)
        .distinct()
        .order_by("name")
    )


def table_municipalities(table: AssessmentTable) -> QuerySet[Municipality]:
    """The municipalities a table covers (named, or through its sub-region)."""
    covers = Q(tables=table)
    if table.sub_region_id:
        covers |= Q(sub_region_id=table.sub_region_id)
    return Municipality.objects.filter(covers).distinct().order_by("name")


@dataclass(frozen=True)
class MunicipalityRow:
    municipality: Municipality
    figures: dict[str, Figure]
    table_names: list[str]


def region_overview(region: Region) -> list[MunicipalityRow]:
    figures = municipality_figures(region)
    municipalities = region.municipalities.select_related("sub_region").order_by("name")
    return [
        MunicipalityRow(m, figures.get(m.id, {}), [t.name for t in tables_for(m)])
        for m in municipalities
    ]


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


def affordability_limits(region_id: int, *, year: int) -> dict[str, RentLimit]:
    """The passend-toewijzen rule, the one place it is written: per household type, the income
    limit of the asked year (or the latest year before it) with the rent cap of the latest year
    that has one (`is_fallback` when that is an earlier year). Ranking, why-not and API all take
    their limits from here."""
    rows = AffordabilityLimit.objects.filter(region_id=region_id, year__lte=year).order_by(
        "household_type", "-year"
    )
    income_rows: dict[str, AffordabilityLimit] = {}
    limits: dict[str, RentLimit] = {}
    for row in rows:
        kind = row.household_type
        income_rows.setdefault(kind, row)
        if kind in limits or row.rent_cap_eur is None:
            continue
        limits[kind] = RentLimit(
            income_limit_eur=income_rows[kind].income_limit_eur,
            rent_cap_eur=row.rent_cap_eur,
            year=row.year,
            asked_year=year,
            source=row.source,
        )
    return limits


def affordability_limit(region: Region, *, year: int, household_type: str) -> RentLimit | None:
    """The passend-toewijzen limit of one household type (see `affordability_limits`)."""
    return affordability_limits(region.pk, year=year).get(household_type)


@dataclass(frozen=True)
class EffectiveRules:
    """The rules of a region on a date, and which version they are (None: the template, for a
    region that has not recorded its own yet)."""

    rules: "rules_module.Rules"
    version_id: int | None
    number: int | None
    valid_from: date | None

    @property
    def version_label(self) -> str:
        from django.utils.formats import date_format
        from django.utils.translation import gettext as _

        if self.number is None or self.valid_from is None:
            return _("standard rules (template)")
        return _("rules version %(n)d, applies from %(d)s") % {
            "n": self.number,
            "d": date_format(self.valid_from, "j F Y"),
        }


def rules_for(region_id: int, on: date | None = None) -> EffectiveRules:
    """The rules that apply in a region on a date (today by default): the latest version whose
    start is on or before it. Read afresh each time, so a change applies without a restart."""
    from django.utils import timezone

    day = on or timezone.localdate()
    row = (
        RuleVersion.objects.filter(region_id=region_id, valid_from__lte=day)
        .order_by("-valid_from", "-number")
        .values_list("pk", "number", "valid_from", "rules")
        .first()
    )
    if row is None:
        return EffectiveRules(rules_module.TEMPLATE, None, None, None)
    pk, number, valid_from, data = row
    return EffectiveRules(_parsed(pk, data), pk, number, valid_from)


def rules_version(version_id: int | None) -> EffectiveRules:
    """A version by its id, e.g. the one a ranking or decision was made under."""
    if version_id is None:
        return EffectiveRules(rules_module.TEMPLATE, None, None, None)
    row = RuleVersion.objects.values_list("pk", "number", "valid_from", "rules").get(pk=version_id)
    return EffectiveRules(_parsed(row[0], row[3]), row[0], row[1], row[2])


def _parsed(pk: int, data: dict) -> "rules_module.Rules":
    """Parsed on every read (a few kilobytes): no process cache that a reused id could fool."""
    return rules_module.read(data)

"""Reads of the distribution: a region's quotas with carry-over, the realisation, and the
concentration caps. Feeds the pure `apportion` module with the region's figures."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from instroom.accounts.models import User
from instroom.dates import add_months
from instroom.policy import rules
from instroom.regions.constants import (
    ApportionmentMethod,
    CarryOver,
    OrganisationType,
)
from instroom.regions.models import (
    AgreedHomes,
    CorporationStock,
    Municipality,
    Organisation,
    QuotaYear,
    Region,
    figure_label,
)
from instroom.regions.selectors import Figure, municipality_figures

from . import apportion
from .models import Placement


class DistributionError(ValueError):
    """A configuration the distribution cannot work with; `field` names what to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _field_label(field: str, kinds: dict[str, str] | None = None) -> str:
    """The name of the field as the administrator sees it in the configuration (a kind of
    figure by the region's name for it)."""
    if kinds and field in kinds:
        return kinds[field]
    labels = {
        "weights": _("weights of the key"),
        "total_homes": QuotaYear._meta.get_field("total_homes").verbose_name,
        "method": QuotaYear._meta.get_field("method").verbose_name,
        "carry_over": QuotaYear._meta.get_field("carry_over").verbose_name,
        "catch_up_limit_percent": QuotaYear._meta.get_field("catch_up_limit_percent").verbose_name,
        "municipalities": _("municipalities"),
        "year": _("year"),
    }
    return str(labels.get(field, figure_label(field)))


def explain(
    exc: apportion.ConfigurationError,
    *,
    year: int | None = None,
    names: dict[str, str] | None = None,
    kinds: dict[str, str] | None = None,
) -> DistributionError:
    """The pure module's refusal, in the user's language, naming the field to correct."""
    field = _field_label(exc.field, kinds)
    key = str(exc.params.get("key", ""))
    params = {
        "field": field,
        "municipality": (names or {}).get(key, key),
        "year": year or "",
        "total": exc.params.get("total", ""),
    }
    messages = {
        "weights_sum": _(
            "The weights of the distribution key for %(year)s add up to %(total)s instead of 1: "
            "correct the weights of that yearly quota."
        ),
        "no_weights": _(
            "The distribution key for %(year)s weighs no figure yet: give the yearly quota the "
            "weights of its figures (together 1)."
        ),
        "missing": _(
            "%(municipality)s has no figure for “%(field)s”: an administrator adds it to the "
            "municipality's figures before the quota can be computed."
        ),
        "zero_sum": _(
            "The figures for “%(field)s” of the region add up to 0: enter them for the "
            "municipalities, or give that weight 0."
        ),
        "empty": _("The region has no municipalities yet: add them in the configuration."),
        "not_whole": _("“%(field)s” must be a whole number of homes."),
        "unknown": _("“%(field)s” is not a method this system knows: choose one from the list."),
        "limit": _("Enter a catch-up limit from 0 to 500 percent, or leave it empty for no limit."),
    }
    if exc.code == "negative":
        message = (
            _("%(municipality)s has a negative figure for “%(field)s”: correct it.")
            if key
            else _("“%(field)s” cannot be negative.")
        )
    else:
        message = messages.get(exc.code, _("“%(field)s” is not valid: correct it."))
    return DistributionError(exc.field, message % params)


def key_figures(region: Region) -> tuple[list[apportion.Figures], dict[str, Municipality]]:
    """Every municipality's latest figure of every kind (the key picks the kinds it weighs)."""
    municipalities = {
        m.cbs_code: m
        for m in region.municipalities.select_related("sub_region").order_by("cbs_code")
    }
    figures = municipality_figures(region)
    rows = [
        apportion.Figures(
            key=code, values={kind: f.value for kind, f in figures.get(m.pk, {}).items()}
        )
        for code, m in municipalities.items()
    ]
    return rows, municipalities


def kind_names(region: Region) -> dict[str, str]:
    """The region's name for each kind of figure."""
    return {k.slug: k.label for k in region.figure_kinds.all()}


def _years(region: Region, up_to: int) -> list[apportion.Year]:
    figures, _municipalities = key_figures(region)
    configured = {q.year: q for q in region.quota_years.prefetch_related("weights")}
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
            shares = apportion.shares(figures, year_weights(configured, year))
        except apportion.ConfigurationError as exc:
            names = {code: m.name for code, m in _municipalities.items()}
            raise explain(exc, year=year, names=names, kinds=kind_names(region)) from None
        years.append(
            apportion.Year(
                year, q.total_homes, shares, q.method, q.carry_over, q.catch_up_limit_percent
            )
        )
    return years


def year_weights(configured: dict[int, QuotaYear], year: int) -> dict[str, Any]:
    """The key's weights for a year: its own, or, for a year without weights of its own, those
    of the nearest year that has them (earlier years first), so a new year keeps the key."""
    own = configured[year].weight_map()
    if own:
        return own
    for other in sorted(configured, key=lambda y: (y > year, abs(y - year))):
        weights = configured[other].weight_map()
        if weights:
            return weights
    return {}


def agreed_homes(region: Region) -> dict[int, dict[str, int]]:
    """Fixed agreed extra homes (lokale afspraken), per year and CBS code."""
    result: dict[int, dict[str, int]] = defaultdict(dict)
    for year, code, homes in AgreedHomes.objects.filter(municipality__region=region).values_list(
        "year", "municipality__cbs_code", "homes"
    ):
        result[year][code] = homes
    return result


def delivered(region: Region) -> dict[int, dict[str, int]]:
    """Placements that count for the key, per year and CBS code: what a municipality delivers
    counts first for the extra homes it agreed that year (they are on top of the key), the rest
    for the key. So a local agreement neither lightens its share of the key nor, when
    delivered, makes it look ahead and give way to others."""
    extra = agreed_homes(region)
    result: dict[int, dict[str, int]] = defaultdict(dict)
    for year, code, n in placements_per_year(region):
        result[year][code] = max(n - extra.get(year, {}).get(code, 0), 0)
    return result


def placements_per_year(region: Region) -> list[tuple[int, str, int]]:
    """All placements that count: (year, CBS code, number)."""
    return list(
        Placement.objects.filter(region=region, undone_at__isnull=True)
        .values_list("placed_on__year", "municipality__cbs_code")
        .annotate(n=Count("pk"))
    )


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
        raise explain(exc, year=year) from None


def corporation_split(region: Region, quota: dict[str, int]) -> dict[str, dict[str, int]]:
    """Each municipality's quota over its corporations by their share of the social stock
    there (largest remainder, same tie-breaks); {} for a municipality without stock figures:
    the split is never invented."""
    stock: dict[str, dict[str, int]] = defaultdict(dict)
    for code, slug, homes in CorporationStock.objects.filter(
        municipality__region=region
    ).values_list("municipality__cbs_code", "corporation__slug", "homes"):
        stock[code][slug] = homes
    result = {}
    for code, n in quota.items():
        weights = {slug: Fraction(homes) for slug, homes in stock.get(code, {}).items()}
        # All-zero figures say nothing about the split either.
        result[code] = apportion.largest_remainder(n, weights) if any(weights.values()) else {}
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
    municipality: str = ""  # CBS code (corporation rows: the municipality they belong to)
    corporation: str = ""  # slug, corporation rows only
    share_homes: Fraction | None = None  # plain share of the year's total, exact
    backlog: int | None = None  # whole homes behind (+) or ahead (−) of the fair position
    target: int | None = None  # what brings it back to its fair position this year
    reason: str = ""  # one line: why the quota differs from the share
    agreed: int = 0  # fixed agreed extra homes on top of the key's quota (lokale afspraken)
    sub_region: str = ""  # name of the municipality's sub-region ("" without one)
    agreement: str = ""  # what the agreed extra homes rest on

    @property
    def total_quota(self) -> int:
        """The key's quota plus the agreed extra homes: what the realisation is measured by."""
        return self.quota + self.agreed

    @property
    def difference(self) -> Fraction:
        """Realised minus the pro-rata target for today: negative is behind."""
        return self.realised - self.pro_rata

    @property
    def share_percent(self) -> float | None:
        return None if self.share is None else float(self.share * 100)


@dataclass(frozen=True)
class Basis:
    """One figure the key rests on, with its provenance."""

    municipality: str  # CBS code
    name: str
    kind: str
    label: str
    figure: Figure


@dataclass(frozen=True)
class Realisation:
    region: Region
    year: int
    today: date
    fraction_of_year: Fraction
    municipalities: list[Row]
    corporations: list[Row]
    total: Row
    missing_stock: list[str]  # names of municipalities without corporation stock figures
    method: str = ApportionmentMethod.LARGEST_REMAINDER
    basis: tuple[Basis, ...] = ()
    # Earlier years of the scheme without a single placement: probably not entered yet, which
    # makes every carry-over look like a backlog.
    unrecorded_years: tuple[int, ...] = ()
    carry_over: str = CarryOver.CATCH_UP
    catch_up_limit_percent: int | None = None
    sub_regions: tuple[Row, ...] = ()  # one subtotal per sub-region (empty: none configured)
    weights: tuple[tuple[str, str, Decimal], ...] = ()  # (kind, name, weight) of the key

    @property
    def chart_max(self) -> int:
        return max([1, *(max(r.total_quota, r.realised) for r in self.municipalities)])

    @property
    def agreed_total(self) -> int:
        return sum(r.agreed for r in self.municipalities)

    @property
    def method_label(self) -> str:
        return str(ApportionmentMethod(self.method).label)

    @property
    def catch_up_years(self) -> int | None:
        """Within how many years everyone behind is back at the fair position if the others
        are ahead enough and everyone then delivers the quota: 1 without a catch-up limit, else
        the slowest ⌈backlog / limit⌉; None under no carry-over or a limit of 0 homes."""
        if self.carry_over == CarryOver.NONE:
            return None
        years = 1
        for row in self.municipalities:
            if not row.backlog or row.backlog <= 0 or self.catch_up_limit_percent is None:
                continue
            assert row.share_homes is not None
            cap = apportion.catch_up_limit(row.share_homes, self.catch_up_limit_percent) or 0
            if cap == 0:
                return None
            years = max(years, -(-row.backlog // cap))
        return years

    @property
    def carry_over_label(self) -> str:
        return str(CarryOver(self.carry_over).label)

    @property
    def rests_on_estimates(self) -> bool:
        return any(b.figure.is_estimate for b in self.basis)


def quota_reason(result: apportion.YearResult, key: str) -> str:
    """One line in the user's language: why this municipality's quota differs from its share."""
    quota, plain, backlog = result.quota[key], result.plain[key], result.backlog(key)
    if result.carry_over_rule == apportion.NONE:
        return _("The share rounded to whole homes; earlier years do not count (no carry-over).")
    more, fewer = quota - plain, plain - quota
    if more > 0:
        limit = result.catch_up_limit_percent
        cap = apportion.catch_up_limit(result.share_homes(key), limit)
        if quota < result.target(key) and limit is not None and cap is not None and more >= cap:
            return ngettext(
                "%(n)d home more than the share: %(backlog)d behind from earlier years, "
                "at most %(limit)d %% extra a year.",
                "%(n)d homes more than the share: %(backlog)d behind from earlier years, "
                "at most %(limit)d %% extra a year.",
                more,
            ) % {"n": more, "backlog": backlog, "limit": limit}
        if quota < result.target(key):
            return ngettext(
                "%(n)d home more than the share: %(backlog)d behind from earlier years; the "
                "rest as far as others are ahead.",
                "%(n)d homes more than the share: %(backlog)d behind from earlier years; the "
                "rest as far as others are ahead.",
                more,
            ) % {"n": more, "backlog": backlog}
        return ngettext(
            "%(n)d home more than the share: %(backlog)d behind from earlier years.",
            "%(n)d homes more than the share: %(backlog)d behind from earlier years.",
            more,
        ) % {"n": more, "backlog": backlog}
    if fewer > 0:
        return ngettext(
            "%(n)d home fewer than the share: %(ahead)d ahead from earlier years, for those "
            "behind.",
            "%(n)d homes fewer than the share: %(ahead)d ahead from earlier years, for those "
            "behind.",
            fewer,
        ) % {"n": fewer, "ahead": -backlog}
    if backlog > 0:
        return _(
            "The share: %(backlog)d behind from earlier years, but no municipality is ahead to "
            "make up for it; delivering more than the quota catches up."
        ) % {"backlog": backlog}
    if backlog < 0:
        return _(
            "The share: %(ahead)d ahead from earlier years; nobody behind needs those homes."
        ) % {"ahead": -backlog}
    return _("The share, rounded to whole homes.")


def _fraction_of_year(year: int, today: date) -> Fraction:
    start, end = date(year, 1, 1), date(year, 12, 31)
    if today < start:
        return Fraction(0)
    if today >= end:
        return Fraction(1)
    return Fraction((today - start).days + 1, (end - start).days + 1)


def realisation(region: Region, year: int, today: date) -> Realisation:
    """Quota, realised, pro-rata target for `today` and the difference, per municipality and
    per corporation, for the whole region (no actor: see `realisation_for`)."""
    result = region_quota(region, year)
    _figures, municipalities = key_figures(region)
    sub_region_names = {
        code: m.sub_region.name
        for code, m in municipalities.items()
        if m.sub_region_id and m.sub_region is not None
    }
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
    agreed = {
        a.municipality.cbs_code: a
        for a in AgreedHomes.objects.filter(municipality__region=region, year=year).select_related(
            "municipality"
        )
    }
    rows = [
        Row(
            key=code,
            name=municipalities[code].name,
            share=result.share[code],
            quota=result.quota[code],
            carry_over=result.carry_over(code),
            realised=by_municipality.get(code, 0),
            pro_rata=(result.quota[code] + (agreed[code].homes if code in agreed else 0)) * part,
            municipality=code,
            share_homes=result.share_homes(code),
            backlog=result.backlog(code),
            target=result.target(code),
            reason=quota_reason(result, code),
            agreed=agreed[code].homes if code in agreed else 0,
            sub_region=sub_region_names.get(code, ""),
            agreement=agreed[code].agreement if code in agreed else "",
        )
        for code in sorted(
            result.quota,
            key=lambda c: (sub_region_names.get(c, "\uffff"), municipalities[c].name),
        )
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
            municipality=code,
            corporation=slug,
        )
        for code in sorted(split, key=lambda c: municipalities[c].name)
        for slug, n in sorted(split[code].items())
    ]
    total = _subtotal("total", region.name, rows, part)
    sub_regions = tuple(
        _subtotal(f"sub:{name}", name, [r for r in rows if r.sub_region == name], part)
        for name in sorted(set(sub_region_names.values()))
    )
    missing = sorted(municipalities[c].name for c, n in split.items() if not n)
    figures = municipality_figures(region)
    all_years = {q.year: q for q in region.quota_years.prefetch_related("weights")}
    configured = all_years[year]
    names = kind_names(region)
    weights = tuple(
        (kind, names.get(kind, figure_label(kind)), Decimal(w))
        for kind, w in sorted(year_weights(all_years, year).items())
    )
    basis = tuple(
        Basis(code, m.name, kind, label, figures[m.pk][kind])
        for code, m in sorted(municipalities.items(), key=lambda item: item[1].name)
        for kind, label, weight in weights
        if weight and kind in figures.get(m.pk, {})
    )
    recorded = set(
        Placement.objects.filter(
            region=region, undone_at__isnull=True, placed_on__year__lt=year
        ).dates("placed_on", "year")
    )
    unrecorded = tuple(y for y in range(region.start_year, year) if date(y, 1, 1) not in recorded)
    return Realisation(
        region,
        year,
        today,
        part,
        rows,
        corporations,
        total,
        missing,
        configured.method,
        basis,
        unrecorded,
        configured.carry_over,
        configured.catch_up_limit_percent,
        sub_regions,
        weights,
    )


def _subtotal(key: str, name: str, rows: list[Row], part: Fraction) -> Row:
    """The sum of some municipalities' rows: a sub-region, or the region total."""
    quota = sum(r.quota for r in rows)
    agreed = sum(r.agreed for r in rows)
    return Row(
        key=key,
        name=name,
        share=sum((r.share or Fraction(0) for r in rows), Fraction(0)),
        quota=quota,
        carry_over=None,
        realised=sum(r.realised for r in rows),
        pro_rata=(quota + agreed) * part,
        share_homes=sum((r.share_homes or Fraction(0) for r in rows), Fraction(0)),
        agreed=agreed,
        sub_region=name if key.startswith("sub:") else "",
    )


@dataclass(frozen=True)
class VisibleRealisation:
    """The part of a region's realisation one user may see: aggregates only, never people."""

    report: Realisation
    everything: bool
    municipalities: list[Row]
    corporations: list[Row]
    missing_stock: list[str]
    basis: list[Basis]


def realisation_for(*, actor: User, region: Region, year: int, today: date) -> VisibleRealisation:
    """The coordinator and administrator see everything in their region; a municipality user
    their own municipality (and its corporations) beside the region total; corporation staff
    their own corporation's rows (and the municipalities they lie in) beside the region total.
    Raises PermissionDenied for anyone else, DistributionError for a configuration to fix."""
    view = rules.distribution_view(actor, region.pk)
    if not view.anything:
        raise PermissionDenied
    report = realisation(region, year, today)
    if view.everything:
        return VisibleRealisation(
            report,
            True,
            report.municipalities,
            report.corporations,
            report.missing_stock,
            list(report.basis),
        )
    codes = dict(region.municipalities.values_list("pk", "cbs_code"))
    own = {codes[pk] for pk in view.municipality_ids if pk in codes}
    slugs = set(
        Organisation.objects.filter(pk__in=view.corporation_ids).values_list("slug", flat=True)
    )
    corporations = [
        r for r in report.corporations if r.municipality in own or r.corporation in slugs
    ]
    seen = own | {r.municipality for r in corporations if r.corporation in slugs}
    municipalities = [r for r in report.municipalities if r.key in seen]
    names = {r.name for r in report.municipalities if r.key in own}
    return VisibleRealisation(
        report,
        False,
        municipalities,
        corporations,
        [name for name in report.missing_stock if name in names],
        [b for b in report.basis if b.municipality in seen],
    )


# --- Concentration caps -------------------------------------------------------------------


@dataclass(frozen=True)
class ComplexKey:
    """One complex: a corporation's complex code in one neighbourhood or, for homes and
    placements without a neighbourhood, in one municipality. The same code at another
    corporation or in another place is another complex. Filters, ranking, why-not, the batch
    and monitoring all count placements per complex through this key (`complex_key`).

    A cluster (`homes.Cluster`, a woonvorm of several places) is a complex of its own
    (`cluster_id` set): its places do not block each other through the complex cap, whose cap is
    the cluster's number of places (`places`); they count for the neighbourhood cap as any home
    does, and not for the complex cap of the homes outside the cluster with the same code."""

    corporation_id: int
    municipality_id: int
    neighbourhood_id: int | None
    code: str
    cluster_id: int | None = None
    places: int | None = None

    def placements(self) -> Q:
        """The placements in this complex (a filter on Placement; a cluster's: through the
        contract of each of its places)."""
        if self.cluster_id is not None:
            return Q(contract__home__cluster_id=self.cluster_id)
        where = Q(corporation_id=self.corporation_id, complex_code=self.code) & ~Q(
            contract__home__cluster__isnull=False
        )
        if self.neighbourhood_id is not None:
            return where & Q(neighbourhood_id=self.neighbourhood_id)
        return where & Q(municipality_id=self.municipality_id, neighbourhood__isnull=True)

    def cap(self, region: Region) -> int:
        """At most this many placements in the window: the region's cap per complex, or the
        number of places of a cluster."""
        return self.places if self.places is not None else region.cap_per_complex


def complex_key(item: Any) -> ComplexKey | None:
    """The complex of a home or a placement (anything with `corporation_id`,
    `municipality_id`, `neighbourhood_id` and `complex_code`); None without a complex code.
    A place of a cluster (a home with `cluster_id`) has its cluster as its complex, with or
    without a code (see `ComplexKey`)."""
    cluster_id = getattr(item, "cluster_id", None)
    if cluster_id is not None:
        return ComplexKey(
            item.corporation_id,
            item.municipality_id,
            item.neighbourhood_id,
            f"cluster:{cluster_id}",
            cluster_id=cluster_id,
            places=item.cluster.places,
        )
    code = (item.complex_code or "").strip()
    if not code:
        return None
    return ComplexKey(item.corporation_id, item.municipality_id, item.neighbourhood_id, code)


@dataclass(frozen=True)
class CapStatus:
    complex_left: int | None  # None: the home has no complex number
    neighbourhood_left: int | None  # None: the home has no neighbourhood
    since: date

    @property
    def places_left(self) -> int | None:
        """How many more may be placed here before a cap is reached; None: no cap applies
        (the home has neither a complex number nor a neighbourhood)."""
        known = [n for n in (self.complex_left, self.neighbourhood_left) if n is not None]
        return min(known) if known else None

    @property
    def may_place(self) -> bool:
        """May one more be placed here?"""
        return self.places_left is None or self.places_left > 0


def cap_status(
    *,
    region: Region,
    neighbourhood_id: int | None,
    complex: ComplexKey | None,
    today: date,
) -> CapStatus:
    """How many more placements this complex and this neighbourhood can take within the
    region's rolling window (at most k per complex and per neighbourhood)."""
    since = add_months(today, -region.cap_window_months)
    window = Placement.objects.filter(
        region=region, undone_at__isnull=True, placed_on__gt=since, placed_on__lte=today
    )
    counts = window.aggregate(
        in_complex=Count("pk", filter=complex.placements())
        if complex is not None
        else Count("pk", filter=Q(pk__in=[])),
        in_neighbourhood=Count("pk", filter=Q(neighbourhood_id=neighbourhood_id)),
    )
    return CapStatus(
        complex_left=max(complex.cap(region) - counts["in_complex"], 0)
        if complex is not None
        else None,
        neighbourhood_left=max(region.cap_per_neighbourhood - counts["in_neighbourhood"], 0)
        if neighbourhood_id
        else None,
        since=since,
    )


def home_cap_status(*, home: Any, today: date, region: Region | None = None) -> CapStatus:
    """The caps of this home's complex and neighbourhood."""
    return cap_status(
        region=region or Region.objects.get(pk=home.region_id),
        neighbourhood_id=home.neighbourhood_id,
        complex=complex_key(home),
        today=today,
    )


def may_place(*, home: Any, today: date) -> bool:
    """May one more be placed in this home's complex and neighbourhood? (A hard filter of the
    match point.)"""
    return home_cap_status(home=home, today=today).may_place

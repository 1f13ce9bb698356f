"""A region (scheme) and everything regional about it: configuration, never code."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import (
    ApportionmentMethod,
    CareSource,
    CarryOver,
    HouseholdType,
    NeighbourhoodLevel,
    OrganisationType,
    WellKnownFigure,
)

cbs_municipality_code = RegexValidator(
    r"^GM\d{4}$", _("A CBS municipality code is GM followed by four digits, e.g. GM0392.")
)
cbs_area_code = RegexValidator(
    r"^(WK\d{6}|BU\d{8})$",
    _("A CBS area code is WK plus six digits (district) or BU plus eight digits (neighbourhood)."),
)


class RegionManager(models.Manager["Region"]):
    def get_by_natural_key(self, slug: str) -> "Region":
        return self.get(slug=slug)


class Region(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_fictional = models.BooleanField(
        _("fictional"), default=False, help_text=_("Demo and test regions are marked fictional.")
    )
    start_year = models.PositiveSmallIntegerField(
        _("start year"), help_text=_("First year of the scheme; carry-over counts from here.")
    )
    three_party_target = models.DecimalField(
        _("target share of three-party contracts"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.850"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    decision_lead_time_weeks = models.PositiveSmallIntegerField(
        _("target weeks from complete application to decision"), default=6
    )
    support_months = models.PositiveSmallIntegerField(
        _("months of support after moving in"), default=24
    )
    # At least six months: anonymising cannot be undone, and a case may be reopened or asked
    # about after it ends (a mistyped 0 would erase the region's ended cases that night).
    retention_months = models.PositiveSmallIntegerField(
        _("months after a case ends before personal data is anonymised"),
        default=24,
        validators=[
            MinValueValidator(6, message=_("Keep ended cases at least 6 months (at most 120).")),
            MaxValueValidator(120, message=_("Keep ended cases at least 6 months (at most 120).")),
        ],
    )

    # Concentration caps ("draagkracht van de wijk"): at most this many placements per complex
    # and per neighbourhood within the rolling window.
    cap_per_complex = models.PositiveSmallIntegerField(_("placements per complex (cap)"), default=2)
    cap_per_neighbourhood = models.PositiveSmallIntegerField(
        _("placements per neighbourhood (cap)"), default=5
    )
    cap_window_months = models.PositiveSmallIntegerField(_("months the caps look back"), default=24)

    objects = RegionManager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def admitted_sources(self) -> tuple[str, ...]:
        """The kinds of care clients may come from today: the rules hold them
        (`rules.intake.admitted_sources`)."""
        from .selectors import rules_for

        return rules_for(self.pk).rules.intake.admitted_sources  # type: ignore[no-any-return]

    def admitted_source_labels(self) -> list[str]:
        return [str(CareSource(s).label) for s in self.admitted_sources if s in CareSource.values]


class SubRegionManager(models.Manager["SubRegion"]):
    def get_by_natural_key(self, region_slug: str, slug: str) -> "SubRegion":
        return self.get(region__slug=region_slug, slug=slug)


class SubRegion(models.Model):
    """A group of the region's municipalities (Zwolle: IJssel-Vecht, Noord-Veluwe): quotas,
    realisation and monitoring read per sub-region, and a table may cover one."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="sub_regions", verbose_name=_("region")
    )
    slug = models.SlugField(_("slug"))
    name = models.CharField(_("name"), max_length=100)

    objects = SubRegionManager()

    class Meta:
        verbose_name = _("sub-region")
        verbose_name_plural = _("sub-regions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "slug"], name="sub_region_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str]:
        return (self.region.slug, self.slug)

    natural_key.dependencies = ["regions.region"]  # type: ignore[attr-defined]


class MunicipalityManager(models.Manager["Municipality"]):
    def get_by_natural_key(self, region_slug: str, cbs_code: str) -> "Municipality":
        return self.get(region__slug=region_slug, cbs_code=cbs_code)


class Municipality(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    cbs_code = models.CharField(_("CBS code"), max_length=6, validators=[cbs_municipality_code])
    name = models.CharField(_("name"), max_length=100)
    sub_region = models.ForeignKey(
        SubRegion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("sub-region"),
    )

    objects = MunicipalityManager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "cbs_code"], name="municipality_unique_code")
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str]:
        return (self.region.slug, self.cbs_code)

    natural_key.dependencies = ["regions.region", "regions.subregion"]  # type: ignore[attr-defined]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        sub = self.sub_region if self.sub_region_id else None
        if sub is not None and sub.region_id != self.region_id:
            raise ValidationError(
                {"sub_region": _("Choose a sub-region of the municipality's own region.")}
            )


class FigureKindManager(models.Manager["FigureKind"]):
    def get_by_natural_key(self, region_slug: str, slug: str) -> "FigureKind":
        return self.get(region__slug=region_slug, slug=slug)


figure_slug = RegexValidator(
    r"^[a-z][a-z0-9_]*$",
    _("Use lower-case letters, digits and underscores, starting with a letter (e.g. places_bw)."),
)


class FigureKind(models.Model):
    """A kind of figure the region keeps per municipality (households, social stock, places in
    BW/MO, inhabitants, ...): any number of them, each may weigh in the distribution key."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="figure_kinds", verbose_name=_("region")
    )
    slug = models.CharField(_("code"), max_length=40, validators=[figure_slug])
    name = models.CharField(
        _("name"),
        max_length=100,
        blank=True,
        help_text=_("Empty for the well-known figures: the platform names them in every language."),
    )
    description = models.CharField(_("what it counts"), max_length=300, blank=True)

    objects = FigureKindManager()

    class Meta:
        verbose_name = _("kind of figure")
        verbose_name_plural = _("kinds of figure")
        ordering = ["region", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["region", "slug"], name="figure_kind_unique_slug")
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        return figure_label(self.slug, self.name)

    def natural_key(self) -> tuple[str, str]:
        return (self.region.slug, self.slug)

    natural_key.dependencies = ["regions.region"]  # type: ignore[attr-defined]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if not self.name and self.slug not in WellKnownFigure.values:
            raise ValidationError({"name": _("Give the figure a name.")})


def figure_label(slug: str, name: str = "") -> str:
    """A figure's name: the region's own word, or the platform's for a well-known figure."""
    if name:
        return name
    if slug in WellKnownFigure.values:
        return str(WellKnownFigure(slug).label)
    return slug


class FigureManager(models.Manager["MunicipalityFigure"]):
    def get_by_natural_key(
        self, region_slug: str, cbs_code: str, kind: str, reference_date: str
    ) -> "MunicipalityFigure":
        return self.get(
            municipality__region__slug=region_slug,
            municipality__cbs_code=cbs_code,
            kind=kind,
            reference_date=reference_date,
        )


class MunicipalityFigure(models.Model):
    """One figure about a municipality, with where it comes from and whether it is official."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="figures",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(
        _("figure"),
        max_length=40,
        validators=[figure_slug],
        help_text=_("One of the region's kinds of figure."),
    )
    value = models.PositiveIntegerField(_("value"))
    reference_date = models.DateField(_("reference date"))
    source = models.CharField(_("source"), max_length=400)
    is_estimate = models.BooleanField(
        _("estimate"), default=False, help_text=_("Not yet an official figure.")
    )
    method = models.TextField(_("method of the estimate"), blank=True)

    objects = FigureManager()

    class Meta:
        verbose_name = _("municipal figure")
        verbose_name_plural = _("municipal figures")
        ordering = ["municipality__name", "kind", "-reference_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind", "reference_date"], name="figure_unique_per_date"
            ),
            models.CheckConstraint(
                condition=Q(is_estimate=False) | ~Q(method=""), name="estimate_has_method"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {figure_label(self.kind)} {self.reference_date}: {self.value}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (
            self.municipality_id
            and self.kind
            and not FigureKind.objects.filter(
                region_id=self.municipality.region_id, slug=self.kind
            ).exists()
        ):
            message = _("The region has no figure “%(kind)s”: add it under kinds of figure first.")
            raise ValidationError({"kind": message % {"kind": self.kind}})

    def natural_key(self) -> tuple[str, str, str, str]:
        return (
            self.municipality.region.slug,
            self.municipality.cbs_code,
            self.kind,
            self.reference_date.isoformat(),
        )

    natural_key.dependencies = ["regions.municipality"]  # type: ignore[attr-defined]


class NeighbourhoodManager(models.Manager["Neighbourhood"]):
    def get_by_natural_key(self, region_slug: str, cbs_code: str) -> "Neighbourhood":
        return self.get(municipality__region__slug=region_slug, cbs_code=cbs_code)


class Neighbourhood(models.Model):
    """A CBS district (wijk) or neighbourhood (buurt); concentration caps count per one of these."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="neighbourhoods",
        verbose_name=_("municipality"),
    )
    cbs_code = models.CharField(_("CBS code"), max_length=10, validators=[cbs_area_code])
    level = models.CharField(_("level"), max_length=5, choices=NeighbourhoodLevel.choices)
    name = models.CharField(
        _("name"), max_length=100, blank=True, help_text=_("Entered by the administrator.")
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    housing_stock = models.PositiveIntegerField(_("housing stock"), null=True, blank=True)
    reference_date = models.DateField(_("reference date"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=400, blank=True)

    objects = NeighbourhoodManager()

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["cbs_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "cbs_code"], name="neighbourhood_unique_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.cbs_code})" if self.name else self.cbs_code

    def natural_key(self) -> tuple[str, str]:
        return (self.municipality.region.slug, self.cbs_code)

    natural_key.dependencies = ["regions.municipality"]  # type: ignore[attr-defined]


class OrganisationManager(models.Manager["Organisation"]):
    def get_by_natural_key(self, region_slug: str, slug: str) -> "Organisation":
        return self.get(region__slug=region_slug, slug=slug)


class Organisation(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("region")
    )
    slug = models.SlugField(_("slug"))
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=OrganisationType.choices)
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipalities served"),
    )
    represents = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("represents municipality"),
        help_text=_("For a municipality's own organisation: which municipality it is."),
    )
    provides_residential_care = models.BooleanField(
        _("provides residential care (BW/MO/youth)"), default=False
    )
    provides_ambulant_support = models.BooleanField(
        _("provides ambulant support (woonbegeleiding)"), default=False
    )
    sso_email_domain = models.CharField(
        _("single sign-on e-mail domain"),
        max_length=100,
        blank=True,
        help_text=_(
            "When the platform's single sign-on is on: staff whose e-mail address ends in this "
            "domain may sign in through their organisation's account. Empty: password only."
        ),
    )
    coverage_source = models.CharField(
        _("source of the municipalities served"), max_length=400, blank=True
    )
    active = models.BooleanField(_("active"), default=True)

    objects = OrganisationManager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["type", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "slug"], name="organisation_unique_slug"),
            models.CheckConstraint(
                condition=Q(type=OrganisationType.MUNICIPALITY) | Q(represents__isnull=True),
                name="only_municipality_represents",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str]:
        return (self.region.slug, self.slug)

    natural_key.dependencies = ["regions.region", "regions.municipality"]  # type: ignore[attr-defined]


class TableManager(models.Manager["AssessmentTable"]):
    def get_by_natural_key(self, region_slug: str, slug: str) -> "AssessmentTable":
        return self.get(region__slug=region_slug, slug=slug)


class AssessmentTable(models.Model):
    """A beoordelingstafel: assesses applications from the municipalities it covers."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="tables", verbose_name=_("region")
    )
    slug = models.SlugField(_("slug"))
    name = models.CharField(_("name"), max_length=200)
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="tables", verbose_name=_("municipalities covered")
    )
    sub_region = models.ForeignKey(
        SubRegion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tables",
        verbose_name=_("covers the sub-region"),
        help_text=_(
            "The table covers every municipality of this sub-region (also those added to it "
            "later), besides the municipalities ticked above."
        ),
    )

    objects = TableManager()

    class Meta:
        verbose_name = _("assessment table")
        verbose_name_plural = _("assessment tables")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "slug"], name="table_unique_slug")]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str]:
        return (self.region.slug, self.slug)

    natural_key.dependencies = [  # type: ignore[attr-defined]
        "regions.region",
        "regions.municipality",
        "regions.subregion",
    ]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        sub = self.sub_region if self.sub_region_id else None
        if sub is not None and sub.region_id != self.region_id:
            raise ValidationError({"sub_region": _("Choose a sub-region of the table's region.")})


class QuotaYearManager(models.Manager["QuotaYear"]):
    def get_by_natural_key(self, region_slug: str, year: int) -> "QuotaYear":
        return self.get(region__slug=region_slug, year=year)


CATCH_UP_LIMIT_MESSAGE = _(
    "Enter a catch-up limit from 0 to 500 percent, or leave it empty for no limit."
)


class QuotaYear(models.Model):
    """The region's contingent for one year and the weights of its distribution key."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="quota_years", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    total_homes = models.PositiveIntegerField(
        _("homes in the contingent"),
        help_text=_("Distributed by the key; agreed extra homes come on top of it."),
    )
    method = models.CharField(
        _("apportionment method"),
        max_length=20,
        choices=ApportionmentMethod.choices,
        default=ApportionmentMethod.LARGEST_REMAINDER,
    )
    carry_over = models.CharField(
        _("carry-over rule"),
        max_length=20,
        choices=CarryOver.choices,
        default=CarryOver.CATCH_UP,
        help_text=_(
            "Catch up own backlog: a municipality behind its fair share gets the homes that "
            "those ahead of theirs do not need; the shortfall of one is never made up by the "
            "others."
        ),
    )
    catch_up_limit_percent = models.PositiveSmallIntegerField(
        _("catch-up limit (%)"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(0, message=CATCH_UP_LIMIT_MESSAGE),
            MaxValueValidator(500, message=CATCH_UP_LIMIT_MESSAGE),
        ],
        help_text=_(
            "At most this percentage of the plain share on top of it, per year (e.g. 50). "
            "Empty: no limit."
        ),
    )
    source = models.CharField(_("source"), max_length=400, blank=True)

    objects = QuotaYearManager()

    class Meta:
        verbose_name = _("yearly quota")
        verbose_name_plural = _("yearly quotas")
        ordering = ["region", "year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="quota_unique_year"),
            models.CheckConstraint(
                condition=Q(catch_up_limit_percent__isnull=True)
                | Q(catch_up_limit_percent__lte=500),
                name="quota_catch_up_limit_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}: {self.total_homes}"

    def natural_key(self) -> tuple[str, int]:
        return (self.region.slug, self.year)

    natural_key.dependencies = ["regions.region"]  # type: ignore[attr-defined]

    def weight_map(self) -> dict[str, Decimal]:
        """The key's weights of this year, per kind of figure."""
        return {w.kind: w.weight for w in self.weights.all()}


WEIGHT_MESSAGE = _("A weight lies between 0 and 1, e.g. 0.5.")


class QuotaWeightManager(models.Manager["QuotaWeight"]):
    def get_by_natural_key(self, region_slug: str, year: int, kind: str) -> "QuotaWeight":
        return self.get(quota_year__region__slug=region_slug, quota_year__year=year, kind=kind)


class QuotaWeight(models.Model):
    """How much one kind of figure weighs in the distribution key of a year; a year's weights
    add up to 1."""

    quota_year = models.ForeignKey(
        QuotaYear, on_delete=models.CASCADE, related_name="weights", verbose_name=_("yearly quota")
    )
    kind = models.CharField(_("figure"), max_length=40, validators=[figure_slug])
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=3,
        validators=[
            MinValueValidator(0, message=WEIGHT_MESSAGE),
            MaxValueValidator(1, message=WEIGHT_MESSAGE),
        ],
    )

    objects = QuotaWeightManager()

    class Meta:
        verbose_name = _("weight in the key")
        verbose_name_plural = _("weights in the key")
        ordering = ["quota_year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["quota_year", "kind"], name="quota_weight_unique"),
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=1), name="quota_weight_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{figure_label(self.kind)}: {self.weight}"

    def natural_key(self) -> tuple[str, int, str]:
        return (self.quota_year.region.slug, self.quota_year.year, self.kind)

    natural_key.dependencies = ["regions.quotayear", "regions.figurekind"]  # type: ignore[attr-defined]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (
            self.quota_year_id
            and self.kind
            and not FigureKind.objects.filter(
                region_id=self.quota_year.region_id, slug=self.kind
            ).exists()
        ):
            message = _("The region has no figure “%(kind)s”: add it under kinds of figure first.")
            raise ValidationError({"kind": message % {"kind": self.kind}})


class AgreedHomesManager(models.Manager["AgreedHomes"]):
    def get_by_natural_key(self, region_slug: str, cbs_code: str, year: int) -> "AgreedHomes":
        return self.get(
            municipality__region__slug=region_slug, municipality__cbs_code=cbs_code, year=year
        )


class AgreedHomes(models.Model):
    """Lokale afspraken: a fixed number of extra homes a municipality agreed for a year, on top
    of its quota from the key. Shown apart in quota and realisation; what the municipality
    delivers counts for these first, the rest for the key."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="agreed_homes",
        verbose_name=_("municipality"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    homes = models.PositiveIntegerField(_("agreed extra homes"))
    agreement = models.CharField(
        _("agreement"),
        max_length=300,
        help_text=_("Who agreed what, e.g. “Local agreement with corporation A, 2026–2027”."),
    )
    source = models.CharField(_("source"), max_length=400, blank=True)

    objects = AgreedHomesManager()

    class Meta:
        verbose_name = _("agreed extra homes")
        verbose_name_plural = _("agreed extra homes")
        ordering = ["municipality__name", "year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="agreed_homes_unique")
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: +{self.homes}"

    def natural_key(self) -> tuple[str, str, int]:
        return (self.municipality.region.slug, self.municipality.cbs_code, self.year)

    natural_key.dependencies = ["regions.municipality"]  # type: ignore[attr-defined]


class AffordabilityLimitManager(models.Manager["AffordabilityLimit"]):
    def get_by_natural_key(
        self, region_slug: str, year: int, household_type: str
    ) -> "AffordabilityLimit":
        return self.get(region__slug=region_slug, year=year, household_type=household_type)


class AffordabilityLimit(models.Model):
    """Passend toewijzen: the income limit and rent cap per household type, per year."""

    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="affordability_limits",
        verbose_name=_("region"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    household_type = models.CharField(_("household"), max_length=20, choices=HouseholdType.choices)
    income_limit_eur = models.DecimalField(
        _("income limit (EUR a year)"), max_digits=9, decimal_places=2
    )
    rent_cap_eur = models.DecimalField(
        _("rent cap (EUR a month)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Empty until the figure is known; the rule then falls back to the latest year."
        ),
    )
    source = models.CharField(_("source"), max_length=400)

    objects = AffordabilityLimitManager()

    class Meta:
        verbose_name = _("affordability limit")
        verbose_name_plural = _("affordability limits")
        ordering = ["region", "-year", "household_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "household_type"], name="affordability_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_household_type_display()}"

    def natural_key(self) -> tuple[str, int, str]:
        return (self.region.slug, self.year, self.household_type)

    natural_key.dependencies = ["regions.region"]  # type: ignore[attr-defined]


class CorporationStockManager(models.Manager["CorporationStock"]):
    def get_by_natural_key(
        self, region_slug: str, corporation_slug: str, cbs_code: str
    ) -> "CorporationStock":
        return self.get(
            corporation__region__slug=region_slug,
            corporation__slug=corporation_slug,
            municipality__cbs_code=cbs_code,
        )


class CorporationStock(models.Model):
    """A corporation's social rental homes in one municipality: splits the municipality's
    quota over its corporations."""

    corporation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="stock",
        verbose_name=_("housing corporation"),
        limit_choices_to={"type": OrganisationType.CORPORATION},
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="corporation_stock",
        verbose_name=_("municipality"),
    )
    homes = models.PositiveIntegerField(_("social rental homes"))
    reference_date = models.DateField(_("reference date"))
    source = models.CharField(_("source"), max_length=400)
    is_estimate = models.BooleanField(_("estimate"), default=False)

    objects = CorporationStockManager()

    class Meta:
        verbose_name = _("corporation stock")
        verbose_name_plural = _("corporation stock")
        ordering = ["municipality", "corporation"]
        constraints = [
            models.UniqueConstraint(
                fields=["corporation", "municipality"], name="corporation_stock_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.corporation} in {self.municipality}: {self.homes}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.corporation.region.slug, self.corporation.slug, self.municipality.cbs_code)

    natural_key.dependencies = ["regions.organisation"]  # type: ignore[attr-defined]


class RuleVersionManager(models.Manager["RuleVersion"]):
    def get_by_natural_key(self, region_slug: str, valid_from: str, number: int) -> "RuleVersion":
        return self.get(region__slug=region_slug, valid_from=valid_from, number=number)


class RuleVersion(models.Model):
    """The rules of a regeling (`regions.rules.Rules`, as JSON) from a date on. Never changed
    after it is made: a change is a new version, so rankings, decisions and reports made under
    an earlier one keep it (they refer to it) and can say which it was."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="rule_versions", verbose_name=_("region")
    )
    number = models.PositiveIntegerField(_("version"))
    valid_from = models.DateField(_("applies from"))
    rules = models.JSONField(_("rules"))
    created_at = models.DateTimeField(_("made at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    note = models.CharField(_("what changed and why"), max_length=400, blank=True)

    objects = RuleVersionManager()

    class Meta:
        verbose_name = _("rules version")
        verbose_name_plural = _("rules versions")
        ordering = ["region", "-valid_from", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["region", "number"], name="rule_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.region} v{self.number} ({self.valid_from:%d-%m-%Y})"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise ValueError("A rules version is never changed; make a new one.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def natural_key(self) -> tuple[str, str, int]:
        return (self.region.slug, self.valid_from.isoformat(), self.number)

    natural_key.dependencies = ["regions.region"]  # type: ignore[attr-defined]

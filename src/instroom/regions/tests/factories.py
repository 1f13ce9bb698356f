"""Small fictional regions for tests, built with factory_boy and Dutch fake data."""

import itertools
from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from instroom.regions import models
from instroom.regions.constants import OrganisationType


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = models.Region
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"regio-{n}")
    name = factory.LazyAttribute(lambda o: f"Regio {o.slug} (fictief)")
    is_fictional = True
    start_year = 2024


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = models.Municipality

    region = factory.SubFactory(RegionFactory)
    cbs_code = factory.Sequence(lambda n: f"GM9{n % 1000:03d}")
    name = factory.Faker("city", locale="nl_NL")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = models.Organisation

    region = factory.SubFactory(RegionFactory)
    slug = factory.Sequence(lambda n: f"org-{n}")
    # Not a fake company name: those are built from surnames and would collide with the fake
    # clients' names that the leak tests look for.
    name = factory.LazyAttribute(lambda o: f"Stichting {o.slug.replace('-', ' ').title()}")
    type = OrganisationType.CARE_PROVIDER


# Fictional codes above the real ones (GM0000–GM1999), unique for 2,000 tests of two regions each,
# then round again (each test has its own database state).
_code = itertools.cycle(range(2000, 10000))


def build_region(slug: str) -> models.Region:
    """A fictional region with two municipalities, one table and one organisation of each kind
    (two care providers), plus key figures, a quota and affordability limits."""
    region = RegionFactory(slug=slug)
    for kind in ("population", "housing_stock", "households", "social_stock"):
        models.FigureKind.objects.get_or_create(region=region, slug=kind)
    a = MunicipalityFactory(region=region, cbs_code=f"GM{next(_code)}", name=f"{slug}-stad")
    b = MunicipalityFactory(region=region, cbs_code=f"GM{next(_code)}", name=f"{slug}-dorp")
    for m, households, social in ((a, 30000, 8000), (b, 10000, 2000)):
        for kind, value in (("households", households), ("social_stock", social)):
            models.MunicipalityFigure.objects.create(
                municipality=m,
                kind=kind,
                value=value,
                reference_date=date(2025, 1, 1),
                source="Fictief",
            )
    table = models.AssessmentTable.objects.create(region=region, slug="tafel", name="Tafel")
    table.municipalities.set([a, b])
    specs = [
        ("servicepunt", OrganisationType.SERVICE_POINT, {}),
        (
            "zorg-a",
            OrganisationType.CARE_PROVIDER,
            {"provides_residential_care": True, "provides_ambulant_support": True},
        ),
        (
            "zorg-b",
            OrganisationType.CARE_PROVIDER,
            {"provides_residential_care": True, "provides_ambulant_support": True},
        ),
        ("corporatie", OrganisationType.CORPORATION, {}),
        ("welzijn", OrganisationType.WELFARE, {}),
        ("politie", OrganisationType.POLICE, {}),
    ]
    for org_slug, org_type, extra in specs:
        org = OrganisationFactory(region=region, slug=org_slug, type=org_type, **extra)
        org.municipalities.set([a, b])
    gemeente = OrganisationFactory(
        region=region,
        slug="gemeente-a",
        type=OrganisationType.MUNICIPALITY,
        represents=a,
        name=f"Gemeente {a.name}",
    )
    gemeente.municipalities.set([a])
    quota = models.QuotaYear.objects.create(region=region, year=2026, total_homes=20)
    give_key(quota, households="0.5", social_stock="0.5")
    models.AffordabilityLimit.objects.create(
        region=region,
        year=2025,
        household_type="one_person",
        income_limit_eur=Decimal("28375"),
        rent_cap_eur=Decimal("682.96"),
        source="Fictief",
    )
    return region


def give_key(quota: models.QuotaYear, **weights: str) -> models.QuotaYear:
    """The year's distribution key: a weight per kind of figure (together 1)."""
    quota.weights.all().delete()
    for kind, weight in weights.items():
        models.FigureKind.objects.get_or_create(region_id=quota.region_id, slug=kind)
        models.QuotaWeight.objects.create(quota_year=quota, kind=kind, weight=Decimal(weight))
    return quota

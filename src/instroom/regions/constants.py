from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    SERVICE_POINT = "service_point", _("Service point")
    CARE_PROVIDER = "care_provider", _("Care provider")
    CORPORATION = "corporation", _("Housing corporation")
    WELFARE = "welfare", _("Welfare organisation / district team")
    MUNICIPALITY = "municipality", _("Municipality")
    POLICE = "police", _("Police")


class WellKnownFigure(models.TextChoices):
    """Figures the platform names in every language; a region may add its own kinds (with a
    name in its own words) and weigh any of them in its distribution key."""

    POPULATION = "population", _("Population")
    HOUSING_STOCK = "housing_stock", _("Housing stock")
    HOUSEHOLDS = "households", _("Households")
    SOCIAL_STOCK = "social_stock", _("Social rental homes")


class ApportionmentMethod(models.TextChoices):
    LARGEST_REMAINDER = "largest_remainder", _("Largest remainder (Hamilton)")
    SAINTE_LAGUE = "sainte_lague", _("Sainte-Laguë")


class CarryOver(models.TextChoices):
    """How earlier years' deliveries weigh on a year's quotas (see distribution/apportion.py)."""

    CATCH_UP = "catch_up", _("Catch up own backlog")
    NONE = "none", _("None: the plain key every year")


class NeighbourhoodLevel(models.TextChoices):
    DISTRICT = "wijk", _("District (CBS wijk)")
    NEIGHBOURHOOD = "buurt", _("Neighbourhood (CBS buurt)")


class HouseholdType(models.TextChoices):
    ONE_PERSON = "one_person", _("One person")
    TWO_PERSONS = "two_persons", _("Two persons")
    THREE_PLUS = "three_plus", _("Three or more persons")
    ONE_PERSON_PENSION = "one_person_pension", _("One person, pension age")
    TWO_PERSONS_PENSION = "two_persons_pension", _("Two persons, pension age")
    THREE_PLUS_PENSION = "three_plus_pension", _("Three or more persons, pension age")


class CareSource(models.TextChoices):
    """Where an uitstromer comes from; a region chooses which sources it admits."""

    PROTECTED_HOUSING = "bw", _("Protected housing (BW)")
    SHELTER = "mo", _("Shelter (MO)")
    YOUTH_CARE = "youth", _("Youth care")
    OTHER = "other", _("Other")

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from instroom.regions.models import Municipality, Neighbourhood, Organisation, Region

from .constants import HomeState, HomeType
from .validators import (
    FLOOR_RANGE,
    HOUSE_NUMBER_RANGE,
    RENT_RANGE,
    ROOMS_RANGE,
    validate_house_number_suffix,
    validate_postcode,
)


class Cluster(models.Model):
    """A woonvorm with several places (a house with rooms, a courtyard of small homes, a floor
    with a shared living room): each place is a `Home` of its own (its own rent and features),
    offered, matched, contracted and counted for the quota as one home; who may live together
    in it follows the region's co-tenancy rules (`matching.cotenancy`). Its shared facilities
    and the support that comes with it are told to every candidate."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    corporation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="clusters",
        verbose_name=_("housing corporation"),
    )
    name = models.CharField(
        _("name"), max_length=120, help_text=_("e.g. “Hofje Zuiderpark” or “Kamerwoning Oost”.")
    )
    places = models.PositiveSmallIntegerField(
        _("places"),
        validators=[MinValueValidator(2), MaxValueValidator(24)],
        help_text=_("How many people live in it, each in a place of their own."),
    )
    shared_facilities = models.CharField(
        _("shared facilities"),
        max_length=300,
        blank=True,
        help_text=_("e.g. living room, kitchen, garden."),
    )
    support = models.CharField(
        _("support that comes with it"),
        max_length=300,
        blank=True,
        help_text=_("e.g. “a support worker of RIBW is present on weekdays”."),
    )
    support_provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supported_clusters",
        verbose_name=_("care provider present"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("offered at"), default=timezone.now)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Home(models.Model):
    """A social rental home a corporation offers to the regional scheme; in a `Cluster`, one
    place of it."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    corporation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="homes",
        verbose_name=_("housing corporation"),
    )
    reference = models.CharField(
        _("corporation's reference"),
        max_length=40,
        blank=True,
        help_text=_("Your own number for this home, if you use one."),
    )
    street = models.CharField(_("street"), max_length=120)
    house_number = models.PositiveIntegerField(
        _("house number"),
        validators=[
            MinValueValidator(HOUSE_NUMBER_RANGE[0]),
            MaxValueValidator(HOUSE_NUMBER_RANGE[1]),
        ],
    )
    house_number_suffix = models.CharField(
        _("addition"), max_length=6, blank=True, validators=[validate_house_number_suffix]
    )
    postcode = models.CharField(
        _("postcode"), max_length=7, validators=[validate_postcode], help_text=_("e.g. 2011 AB")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, verbose_name=_("municipality")
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("neighbourhood"),
    )
    complex_code = models.CharField(
        _("complex"),
        max_length=40,
        blank=True,
        help_text=_("The corporation's complex number: caps count placements per complex."),
    )
    home_type = models.CharField(_("type"), max_length=20, choices=HomeType.choices)
    rooms = models.PositiveSmallIntegerField(
        _("rooms"),
        validators=[MinValueValidator(ROOMS_RANGE[0]), MaxValueValidator(ROOMS_RANGE[1])],
    )
    floor = models.SmallIntegerField(
        _("floor"),
        default=0,
        validators=[MinValueValidator(FLOOR_RANGE[0]), MaxValueValidator(FLOOR_RANGE[1])],
        help_text=_("0 is the ground floor."),
    )
    has_lift = models.BooleanField(_("lift"), default=False)
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    rent_eur = models.DecimalField(
        _("net rent per month (€)"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(RENT_RANGE[0]), MaxValueValidator(RENT_RANGE[1])],
    )
    pets_allowed = models.BooleanField(_("pets allowed"), default=False)
    available_from = models.DateField(_("available from"))
    notes = models.TextField(_("notes"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=HomeState.choices, default=HomeState.OPEN
    )
    withdraw_reason = models.CharField(_("reason for withdrawing"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("offered by"),
    )
    created_at = models.DateTimeField(_("offered at"), default=timezone.now)
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="homes",
        verbose_name=_("cluster"),
    )
    place = models.CharField(
        _("place"),
        max_length=40,
        blank=True,
        help_text=_("Which place of the cluster, e.g. “Kamer 2”."),
    )

    class Meta:
        verbose_name = _("home")
        verbose_name_plural = _("homes")
        ordering = ["available_from", "pk"]
        indexes = [models.Index(fields=["region", "state"], name="home_region_state")]
        constraints = [
            # One live offer per address: a withdrawn or let home may be offered again later.
            models.UniqueConstraint(
                fields=["postcode", "house_number", "house_number_suffix", "place"],
                condition=Q(state__in=["open", "proposed"]),
                name="home_one_live_offer_per_address",
                violation_error_message=_("This address is already on offer."),
            ),
            # The bounds the form, the API and the import check (homes/validators.py).
            models.CheckConstraint(condition=Q(rooms__range=ROOMS_RANGE), name="home_rooms_range"),
            models.CheckConstraint(
                condition=Q(cluster__isnull=True) | ~Q(place=""), name="home_cluster_place_named"
            ),
            models.CheckConstraint(condition=Q(rent_eur__range=RENT_RANGE), name="home_rent_range"),
            models.CheckConstraint(condition=Q(floor__range=FLOOR_RANGE), name="home_floor_range"),
            models.CheckConstraint(
                condition=Q(house_number__range=HOUSE_NUMBER_RANGE), name="home_house_number_range"
            ),
        ]

    def __str__(self) -> str:
        place = f", {self.place}" if self.place else ""
        return f"{self.address}{place} ({self.municipality})"

    @property
    def address(self) -> str:
        number = f"{self.house_number}{self.house_number_suffix}"
        return f"{self.street} {number}, {self.postcode}"

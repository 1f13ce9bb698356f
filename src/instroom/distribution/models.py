from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from instroom.regions.models import Municipality, Neighbourhood, Organisation, Region


class Placement(models.Model):
    """A home that counts for the distribution: a signed contract, for the home's municipality
    and corporation. Until the contract stage records them, the coordinator does."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, verbose_name=_("municipality")
    )
    corporation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("housing corporation"),
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("neighbourhood"),
    )
    complex_code = models.CharField(_("complex"), max_length=40, blank=True)
    placed_on = models.DateField(_("contract signed on"))
    reference = models.CharField(
        _("reference"),
        max_length=60,
        blank=True,
        help_text=_("For example the address or the corporation's contract number."),
    )
    # Optional: the contract stage will set it; the coordinator may already link the case.
    client = models.ForeignKey(
        "applications.Client",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("client"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undo_reason = models.CharField(_("why undone"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-placed_on", "-pk"]
        indexes = [models.Index(fields=["region", "placed_on"], name="placement_region_day")]

    def __str__(self) -> str:
        return f"{self.municipality} / {self.corporation} {self.placed_on}"

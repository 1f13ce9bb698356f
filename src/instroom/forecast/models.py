from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from instroom.regions.models import Region


class Scenario(models.Model):
    """A named set of forecast inputs for a region, and its latest run."""

    class Status(models.TextChoices):
        NEW = "new", _("Not run yet")
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=100)
    inputs = models.JSONField(_("inputs"))
    basis = models.JSONField(_("where the defaults come from"), default=list, blank=True)
    years = models.PositiveSmallIntegerField(_("years"), default=10)
    runs = models.PositiveIntegerField(_("replications"), default=1000)
    seed = models.PositiveIntegerField(_("seed"), default=2026)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("made at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("forecast scenario")
        verbose_name_plural = _("forecast scenarios")
        ordering = ["region", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="forecast_scenario_unique",
                violation_error_message=_("This region already has a scenario with this name."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.name}"

"""What a region brought along from its earlier scheme: one record per import, one per case."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from instroom.applications.models import Client
from instroom.regions.models import Region


class TakeoverImport(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    file_name = models.CharField(_("file"), max_length=200)
    file_sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    summary = models.JSONField(_("summary"), default=dict)

    class Meta:
        verbose_name = _("takeover of running cases")
        verbose_name_plural = _("takeovers of running cases")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.region} {self.imported_at:%Y-%m-%d} {self.file_name}"


class TakenOverCase(models.Model):
    """A case as the earlier scheme knew it: its reference stays unique within the region."""

    takeover = models.ForeignKey(
        TakeoverImport, on_delete=models.PROTECT, related_name="cases", verbose_name=_("import")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    reference = models.CharField(_("reference in the earlier scheme"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10)
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="+", verbose_name=_("client")
    )

    class Meta:
        verbose_name = _("taken-over case")
        verbose_name_plural = _("taken-over cases")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "reference"],
                name="takeover_one_reference_per_region",
                violation_error_message=_("This reference was already taken over."),
            )
        ]

    def __str__(self) -> str:
        return self.reference

"""The append-only log: every change of case data and every read of a client's personal data.

Rows are only ever inserted. The model, its queryset and (in the migration) database triggers
refuse updates and deletes, so neither the application nor a stray query can rewrite history.
"""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import EventKind


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit log cannot be changed.")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AppendOnlyError("The audit log cannot be deleted.")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
        help_text=_("Empty for the system itself (set-up, scheduled jobs)."),
    )
    actor_roles = models.CharField(_("acting as"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices)
    action = models.CharField(_("action"), max_length=100)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    # A plain number, not a foreign key: the log outlives the anonymisation of the client.
    client_id = models.BigIntegerField(_("client"), null=True, blank=True, db_index=True)
    region_id = models.BigIntegerField(_("region"), null=True, blank=True, db_index=True)
    purpose = models.CharField(_("why"), max_length=200, blank=True)
    # Names of changed fields and non-personal values only; never what was read.
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["actor", "at"], name="audit_actor_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The audit log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit log cannot be deleted.")

    @property
    def action_label(self) -> Any:
        """The action as people read it (the audit vocabulary's label)."""
        from .timeline import label_for

        return label_for(self.action)

    @property
    def roles_label(self) -> Any:
        from .timeline import roles_label

        return roles_label(self.actor_roles)


class EventNote(models.Model):
    """The "why" of a change (a reason, a decision's reasoning), kept beside the event.

    The event itself is immutable; its note is case content and may be erased or anonymised
    under the retention rules without rewriting the log."""

    event = models.OneToOneField(
        AuditEvent, on_delete=models.PROTECT, related_name="note", verbose_name=_("event")
    )
    text = models.TextField(_("why"))

    class Meta:
        verbose_name = _("event note")
        verbose_name_plural = _("event notes")

    def __str__(self) -> str:
        return self.text[:60]

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from instroom.regions.models import Organisation

from .constants import Role


class User(AbstractUser):
    """A person who signs in. What they may do follows from their memberships."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A user holds a role in an organisation (and through it, in that organisation's region)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user", "organisation", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .constants import ROLE_ORGANISATION_TYPES

        if (
            self.organisation_id
            and self.role
            and self.organisation.type not in ROLE_ORGANISATION_TYPES[self.role]
        ):
            raise ValidationError(
                {
                    "role": _(
                        "The role “%(role)s” cannot be held in a %(type)s. "
                        "Choose another organisation or role."
                    )
                    % {
                        "role": self.get_role_display(),
                        "type": self.organisation.get_type_display().lower(),
                    }
                }
            )


class Notification(models.Model):
    """A message in a user's task list on their home page (and sent by e-mail)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "done_at"], name="notification_open")]

    def __str__(self) -> str:
        return self.subject

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from instroom.regions.models import Organisation

from .constants import Role


class User(AbstractUser):
    """A person who signs in. What they may do follows from their memberships."""

    # The language of their e-mail; empty means the platform's default (settings.LANGUAGE_CODE).
    # Set when they choose a language in the interface.
    language = models.CharField(
        _("language"), max_length=10, blank=True, default="", choices=settings.LANGUAGES
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def mail_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE


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
    # The title as sent (in the sender's language); shown only for tasks without a kind (older
    # rows and plain messages). A task with a kind is shown from its kind and `params`.
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # What the task asks (a code declared in an app's task_kinds.py) and its title's parameters.
    kind = models.CharField(_("kind"), max_length=60, blank=True, default="")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # The object of the work (an application, a match, a contract, ...).
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, null=True, blank=True
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    # True when the case moved on and closed the task, False when its owner ticked it off.
    closed_automatically = models.BooleanField(_("closed by the next step"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "done_at"], name="notification_open"),
            models.Index(fields=["content_type", "object_id"], name="notification_object"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The title in the reader's language (the active one); old rows keep their text."""
        from .tasks import find

        kind = find(self.kind) if self.kind else None
        return kind.render(self.params) if kind is not None else self.subject

    @property
    def kind_label(self) -> str:
        from .tasks import find

        kind = find(self.kind) if self.kind else None
        return str(kind.label) if kind is not None else ""


class ApiToken(models.Model):
    """A key for the API, acting as its user. Only a hash of the key is kept (the key is shown
    once, when made); the first characters stay visible so the owner can tell keys apart."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    prefix = models.CharField(_("begins with"), max_length=PREFIX_LENGTH)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def expires_at(self) -> datetime:
        """Tokens expire a configured number of days after they were made."""
        return self.created_at + timedelta(days=settings.INSTROOM_API_TOKEN_DAYS)

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @staticmethod
    def hash_key(key: str) -> str:
        # The key has 240 random bits: a plain hash cannot be reversed by guessing.
        return hashlib.sha256(key.encode()).hexdigest()

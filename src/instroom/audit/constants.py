from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    CHANGE = "change", _("Change")
    ACCESS = "access", _("Read of personal data")

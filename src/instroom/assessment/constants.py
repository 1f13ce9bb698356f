from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    DEFER = "defer", _("Defer")


class InvitationKind(models.TextChoices):
    CARE = "care", _("Care")
    CORPORATION = "corporation", _("Housing corporation")
    POLICE = "police", _("Police")
    OTHER = "other", _("Other")


class Urgency(models.IntegerChoices):
    NORMAL = 0, _("Normal")
    RAISED = 1, _("Raised")
    HIGH = 2, _("High")

from django.db import models
from django.utils.translation import gettext_lazy as _


class HomeType(models.TextChoices):
    APARTMENT = "apartment", _("Apartment")
    GROUND_FLOOR = "ground_floor", _("Ground-floor apartment")
    HOUSE = "house", _("Single-family house")
    STUDIO = "studio", _("Studio")
    OTHER = "other", _("Other")


class HomeState(models.TextChoices):
    OPEN = "open", _("Open: looking for a candidate")
    PROPOSED = "proposed", _("Candidate proposed")
    LET = "let", _("Let: match accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")

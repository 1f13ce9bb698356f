from django.db import models
from django.utils.translation import gettext_lazy as _

from instroom.statemachine import Machine


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


# Which state may follow which; the services and the home page's buttons use this table.
HOME_TRANSITIONS: dict[str, frozenset[str]] = {
    HomeState.OPEN: frozenset({HomeState.PROPOSED, HomeState.WITHDRAWN}),
    # Withdrawn only while open: a home with a candidate proposed is freed by ending the match.
    HomeState.PROPOSED: frozenset({HomeState.OPEN, HomeState.LET}),
    # Back to open: the accepted match was cancelled before the contract was signed.
    HomeState.LET: frozenset({HomeState.OPEN}),
    HomeState.WITHDRAWN: frozenset({HomeState.OPEN}),
}
HOME_MACHINE = Machine(
    model="homes.Home",
    transitions=HOME_TRANSITIONS,
    refusal=_("A home that is “%(state)s” cannot become “%(to)s”."),
    scope=lambda home: {"region_id": home.region_id},
)

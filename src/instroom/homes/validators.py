import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from instroom import validation

# The bounds of the numbers a corporation enters: the model, the form, the API and the import.
HOUSE_NUMBER_RANGE = (1, 99999)
ROOMS_RANGE = (1, 12)
FLOOR_RANGE = (0, 60)
RENT_RANGE = (Decimal("1.00"), Decimal("2500.00"))
NUMBER_RANGES = {
    "house_number": HOUSE_NUMBER_RANGE,
    "rooms": ROOMS_RANGE,
    "floor": FLOOR_RANGE,
    "rent_eur": RENT_RANGE,
}


def normalise_postcode(value: str) -> str:
    """'2011ab', 'NL-2011 AB' → '2011 AB'; raises ValidationError when it is no Dutch postcode."""
    return validation.normalise_postcode(value)


def validate_postcode(value: str) -> None:
    normalise_postcode(value)


_SUFFIX = re.compile(r"^[A-Za-z0-9]{0,4}(-?[A-Za-z0-9]{1,4})?$")


def validate_house_number_suffix(value: str) -> None:
    if value and not _SUFFIX.match(value):
        raise ValidationError(
            _("The addition may only hold letters and digits, e.g. A or 2-hoog."),
            code="suffix",
        )

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import postcode as nl_postcode


def normalise_postcode(value: str) -> str:
    """'2011ab', 'NL-2011 AB' → '2011 AB'; raises ValidationError when it is no Dutch postcode."""
    try:
        return str(nl_postcode.validate(value.strip()))
    except StdnumError:
        raise ValidationError(
            _(
                "“%(value)s” is not a Dutch postcode: write four digits and two letters, "
                "e.g. 2011 AB."
            ),
            code="postcode",
            params={"value": value},
        ) from None


def validate_postcode(value: str) -> None:
    normalise_postcode(value)


_SUFFIX = re.compile(r"^[A-Za-z0-9]{0,4}(-?[A-Za-z0-9]{1,4})?$")


def validate_house_number_suffix(value: str) -> None:
    if value and not _SUFFIX.match(value):
        raise ValidationError(
            _("The addition may only hold letters and digits, e.g. A or 2-hoog."),
            code="suffix",
        )

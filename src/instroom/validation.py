"""One normalisation and validation layer for what people type: identity (BSN, names, dates of
birth), postcodes, amounts, whole numbers and dates.

Forms, the API's serializers and the imports all call these functions (the form fields below and
`instroom.api.fields` are thin wrappers), so a value refused on the page is refused through the
API and in an import with the same message. Each function returns the normalised value or raises
Django's ValidationError with a translated message that says what to fix.

Every function bounds the length of its input before any other work: a 10,000-character BSN or a
cell with `1e1000000` costs microseconds, never a server error or seconds of CPU.

Ground floor: imports only Django, python-stdnum and the standard library.
"""

import math
import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as nl_bsn
from stdnum.nl import postcode as nl_postcode

# --- Limits: each rule in one place ----------------------------------------------------------

# Youth care leavers may apply before they turn 18 (a home is rarely ready the day care ends);
# the scheme has refused clients under 16 since the first intake form.
MIN_AGE = 16
MAX_AGE = 110
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
# A home is offered for the near future; older or later dates are typing errors.
EARLIEST_AVAILABLE_FROM = date(2000, 1, 1)
AVAILABLE_FROM_MAX_YEARS_AHEAD = 5
NAME_MAX_LENGTH = 100
# Longer raw input is refused before it is looked at (generous: spaces, separators).
_BSN_MAX_CHARS = 20
_NUMBER_MAX_CHARS = 30
_POSTCODE_MAX_CHARS = 20

_BSN_SEPARATORS = " .-"
# Bidirectional embeddings, overrides and isolates: they can make a name read differently on
# screen from what is stored ("Trojan Source").
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Control characters, lone surrogates and line/paragraph separators never belong in a name.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})


def _error(message: Any, code: str, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


# --- BSN ---------------------------------------------------------------------------------------


def normalise_bsn(value: object) -> str:
    """The nine ASCII digits of a BSN typed with or without spaces, dots or hyphens
    ('1112.22.333', '1112 22 333', leading zero left out). Digits of other scripts (full-width
    ９, Arabic-Indic ٩) are refused, not converted: what is stored is what was meant."""
    message = _("Enter a BSN of 9 digits, e.g. 111222333.")
    if not isinstance(value, str):
        raise _error(message, "invalid_bsn")
    if len(value) > _BSN_MAX_CHARS:
        raise _error(message, "bsn_too_long")
    digits = "".join(c for c in value.strip() if c not in _BSN_SEPARATORS)
    if not digits:
        raise _error(message, "invalid_bsn")
    if not digits.isascii():
        folded = unicodedata.normalize("NFKC", digits)
        if folded.isascii() and folded.isdigit():
            raise _error(
                _("Type the BSN with the ordinary digits 0 to 9 (the text contains other digits)."),
                "bsn_not_ascii",
            )
        raise _error(message, "invalid_bsn")
    if not digits.isdigit():
        raise _error(message, "invalid_bsn")
    if len(digits) > 9:
        raise _error(message, "invalid_bsn")
    try:
        return str(nl_bsn.validate(digits))
    except StdnumError:
        raise _error(
            _("This is not a valid BSN: it must be nine digits that pass the 11-check."),
            "invalid_bsn",
        ) from None


def validate_stored_bsn(value: str) -> None:
    """The model's check: exactly nine ASCII digits that pass the 11-check."""
    if not (len(value) == 9 and value.isascii() and value.isdigit()) or normalise_bsn(value) != str(
        value
    ):
        raise _error(
            _("This is not a valid BSN: it must be nine digits that pass the 11-check."),
            "invalid_bsn",
        )


# --- Names -------------------------------------------------------------------------------------


def _is_invisible(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Cf"


def normalise_name(value: object, *, max_length: int = NAME_MAX_LENGTH) -> str:
    """A name in Unicode NFC without surrounding spaces or invisible format characters.
    Refused: empty (also when only zero-width characters are left), control characters or
    bidirectional overrides anywhere, longer than `max_length`."""
    if not isinstance(value, str):
        raise _error(_("Enter a name."), "invalid_name")
    too_long = _("Use at most %(max)d characters.")
    if len(value) > 4 * max_length:  # before any work; NFC can shorten, never by 4×
        raise _error(too_long, "name_too_long", max=max_length)
    text = unicodedata.normalize("NFC", value)
    start, end = 0, len(text)
    while start < end and _is_invisible(text[start]):
        start += 1
    while end > start and _is_invisible(text[end - 1]):
        end -= 1
    text = text[start:end]
    if any(c in _BIDI_CONTROLS or unicodedata.category(c) in _REFUSED_CATEGORIES for c in text):
        raise _error(
            _(
                "The name contains invisible control characters (for example a line break or a "
                "text-direction mark). Type the name again without them."
            ),
            "name_control_characters",
        )
    # Any run of spaces (a non-breaking or thin space from a copied document included) is one
    # plain space, so the same name typed twice is stored the same.
    text = " ".join(text.split())
    if not any(not _is_invisible(c) for c in text):
        raise _error(_("Enter a name."), "name_empty")
    if len(text) > max_length:
        raise _error(too_long, "name_too_long", max=max_length)
    return text


# --- Dates -------------------------------------------------------------------------------------


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def validate_date_of_birth(value: date, *, on: date | None = None) -> date:
    """A date of birth of a person between MIN_AGE and MAX_AGE on `on` (today by default)."""
    today = on or timezone.localdate()
    if value < EARLIEST_BIRTH_DATE or value > today or age_on(value, today) > MAX_AGE:
        raise _error(_("Enter a real date of birth (day-month-year)."), "date_of_birth")
    if age_on(value, today) < MIN_AGE:
        raise _error(
            _("The client must be at least 16 years old to rent a home through the scheme."),
            "too_young",
        )
    return value


def _years_ahead(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def validate_available_from(value: date, *, today: date | None = None) -> date:
    """The date a home is available: from 2000 up to five years ahead."""
    latest = _years_ahead(today or timezone.localdate(), AVAILABLE_FROM_MAX_YEARS_AHEAD)
    if value < EARLIEST_AVAILABLE_FROM or value > latest:
        raise _error(
            _("Enter a date between %(earliest)s and %(latest)s."),
            "date_out_of_range",
            earliest=EARLIEST_AVAILABLE_FROM.strftime("%d-%m-%Y"),
            latest=latest.strftime("%d-%m-%Y"),
        )
    return value


# --- Postcode ----------------------------------------------------------------------------------


def normalise_postcode(value: object) -> str:
    """'2011ab', 'NL-2011 AB' → '2011 AB' (the stored form)."""
    if isinstance(value, str) and len(value) <= _POSTCODE_MAX_CHARS:
        try:
            return str(nl_postcode.validate(value.strip()))
        except StdnumError:
            pass
    shown = value[:_POSTCODE_MAX_CHARS] if isinstance(value, str) else ""
    raise _error(
        _("“%(value)s” is not a Dutch postcode: write four digits and two letters, e.g. 2011 AB."),
        "postcode",
        value=shown,
    )


# --- Numbers -----------------------------------------------------------------------------------

# Plain notation only: no exponent, NaN or Infinity, so conversion is cheap and exact.
_WHOLE = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")


def parse_whole_number(value: object, *, min_value: int, max_value: int) -> int:
    """A whole number from an int or a short string of digits ('3', ' 12 ', '+2').
    '3.5', '1e1000000', 'NaN' and 'Infinity' are refused with a message, never converted."""
    if isinstance(value, bool):
        raise _error(_("Enter a whole number, e.g. 3."), "invalid_whole_number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float | Decimal):
        # A spreadsheet stores 3 as 3.0: accept it when finite, small and whole.
        if not math.isfinite(value) or not -(10**15) < value < 10**15 or value != int(value):
            raise _error(_("Enter a whole number, e.g. 3."), "invalid_whole_number")
        number = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > _NUMBER_MAX_CHARS or not _WHOLE.fullmatch(text):
            raise _error(_("Enter a whole number, e.g. 3."), "invalid_whole_number")
        number = int(text)
    else:
        raise _error(_("Enter a whole number, e.g. 3."), "invalid_whole_number")
    if not min_value <= number <= max_value:
        raise _error(
            _("Enter a whole number from %(min)d to %(max)d."),
            "whole_number_out_of_range",
            min=min_value,
            max=max_value,
        )
    return number


def parse_amount(
    value: object,
    *,
    min_value: Decimal,
    max_value: Decimal,
    decimal_places: int = 2,
    decimal_comma: bool = False,
) -> Decimal:
    """An amount in euros as a finite Decimal with at most `decimal_places` decimals.
    Strings in plain notation only ('712.50'; with `decimal_comma`, Dutch '1.012,40' and
    '€ 712,50'); NaN, Infinity and exponents are refused before any conversion."""
    invalid = _error(_("Enter an amount in euros, e.g. 712.50."), "invalid_amount")
    if isinstance(value, bool):
        raise invalid
    if isinstance(value, int):
        if abs(value) > 10**15:
            raise _error(
                _("Enter an amount from %(min)s to %(max)s."),
                "amount_out_of_range",
                min=min_value,
                max=max_value,
            )
        amount = Decimal(value)
    elif isinstance(value, float | Decimal):
        if not math.isfinite(value):
            raise invalid
        amount = Decimal(str(value)) if isinstance(value, float) else value
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > _NUMBER_MAX_CHARS:
            raise invalid
        if decimal_comma:
            text = text.replace("€", "").replace(" ", "")
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
        if not _DECIMAL.fullmatch(text):
            raise invalid
        text = text.replace(",", ".")
        # '21,000' is not 21 euros: more decimals than allowed is a question, not a rounding.
        if "." in text and len(text.split(".")[1]) > decimal_places:
            raise _error(
                _("Use at most %(places)d digits after the decimal point."),
                "amount_decimals",
                places=decimal_places,
            )
        try:
            amount = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits only plain numbers
            raise invalid from None
    else:
        raise invalid
    if not amount.is_finite():
        raise invalid
    if not min_value <= amount <= max_value:
        raise _error(
            _("Enter an amount from %(min)s to %(max)s."),
            "amount_out_of_range",
            min=min_value,
            max=max_value,
        )
    step = Decimal(1).scaleb(-decimal_places)
    if amount != amount.quantize(step):  # cheap: the amount is bounded by now
        raise _error(
            _("Use at most %(places)d digits after the decimal point."),
            "amount_decimals",
            places=decimal_places,
        )
    return amount.quantize(step)


# --- Form fields: the same functions, for Django forms -----------------------------------------


class BSNFormField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", None)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("maxlength", str(_BSN_MAX_CHARS))
        self.widget.attrs.setdefault("inputmode", "numeric")
        self.widget.attrs.setdefault("autocomplete", "off")

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        return normalise_bsn(text) if text else text


class NameFormField(forms.CharField):
    def __init__(self, *, max_length: int = NAME_MAX_LENGTH, **kwargs: Any) -> None:
        # The length is checked after normalisation; the browser gets a hint only.
        super().__init__(strip=False, **kwargs)
        self.name_max_length = max_length
        self.widget.attrs.setdefault("maxlength", str(max_length))

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text and not self.required:
            return ""
        return normalise_name(text, max_length=self.name_max_length)


class DateOfBirthFormField(forms.DateField):
    def clean(self, value: Any) -> Any:
        day = super().clean(value)
        return validate_date_of_birth(day) if day else day


class AvailableFromFormField(forms.DateField):
    def clean(self, value: Any) -> Any:
        day = super().clean(value)
        return validate_available_from(day) if day else day


def _bound(limit: Any, default: Any) -> Any:
    return default if limit is None or callable(limit) else limit


class WholeNumberFormField(forms.IntegerField):
    """Bounds from `min_value`/`max_value` (the form may set them after construction)."""

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        return parse_whole_number(
            value,
            min_value=_bound(self.min_value, -(10**9)),
            max_value=_bound(self.max_value, 10**9),
        )


class AmountFormField(forms.DecimalField):
    """Accepts '712.50' and '712,50'."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        return parse_amount(
            value,
            min_value=Decimal(_bound(self.min_value, 0)),
            max_value=Decimal(_bound(self.max_value, 10**7)),
            decimal_places=self.decimal_places if self.decimal_places is not None else 2,
        )

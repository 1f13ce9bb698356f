"""The one validation layer: what it stores, what it refuses, and that it never fails otherwise."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.nl import bsn as nl_bsn

from instroom import validation

VALID_BSNS = ["111222333", "999990019", "053211728", "123456782"]
digits = st.integers(min_value=1, max_value=999_999_999).map(lambda n: f"{n:09d}")


def _with_check_digit(first_eight: int) -> str:
    head = f"{first_eight:08d}"
    check = sum((9 - i) * int(d) for i, d in enumerate(head)) % 11
    return f"{head}{check}"


# Built, not filtered: eight digits and the check digit that the 11-check demands.
valid_bsn = (
    st.integers(min_value=1, max_value=99_999_999)
    .map(_with_check_digit)
    .filter(lambda n: len(n) == 9 and nl_bsn.is_valid(n))
)


def _messages(function, *args, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        function(*args, **kwargs)
    return caught.value.messages


@pytest.mark.parametrize("typed", ["5321 1728", "5321.1728", "5321-1728", " 053211728 "])
def test_a_bsn_typed_with_separators_is_stored_as_nine_ascii_digits(typed) -> None:
    assert validation.normalise_bsn(typed) == "053211728"


def test_full_width_digits_are_refused_with_a_message_that_says_why() -> None:
    (message,) = _messages(validation.normalise_bsn, "９９９９９００１９")
    assert "0" in message and "9" in message  # "gewone cijfers 0 tot en met 9"


def test_a_ten_thousand_character_bsn_is_refused_not_converted() -> None:
    assert _messages(validation.normalise_bsn, "1" * 10_000)
    assert _messages(validation.normalise_bsn, "9" * 4301)  # beyond int()'s digit limit


@st.composite
def formatted(draw, number: str) -> str:
    """The same nine digits with any spaces, dots and hyphens between them, leading zeros
    optionally left out, and surrounding spaces."""
    text = number.lstrip("0") if draw(st.booleans()) else number
    out = []
    for char in text:
        out.append(char)
        out.append(draw(st.sampled_from(["", "", " ", ".", "-"])))
    return draw(st.sampled_from(["", " "])) + "".join(out) + draw(st.sampled_from(["", " "]))


@given(st.data(), valid_bsn)
def test_any_formatting_of_a_valid_bsn_normalises_to_the_same_nine_digits(data, number) -> None:
    assert validation.normalise_bsn(data.draw(formatted(number))) == number


@given(digits.filter(lambda n: not nl_bsn.is_valid(n)))
def test_a_number_failing_the_11_check_never_passes(number) -> None:
    with pytest.raises(ValidationError):
        validation.normalise_bsn(number)


@given(st.one_of(st.text(max_size=60), st.none(), st.integers(), st.floats()))
def test_any_input_gives_nine_valid_ascii_digits_or_a_validation_error(value) -> None:
    try:
        result = validation.normalise_bsn(value)
    except ValidationError:
        return
    assert len(result) == 9 and result.isascii() and result.isdigit()
    assert nl_bsn.is_valid(result)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=50))
def test_non_ascii_digits_never_pass(text) -> None:
    try:
        result = validation.normalise_bsn(text)
    except ValidationError:
        return
    assert all(c in "0123456789" for c in result)
    assert all(c.isascii() for c in text if c.isdigit())


@pytest.mark.parametrize(
    "name",
    ["\u200b", "\u200b\u200d\ufeff", "  \u200b ", "", "\u2066\u2069"],
)
def test_names_of_only_invisible_characters_are_refused(name) -> None:
    assert _messages(validation.normalise_name, name)


@pytest.mark.parametrize("name", ["Ja\x07n", "Jan\nJansen", "Ab\u202edc", "A\u2067b", "a\u2028b"])
def test_control_characters_and_direction_overrides_inside_a_name_are_refused(name) -> None:
    assert _messages(validation.normalise_name, name)


def test_names_are_nfc_and_stripped_and_bounded() -> None:
    assert validation.normalise_name(" Zoe\u0308 ") == "Zoë"
    assert validation.normalise_name("\ufeffAnna") == "Anna"
    assert _messages(validation.normalise_name, "a" * 101)
    assert _messages(validation.normalise_name, "a" * 100_000)


@given(st.text(max_size=500))
def test_a_name_is_refused_or_clean(text) -> None:
    try:
        name = validation.normalise_name(text)
    except ValidationError:
        return
    assert name and len(name) <= validation.NAME_MAX_LENGTH and name == name.strip()
    assert not any(c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069" for c in name)
    assert all(c.isprintable() or c == " " or not c.isspace() for c in name)


def test_dates_of_birth_outside_a_real_life_are_refused_with_one_message() -> None:
    today = date(2026, 6, 1)
    real = validation.validate_date_of_birth(date(1990, 1, 1), on=today)
    assert real == date(1990, 1, 1)
    for born in (date(1, 1, 1), date(9999, 12, 31), date(1906, 1, 1), today + timedelta(days=1)):
        assert _messages(validation.validate_date_of_birth, born, on=today) == _messages(
            validation.validate_date_of_birth, date(1, 1, 1), on=today
        )
    assert _messages(validation.validate_date_of_birth, date(2016, 1, 1), on=today)  # age 10
    assert validation.validate_date_of_birth(date(2010, 6, 1), on=today)  # exactly MIN_AGE


def test_available_from_is_bounded() -> None:
    today = date(2026, 6, 1)
    assert validation.validate_available_from(date(2027, 2, 1), today=today)
    for day in (date(1, 1, 1), date(9999, 12, 31), date(1999, 12, 31), date(2031, 6, 2)):
        assert _messages(validation.validate_available_from, day, today=today)


@pytest.mark.parametrize(
    "text", ["Infinity", "-Infinity", "NaN", "nan", "1e1000000", "3.5", "", "drie", "9" * 5000]
)
def test_whole_numbers_come_only_from_short_digit_strings(text) -> None:
    assert _messages(validation.parse_whole_number, text, min_value=1, max_value=12)


def test_whole_numbers_accept_spreadsheet_floats_and_check_the_range() -> None:
    assert validation.parse_whole_number(" 3 ", min_value=1, max_value=12) == 3
    assert validation.parse_whole_number(3.0, min_value=1, max_value=12) == 3
    for value in (float("inf"), float("nan"), 1e300, 0, 13, True):
        assert _messages(validation.parse_whole_number, value, min_value=1, max_value=12)


@pytest.mark.parametrize(
    "text", ["NaN", "Infinity", "1e1000000", "1E5", "712.505", "21,000", "-1", "x", "1" * 40]
)
def test_amounts_refuse_nan_infinity_exponents_and_extra_decimals(text) -> None:
    assert _messages(validation.parse_amount, text, min_value=Decimal(0), max_value=Decimal(2500))


def test_amounts_are_exact_decimals() -> None:
    parse = validation.parse_amount
    assert parse("712,50", min_value=Decimal(1), max_value=Decimal(2500)) == Decimal("712.50")
    assert parse(
        "€ 1.012,40", min_value=Decimal(1), max_value=Decimal(2500), decimal_comma=True
    ) == Decimal("1012.40")
    assert _messages(parse, Decimal("1e1000000"), min_value=Decimal(1), max_value=Decimal(9))
    assert _messages(parse, float("nan"), min_value=Decimal(1), max_value=Decimal(9))


@pytest.mark.parametrize("typed", ["2011ab", "NL-2011 AB", " 2011 AB "])
def test_postcodes_are_stored_as_four_digits_space_two_letters(typed) -> None:
    assert validation.normalise_postcode(typed) == "2011 AB"


def test_a_long_postcode_is_refused_without_repeating_it() -> None:
    (message,) = _messages(validation.normalise_postcode, "1" * 10_000)
    assert len(message) < 200


def test_spaces_in_a_name_are_plain_and_single() -> None:
    assert validation.normalise_name("Jan\u00a0de  Vries") == "Jan de Vries"
    assert validation.normalise_name("Anne\u2009Marie") == "Anne Marie"

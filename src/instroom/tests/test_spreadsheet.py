from decimal import Decimal

import pytest

from instroom.spreadsheet import safe_cell, safe_record, safe_row


@pytest.mark.parametrize(
    "text",
    ["=1+1", '=HYPERLINK("http://x","y")', "+31 6", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_a_text_a_spreadsheet_would_run_is_neutralised(text) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [0, -5, 3.5, Decimal("-1.25"), None, "", "<5", "Haarlem"])
def test_numbers_and_plain_text_stay_as_they_are(value) -> None:
    assert safe_cell(value) == value
    assert type(safe_cell(value)) is type(value)


def test_rows_and_records() -> None:
    assert safe_row(["=A1", 4, "x"]) == ["'=A1", 4, "x"]
    assert safe_record({"name": "@x", "value": -1}) == {"name": "'@x", "value": -1}

"""Every cell that leaves the platform in a spreadsheet (XLSX) or CSV goes through here.

A spreadsheet program runs a text cell that begins with "=", "+", "-" or "@" (or a tab or
carriage return before one) as a formula: a municipality or name typed as `=HYPERLINK(...)`
would become a live link, or worse, on the reader's computer. The OWASP rule for CSV injection:
such a text gets a leading apostrophe, so it is shown as the text it is. Numbers stay numbers.
"""

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


def safe_record(record: dict[str, Any]) -> dict[str, Any]:
    return {key: safe_cell(value) for key, value in record.items()}

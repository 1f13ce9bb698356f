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


# -- Reading: every CSV or XLSX file that comes in (homes, running cases) --------------------


class FileRejected(Exception):
    """The file as a whole cannot be read (wrong type, empty, damaged, too big)."""


def cell_text(value: Any) -> str:
    """A cell as the text a user typed: whole numbers without ".0", dates as ISO dates."""
    from datetime import date, datetime

    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def read_table(content: bytes, *, max_megabytes: int) -> list[list[Any]]:
    """Rows of cells from an XLSX workbook's first sheet or a CSV file (`;` or `,`; UTF-8 with
    or without BOM, or Windows-1252 as older Excel versions save it)."""
    import csv
    import io

    from django.utils.translation import gettext as _

    if not content.strip():
        raise FileRejected(_("The file is empty."))
    if len(content) > max_megabytes * 1024 * 1024:
        raise FileRejected(
            _("The file is larger than %(mb)d MB; split it into smaller files.")
            % {"mb": max_megabytes}
        )
    if content[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        except Exception:  # openpyxl raises many kinds for a damaged file
            raise FileRejected(
                _("The Excel file cannot be read. Save it again as .xlsx.")
            ) from None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise FileRejected(_("Upload a CSV file (UTF-8) or an Excel file (.xlsx).")) from None
    if "\x00" in text:
        raise FileRejected(_("Upload a CSV file (UTF-8) or an Excel file (.xlsx)."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))

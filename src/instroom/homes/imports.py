"""Read a corporation's list of homes from CSV or XLSX into the fields `homes_import` takes.

The first row names the columns (Dutch or English, any order, case-insensitive). Every cell is
converted here and every problem is reported with its line number; nothing is saved here.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from instroom import spreadsheet, validation
from instroom.regions.models import Municipality, Neighbourhood, Region
from instroom.spreadsheet import FileRejected, cell_text

from .constants import HomeType
from .services import RowError
from .validators import NUMBER_RANGES

MAX_ROWS = 2000
MAX_MEGABYTES = 2


@dataclass(frozen=True)
class Column:
    field: str
    names: tuple[str, ...]  # accepted headers; the first is the one in the template
    required: bool
    kind: str  # text, int, bool, money, date, postcode, municipality, neighbourhood, type
    help: Any = ""


COLUMNS = (
    Column("street", ("straat", "street"), True, "text"),
    Column("house_number", ("huisnummer", "house number", "house_number"), True, "int"),
    Column("house_number_suffix", ("toevoeging", "addition", "suffix"), False, "text"),
    Column("postcode", ("postcode", "postal code"), True, "postcode"),
    Column(
        "municipality",
        ("gemeente", "municipality"),
        True,
        "municipality",
        gettext_lazy("name or CBS code, e.g. Haarlem or GM0392"),
    ),
    Column(
        "neighbourhood",
        ("buurt", "wijk", "neighbourhood"),
        False,
        "neighbourhood",
        gettext_lazy("CBS code or name of the neighbourhood"),
    ),
    Column("complex_code", ("complex", "complexnummer"), False, "text"),
    Column("home_type", ("type", "woningtype", "home type"), True, "type"),
    Column("rooms", ("kamers", "rooms"), True, "int"),
    Column("floor", ("verdieping", "floor"), False, "int", gettext_lazy("0 = ground floor")),
    Column("has_lift", ("lift",), False, "bool", gettext_lazy("ja/nee")),
    Column(
        "wheelchair_accessible",
        ("rolstoel", "rolstoeltoegankelijk", "wheelchair"),
        False,
        "bool",
        gettext_lazy("ja/nee"),
    ),
    Column(
        "rent_eur",
        ("huur", "kale huur", "rent"),
        True,
        "money",
        gettext_lazy("net rent per month, e.g. 712,50"),
    ),
    Column("pets_allowed", ("huisdieren", "pets"), False, "bool", gettext_lazy("ja/nee")),
    Column(
        "available_from",
        ("beschikbaar vanaf", "beschikbaar", "available from"),
        True,
        "date",
        gettext_lazy("e.g. 2027-02-01 or 1-2-2027"),
    ),
    Column("reference", ("referentie", "reference", "eigen nummer"), False, "text"),
    Column("notes", ("opmerkingen", "notities", "notes"), False, "text"),
)

TRUE = {"ja", "j", "yes", "y", "waar", "true", "1", "x"}
FALSE = {"nee", "n", "no", "onwaar", "false", "0", ""}


def read_table(name: str, content: bytes) -> list[list[Any]]:
    """Rows of cells from an XLSX workbook's first sheet or a CSV file (`;` or `,`)."""
    return spreadsheet.read_table(content, max_megabytes=MAX_MEGABYTES)


def _lookup_headers(header: list[Any]) -> dict[int, Column]:
    by_name = {name: column for column in COLUMNS for name in column.names}
    found: dict[int, Column] = {}
    unknown = []
    for index, cell in enumerate(header):
        name = cell_text(cell).lower()
        if not name:
            continue
        if name not in by_name:
            unknown.append(cell_text(cell))
            continue
        found[index] = by_name[name]
    if unknown:
        raise FileRejected(
            _("Unknown columns: %(names)s. Use the column names of the example file.")
            % {"names": ", ".join(unknown)}
        )
    missing = [c.names[0] for c in COLUMNS if c.required and c not in found.values()]
    if missing:
        raise FileRejected(
            _("Required columns are missing: %(names)s.") % {"names": ", ".join(missing)}
        )
    return found


class _Places:
    """The region's municipalities and neighbourhoods, read once for the whole file."""

    def __init__(self, region: Region) -> None:
        self.municipalities: dict[str, Municipality] = {}
        for m in Municipality.objects.filter(region=region):
            self.municipalities[m.name.lower()] = m
            self.municipalities[m.cbs_code.lower()] = m
        self.neighbourhoods: dict[tuple[int, str], Neighbourhood] = {}
        for n in Neighbourhood.objects.filter(municipality__region=region):
            self.neighbourhoods[(n.municipality_id, n.cbs_code.lower())] = n
            if n.name:
                self.neighbourhoods.setdefault((n.municipality_id, n.name.lower()), n)


def _checked(function: Callable[..., Any], value: Any, **kwargs: Any) -> Any:
    """The one validation layer's answer, as the row error the import reports."""
    try:
        return function(value, **kwargs)
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from None


def _convert(column: Column, text: str, places: _Places, row: dict[str, Any]) -> Any:
    kind = column.kind
    if kind == "text":
        return text
    if kind == "int":
        low, high = NUMBER_RANGES[column.field]
        return _checked(validation.parse_whole_number, text, min_value=low, max_value=high)
    if kind == "bool":
        if text.lower() in TRUE:
            return True
        if text.lower() in FALSE:
            return False
        raise ValueError(_("Write ja or nee, not “%(value)s”.") % {"value": text})
    if kind == "money":
        low, high = NUMBER_RANGES[column.field]
        return _checked(
            validation.parse_amount, text, min_value=low, max_value=high, decimal_comma=True
        )
    if kind == "date":
        if len(text) <= 30:
            for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
                try:
                    day = datetime.strptime(text, pattern).date()
                except ValueError:
                    continue
                return _checked(validation.validate_available_from, day)
        raise ValueError(_("“%(value)s” is not a date; write e.g. 2027-02-01.") % {"value": text})
    if kind == "postcode":
        return _checked(validation.normalise_postcode, text)
    if kind == "municipality":
        municipality = places.municipalities.get(text.lower())
        if municipality is None:
            raise ValueError(
                _("“%(value)s” is not a municipality of this region.") % {"value": text}
            )
        return municipality
    if kind == "neighbourhood":
        municipality = row.get("municipality")
        if municipality is None:
            return None  # reported on the municipality column
        found = places.neighbourhoods.get((municipality.pk, text.lower()))
        if found is None:
            raise ValueError(
                _("“%(value)s” is not a neighbourhood of %(municipality)s.")
                % {"value": text, "municipality": municipality.name}
            )
        return found
    if kind == "type":
        for value, label in HomeType.choices:
            if text.lower() in {value, str(label).lower()}:
                return value
        raise ValueError(
            _("Unknown type “%(value)s”; use one of: %(choices)s.")
            % {"value": text, "choices": ", ".join(HomeType.values)}
        )
    raise AssertionError(kind)


def parse_homes(
    name: str, content: bytes, region: Region
) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """(line, fields) for every filled row, and every conversion problem by line."""
    table = read_table(name, content)
    while table and not any(cell_text(c) for c in table[0]):
        table.pop(0)
    if not table:
        raise FileRejected(_("The file is empty."))
    header = _lookup_headers(table[0])
    body = table[1:]
    if len(body) > MAX_ROWS:
        raise FileRejected(_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
    places = _Places(region)
    rows: list[tuple[int, dict[str, Any]]] = []
    errors: list[RowError] = []
    # The neighbourhood needs the municipality: convert in column order of COLUMNS.
    order = sorted(header.items(), key=lambda item: COLUMNS.index(item[1]))
    for offset, cells in enumerate(body):
        line = offset + 2  # line 1 is the header
        if not any(cell_text(c) for c in cells):
            continue
        fields: dict[str, Any] = {}
        for index, column in order:
            value = cells[index] if index < len(cells) else None
            if isinstance(value, datetime):
                value = value.date()
            if isinstance(value, date) and column.kind == "date":
                try:
                    fields[column.field] = _checked(validation.validate_available_from, value)
                except ValueError as exc:
                    errors.append(RowError(line, column.names[0], str(exc)))
                continue
            text = cell_text(value)
            if not text:
                if column.required:
                    errors.append(RowError(line, column.names[0], _("This field is required.")))
                elif column.kind == "bool":
                    fields[column.field] = False
                elif column.kind == "int" and column.field == "floor":
                    fields[column.field] = 0
                elif column.kind == "neighbourhood":
                    fields[column.field] = None
                else:
                    fields[column.field] = ""
                continue
            try:
                fields[column.field] = _convert(column, text, places, fields)
            except ValueError as exc:
                errors.append(RowError(line, column.names[0], str(exc)))
        rows.append((line, fields))
    if not rows and not errors:
        raise FileRejected(_("The file has a header but no homes."))
    return rows, errors


def template_csv() -> str:
    """The example file a corporation downloads and fills in."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([c.names[0] for c in COLUMNS])
    writer.writerow(
        [
            "Voorbeeldstraat",
            "12",
            "A",
            "2011 AB",
            "Haarlem",
            "",
            "C-104",
            "apartment",
            "2",
            "1",
            "ja",
            "nee",
            "712,50",
            "nee",
            "2027-02-01",
            "V-0001",
            "",
        ]
    )
    return out.getvalue()

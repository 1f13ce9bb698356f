"""Read a file of running cases (CSV or XLSX) into plain rows for `services.takeover_import`.

The first filled row names the columns (Dutch, or the English aliases; any order, any case).
Cells are converted here with the one validation layer (`instroom.validation`) and every problem
is reported with the row number the user sees in the file; nothing is saved here.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from instroom import spreadsheet, validation
from instroom.homes.constants import HomeType
from instroom.homes.validators import NUMBER_RANGES
from instroom.regions.constants import CareSource
from instroom.regions.models import Municipality, Organisation, Region
from instroom.regions.selectors import rules_for
from instroom.spreadsheet import FileRejected, cell_text

MAX_ROWS = 5000
MAX_MEGABYTES = 5
POOL, TENANCY = "pool", "tenancy"
KIND_NAMES = {
    "pool": POOL,
    "bemiddelbaar": POOL,
    "tenancy": TENANCY,
    "huurder": TENANCY,
    "bewoner": TENANCY,
}


@dataclass(frozen=True)
class Column:
    field: str
    names: tuple[str, ...]  # accepted headers; the first (Dutch) is the one in the template
    kinds: frozenset[str]  # the kinds of row for which it must be filled in
    help: Any = ""

    @property
    def header(self) -> str:
        return self.names[0]

    @property
    def required_for(self) -> str:
        return ", ".join(sorted(self.kinds))


BOTH = frozenset({POOL, TENANCY})
ONLY_TENANCY = frozenset({TENANCY})
ONLY_POOL = frozenset({POOL})
OPTIONAL: frozenset[str] = frozenset()

COLUMNS = (
    Column("kind", ("soort", "kind"), BOTH, gettext_lazy("pool or tenancy (huurder)")),
    Column(
        "reference",
        ("kenmerk", "reference"),
        BOTH,
        gettext_lazy("the case's number in the earlier scheme; unique in the region"),
    ),
    Column("bsn", ("bsn",), BOTH, gettext_lazy("nine digits, 11-check")),
    Column("first_name", ("voornaam", "first name", "first_name"), BOTH),
    Column("last_name", ("achternaam", "last name", "last_name"), BOTH),
    Column(
        "date_of_birth",
        ("geboortedatum", "date of birth", "date_of_birth"),
        BOTH,
        gettext_lazy("e.g. 1990-05-17 or 17-5-1990"),
    ),
    Column(
        "municipality_of_origin",
        ("gemeente", "municipality"),
        BOTH,
        gettext_lazy("municipality of origin: name or CBS code of a municipality of this region"),
    ),
    Column(
        "source",
        ("herkomst", "source of care", "source"),
        BOTH,
        gettext_lazy("bw, mo, youth or other, as the region's rules admit"),
    ),
    Column(
        "care_provider",
        ("zorgaanbieder", "care provider", "care_provider"),
        BOTH,
        gettext_lazy("name or code (slug) of the care provider in this region"),
    ),
    Column(
        "support_provider",
        ("woonbegeleiding", "support organisation", "support_provider"),
        OPTIONAL,
        gettext_lazy("the organisation giving woonbegeleiding; empty: the care provider"),
    ),
    Column(
        "approved_on",
        ("besluitdatum", "approval date", "approved_on"),
        ONLY_POOL,
        gettext_lazy("the day the client was approved: the waiting time counts from it"),
    ),
    Column("corporation", ("corporatie", "corporation"), ONLY_TENANCY),
    Column(
        "home_municipality",
        ("gemeente woning", "home municipality", "home_municipality"),
        OPTIONAL,
        gettext_lazy("where the home is; empty: the municipality of origin"),
    ),
    Column("street", ("straat", "street"), ONLY_TENANCY),
    Column("house_number", ("huisnummer", "house number", "house_number"), ONLY_TENANCY),
    Column("house_number_suffix", ("toevoeging", "addition", "suffix"), OPTIONAL),
    Column("postcode", ("postcode", "postal code"), ONLY_TENANCY),
    Column(
        "home_type",
        ("woningtype", "home type", "home_type"),
        OPTIONAL,
        gettext_lazy("apartment, ground_floor, house, studio or other; empty: apartment"),
    ),
    Column("rooms", ("kamers", "rooms"), OPTIONAL, gettext_lazy("empty: 1")),
    Column(
        "rent_eur",
        ("huur", "rent"),
        ONLY_TENANCY,
        gettext_lazy("net rent per month, e.g. 712,50"),
    ),
    Column(
        "contract_form",
        ("contractvorm", "contract form", "contract_form"),
        OPTIONAL,
        gettext_lazy("code or name of one of the region's contract forms; empty: the first"),
    ),
    Column(
        "signed_on",
        ("getekend op", "contract signed", "signed_on"),
        ONLY_TENANCY,
        gettext_lazy("the day the contract was signed: it counts for the quota of that year"),
    ),
    Column(
        "moved_in_on",
        ("verhuisd op", "move-in date", "moved_in_on"),
        ONLY_TENANCY,
        gettext_lazy("the support period and the meetings count from this day"),
    ),
    Column(
        "meetings_held",
        ("gesprekken gehouden", "meetings held", "meetings_held"),
        OPTIONAL,
        gettext_lazy("dates of the support meetings held, e.g. 2026-01-10; 2026-04-12"),
    ),
)
BY_FIELD = {c.field: c for c in COLUMNS}
REQUIRED_HEADERS = tuple(c for c in COLUMNS if c.kinds == BOTH)


@dataclass(frozen=True)
class RowError:
    row: int  # as the user sees it in the file (the header is row 1 when it is the first)
    column: str  # the column's header, "" for the row as a whole
    message: str


@dataclass
class Row:
    number: int
    kind: str
    values: dict[str, Any] = field(default_factory=dict)


def read_table(content: bytes) -> list[list[Any]]:
    """Rows of cells from an XLSX workbook's first sheet or a CSV file (`;` or `,`)."""
    return spreadsheet.read_table(content, max_megabytes=MAX_MEGABYTES)


def _headers(header: list[Any]) -> dict[int, Column]:
    by_name = {name: column for column in COLUMNS for name in column.names}
    found: dict[int, Column] = {}
    unknown = []
    for index, cell in enumerate(header):
        name = cell_text(cell).lower()
        if not name:
            continue
        if name not in by_name:
            unknown.append(cell_text(cell))
        elif by_name[name] in found.values():
            raise FileRejected(
                _("The column %(name)s appears twice.") % {"name": by_name[name].header}
            )
        else:
            found[index] = by_name[name]
    if unknown:
        raise FileRejected(
            _("Unknown columns: %(names)s. Use the column names of the template.")
            % {"names": ", ".join(unknown)}
        )
    missing = [c.header for c in REQUIRED_HEADERS if c not in found.values()]
    if missing:
        raise FileRejected(
            _("Required columns are missing: %(names)s.") % {"names": ", ".join(missing)}
        )
    return found


def parse_date(text: str) -> date:
    """ISO (2026-01-10) or Dutch (10-01-2026, 10/1/2026); ValueError with what to write."""
    if len(text) <= 30:
        for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
    raise ValueError(
        _("“%(value)s” is not a date; write e.g. 2026-01-10 or 10-01-2026.") % {"value": text}
    )


def _past_date(text: str) -> date:
    day = parse_date(text)
    if day > timezone.localdate():
        raise ValueError(_("The date %(date)s is in the future.") % {"date": text})
    return day


def _checked(function: Any, value: Any, **kwargs: Any) -> Any:
    """The one validation layer's answer, as the row error the import reports."""
    try:
        return function(value, **kwargs)
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from None


class Lookups:
    """The region's municipalities, organisations and contract forms, read once per file."""

    def __init__(self, region: Region) -> None:
        self.region = region
        self.municipalities: dict[str, Municipality] = {}
        for m in Municipality.objects.filter(region=region):
            self.municipalities[m.name.lower()] = m
            self.municipalities[m.cbs_code.lower()] = m
        self.organisations: dict[str, Organisation] = {}
        for o in Organisation.objects.filter(region=region):
            self.organisations[o.name.lower()] = o
            self.organisations[o.slug.lower()] = o
        rules = rules_for(region.pk).rules
        self.contract_forms: dict[str, str] = {}
        for form in rules.contract_form:
            self.contract_forms[form.code.lower()] = form.code
            self.contract_forms[str(rules.label("contract_form", form.code)).lower()] = form.code
        self.first_contract_form = rules.contract_form[0].code if rules.contract_form else ""

    def municipality(self, text: str) -> Municipality:
        found = self.municipalities.get(text.lower())
        if found is None:
            raise ValueError(
                _("“%(value)s” is not a municipality of this region; use its name or CBS code.")
                % {"value": text}
            )
        return found

    def organisation(self, text: str, kind: str) -> Organisation:
        found = self.organisations.get(text.lower())
        if found is None or found.type != kind:
            raise ValueError(
                _("“%(value)s” is not a known organisation of this kind in this region.")
                % {"value": text}
            )
        return found


def _convert(column: Column, text: str, lookups: Lookups) -> Any:
    name = column.field
    if name in {"reference", "first_name", "last_name", "street", "house_number_suffix"}:
        return text
    if name == "bsn":
        return _checked(validation.normalise_bsn, text)
    if name == "date_of_birth":
        return parse_date(text)
    if name in {"approved_on", "signed_on", "moved_in_on"}:
        return _past_date(text)
    if name == "meetings_held":
        parts = [p.strip() for p in text.replace(",", ";").split(";") if p.strip()]
        if len(parts) > 60:
            raise ValueError(_("Too many dates in one cell."))
        return sorted(_past_date(p) for p in parts)
    if name in {"municipality_of_origin", "home_municipality"}:
        return lookups.municipality(text)
    if name == "source":
        for value, label in CareSource.choices:
            if text.lower() in {value, str(label).lower()}:
                return value
        raise ValueError(
            _("Unknown source of care “%(value)s”; use one of: %(choices)s.")
            % {"value": text, "choices": ", ".join(CareSource.values)}
        )
    if name in {"care_provider", "support_provider"}:
        return lookups.organisation(text, "care_provider")
    if name == "corporation":
        return lookups.organisation(text, "corporation")
    if name in {"house_number", "rooms"}:
        low, high = NUMBER_RANGES[name]
        return _checked(validation.parse_whole_number, text, min_value=low, max_value=high)
    if name == "rent_eur":
        low, high = NUMBER_RANGES[name]
        return _checked(
            validation.parse_amount, text, min_value=low, max_value=high, decimal_comma=True
        )
    if name == "postcode":
        return _checked(validation.normalise_postcode, text)
    if name == "home_type":
        for value, label in HomeType.choices:
            if text.lower() in {value, str(label).lower()}:
                return value
        raise ValueError(
            _("Unknown type “%(value)s”; use one of: %(choices)s.")
            % {"value": text, "choices": ", ".join(HomeType.values)}
        )
    if name == "contract_form":
        code = lookups.contract_forms.get(text.lower())
        if code is None:
            raise ValueError(
                _("“%(value)s” is not one of this region's contract forms.") % {"value": text}
            )
        return code
    raise AssertionError(name)


def parse_rows(content: bytes, region: Region) -> tuple[list[Row], list[RowError]]:
    """Every filled row converted, and every problem by row number and column."""
    table = read_table(content)
    start = 0
    while start < len(table) and not any(cell_text(c) for c in table[start]):
        start += 1
    if start == len(table):
        raise FileRejected(_("The file is empty."))
    header = _headers(table[start])
    body = table[start + 1 :]
    if len(body) > MAX_ROWS:
        raise FileRejected(_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
    lookups = Lookups(region)
    kind_column = next(i for i, c in header.items() if c.field == "kind")
    rows: list[Row] = []
    errors: list[RowError] = []
    for offset, cells in enumerate(body):
        number = start + offset + 2  # rows counted from 1, the header included
        if not any(cell_text(c) for c in cells):
            continue
        kind_text = cell_text(cells[kind_column] if kind_column < len(cells) else None)
        kind = KIND_NAMES.get(kind_text.lower())
        if kind is None:
            errors.append(
                RowError(
                    number,
                    BY_FIELD["kind"].header,
                    _("Write pool or tenancy, not “%(value)s”.") % {"value": kind_text},
                )
            )
            continue
        row = Row(number, kind)
        for index, column in header.items():
            if column.field == "kind":
                continue
            text = cell_text(cells[index] if index < len(cells) else None)
            if not text:
                if kind in column.kinds:
                    errors.append(RowError(number, column.header, _("This field is required.")))
                continue
            try:
                row.values[column.field] = _convert(column, text, lookups)
            except ValueError as exc:
                errors.append(RowError(number, column.header, str(exc)))
        for column in COLUMNS:  # a tenancy's column missing from the header altogether
            if kind in column.kinds and column not in header.values():
                errors.append(RowError(number, column.header, _("This field is required.")))
        rows.append(row)
    if not rows and not errors:
        raise FileRejected(_("The file has a header but no cases."))
    return rows, errors


def template_rows() -> list[list[str]]:
    """The header and one fictional example row per kind."""
    header = [c.header for c in COLUMNS]
    pool = {
        "kind": "pool",
        "reference": "OUD-0001",
        "bsn": "999990019",
        "first_name": "Voorbeeld",
        "last_name": "Wachtend",
        "date_of_birth": "1990-05-17",
        "municipality_of_origin": "GM0392",
        "source": "bw",
        "care_provider": "HVO-Querido",
        "approved_on": "2025-11-03",
    }
    tenancy = {
        "kind": "tenancy",
        "reference": "OUD-0002",
        "bsn": "999990020",
        "first_name": "Voorbeeld",
        "last_name": "Huurder",
        "date_of_birth": "1988-02-01",
        "municipality_of_origin": "Haarlem",
        "source": "mo",
        "care_provider": "Leger des Heils",
        "support_provider": "Leger des Heils",
        "corporation": "Ymere",
        "home_municipality": "Haarlem",
        "street": "Voorbeeldstraat",
        "house_number": "12",
        "postcode": "2011 AB",
        "home_type": "apartment",
        "rooms": "2",
        "rent_eur": "612,50",
        "contract_form": "three_party",
        "signed_on": "2026-01-05",
        "moved_in_on": "2026-01-10",
        "meetings_held": "2026-01-10; 2026-04-12",
    }
    return [header, *([example.get(c.field, "") for c in COLUMNS] for example in (pool, tenancy))]


def template_csv() -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(template_rows())
    return out.getvalue()


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in template_rows():
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

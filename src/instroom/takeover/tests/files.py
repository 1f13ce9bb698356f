"""Fictional files of running cases for the tests (test-range BSNs, made-up names)."""

import csv
import io
from datetime import date, timedelta
from typing import Any

from openpyxl import Workbook

from instroom.applications.fictional import fictional_bsns
from instroom.dates import add_months
from instroom.regions.models import Region
from instroom.takeover.reading import COLUMNS

HEADERS = [c.header for c in COLUMNS]
FIELD_OF = {c.header: c.field for c in COLUMNS}


def bsns(count: int, start: int = 999_991_000) -> list[str]:
    found = []
    for number in fictional_bsns(start):
        found.append(number)
        if len(found) == count:
            return found
    raise AssertionError("not enough test BSNs")


def pool_row(region: Region, n: int, bsn: str, approved_on: date) -> dict[str, Any]:
    town = region.municipalities.order_by("cbs_code")[n % 2]
    return {
        "kind": "pool",
        "reference": f"OUD-P{n:04d}",
        "bsn": bsn,
        "first_name": "Wachter",
        "last_name": f"Proefnaam{n}",
        "date_of_birth": "1991-03-04",
        "municipality_of_origin": town.cbs_code,
        "source": "bw",
        "care_provider": "zorg-a",
        "support_provider": "zorg-b",
        "approved_on": approved_on.isoformat(),
    }


def tenancy_row(
    region: Region, n: int, bsn: str, signed_on: date, held: list[date]
) -> dict[str, Any]:
    town = region.municipalities.order_by("cbs_code")[n % 2]
    return {
        "kind": "tenancy",
        "reference": f"OUD-T{n:04d}",
        "bsn": bsn,
        "first_name": "Huurder",
        "last_name": f"Proefnaam{n}",
        "date_of_birth": "12-8-1985",  # Dutch day-month-year
        "municipality_of_origin": town.name,
        "source": "mo",
        "care_provider": "zorg-a",
        "support_provider": "zorg-b",
        "corporation": "corporatie",
        "home_municipality": town.cbs_code,
        "street": "Overnamestraat",
        "house_number": str(n + 1),
        "postcode": "2011 AB",
        "rooms": "2",
        "rent_eur": "612,50",
        "contract_form": "three_party",
        "signed_on": signed_on.strftime("%d-%m-%Y"),
        "moved_in_on": (signed_on + timedelta(days=5)).isoformat(),
        "meetings_held": "; ".join(d.isoformat() for d in held),
    }


def held_meetings(moved_in_on: date, today: date) -> list[date]:
    """The introduction on the day of the move and, where it has come, the 3-month evaluation."""
    held = [moved_in_on]
    if add_months(moved_in_on, 3) <= today:
        held.append(add_months(moved_in_on, 3))
    return held


def as_csv(rows: list[dict[str, Any]], *, delimiter: str = ";", bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([row.get(FIELD_OF[h], "") for h in HEADERS])
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def as_xlsx(rows: list[dict[str, Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(FIELD_OF[h], "") for h in HEADERS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

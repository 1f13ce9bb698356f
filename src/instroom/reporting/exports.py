"""The reports as files: PDF (through `instroom.pdf`), XLSX (one sheet per table) and the open
data (CSV and JSON per municipality and quarter). All of them are made from published,
suppressed tables (`publication.Audience.PUBLISHED`): they leave the service point."""

import csv
import io
import json
import re
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from instroom.pdf import render_pdf
from instroom.regions.models import Region
from instroom.spreadsheet import safe_record, safe_row

from . import charts, monitoring, publication
from .publication import Audience, Report


def region_report(
    region: Region,
    period: monitoring.Period,
    *,
    today: date | None = None,
    audience: Audience = Audience.PUBLISHED,
    municipality_ids: list[int] | None = None,
    source: str = "",
    area: str = "",
) -> Report:
    f = monitoring.figures(monitoring.Scope(region, period, source=source), today)
    return publication.build(f, audience, municipality_ids=municipality_ids, area=area)


def pdf_context(report: Report) -> dict[str, Any]:
    return {
        "report": report,
        "charts": charts.charts(report),
        "generated": timezone.localtime(),
    }


PDF_TEMPLATE = "reporting/report_pdf.html"


def pdf_bytes(report: Report) -> bytes:
    return render_pdf(PDF_TEMPLATE, pdf_context(report))


def _sheet_title(text: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]\*\?/\\:]", " ", text)[:28].strip() or "Tabel"
    base, n = title, 2
    while title in used:
        title = f"{base[:25]} {n}"
        n += 1
    used.add(title)
    return title


def xlsx_bytes(report: Report) -> bytes:
    """Every row through `safe_row`: no text from the configuration becomes a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    about = book.active
    about.title = _sheet_title(_("About"), set())
    used = {about.title}
    about.append(safe_row([_("Report"), report.region.name]))
    about.append(safe_row([_("Period"), report.period.label]))
    about.append(safe_row([_("Made on"), timezone.localtime().strftime("%d-%m-%Y %H:%M")]))
    for note in report.notes:
        about.append(safe_row([note]))
    if report.quota_error:
        about.append(safe_row([report.quota_error]))
    bold = Font(bold=True)
    for table in report.tables:
        sheet = book.create_sheet(_sheet_title(table.title, used))
        sheet.append(safe_row([table.title]))
        sheet["A1"].font = bold
        sheet.append(safe_row([table.row_header, *table.columns]))
        for cell in sheet[2]:
            cell.font = bold
        for row in table.rows:
            sheet.append(safe_row([row.label, *row.cells]))
            if row.is_total:
                for cell in sheet[sheet.max_row]:
                    cell.font = bold
        if table.note:
            sheet.append([])
            sheet.append(safe_row([table.note]))
        sheet.column_dimensions["A"].width = 36
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- Open data -------------------------------------------------------------------------------

# Which tables go into the open data, and the field name of each of their columns.
OPEN_TABLES: dict[str, list[str] | None] = {
    "funnel": [key for key, _l in monitoring.FUNNEL_STEPS],
    "contract_mix": None,  # the region's contract forms
    "meetings": ["on_time", "late", "overdue", "cancelled", "total"],
    # The region's own lists: the codes of the report's columns.
    "signals": None,
    "signal_outcomes": None,
    "after_two_years": ["housed", "converted", "ended", "terminated", "total"],
}
OPEN_FIELDS = ["region", "period", "municipality_code", "municipality", "measure", "value"]


def open_data(
    region: Region, period: monitoring.Period, today: date | None = None
) -> list[dict[str, Any]]:
    """One record per quarter, municipality (and the region, code "total") and measure. A
    hidden count has value "<5"; the value is a number otherwise."""
    records = []
    for quarter in period.quarters():
        report = region_report(region, quarter, today=today)
        for key, names in OPEN_TABLES.items():
            table = report.table(key)
            if table is None:
                continue
            for row in table.rows:
                for name, value in zip(names or table.keys, row.cells, strict=False):
                    records.append(
                        {
                            "region": region.slug,
                            "period": quarter.key,
                            "municipality_code": row.key,
                            "municipality": row.label,
                            "measure": f"{key}.{name}",
                            "value": value,
                        }
                    )
    return records


def open_data_csv(records: list[dict[str, Any]]) -> str:
    """The records as CSV, each text neutralised (`safe_record`); the JSON keeps them raw."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=OPEN_FIELDS, delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(safe_record(record) for record in records)
    return buffer.getvalue()


def open_data_json(region: Region, period: monitoring.Period, records: list[dict[str, Any]]) -> str:
    return json.dumps(
        {
            "region": region.slug,
            "period": period.key,
            "suppression": "counts 1-4 as '<5', with secondary suppression per table",
            "documentation": "docs/open-data.md",
            "records": records,
        },
        ensure_ascii=False,
        indent=1,
    )

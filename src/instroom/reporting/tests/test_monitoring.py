"""Monitoring: the figures against a hand-counted region; the dashboard, the PDF and the
spreadsheet agree; a municipality sees no person and no small count; a fixed number of queries."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from instroom.applications.models import Application
from instroom.conftest import PERSONAS as SIGNED_IN
from instroom.reporting import exports, monitoring, publication
from instroom.reporting.publication import Audience

from . import world

pytestmark = pytest.mark.django_db


def report_of(cast, audience=Audience.SERVICE_POINT, **kwargs):
    f = monitoring.figures(
        monitoring.Scope(cast.region, monitoring.parse_period(world.PERIOD)), timezone.localdate()
    )
    return publication.build(f, audience, **kwargs)


def test_the_figures_match_the_hand_count(cast) -> None:
    made = world.build(cast)
    a, b = made["a"].cbs_code, made["b"].cbs_code
    report = report_of(cast)
    funnel = report.table("funnel")
    for key, code in (("a", a), ("b", b), ("total", "total")):
        assert funnel.row(code).cells == world.EXPECTED["funnel"][key], key
    lead = report.table("lead_times")
    for key, expected in world.EXPECTED["lead_times"].items():
        assert lead.row(key).cells == expected, key
    assert report.table("meetings").row(a).cells == world.EXPECTED["meetings"]["a"]
    assert report.table("contract_mix").row(a).cells == world.EXPECTED["contract_mix"]["a"]
    assert report.table("after_two_years").row(a).cells == world.EXPECTED["after_two_years"]["a"]
    pipeline = report.table("pipeline")
    columns = dict(zip(publication.PIPELINE_STATES, range(10), strict=True))
    row_a, row_b = pipeline.row(a).cells, pipeline.row(b).cells
    assert (row_a[columns["submitted"]], row_a[columns["complete"]]) == (1, 1)
    assert (row_a[columns["approved"]], row_a[columns["housed"]]) == (3, 6)  # 5 + 1 of 2023
    assert (row_b[columns["complete"]], row_b[columns["matching"]], row_b[columns["parked"]]) == (
        2,
        1,
        1,
    )
    waiting = report.table("waiting")
    assert waiting.row("0").cells == [3] and waiting.row("3").cells == [0]  # 40 days: 1.3 months
    assert waiting.row("6").cells == [1] and waiting.row("total").cells == [4]
    quota = report.table("quota")
    assert quota.row(a).cells[2] == 5 and quota.row("total").cells[2] == 5
    signals = report.table("signals").row("total").cells
    assert signals[0] == 2 and report.table("signal_outcomes").row("total").cells[0] == 1


def test_published_figures_hide_small_counts_with_a_partner(cast) -> None:
    made = world.build(cast)
    a, b = made["a"].cbs_code, made["b"].cbs_code
    report = report_of(cast, Audience.PUBLISHED)
    funnel = report.table("funnel")
    # Submitted: A 7, B 2 (small), region 9: B is hidden, and so is A (else 9 - 7 = 2).
    assert funnel.row(b).cells[0] == "<5" and funnel.row(a).cells[0] == "x"
    assert funnel.row("total").cells[0] == 9
    assert funnel.row("total").cells[2:] == [5, 5, 5, 5]
    mix = report.table("contract_mix").row(a).cells
    assert mix[:2] == ["<5", "<5"] and mix[3] == "x"  # the share would reveal them
    meetings = report.table("meetings").row(a).cells
    assert meetings[0] == "<5" and meetings[5] == "x"


def _cells(html: str, table: str) -> dict[str, list[str]]:
    """The rows of a rendered table by data-key: the text of the cells."""
    part = html.split(f'id="table-{table}"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for key, body in re.findall(r'data-key="([^"]+)">(.*?)</tr>', part, re.S):
        rows[key] = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
        ]
    return rows


def test_dashboard_pdf_and_spreadsheet_agree_with_each_other_and_the_hand_count(
    client, cast
) -> None:
    made = world.build(cast)
    a = made["a"].cbs_code
    client.force_login(cast.coordinator)
    url = reverse("reports:dashboard", args=[cast.region.slug])
    page = client.get(url, {"period": world.PERIOD, "published": "on"})
    assert page.status_code == 200
    shown = page.context["report"]
    assert shown.audience == Audience.PUBLISHED
    exact = client.get(url, {"period": world.PERIOD}).context["report"]
    assert exact.table("funnel").row("total").cells == world.EXPECTED["funnel"]["total"]
    assert exact.table("funnel").row(a).cells == world.EXPECTED["funnel"]["a"]

    # The PDF is rendered from this HTML: the same cells in every table.
    report = exports.region_report(
        cast.region, monitoring.parse_period(world.PERIOD), today=timezone.localdate()
    )
    html = render_to_string(exports.PDF_TEMPLATE, exports.pdf_context(report))
    dashboard_html = page.content.decode()
    for table in shown.tables:
        assert _cells(html, table.key) == _cells(dashboard_html, table.key), table.key
    pdf = client.get(reverse("reports:pdf", args=[cast.region.slug]), {"period": world.PERIOD})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    xlsx = client.get(reverse("reports:xlsx", args=[cast.region.slug]), {"period": world.PERIOD})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert len(book.sheetnames) == len(shown.tables) + 1  # one sheet per table, and "About"
    for table, name in zip(shown.tables, book.sheetnames[1:], strict=True):
        rows = list(book[name].iter_rows(values_only=True))
        assert rows[0][0] == table.title
        body = {r[0]: list(r[1 : len(table.columns) + 1]) for r in rows[2 : 2 + len(table.rows)]}
        assert body == {r.label: r.cells for r in table.rows}, table.key
    # The hand count, where it is published: nine submitted, five signed, in all three.
    funnel = shown.table("funnel").row("total").cells
    assert funnel[0] == 9 and funnel[4] == 5
    assert _cells(html, "funnel")["total"][0] == "9"
    sheet = book[book.sheetnames[1 + [t.key for t in shown.tables].index("funnel")]]
    assert next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Regio")[1] == 9


PERSONAL = ("Zeeuwenburg", "T-0", "10000")


def _no_small_counts(values) -> None:
    for value in values:
        assert not (isinstance(value, int) and 0 < value < 5), value


def test_a_municipality_sees_no_person_and_no_count_below_five(client, cast) -> None:
    made = world.build(cast)
    a, b = made["a"].cbs_code, made["b"].cbs_code
    client.force_login(cast.municipality_user)
    page = client.get(
        reverse("reports:dashboard", args=[cast.region.slug]), {"period": world.PERIOD}
    )
    assert page.status_code == 200
    report = page.context["report"]
    assert report.audience == Audience.PUBLISHED and not page.context["stalled"]
    keys = {r.key for t in report.tables for r in t.rows}
    assert a in keys and b not in keys  # its own municipality and the region
    count_tables = [t for t in report.tables if not t.key.startswith("lead_times")]
    for t in count_tables:
        for row in t.rows:
            _no_small_counts(row.cells)
    html = page.content.decode()
    for cells in re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", html):
        assert not re.fullmatch(r"[1-4]", cells), cells
    downloads = [
        client.get(reverse(name, args=[cast.region.slug]), {"period": world.PERIOD})
        for name in (
            "reports:pdf",
            "reports:xlsx",
            "reports:open_data_csv",
            "reports:open_data_json",
        )
    ]
    assert all(d.status_code == 200 for d in downloads)
    book = load_workbook(io.BytesIO(downloads[1].content))
    for name in book.sheetnames[1:]:
        if "Doorlooptijd" in name or "Lead time" in name:
            continue
        _no_small_counts(v for row in book[name].iter_rows(values_only=True) for v in row)
    records = json.loads(downloads[3].content)["records"]
    _no_small_counts(r["value"] for r in records)
    assert {r["period"] for r in records} == {world.PERIOD}
    csv_text = downloads[2].content.decode()
    assert csv_text.splitlines()[0] == "region;period;municipality_code;municipality;measure;value"
    for line in csv_text.splitlines()[1:]:
        assert not re.fullmatch(r"[1-4]", line.rsplit(";", 1)[1]), line
    pdf_html = render_to_string(
        exports.PDF_TEMPLATE,
        exports.pdf_context(
            exports.region_report(
                cast.region,
                monitoring.parse_period(world.PERIOD),
                municipality_ids=[made["a"].pk],
                area=made["a"].name,
            )
        ),
    )
    for content in (html, pdf_html, csv_text, downloads[3].content.decode()):
        for secret in PERSONAL:
            assert secret not in content
    assert downloads[0].content.startswith(b"%PDF")


def test_a_corporation_sees_its_own_homes_only(client, cast) -> None:
    world.build(cast)
    client.force_login(cast.corporation_user)
    page = client.get(
        reverse("reports:dashboard", args=[cast.region.slug]), {"period": world.PERIOD}
    )
    report = page.context["report"]
    assert report.audience == Audience.CORPORATION and report.table("pipeline") is None
    assert report.table("funnel").row("total").cells == [5, 5, 5]  # accepted, signed, moved in
    assert b"Zeeuwenburg" not in page.content


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_who_may_see_the_dashboard_and_the_reports(client, cast, persona) -> None:
    client.force_login(cast.personas()[persona])
    slug = cast.region.slug
    dashboard = client.get(reverse("reports:dashboard", args=[slug])).status_code
    files = {
        client.get(reverse(name, args=[slug]), {"period": "2026Q1"}).status_code
        for name in (
            "reports:pdf",
            "reports:xlsx",
            "reports:open_data_csv",
            "reports:open_data_json",
        )
    }
    expected_dashboard = {
        "coordinator": 200,
        "municipality_user": 200,
        "corporation_user": 200,
        "other_coordinator": 404,
    }.get(persona, 403)
    expected_files = {"coordinator": 200, "municipality_user": 200, "other_coordinator": 404}.get(
        persona, 403
    )
    assert dashboard == expected_dashboard
    assert files == {expected_files}


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"period": world.PERIOD}).status_code == 200
    return len(queries)


def test_the_dashboard_costs_the_same_queries_for_more_data(client, cast) -> None:
    """Measured once on one world and again on four times the data, for the coordinator's and
    the municipality's view and for the report builder itself."""
    world.build(cast)
    url = reverse("reports:dashboard", args=[cast.region.slug])
    client.force_login(cast.coordinator)
    coordinator_small = _queries(client, url)
    client.force_login(cast.municipality_user)
    municipality_small = _queries(client, url)
    with CaptureQueriesContext(connection) as direct:
        report_of(cast)
    rows_before = Application.objects.count()
    for _i in range(3):
        world.build(cast)
    assert Application.objects.count() >= 4 * rows_before  # there really is more data now
    client.force_login(cast.coordinator)
    assert _queries(client, url) == coordinator_small
    client.force_login(cast.municipality_user)
    assert _queries(client, url) == municipality_small
    with CaptureQueriesContext(connection) as again:
        report_of(cast)
    assert len(again) == len(direct)


def test_chart_coordinates_use_a_decimal_point_in_dutch(client, cast) -> None:
    world.build(cast)
    client.force_login(cast.coordinator)
    page = client.get(
        reverse("reports:dashboard", args=[cast.region.slug]),
        {"period": world.PERIOD},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    html = page.content.decode()
    assert html.count("<svg") == 4  # funnel, lead times, quota, waiting
    for svg in re.findall(r"<svg.*?</svg>", html, re.S):
        assert "style=" not in svg
        assert not re.search(r'(?:x|y|x1|x2|y1|y2|width|height)="[0-9]+,[0-9]', svg)
        assert re.search(r'width="[0-9]+\.[0-9]"', svg)


def test_the_report_command_writes_pdf_and_xlsx(cast, tmp_path) -> None:
    world.build(cast)
    for fmt in ("pdf", "xlsx"):
        out = tmp_path / f"r.{fmt}"
        call_command("report", region=cast.region.slug, period="2025", format=fmt, out=str(out))
        data = out.read_bytes()
        assert data.startswith(b"%PDF" if fmt == "pdf" else b"PK")
    book = load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames[0] == "Over"  # Dutch by default


def test_periods() -> None:
    q = monitoring.parse_period("2026Q3")
    assert (q.start.isoformat(), q.end.isoformat()) == ("2026-07-01", "2026-09-30")
    assert monitoring.parse_period("2026Q4").end.isoformat() == "2026-12-31"
    assert [p.key for p in monitoring.parse_period("2026").quarters()][-1] == "2026Q4"
    with pytest.raises(ValueError):
        monitoring.parse_period("2026Q5")

"""A region moving onto Instroom takes over its running cases: every row or none."""

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from instroom.accounts.constants import Role
from instroom.applications.models import Application, Client
from instroom.audit.models import AuditEvent
from instroom.conftest import make_user
from instroom.dates import add_months
from instroom.distribution.models import Placement
from instroom.distribution.selectors import realisation
from instroom.matching import selectors as matching_selectors
from instroom.regions.models import QuotaYear
from instroom.regions.tests.factories import build_region
from instroom.support.models import Contract, Meeting
from instroom.takeover import services
from instroom.takeover.models import TakenOverCase
from instroom.takeover.tests.files import (
    as_csv,
    as_xlsx,
    bsns,
    held_meetings,
    pool_row,
    tenancy_row,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    return build_region("overstap")


@pytest.fixture
def coordinator(region):
    return make_user(
        "overstap_coordinator", region.organisations.get(slug="servicepunt"), Role.COORDINATOR
    )


def run(region, content, *, actor=None, dry_run=False, name="zaken.csv"):
    return services.takeover_import(
        actor=actor, region=region, file_name=name, content=content, dry_run=dry_run
    )


def small_file(region, *, start=999_992_000):
    today = timezone.localdate()
    b = bsns(2, start)
    signed = today - timedelta(days=40)
    return [
        pool_row(region, 0, b[0], today - timedelta(days=100)),
        tenancy_row(region, 1, b[1], signed, [signed + timedelta(days=5)]),
    ]


def test_five_hundred_running_cases_continue_in_pool_quota_and_meetings(region, coordinator):
    today = timezone.localdate()
    numbers = bsns(500)
    rows, tenancies = [], {}
    for n in range(300):
        rows.append(pool_row(region, n, numbers[n], today - timedelta(days=10 + n)))
    for n in range(300, 500):
        signed = today - timedelta(days=20 + 2 * (n - 300))
        moved = signed + timedelta(days=5)
        held = held_meetings(moved, today)
        rows.append(tenancy_row(region, n, numbers[n], signed, held))
        tenancies[f"OUD-T{n:04d}"] = (signed, moved, held)
    content = as_csv(rows)

    checked = run(region, content, actor=coordinator, dry_run=True)
    assert checked.errors == [] and not checked.imported
    assert (checked.summary.pool, checked.summary.tenancies) == (300, 200)
    assert Client.objects.count() == Placement.objects.count() == Meeting.objects.count() == 0

    done = run(region, content, actor=coordinator)
    assert done.imported and done.summary.as_dict() == checked.summary.as_dict()

    # The pool: approved, waiting since the approval date of the earlier scheme.
    pool = list(matching_selectors.pool(actor=coordinator, today=today))
    assert len(pool) == 300
    approved = {a.client.last_name: timezone.localtime(a.decided_at).date() for a in pool}
    assert approved["Proefnaam0"] == today - timedelta(days=10)
    assert approved["Proefnaam299"] == today - timedelta(days=309)

    # The quota: every tenancy counts for its home's municipality in the year it was signed.
    expected: dict[tuple[str, int], int] = {}
    for row in rows[300:]:
        day = date(*reversed([int(p) for p in row["signed_on"].split("-")]))
        key = (row["home_municipality"], day.year)
        expected[key] = expected.get(key, 0) + 1
    for year in range(region.start_year, today.year + 1):
        QuotaYear.objects.get_or_create(region=region, year=year, defaults={"total_homes": 200})
    for year in {y for _, y in expected}:
        report = realisation(region, year, today)
        counted = {r.municipality: r.realised for r in report.municipalities}
        for (code, y), count in expected.items():
            if y == year:
                assert counted[code] == count

    # The meetings: those held on their dates, the next due as the rules say from the move.
    assert Contract.objects.filter(state="housed").count() == 200
    for case in TakenOverCase.objects.filter(kind="tenancy").select_related("client"):
        signed, moved, held = tenancies[case.reference]
        contract = Contract.objects.get(client=case.client)
        assert (contract.signed_on, contract.moved_in_on) == (signed, moved)
        assert contract.support_ends_on == add_months(moved, 24)
        meetings = list(contract.meetings.order_by("due_on"))
        assert [m.held_on for m in meetings if m.state == "held"] == held
        assert [(m.months, m.due_on) for m in meetings] == [
            (m, add_months(moved, m)) for m in (0, 3, 6, 12, 18, 24)
        ]
        assert all(m.state == "due" for m in meetings[len(held) :])
    # Each case says on its timeline where it came from.
    event = AuditEvent.objects.get(action="takeover.case", changes__reference="OUD-P0007")
    assert "OUD-P0007" in event.note.text
    assert AuditEvent.objects.filter(action="takeover.import").count() == 1


def test_one_bad_row_imports_nothing_and_names_row_column_and_fix(region, coordinator) -> None:
    rows = small_file(region)
    bad = pool_row(region, 5, "123456789", date(2026, 1, 5))  # fails the 11-check
    outcome = run(region, as_csv([rows[0], rows[1], bad]), actor=coordinator)
    assert not outcome.imported
    assert [(e.row, e.column) for e in outcome.errors] == [(4, "bsn")]
    assert "BSN" in outcome.errors[0].message  # Dutch: says what is wrong with the number
    assert Client.objects.count() == Placement.objects.count() == 0
    assert TakenOverCase.objects.count() == 0


def test_a_dry_run_creates_nothing(region, coordinator) -> None:
    outcome = run(region, as_csv(small_file(region)), actor=coordinator, dry_run=True)
    assert outcome.errors == [] and not outcome.imported
    assert outcome.summary.as_dict()["placements"][0]["count"] == 1
    assert Client.objects.count() == Application.objects.count() == 0
    assert Placement.objects.count() == Meeting.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="takeover").exists()


def test_a_reference_is_taken_over_once(region, coordinator) -> None:
    rows = small_file(region)
    twice = dict(rows[0], bsn=bsns(1, 999_993_000)[0])
    outcome = run(region, as_csv([*rows, twice]), actor=coordinator)
    assert [(e.row, e.column) for e in outcome.errors] == [(4, "kenmerk")]
    assert "rij 2" in outcome.errors[0].message

    assert run(region, as_csv(rows), actor=coordinator).imported
    again = run(region, as_csv([dict(rows[0], bsn=bsns(1, 999_994_000)[0])]), actor=coordinator)
    assert [(e.row, e.column) for e in again.errors] == [(2, "kenmerk")]
    assert "al overgenomen" in again.errors[0].message


def test_municipality_of_another_region_and_a_source_not_admitted_are_refused(
    region, coordinator
) -> None:
    other = build_region("elders")
    rows = small_file(region)
    rows[0]["municipality_of_origin"] = other.municipalities.first().cbs_code
    rows[1]["source"] = "youth"  # the template's rules admit BW and MO only
    outcome = run(region, as_csv(rows), actor=coordinator)
    assert [(e.row, e.column) for e in outcome.errors] == [(2, "gemeente"), (3, "herkomst")]
    assert "geen gemeente van deze regio" in outcome.errors[0].message
    assert Client.objects.count() == 0


@pytest.mark.parametrize(
    "encode",
    [
        lambda rows: as_xlsx(rows),
        lambda rows: as_csv(rows, delimiter=",", bom=True),
        lambda rows: as_csv(rows),
    ],
    ids=["xlsx", "csv-comma-bom", "csv-semicolon"],
)
def test_excel_and_csv_are_both_read(region, coordinator, encode) -> None:
    outcome = run(region, encode(small_file(region)), actor=coordinator)
    assert outcome.imported, outcome.errors
    contract = Contract.objects.get()
    assert contract.home.rent_eur == 612.5
    assert contract.client.date_of_birth == date(1985, 8, 12)


def test_a_bad_file_is_refused_with_one_message(region, coordinator, monkeypatch) -> None:
    from instroom.takeover import reading

    cases = {
        b"": "leeg",
        b"\x00\x01\x02PDF": "CSV",
        b"soort;kenmerk\npool;X\n": "ontbreken",
        b"PK\x03\x04rubbish": "Excel",
    }
    for content, words in cases.items():
        with pytest.raises(services.FileRejected, match=words):
            run(region, content, actor=coordinator)
    monkeypatch.setattr(reading, "MAX_ROWS", 1)
    with pytest.raises(services.FileRejected, match="meer dan 1 regels"):
        run(region, as_csv(small_file(region)), actor=coordinator)
    too_big = as_csv(small_file(region)) + b"x" * (reading.MAX_MEGABYTES * 1024 * 1024)
    with pytest.raises(services.FileRejected, match="5 MB"):
        run(region, too_big, actor=coordinator)
    assert Client.objects.count() == 0


def test_only_the_regions_service_point_takes_over(region, coordinator, cast) -> None:
    from django.core.exceptions import PermissionDenied

    for actor in (cast.coordinator, cast.administrator):
        with pytest.raises(PermissionDenied):
            run(region, as_csv(small_file(region)), actor=actor)


def test_the_command_reports_and_imports(region, tmp_path, capsys) -> None:
    path = tmp_path / "zaken.csv"
    path.write_bytes(as_csv(small_file(region)))
    call_command("takeover", str(path), region=region.slug, dry_run=True)
    assert "Proefimport, niets opgeslagen: 1 cliënten in de pool, 1 huurders" in (
        capsys.readouterr().out
    )
    assert Client.objects.count() == 0
    call_command("takeover", str(path), region=region.slug)
    assert Client.objects.count() == 2
    with pytest.raises(CommandError):
        call_command("takeover", str(path), region=region.slug)  # the references again
    assert "kenmerk" in capsys.readouterr().err


def test_the_same_person_twice_in_a_file_is_refused_on_the_second_row(region, coordinator):
    rows = small_file(region)
    twice = dict(rows[0], reference="OUD-P9999")
    outcome = run(region, as_csv([*rows, twice]), actor=coordinator)
    assert [(e.row, e.column) for e in outcome.errors] == [(4, "bsn")]
    assert Client.objects.count() == 0


def test_meetings_that_do_not_fit_the_schedule_are_refused(region, coordinator) -> None:
    rows = small_file(region)
    moved = date.fromisoformat(rows[1]["moved_in_on"])
    rows[1]["meetings_held"] = (moved - timedelta(days=1)).isoformat()
    outcome = run(region, as_csv(rows), actor=coordinator)
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "gesprekken gehouden")]
    assert "vóór de verhuizing" in outcome.errors[0].message
    rows[1]["meetings_held"] = "; ".join([moved.isoformat()] * 7)  # the schedule has 6
    outcome = run(region, as_csv(rows), actor=coordinator)
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "gesprekken gehouden")]
    assert Contract.objects.count() == 0


def test_date_cells_of_a_workbook_are_read_as_dates(region, coordinator) -> None:
    from datetime import datetime

    rows = small_file(region)
    rows[0]["approved_on"] = datetime(2026, 1, 5)
    rows[0]["date_of_birth"] = date(1991, 3, 4)
    assert run(region, as_xlsx(rows), actor=coordinator).imported
    pooled = Application.objects.get(client__last_name="Proefnaam0")
    assert timezone.localtime(pooled.decided_at).date() == date(2026, 1, 5)


def test_a_tenancy_past_its_support_period_is_no_running_case(region, coordinator) -> None:
    rows = small_file(region)
    moved = add_months(timezone.localdate(), -24)
    rows[1].update(signed_on=moved.isoformat(), moved_in_on=moved.isoformat(), meetings_held="")
    outcome = run(region, as_csv(rows), actor=coordinator)
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "verhuisd op")]
    assert "alleen lopende zaken" in outcome.errors[0].message

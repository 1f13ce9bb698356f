"""The seeds' own regions, Overbetuwe and Zwolle: they load, their quotas show sub-regions,
agreed extra homes and estimates as such, and a new region starts from one of them."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from instroom.accounts.constants import Role
from instroom.conftest import make_user
from instroom.regions import selectors
from instroom.regions.models import (
    AssessmentTable,
    FigureKind,
    Municipality,
    Organisation,
    Region,
    RuleVersion,
)

IJSSEL_VECHT = {"GM0193", "GM0166", "GM1896", "GM1708", "GM0180", "GM0148", "GM0175", "GM0160"}
NOORD_VELUWE = {"GM0243", "GM0233", "GM0302", "GM0273", "GM0269", "GM0230"}


def _quota(slug: str, *extra: str) -> str:
    out = StringIO()
    call_command("quota", "--region", slug, "--year", "2026", *extra, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_both_regions_load_on_an_empty_database_and_beside_the_others() -> None:
    call_command("loaddata", "overbetuwe", verbosity=0)
    call_command("loaddata", "zwolle", verbosity=0)
    call_command("loaddata", "zk-ijmond", "lindewaard", "overbetuwe", "zwolle", verbosity=0)
    assert set(Region.objects.values_list("slug", flat=True)) == {
        "zk-ijmond",
        "lindewaard",
        "overbetuwe",
        "zwolle",
    }
    overbetuwe = Region.objects.get(slug="overbetuwe")
    assert list(overbetuwe.municipalities.values_list("cbs_code", flat=True)) == ["GM1734"]
    assert set(overbetuwe.admitted_sources) == {"bw", "mo", "youth"}
    rules = selectors.rules_for(overbetuwe.pk).rules
    assert {f.code for f in rules.contract_form} == {"opstap", "omklap"}
    assert rules.route.assessed_by == "table" and rules.matching.filters.local_tie
    heteren = Organisation.objects.get(region=overbetuwe, slug="woningstichting-heteren")
    assert heteren.type == "corporation"
    # Only the 1-1-2020 population is a published figure; the others are estimates.
    figures = selectors.municipality_figures(overbetuwe)
    (own,) = figures.values()
    assert own["population"].value == 47921 and not own["population"].is_estimate
    assert own["households"].is_estimate and "2,12" in own["households"].method
    assert own["social_stock"].is_estimate and "25 %" in own["social_stock"].method


@pytest.mark.django_db
def test_each_zwolle_municipality_is_assessed_by_its_sub_regions_table() -> None:
    call_command("loaddata", "zwolle", verbosity=0)
    region = Region.objects.get(slug="zwolle")
    for codes, table in (
        (IJSSEL_VECHT, "Uitstroomtafel IJssel-Vecht"),
        (NOORD_VELUWE, "Uitstroomtafel Noord-Veluwe"),
    ):
        for municipality in Municipality.objects.filter(region=region, cbs_code__in=codes):
            names = list(selectors.tables_for(municipality).values_list("name", flat=True))
            assert names == [table], municipality.name
    assert AssessmentTable.objects.filter(region=region).count() == 2
    assert not Municipality.objects.filter(region=region, cbs_code="GM0244").exists()  # Hattem


@pytest.mark.django_db
def test_overbetuwe_quota_is_a_small_estimate_for_one_municipality() -> None:
    call_command("loaddata", "overbetuwe", verbosity=0)
    assert "Overbetuwe" in _quota("overbetuwe")
    data = json.loads(_quota("overbetuwe", "--format", "json"))
    assert data["total"] == 8
    assert [m["quota"] for m in data["municipalities"]] == [8]
    assert (
        Region.objects.get(slug="overbetuwe")
        .quota_years.get(year=2026)
        .source.startswith("Geen openbaar contingent gevonden; schatting")
    )


@pytest.mark.django_db
def test_zwolle_quota_groups_by_sub_region_with_agreed_homes_apart_and_estimates_marked() -> None:
    call_command("loaddata", "zwolle", verbosity=0)
    data = json.loads(_quota("zwolle", "--format", "json"))
    groups = {g["sub_region"]: g for g in data["sub_regions"]}
    assert set(groups) == {"IJssel-Vecht", "Noord-Veluwe"}
    assert {m["cbs_code"] for m in groups["IJssel-Vecht"]["municipalities"]} == IJSSEL_VECHT
    assert {m["cbs_code"] for m in groups["Noord-Veluwe"]["municipalities"]} == NOORD_VELUWE
    assert {w["figure"] for w in data["weights"]} == {"households", "social_stock", "population"}
    # The key's quotas add up to the total; agreed extra homes come on top, shown apart.
    rows = {m["cbs_code"]: m for m in data["municipalities"]}
    assert sum(m["quota"] for m in rows.values()) == data["total"] == 60
    assert sum(g["quota"] for g in groups.values()) == 60
    assert rows["GM0193"]["agreed_extra_homes"] == 4
    assert rows["GM0193"]["quota_with_agreed"] == rows["GM0193"]["quota"] + 4
    assert "Voorbeeld" in rows["GM0193"]["agreement"]
    assert rows["GM0180"]["agreed_extra_homes"] == 0
    assert data["agreed_extra_homes"] == 4 + 2 + 3
    assert data["total_with_agreed"] == 60 + 9
    # Every estimated figure says so and how it was made; Zwolle's own figures are published.
    estimated = [f for f in data["figures"] if f["is_estimate"]]
    assert estimated and all(f["method"] for f in estimated)
    zwolle = {f["figure"]: f for f in data["figures"] if f["cbs_code"] == "GM0193"}
    assert zwolle["population"]["value"] == 132429 and not zwolle["population"]["is_estimate"]
    assert zwolle["social_stock"]["is_estimate"]
    kampen = {f["figure"]: f for f in data["figures"] if f["cbs_code"] == "GM0166"}
    assert kampen["population"]["is_estimate"]
    assert "85984NED" in kampen["population"]["method"]
    harderwijk = {f["figure"]: f for f in data["figures"] if f["cbs_code"] == "GM0243"}
    assert harderwijk["population"]["value"] == 49387
    assert not harderwijk["population"]["is_estimate"]


@pytest.mark.django_db
def test_the_zwolle_coordinator_sees_sub_region_subtotals_and_estimates(client) -> None:
    call_command("loaddata", "zwolle", verbosity=0)
    region = Region.objects.get(slug="zwolle")
    coordinator = make_user(
        "coordinator_zwolle",
        Organisation.objects.get(region=region, slug="servicepunt"),
        Role.COORDINATOR,
    )
    client.force_login(coordinator)
    page = client.get(
        reverse("distribution:realisation", args=["zwolle", 2026]), HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("IJssel-Vecht", "Noord-Veluwe"):
        assert f"Deelregio {name}" in html and f"Totaal {name}" in html
    assert "schatting" in html


@pytest.mark.django_db
def test_the_zwolle_report_marks_estimated_figures(tmp_path: Path) -> None:
    from instroom.reporting import exports, monitoring

    call_command("loaddata", "zwolle", verbosity=0)
    region = Region.objects.get(slug="zwolle")
    with translation.override("nl"):
        report = exports.region_report(region, monitoring.parse_period("2026"))
    (table,) = [t for t in report.tables if t.key == "key_figures"]
    marks = {row.key: str(row.cells[-1]) for row in table.rows}
    assert marks["GM0193/population"] == "officieel"
    assert str(marks["GM0166/population"]).startswith("schatting: afgerond")
    for fmt in ("pdf", "xlsx"):
        out = tmp_path / f"zwolle.{fmt}"
        call_command("report", region="zwolle", period="2026", format=fmt, out=str(out))
        assert out.read_bytes().startswith(b"%PDF" if fmt == "pdf" else b"PK")
    cells = [
        str(cell)
        for sheet in load_workbook(tmp_path / "zwolle.xlsx").worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell
    ]
    assert any(c.startswith("schatting: huishoudens ≈ inwoners") for c in cells)


@pytest.mark.django_db
def test_region_new_copies_settings_rules_and_kinds_not_people_or_cases() -> None:
    call_command("loaddata", "overbetuwe", verbosity=0)
    source = Region.objects.get(slug="overbetuwe")
    out = StringIO()
    with translation.override("nl"):
        call_command(
            "region", "new", "buren", "--from", "overbetuwe", "--name", "Buren", stdout=out
        )
    new = Region.objects.get(slug="buren")
    assert new.name == "Buren" and new.start_year == timezone.localdate().year
    assert (new.support_months, new.cap_per_complex, new.three_party_target) == (
        source.support_months,
        source.cap_per_complex,
        source.three_party_target,
    )
    version = RuleVersion.objects.get(region=new)
    assert version.number == 1 and version.valid_from == timezone.localdate()
    assert version.note == "Overgenomen van Opstapregeling Overbetuwe"
    assert selectors.rules_for(new.pk).rules == selectors.rules_for(source.pk).rules
    assert set(FigureKind.objects.filter(region=new).values_list("slug", flat=True)) == set(
        FigureKind.objects.filter(region=source).values_list("slug", flat=True)
    )
    assert not new.municipalities.exists() and not new.organisations.exists()
    assert not new.quota_years.exists() and not new.tables.exists()
    text = out.getvalue()
    assert "gemeenten" in text and "organisaties" in text and "quotum" in text


@pytest.mark.django_db
def test_region_new_refuses_an_existing_code_and_an_unknown_source() -> None:
    call_command("loaddata", "overbetuwe", verbosity=0)
    with translation.override("nl"):
        with pytest.raises(CommandError, match="bestaat al"):
            call_command("region", "new", "overbetuwe", "--from", "overbetuwe")
        with pytest.raises(CommandError, match="Er is geen regio “nergens”"):
            call_command("region", "new", "ergens", "--from", "nergens")
        with pytest.raises(CommandError, match="geen geldige code"):
            call_command("region", "new", "Geen Code!", "--from", "overbetuwe")
    assert Region.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["overbetuwe", "zwolle"])
def test_the_seed_regions_travel_as_a_regeling_file(slug: str) -> None:
    from instroom.regions.regeling_toml import export_region, import_region

    call_command("loaddata", slug, verbosity=0)
    source = Region.objects.get(slug=slug)
    report = import_region(export_region(source), as_slug=f"{slug}-kopie", name="Kopie")
    assert report.region is not None
    assert report.region.municipalities.count() == source.municipalities.count()
    assert report.region.sub_regions.count() == source.sub_regions.count()


@pytest.mark.django_db
def test_the_demo_has_both_regions_their_users_and_zwolle_placements(client) -> None:
    from instroom.demo import data
    from instroom.demo.distribution import create_placements
    from instroom.distribution.models import Placement

    data.load_regions()
    data.create_users("demo-instroom")
    assert create_placements() > 0
    placed = Placement.objects.filter(region__slug="zwolle")
    assert placed.exists() and min(p.placed_on.year for p in placed) == 2025
    assert placed.filter(municipality__sub_region__slug="ijssel-vecht").exists()
    assert placed.filter(municipality__sub_region__slug="noord-veluwe").exists()
    worker = Organisation.objects.get(region__slug="overbetuwe", slug="kubuszorg")
    assert worker.memberships.filter(user__username="aanmelder-overbetuwe").exists()
    for username in ("beheerder-zwolle", "coordinator-zwolle", "coordinator-overbetuwe"):
        assert client.login(username=username, password="demo-instroom")
        assert client.get("/").status_code == 200

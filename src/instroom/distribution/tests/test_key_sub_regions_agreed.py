"""A key of any figures, sub-regions and agreed extra homes (lokale afspraken): what the
coordinator, the municipality and the administrator see and what the quota rests on."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from instroom.distribution import selectors, services
from instroom.regions.models import (
    AgreedHomes,
    AssessmentTable,
    FigureKind,
    MunicipalityFigure,
    QuotaYear,
    SubRegion,
)
from instroom.regions.selectors import tables_for
from instroom.regions.tests.factories import give_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(cast):
    """A scheme that starts this year, so no earlier year counts."""
    cast.region.start_year = 2026
    cast.region.save()
    return 2026


def municipalities(cast):
    return list(cast.region.municipalities.order_by("cbs_code"))


def place(cast, municipality, on=date(2026, 3, 1)):
    return services.placement_record(
        actor=cast.coordinator,
        region=cast.region,
        municipality=municipality,
        corporation=cast.corporation,
        placed_on=on,
    )


def test_a_key_of_a_region_s_own_figure_decides_the_quota(cast, year) -> None:
    """Places in BW/MO, named by the region, weigh in: A has all of them, so A's share grows
    exactly by the weight moved onto that figure."""
    a, b = municipalities(cast)
    FigureKind.objects.create(region=cast.region, slug="plaatsen_bw_mo", name="Plaatsen BW/MO")
    for m, places in ((a, 40), (b, 0)):
        MunicipalityFigure.objects.create(
            municipality=m,
            kind="plaatsen_bw_mo",
            value=places,
            reference_date=date(2025, 1, 1),
            source="Fictief",
        )
    quota = QuotaYear.objects.get(region=cast.region, year=year)
    quota.total_homes = 100
    quota.save()
    before = selectors.region_quota(cast.region, year)
    give_key(quota, households="0.4", social_stock="0.4", plaatsen_bw_mo="0.2")
    after = selectors.region_quota(cast.region, year)
    # households 30000/10000, stock 8000/2000: A's share 0.4·¾ + 0.4·⅘ + 0.2·1 = 0.82
    assert after.share[a.cbs_code] == Decimal("0.82") and sum(after.quota.values()) == 100
    assert (before.quota[a.cbs_code], after.quota[a.cbs_code]) == (78, 82)
    report = selectors.realisation(cast.region, year, date(2026, 6, 30))
    assert ("plaatsen_bw_mo", "Plaatsen BW/MO", Decimal("0.2")) in report.weights
    assert {b.label for b in report.basis} >= {"Plaatsen BW/MO"}


def test_a_missing_figure_of_the_key_is_named_by_the_region_s_own_name(cast, year) -> None:
    FigureKind.objects.create(region=cast.region, slug="plaatsen_bw_mo", name="Plaatsen BW/MO")
    give_key(
        QuotaYear.objects.get(region=cast.region, year=year),
        households="0.5",
        plaatsen_bw_mo="0.5",
    )
    with pytest.raises(selectors.DistributionError) as error:
        selectors.region_quota(cast.region, year)
    assert "Plaatsen BW/MO" in error.value.message


def test_agreed_extra_homes_come_on_top_and_count_first(cast, year) -> None:
    a, _b = municipalities(cast)
    AgreedHomes.objects.create(
        municipality=a, year=2026, homes=3, agreement="Lokale afspraak met corporatie A"
    )
    for _ in range(4):
        place(cast, a)
    report = selectors.realisation(cast.region, year, date(2026, 12, 31))
    row = next(r for r in report.municipalities if r.key == a.cbs_code)
    assert (row.agreed, row.total_quota - row.quota, row.realised) == (3, 3, 4)
    assert report.total.quota == 20 and report.total.total_quota == 23
    assert row.pro_rata == row.total_quota  # the whole year passed
    # For next year's key, A delivered 4 − 3 = 1 home of the key, not 4.
    assert selectors.delivered(cast.region)[2026][a.cbs_code] == 1


def test_a_local_agreement_does_not_make_a_municipality_give_way_next_year(cast, year) -> None:
    """A delivers its key quota and its agreed extra homes; B delivers its quota. Next year
    both get their plain share: A's extras do not count as being ahead."""
    a, b = municipalities(cast)
    QuotaYear.objects.create(region=cast.region, year=2027, total_homes=20)
    AgreedHomes.objects.create(municipality=a, year=2026, homes=5, agreement="Afspraak")
    first = selectors.region_quota(cast.region, 2026)
    for m in (a, b):
        for _ in range(first.quota[m.cbs_code] + (5 if m == a else 0)):
            place(cast, m)
    second = selectors.region_quota(cast.region, 2027)
    assert second.backlog(a.cbs_code) == 0 and second.backlog(b.cbs_code) == 0
    assert second.quota == second.plain


def test_sub_regions_group_the_realisation_and_a_table_covers_one(cast, year, client) -> None:
    a, b = municipalities(cast)
    north = SubRegion.objects.create(region=cast.region, slug="noord", name="Noord")
    south = SubRegion.objects.create(region=cast.region, slug="zuid", name="Zuid")
    a.sub_region, b.sub_region = north, south
    a.save()
    b.save()
    table = AssessmentTable.objects.create(
        region=cast.region, slug="tafel-zuid", name="Tafel Zuid", sub_region=south
    )
    assert table in tables_for(b) and table not in tables_for(a)
    place(cast, b)
    report = selectors.realisation(cast.region, year, date(2026, 6, 30))
    subs = {s.name: s for s in report.sub_regions}
    assert set(subs) == {"Noord", "Zuid"}
    assert subs["Zuid"].realised == 1 and subs["Noord"].realised == 0
    assert subs["Noord"].quota + subs["Zuid"].quota == report.total.quota
    client.force_login(cast.coordinator)
    html = client.get(reverse("distribution:realisation", args=[cast.region.slug, year])).content
    assert b"Deelregio Zuid" in html and b"Totaal Zuid" in html


def test_the_quota_command_groups_by_sub_region_with_agreed_homes_apart(cast, year) -> None:
    a, b = municipalities(cast)
    north = SubRegion.objects.create(region=cast.region, slug="noord", name="Noord")
    a.sub_region = north
    a.save()
    AgreedHomes.objects.create(municipality=a, year=2026, homes=2, agreement="Afspraak")
    MunicipalityFigure.objects.filter(municipality=b, kind="households").update(
        is_estimate=True, method="huishoudens ≈ inwoners ÷ 2,12"
    )
    out = StringIO()
    call_command(
        "quota", "--region", cast.region.slug, "--year", "2026", "--format", "json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert [s["sub_region"] for s in data["sub_regions"]] == ["Noord"]
    assert [m["cbs_code"] for m in data["sub_regions"][0]["municipalities"]] == [a.cbs_code]
    assert data["total"] == 20 and data["agreed_extra_homes"] == 2
    assert data["total_with_agreed"] == 22
    estimated = [f for f in data["figures"] if f["is_estimate"]]
    assert [(f["cbs_code"], f["figure"]) for f in estimated] == [(b.cbs_code, "households")]
    assert estimated[0]["method"] == "huishoudens ≈ inwoners ÷ 2,12"
    table = StringIO()
    call_command("quota", "--region", cast.region.slug, "--year", "2026", stdout=table)
    text = table.getvalue()
    assert "— Noord" in text and "subtotal Noord" in text and "estimate: huishoudens" in text


def test_the_regional_site_refuses_weights_that_do_not_add_up(client, cast) -> None:
    from instroom.configuration.tests.test_regional_site import signed_in

    quota = QuotaYear.objects.get(region=cast.region, year=2026)
    signed_in(client, cast.administrator)
    url = reverse("regional_admin:regions_quotayear_change", args=[quota.pk])
    weights = list(quota.weights.order_by("kind"))
    data = {
        "region": cast.region.pk,
        "year": 2026,
        "total_homes": 20,
        "method": "largest_remainder",
        "carry_over": "catch_up",
        "source": "",
        "weights-TOTAL_FORMS": "2",
        "weights-INITIAL_FORMS": "2",
        "weights-MIN_NUM_FORMS": "1",
        "weights-MAX_NUM_FORMS": "1000",
    }
    for i, w in enumerate(weights):
        data |= {
            f"weights-{i}-id": w.pk,
            f"weights-{i}-quota_year": quota.pk,
            f"weights-{i}-kind": w.kind,
            f"weights-{i}-weight": "0.7",
        }
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert "samen moeten ze 1 zijn" in response.content.decode()
    assert sorted(quota.weights.values_list("weight", flat=True)) == [Decimal("0.5")] * 2

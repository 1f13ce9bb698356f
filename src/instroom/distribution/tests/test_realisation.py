"""The realisation page, placements with undo, the caps and the quota command."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from instroom.audit.models import AuditEvent
from instroom.distribution import selectors, services
from instroom.distribution.models import Placement
from instroom.homes.tests.factories import make_home
from instroom.matching import ranking
from instroom.matching.tests.factories import make_approved
from instroom.regions.models import CorporationStock, Neighbourhood, QuotaYear

pytestmark = pytest.mark.django_db


def place(cast, municipality=None, **extra):
    return services.placement_record(
        actor=cast.coordinator,
        region=cast.region,
        municipality=municipality or cast.region.municipalities.order_by("cbs_code").first(),
        corporation=cast.corporation,
        placed_on=extra.pop("placed_on", timezone.localdate()),
        **extra,
    )


def page(client, cast, year=None):
    year = year or timezone.localdate().year
    return client.get(reverse("distribution:realisation", args=[cast.region.slug, year]))


@pytest.fixture
def this_year(cast):
    year = timezone.localdate().year
    cast.region.start_year = year
    cast.region.save()
    QuotaYear.objects.get_or_create(region=cast.region, year=year, defaults={"total_homes": 20})
    return year


def test_coordinator_sees_quota_realised_pro_rata_and_difference(client, cast, this_year) -> None:
    a, b = cast.region.municipalities.order_by("cbs_code")
    CorporationStock.objects.create(
        corporation=cast.corporation,
        municipality=a,
        homes=100,
        reference_date=date(2025, 1, 1),
        source="Fictief",
    )
    place(cast, a)
    place(cast, a)
    client.force_login(cast.coordinator)
    response = page(client, cast)
    assert response.status_code == 200
    report = response.context["report"]
    row = {r.key: r for r in report.municipalities}[a.cbs_code]
    # 30000/40000 households and 8000/10000 social stock, 0.5/0.5: share 31/40 of 20 = 15.5.
    assert row.quota + {r.key: r for r in report.municipalities}[b.cbs_code].quota == 20
    assert row.realised == 2
    assert row.pro_rata == row.quota * report.fraction_of_year
    assert row.difference == 2 - row.pro_rata
    html = response.content.decode()
    assert "<svg" in html and "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'data-key="total"' in html
    corporation_rows = response.context["corporations"]
    assert [r.quota for r in corporation_rows] == [row.quota]
    # b has no corporation stock: the page says so instead of inventing a split.
    assert b.name in html and report.missing_stock == [b.name]


def test_municipality_user_sees_only_their_municipality_and_the_region_total(
    client, cast, this_year
) -> None:
    a, b = cast.region.municipalities.order_by("cbs_code")
    client.force_login(cast.municipality_user)  # represents a
    response = page(client, cast)
    assert response.status_code == 200
    keys = [r.key for r in response.context["municipalities"]]
    assert keys == [a.cbs_code]
    html = response.content.decode()
    assert f'data-key="{b.cbs_code}"' not in html and 'data-key="total"' in html
    assert response.context["corporations"] == []
    # Their own municipality has no corporation stock: they are told so, not b's situation.
    assert response.context["visible"].missing_stock == [a.name]
    assert 'id="missing-stock"' in html


def test_municipality_user_sees_the_corporations_in_their_own_municipality_only(
    client, cast, this_year
) -> None:
    a, b = cast.region.municipalities.order_by("cbs_code")
    for municipality in (a, b):
        CorporationStock.objects.create(
            corporation=cast.corporation,
            municipality=municipality,
            homes=10,
            reference_date=date(2025, 1, 1),
            source="Fictief",
        )
    client.force_login(cast.municipality_user)
    response = page(client, cast)
    assert [r.key for r in response.context["corporations"]] == [f"{a.cbs_code}/corporatie"]
    assert response.context["visible"].missing_stock == []


def test_corporation_sees_its_own_rows(client, cast, this_year) -> None:
    a = cast.region.municipalities.order_by("cbs_code").first()
    CorporationStock.objects.create(
        corporation=cast.corporation,
        municipality=a,
        homes=10,
        reference_date=date(2025, 1, 1),
        source="Fictief",
    )
    client.force_login(cast.corporation_user)
    response = page(client, cast)
    assert response.status_code == 200
    # Their own corporation's row, the municipality it lies in, and the region total.
    assert [r.key for r in response.context["municipalities"]] == [a.cbs_code]
    assert [r.key for r in response.context["corporations"]] == [f"{a.cbs_code}/corporatie"]
    html = response.content.decode()
    assert 'id="chart-corporations-title"' in html and 'data-key="total"' in html


@pytest.mark.parametrize("persona", ["care_worker_a", "police", "table_member", "nobody"])
def test_case_workers_do_not_see_the_distribution(client, cast, this_year, persona) -> None:
    client.force_login(cast.personas()[persona])
    assert page(client, cast).status_code == 403


def test_another_regions_coordinator_gets_not_found(client, cast, this_year) -> None:
    client.force_login(cast.other_coordinator)
    assert page(client, cast).status_code == 404


def test_placements_are_recorded_with_an_audit_record_and_can_be_undone(client, cast, this_year):
    a = cast.region.municipalities.order_by("cbs_code").first()
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("distribution:placements", args=[cast.region.slug]),
        {
            "municipality": a.pk,
            "corporation": cast.corporation.pk,
            "placed_on": timezone.localdate().isoformat(),
            "reference": "TEST-1",
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert AuditEvent.objects.filter(action="placement.record").exists()
    assert selectors.realisation(cast.region, this_year, timezone.localdate()).total.realised == 1
    client.post(
        reverse("distribution:placement_undo", args=[cast.region.slug, placement.pk]),
        {"reason": "Verkeerde gemeente"},
    )
    placement.refresh_from_db()
    assert placement.undone_at is not None and placement.undo_reason == "Verkeerde gemeente"
    assert selectors.realisation(cast.region, this_year, timezone.localdate()).total.realised == 0


def test_a_placement_in_the_future_or_by_others_is_refused(cast, this_year) -> None:
    with pytest.raises(ValidationError) as error:
        place(cast, placed_on=timezone.localdate() + timedelta(days=3))
    assert "placed_on" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.placement_record(
            actor=cast.corporation_user,
            region=cast.region,
            municipality=cast.region.municipalities.first(),
            corporation=cast.corporation,
            placed_on=timezone.localdate(),
        )
    assert not Placement.objects.exists()


def test_missing_quota_or_figures_are_named_on_the_page(client, cast, this_year) -> None:
    client.force_login(cast.coordinator)
    response = page(client, cast, this_year + 1)
    assert response.context["field"] == "total_homes"
    QuotaYear.objects.create(region=cast.region, year=this_year + 1, total_homes=5)
    cast.region.municipalities.first().figures.filter(kind="households").delete()
    response = page(client, cast, this_year + 1)
    assert response.context["field"] == "households"


def test_caps_count_placements_per_complex_and_neighbourhood_in_the_window(cast) -> None:
    a = cast.region.municipalities.order_by("cbs_code").first()
    buurt = Neighbourhood.objects.create(municipality=a, cbs_code="BU99990011", level="buurt")
    cast.region.cap_per_complex, cast.region.cap_per_neighbourhood = 2, 3
    cast.region.cap_window_months = 12
    cast.region.start_year = 2020
    cast.region.save()
    today = timezone.localdate()
    status = selectors.cap_status(
        region=cast.region,
        neighbourhood_id=buurt.pk,
        complex=selectors.ComplexKey(cast.corporation.pk, a.pk, buurt.pk, "C-1"),
        today=today,
    )
    assert (status.complex_left, status.neighbourhood_left, status.may_place) == (2, 3, True)
    place(cast, a, neighbourhood=buurt, complex_code="C-1")
    place(cast, a, neighbourhood=buurt, complex_code="C-1")
    old = place(
        cast, a, neighbourhood=buurt, complex_code="C-2", placed_on=today - timedelta(days=400)
    )  # outside the window
    status = selectors.cap_status(
        region=cast.region,
        neighbourhood_id=buurt.pk,
        complex=selectors.ComplexKey(cast.corporation.pk, a.pk, buurt.pk, "C-1"),
        today=today,
    )
    assert (status.complex_left, status.neighbourhood_left, status.may_place) == (0, 1, False)
    other = selectors.cap_status(
        region=cast.region,
        neighbourhood_id=buurt.pk,
        complex=selectors.ComplexKey(cast.corporation.pk, a.pk, buurt.pk, "C-2"),
        today=today,
    )
    assert other.complex_left == 2 and other.may_place
    assert old.placed_on < status.since or old.placed_on == status.since


def test_a_capped_complex_excludes_every_candidate_at_the_match_point(cast) -> None:
    a = cast.region.municipalities.order_by("cbs_code").first()
    cast.region.cap_per_complex = 1
    cast.region.start_year = 2020
    cast.region.save()
    application = make_approved(cast)
    home = make_home(cast.corporation_user, cast.corporation, municipality=a, complex_code="C-9")
    assert ranking.rank_home(home).evaluation.rows()
    place(cast, a, complex_code="C-9")
    ranked = ranking.rank_home(home)
    assert ranked.evaluation.rows() == []
    index = list(ranked.application_ids).index(application.pk)
    assert [r.code for r in ranked.evaluation.reasons(index)] == ["cap_reached"]


def test_the_quota_command_prints_fractions_decimals_quota_and_realisation(cast, this_year):
    place(cast)
    out = StringIO()
    call_command("quota", region=cast.region.slug, year=this_year, format="json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["total"] == 20
    first = data["municipalities"][0]
    numerator, denominator = map(int, first["key_share"].split("/"))
    assert abs(numerator / denominator - first["key_share_decimal"]) < 1e-6
    assert abs(numerator / denominator * 20 - first["share"]) < 1e-3
    assert sum(m["quota"] for m in data["municipalities"]) == 20
    assert sum(m["realised"] for m in data["municipalities"]) == 1
    table = StringIO()
    call_command("quota", region=cast.region.slug, year=this_year, stdout=table)
    assert "/" in table.getvalue() and "total" in table.getvalue()
    with pytest.raises(CommandError, match="total_homes"):
        call_command("quota", region=cast.region.slug, year=this_year + 5, stdout=StringIO())
    with pytest.raises(CommandError, match="Known"):
        call_command("quota", region="nergens", year=this_year, stdout=StringIO())

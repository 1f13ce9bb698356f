"""Placements linked to a client's case, refused configuration named by field, caps left,
the page's cost, and the quota command on the reference region."""

import json
import re
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from instroom.applications.tests.factories import make_application
from instroom.audit.models import AuditEvent
from instroom.distribution import apportion, selectors, services
from instroom.distribution.models import Placement
from instroom.regions.models import Neighbourhood, Organisation, QuotaYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def this_year(cast):
    year = timezone.localdate().year
    cast.region.start_year = year
    cast.region.save()
    QuotaYear.objects.update_or_create(region=cast.region, year=year, defaults={"total_homes": 20})
    return year


def test_a_placement_linked_by_case_number_lands_on_the_clients_timeline(
    client, cast, this_year
) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    a = cast.region.municipalities.order_by("cbs_code").first()
    client.force_login(cast.coordinator)
    url = reverse("distribution:placements", args=[cast.region.slug])
    data = {
        "municipality": a.pk,
        "corporation": cast.corporation.pk,
        "placed_on": timezone.localdate().isoformat(),
        "case_number": application.client.case_number.lower(),
    }
    assert client.post(url, data).status_code == 302
    placement = Placement.objects.get()
    assert placement.client == application.client
    recorded = AuditEvent.objects.get(action="placement.record")
    assert recorded.client_id == application.client.pk
    # The list shows the case number to the coordinator, never the name.
    html = client.get(url).content.decode()
    assert application.client.case_number in html
    assert application.client.last_name not in html
    # An unknown case number is refused on the field, and nothing is recorded.
    response = client.post(url, {**data, "case_number": "ZZ-0000"})
    assert response.status_code == 200
    assert "case_number" in response.context["form"].errors
    assert Placement.objects.count() == 1


def test_a_client_of_another_region_is_refused_naming_the_field(cast, this_year) -> None:
    from instroom.conftest import make_user

    other_care = cast.other_region.organisations.get(slug="zorg-a")
    worker = make_user("care_other", other_care, "applicant_worker")
    foreign = make_application(worker, other_care).client
    with pytest.raises(ValidationError) as error:
        services.placement_record(
            actor=cast.coordinator,
            region=cast.region,
            municipality=cast.region.municipalities.first(),
            corporation=cast.corporation,
            placed_on=timezone.localdate(),
            client=foreign,
        )
    assert "client" in error.value.message_dict
    assert not Placement.objects.exists()


def test_undo_needs_a_reason_and_happens_once(cast, this_year) -> None:
    placement = services.placement_record(
        actor=cast.coordinator,
        region=cast.region,
        municipality=cast.region.municipalities.first(),
        corporation=cast.corporation,
        placed_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError) as error:
        services.placement_undo(actor=cast.coordinator, placement=placement, reason="  ")
    assert "reason" in error.value.message_dict
    services.placement_undo(actor=cast.coordinator, placement=placement, reason="Dubbel")
    with pytest.raises(ValidationError):
        services.placement_undo(actor=cast.coordinator, placement=placement, reason="Nog eens")
    assert AuditEvent.objects.filter(action="placement.undo").count() == 1


def test_weights_that_do_not_add_up_are_named_on_the_page(client, cast, this_year) -> None:
    from instroom.regions.tests.factories import give_key

    give_key(
        QuotaYear.objects.get(region=cast.region, year=this_year),
        households="0.600",
        social_stock="0.600",
    )
    client.force_login(cast.coordinator)
    response = client.get(reverse("distribution:realisation", args=[cast.region.slug, this_year]))
    assert response.context["field"] == "weights"
    assert "6/5" in response.context["error"]


def test_a_missing_figure_names_the_municipality_and_the_figure(cast, this_year) -> None:
    a = cast.region.municipalities.order_by("cbs_code").first()
    a.figures.filter(kind="social_stock").delete()
    with pytest.raises(selectors.DistributionError) as error:
        selectors.region_quota(cast.region, this_year)
    assert error.value.field == "social_stock"
    assert a.name in error.value.message


def test_every_refusal_of_the_pure_module_gets_a_message(cast) -> None:
    for exc in (
        apportion.ConfigurationError("total_homes", "x", code="negative"),
        apportion.ConfigurationError("method", "x", code="unknown", value="dhondt"),
        apportion.ConfigurationError("households", "x", code="zero_sum"),
        apportion.ConfigurationError("municipalities", "x", code="empty"),
        apportion.ConfigurationError("weights", "x", code="something new"),
    ):
        explained = selectors.explain(exc, year=2026)
        assert explained.field == exc.field
        assert explained.message and "%(" not in explained.message


def test_places_left_is_the_tighter_of_the_two_caps(cast) -> None:
    a = cast.region.municipalities.order_by("cbs_code").first()
    buurt = Neighbourhood.objects.create(municipality=a, cbs_code="BU99990021", level="buurt")
    cast.region.cap_per_complex, cast.region.cap_per_neighbourhood = 3, 2
    cast.region.start_year = 2020
    cast.region.save()
    today = timezone.localdate()

    def status(complex_code="C-1", neighbourhood=buurt):
        home = SimpleNamespace(
            corporation_id=cast.corporation.pk,
            municipality_id=a.pk,
            neighbourhood_id=neighbourhood.pk if neighbourhood else None,
            complex_code=complex_code,
        )
        return selectors.cap_status(
            region=cast.region,
            neighbourhood_id=home.neighbourhood_id,
            complex=selectors.complex_key(home),
            today=today,
        )

    assert status().places_left == 2
    assert status(complex_code="", neighbourhood=None).places_left is None
    assert status(complex_code="", neighbourhood=None).may_place
    services.placement_record(
        actor=cast.coordinator,
        region=cast.region,
        municipality=a,
        corporation=cast.corporation,
        placed_on=today,
        neighbourhood=buurt,
        complex_code="C-1",
    )
    assert (status().complex_left, status().neighbourhood_left, status().places_left) == (2, 1, 1)
    # Undone placements free their place again.
    services.placement_undo(
        actor=cast.coordinator, placement=Placement.objects.get(), reason="Vergissing"
    )
    assert status().places_left == 2


def test_the_page_costs_the_same_queries_for_few_and_many_placements(
    client, cast, this_year
) -> None:
    client.force_login(cast.coordinator)
    url = reverse("distribution:realisation", args=[cast.region.slug, this_year])
    municipalities = list(cast.region.municipalities.all())

    def add(n: int) -> None:
        for i in range(n):
            services.placement_record(
                actor=cast.coordinator,
                region=cast.region,
                municipality=municipalities[i % 2],
                corporation=cast.corporation,
                placed_on=timezone.localdate(),
            )

    add(1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(12)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_quota_command_on_the_reference_region() -> None:
    """zk-ijmond ships no stock per corporation and estimated key figures: the command says
    both plainly instead of inventing a split."""
    call_command("loaddata", "zk-ijmond", verbosity=0)
    out = StringIO()
    call_command("quota", region="zk-ijmond", year=2026, format="json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["total"] == 178 and data["method"] == "largest_remainder"
    quotas = {m["cbs_code"]: m["quota"] for m in data["municipalities"]}
    assert quotas["GM0392"] == 73 and sum(quotas.values()) == 178
    haarlem = next(m for m in data["municipalities"] if m["cbs_code"] == "GM0392")
    numerator, denominator = map(int, haarlem["key_share"].split("/"))
    assert numerator * 178 * 10_000 // denominator == 731583  # 73.1583… homes
    assert haarlem["share"] == 73.158
    assert data["corporations"] == []
    assert len(data["missing_corporation_stock"]) == 7
    assert any("Haarlem" in name for name in data["estimated_figures"])
    table = StringIO()
    call_command("quota", region="zk-ijmond", year=2026, stdout=table)
    text = table.getvalue()
    assert "No social rental stock per corporation is configured for" in text
    assert "estimated figures" in text and "Haarlem" in text
    assert data["years_without_placements"] == [2022, 2023, 2024, 2025]


def test_the_reference_page_in_dutch_keeps_svg_numbers_machine_readable(client) -> None:
    from instroom.accounts.constants import Role
    from instroom.conftest import make_user

    call_command("loaddata", "zk-ijmond", verbosity=0)
    coordinator = make_user(
        "coordinator_zk",
        Organisation.objects.get(slug="servicepunt", region__slug="zk-ijmond"),
        Role.COORDINATOR,
    )
    client.force_login(coordinator)
    response = client.get(reverse("distribution:realisation", args=["zk-ijmond", 2026]))
    html = response.content.decode()
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert not re.search(r'(width|x1|x2)="[0-9]+,[0-9]', svg)  # "106,4" breaks the chart
    assert "style=" not in svg and "<script" not in html.split("<main", 1)[1]
    assert "<title" in svg and "<desc" in svg
    # No placements entered for 2022–2025 yet: said plainly, with the way to fix it.
    assert 'id="unrecorded-years"' in html
    assert [r.quota for r in response.context["municipalities"]] == [21, 10, 73, 20, 11, 35, 8]

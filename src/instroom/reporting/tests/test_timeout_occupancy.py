"""Time-out occupancy in the monitoring: per place for the service point, per kind of place
and suppressed below five once the figures leave it (issue 18, seed 001)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from instroom.reporting import monitoring, publication
from instroom.reporting.publication import Audience
from instroom.support import services
from instroom.support.tests.factories import housed_contract

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=AMSTERDAM)


def _report(cast, audience):
    period = monitoring.parse_period("2026Q4")
    return publication.build(
        monitoring.figures(monitoring.Scope(cast.region, period), TODAY), audience
    )


@pytest.fixture
def occupied(cast):
    """A crisis bed of two places: one time-out of 5 days, ended; one of 4 days so far."""
    with time_machine.travel(at(TODAY - timedelta(days=30)), tick=False):
        bed = services.timeout_place_create(
            actor=cast.coordinator,
            region=cast.region,
            name="Crisisbed Haarlem",
            kind="crisis_bed",
            capacity=2,
        )
        services.timeout_place_create(
            actor=cast.coordinator,
            region=cast.region,
            name="Time-outwoning Velsen",
            kind="timeout_home",
            capacity=1,
        )
        first = housed_contract(cast, on=TODAY - timedelta(days=30))
        second = housed_contract(cast, on=TODAY - timedelta(days=30))
    start = TODAY - timedelta(days=10)
    with time_machine.travel(at(start), tick=False):
        ended = services.timeout_start(
            actor=cast.support_worker,
            contract=first,
            starts_on=start,
            ends_on=start + timedelta(days=14),
            place=bed,
            return_plan="Terug na gesprek",
        )
    with time_machine.travel(at(start + timedelta(days=5)), tick=False):
        services.timeout_end(
            actor=cast.support_worker,
            timeout=ended,
            ended_on=start + timedelta(days=5),
            returned=True,
        )
    with time_machine.travel(at(TODAY - timedelta(days=3)), tick=False):
        services.timeout_start(
            actor=cast.support_worker,
            contract=second,
            starts_on=TODAY - timedelta(days=3),
            ends_on=TODAY + timedelta(days=10),
            place=bed,
            return_plan="Terug na gesprek",
        )
    return bed


def test_the_service_point_sees_each_place_exactly(cast, occupied) -> None:
    table = _report(cast, Audience.SERVICE_POINT).table("timeouts")
    # places, started, days occupied, average length, occupied today
    assert table.row(f"place-{occupied.pk}").cells == [2, 2, 9, 4.5, 1]
    velsen = next(r for r in table.rows if r.label == "Time-outwoning Velsen")
    assert velsen.cells == [1, 0, 0, None, 0]
    assert table.row("total").cells == [3, 2, 9, 4.5, 1]


def test_published_figures_are_per_kind_and_hide_small_counts(cast, occupied) -> None:
    table = _report(cast, Audience.PUBLISHED).table("timeouts")
    assert [r.key for r in table.rows] == [
        "crisis_bed",
        "timeout_home",
        "network",
        "other",
        "elsewhere",
        "total",
    ]
    assert "Crisisbed Haarlem" not in str([r.label for r in table.rows])
    assert table.row("crisis_bed").cells == ["<5", "<5", "<5", "<5"]
    assert table.row("total").cells[0] == "<5"
    assert table.row("timeout_home").cells[0] in (0, "x")


def test_the_dashboard_shows_the_table_to_the_service_point(client, cast, occupied) -> None:
    client.force_login(cast.coordinator)
    with time_machine.travel(at(TODAY), tick=False):
        page = client.get(
            reverse("reports:dashboard", args=[cast.region.slug]),
            {"period": "2026Q4"},
            HTTP_ACCEPT_LANGUAGE="nl",
        )
    assert page.status_code == 200
    assert 'id="table-timeouts"' in page.content.decode()
    assert "Crisisbed Haarlem" in page.content.decode()

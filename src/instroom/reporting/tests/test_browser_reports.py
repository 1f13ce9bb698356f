"""Monitoring in a real browser: the coordinator reaches the dashboard through the menu, filters
it and downloads the report; the municipality sees its aggregates with small counts hidden; no
serious accessibility violation on either page."""

from pathlib import Path

import pytest

from instroom.reporting.tests import world
from instroom.reporting.tests.test_browser_home import open_as, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_and_municipality_dashboards(browser, live_server, cast) -> None:
    made = world.build(cast)
    url = live_server.url

    coordinator = open_as(browser, live_server, cast.coordinator)
    coordinator.click("nav a[href='/reports/']")
    coordinator.click(f"main a[href^='/reports/{cast.region.slug}/']")
    coordinator.select_option("#id_period", world.PERIOD)
    coordinator.select_option("#id_municipality", str(made["a"].pk))
    coordinator.click("form.instroom-filters button[type=submit]")
    assert f"period={world.PERIOD}" in coordinator.url
    assert coordinator.locator("figure.instroom-chart svg").count() >= 3
    assert serious_violations(coordinator) == []
    with coordinator.expect_download() as download:
        coordinator.click(f"a[href^='/reports/{cast.region.slug}/rapportage.pdf']")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    municipality = open_as(browser, live_server, cast.municipality_user)
    municipality.goto(f"{url}/reports/{cast.region.slug}/?period={world.PERIOD}")
    text = municipality.locator("main").inner_text()
    assert "<5" in text
    for person in ("Zeeuwenburg", "T-0"):
        assert person not in text
    assert municipality.locator("#id_municipality").count() == 0  # its own municipality only
    assert serious_violations(municipality) == []

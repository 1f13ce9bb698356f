"""Two roles sign in through a real browser: each sees its own home page and not the other's
data, and axe-core finds no serious accessibility violations on the pages they see."""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from instroom.applications.tests.factories import make_application
from instroom.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.NODE_MODULES) / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA; a violation of impact "serious" or "critical" fails the test.
AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values:
    ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
}"""


def serious_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(AXE_RUN)
    return [v for v in violations if v["impact"] in {"serious", "critical"}]


def open_as(browser: Any, live_server: Any, user: Any) -> Any:
    # axe is injected as a script tag: the page's Content-Security-Policy would refuse it.
    return browser_login(browser, live_server, user, bypass_csp=True, locale="nl-NL")


def test_each_role_sees_its_own_home_page_and_not_the_others_data(
    browser, live_server, cast
) -> None:
    assert AXE.exists(), "npm ci installs axe-core"
    mine = make_application(
        cast.care_worker_a, cast.care_a, first_name="Ilse", last_name="Ankerveld"
    )
    theirs = make_application(
        cast.care_worker_b, cast.care_b, first_name="Bram", last_name="Bovenkerk"
    )

    applicant = open_as(browser, live_server, cast.care_worker_a)
    assert applicant.locator("html").get_attribute("lang") == "nl"
    section = applicant.locator("[data-role=applicant_worker]")
    assert section.is_visible()
    assert "Ilse Ankerveld" in section.inner_text()
    assert mine.client.case_number in section.inner_text()
    body = applicant.locator("main").inner_text()
    assert "Bovenkerk" not in body and theirs.client.case_number not in body
    assert applicant.locator("[data-role=coordinator]").count() == 0
    assert serious_violations(applicant) == []

    # The other organisation's client cannot be opened by typing its address either.
    response = applicant.goto(f"{live_server.url}/clients/{theirs.client_id}/")
    assert response is not None and response.status in {403, 404}
    assert "Bovenkerk" not in applicant.content()

    coordinator = open_as(browser, live_server, cast.coordinator)
    assert coordinator.locator("[data-role=coordinator]").is_visible()
    assert coordinator.locator("[data-role=applicant_worker]").count() == 0
    # Drafts are the care provider's own: the service point sees no names on its home page.
    body = coordinator.locator("main").inner_text()
    assert "Ankerveld" not in body and "Bovenkerk" not in body
    assert serious_violations(coordinator) == []


def test_login_page_has_no_serious_accessibility_violations(browser, live_server) -> None:
    page = browser.new_context(bypass_csp=True).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    assert serious_violations(page) == []


def test_a_busy_coordinators_home_page_fits_one_screen(browser, live_server, cast) -> None:
    """Every state filled, a dozen tasks and several sessions: the page stays about one screen
    high at 1280 x 800 (long lists are behind links), without serious accessibility faults."""
    from datetime import timedelta

    from django.utils import timezone

    from instroom.accounts.notifications import notify
    from instroom.applications.constants import CaseState
    from instroom.assessment import services as assessment
    from instroom.reporting.tests.world import case

    municipality = cast.region.municipalities.first()
    for state in CaseState.values:
        for _ in range(3):
            case(cast, municipality, state)
    table = cast.region.tables.get()
    for days in range(2, 8):
        assessment.session_plan(
            actor=cast.coordinator, table=table, starts_at=timezone.now() + timedelta(days=days)
        )
    for n in range(6):
        notify(users=[cast.coordinator], kind="application.check", params={"case": f"ZK-{n}"})
        notify(
            users=[cast.coordinator],
            kind="match.stalled",
            params={"address": f"Lange Herenvest {n}, 2011 AB Haarlem", "number": f"K-{n}"},
        )
    page = browser_login(
        browser,
        live_server,
        cast.coordinator,
        bypass_csp=True,
        locale="nl-NL",
        viewport={"width": 1280, "height": 800},
    )
    assert page.locator("[data-task-kind]").count() == 5
    assert page.evaluate("document.documentElement.scrollHeight") <= 1000
    assert serious_violations(page) == []

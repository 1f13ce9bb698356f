"""On a phone-sized screen (390 px) no page is wider than the screen, the menu opens without
JavaScript, and the client page (header, stepper, scheduling form) has no serious
accessibility violations."""

from datetime import timedelta

import pytest
from django.utils import timezone

from instroom.applications import services as app_services
from instroom.applications.tests.factories import make_application
from instroom.assessment import services as assessment_services
from instroom.conftest import browser_login
from instroom.reporting.tests.test_browser_home import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = "document.documentElement.scrollWidth"


def test_pages_fit_a_phone_and_the_client_page_is_accessible(browser, live_server, cast) -> None:
    application = make_application(
        cast.care_worker_a, cast.care_a, first_name="Ilse", last_name="Ankerveld"
    )
    app_services.application_submit(actor=cast.care_worker_a, application=application)
    app_services.application_mark_complete(actor=cast.coordinator, application=application)
    assessment_services.session_plan(
        actor=cast.coordinator,
        table=cast.region.tables.get(),
        starts_at=timezone.now() + timedelta(days=5),
    )

    for width in (390, 1280):
        page = browser_login(
            browser,
            live_server,
            cast.coordinator,
            bypass_csp=True,
            viewport={"width": width, "height": 844},
        )
        assert page.evaluate(WIDTH) <= width
        page.goto(f"{live_server.url}/clients/{application.client_id}/")
        assert "Ankerveld" in page.locator("h1").inner_text()
        assert page.evaluate(WIDTH) <= width
        assert page.locator("[aria-current=step]").inner_text().strip().endswith("Compleet")
        assert page.locator(f"form[action='/sessions/cases/{application.pk}/schedule/']").count()
        assert serious_violations(page) == []

    # On the phone the menu is one disclosure; it opens and leads to a page of the stage.
    page.set_viewport_size({"width": 390, "height": 844})
    menu = page.locator("details.instroom-nav-narrow")
    assert menu.is_visible() and page.locator("nav.instroom-nav-wide").first.is_hidden()
    menu.locator("summary").click()
    menu.locator("a[href='/sessions/']").click()
    assert page.url.endswith("/sessions/")
    assert page.evaluate(WIDTH) <= 390

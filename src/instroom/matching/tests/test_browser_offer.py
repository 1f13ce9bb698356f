"""The match point in a real browser: a corporation offers a home, reads the ranking and a
why-not, proposes the top candidate; the care worker agrees and records the client's yes; the
home and the client leave the open lists."""

import pytest

from instroom.applications.models import Application
from instroom.conftest import browser_login
from instroom.matching.tests.factories import make_approved

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_offer_rank_propose_accept(browser, live_server, cast) -> None:
    url = live_server.url
    first = cast.region.municipalities.order_by("cbs_code").first()
    top = make_approved(cast, urgency=2)  # prefers the first municipality (factory default)
    other = make_approved(cast)
    too_big = make_approved(cast)
    Application.objects.filter(pk=too_big.pk).update(rooms_min=4)

    corporation = browser_login(browser, live_server, cast.corporation_user)
    corporation.goto(f"{url}/homes/new/")
    corporation.fill("#id_street", "Spaarnwouderstraat")
    corporation.fill("#id_house_number", "41")
    corporation.fill("#id_postcode", "2011 hk")
    corporation.select_option("#id_municipality", str(first.pk))
    corporation.select_option("#id_home_type", "apartment")
    corporation.fill("#id_rooms", "2")
    corporation.fill("#id_floor", "0")
    corporation.fill("#id_rent_eur", "640.00")
    corporation.fill("#id_available_from", "2027-03-01")
    corporation.click("main form button[type=submit]")
    assert "Spaarnwouderstraat 41" in corporation.locator("h1").inner_text()

    corporation.click("text=Bekijk de rangorde en draag een kandidaat voor")
    ranking = corporation.locator("main")
    rows = corporation.locator("tr[data-candidate]")
    assert rows.first.get_attribute("data-candidate") == top.client.candidate_number
    assert other.client.candidate_number in ranking.inner_text()
    # The why-not of the candidate who needs four rooms, with the figures.
    why = corporation.locator(f"tr[data-candidate='{too_big.client.candidate_number}']")
    assert "4 kamers" in why.inner_text()
    for person in (top.client, other.client):
        assert person.last_name not in ranking.inner_text()
    corporation.click(f"button:has-text('{top.client.candidate_number} voordragen')")
    assert "Voorgedragen" in corporation.locator("[data-state]").inner_text()

    care = browser_login(browser, live_server, cast.care_worker_a)
    offers = care.locator("[data-role=offers]")
    assert "Spaarnwouderstraat 41" in offers.inner_text()
    offers.locator("a").first.click()
    care.check("#id_provider-answer_0")
    care.click("text=Antwoord versturen")
    assert "Zorgaanbieder akkoord" in care.locator("[data-state]").inner_text()
    care.check("#id_client-answer_0")
    care.click("text=Het antwoord van de cliënt vastleggen")
    assert "klaar voor het contract" in care.locator("[data-state]").inner_text()

    # The home left the open list; the client left the pool.
    corporation.goto(f"{url}/homes/")
    assert "Spaarnwouderstraat" not in corporation.locator("main").inner_text()
    top.refresh_from_db()
    assert top.state == "matching"
    coordinator = browser_login(browser, live_server, cast.coordinator)
    coordinator.goto(f"{url}/clients/?state=approved")
    pool = coordinator.locator("main").inner_text()
    assert top.client.case_number not in pool and other.client.case_number in pool

"""In a real browser: the regional administrator of Lindewaard (no superuser) changes what a
refusal for "another reason" leads to and the points for a home in the municipality of origin;
the next read of the region's rules has them, without a restart."""

from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext

from instroom.accounts.models import User
from instroom.conftest import PASSWORD, browser_login
from instroom.demo.data import FIXTURES, create_users
from instroom.regions.models import Region
from instroom.regions.selectors import rules_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def nl(text: str) -> str:
    with translation.override("nl"):
        return gettext(text)


def test_the_lindewaard_administrator_changes_a_refusal_and_a_score_weight(
    browser: Any, live_server: Any
) -> None:
    call_command("loaddata", *FIXTURES, verbosity=0)  # the demo's users need every region
    create_users("demo-instroom")
    user = User.objects.get(username="beheerder-lindewaard")
    region = Region.objects.get(slug="lindewaard")
    before = rules_for(region.pk)
    assert before.rules.term("refusal_reason", "other").consequence == "parked"
    assert before.rules.matching.score.origin_points == 15
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    page = browser_login(browser, live_server, user)
    # The menu leads to the rules; with one region, straight to that region's.
    assert page.locator("a[href='/beheer/']").count() > 0
    page.goto(f"{live_server.url}/beheer/")
    page.wait_for_url(f"{live_server.url}/beheer/lindewaard/")
    page.click("a[href='/beheer/lindewaard/weigeringen/']")
    code = page.locator("input[name$='-code'][value='other']")
    prefix = code.get_attribute("name").removesuffix("-code")
    page.select_option(f"select[name='{prefix}-consequence']", "back_to_table")
    page.fill("textarea[name='note']", "Andere reden: terug naar de tafel")
    page.click(f"button:has-text('{nl('Save as a new version')}')")
    # It applies today: asked once more (running work follows it from its next step).
    page.click(f"button:has-text('{nl('Yes, save: it applies today')}')")
    page.wait_for_load_state()
    errors = page.locator(".utrecht-form-field-error-message, .utrecht-alert--error")
    assert errors.count() == 0, errors.all_inner_texts()
    page.wait_for_url(f"{live_server.url}/beheer/lindewaard/")
    assert nl("Saved as version %(n)d, applying from %(d)s.").split("%")[0] in page.content()

    page.goto(f"{live_server.url}/beheer/lindewaard/bemiddeling/")
    page.fill("input[name='matching-score-origin_points']", "30")
    page.fill("textarea[name='note']", "Herkomst weegt zwaarder")
    page.click(f"button:has-text('{nl('Save as a new version')}')")
    page.click(f"button:has-text('{nl('Yes, save: it applies today')}')")
    page.wait_for_load_state()
    assert errors.count() == 0, errors.all_inner_texts()
    page.wait_for_url(f"{live_server.url}/beheer/lindewaard/")

    after = rules_for(region.pk)  # read afresh: no restart, no cache
    assert after.number == before.number + 2
    assert after.rules.term("refusal_reason", "other").consequence == "back_to_table"
    assert after.rules.matching.score.origin_points == 30
    # The overview and the history say so in the region's words.
    assert "30" in page.content()
    page.goto(f"{live_server.url}/beheer/lindewaard/geschiedenis/")
    text = page.content()
    assert nl("Points for a home in the municipality of origin") in text
    assert "Herkomst weegt zwaarder" in text
    # The next ranking and the next refusal follow the new version.
    _next_ranking_and_refusal_follow(region, after)


def _next_ranking_and_refusal_follow(region: Region, after: Any) -> None:
    from instroom.applications.models import Application
    from instroom.demo import lindewaard
    from instroom.homes.tests.factories import make_home
    from instroom.matching import ranking, services
    from instroom.matching.models import Refusal
    from instroom.regions.models import Organisation

    lindewaard.create_clients()
    pool = Application.objects.filter(client__region=region, state="approved")
    assert pool.exists()
    origin = pool.first().client.municipality_of_origin  # type: ignore[union-attr]
    corporation = Organisation.objects.get(
        region=region, type="corporation", memberships__user__username="corporatie-lindewaard"
    )
    corporation_user = User.objects.get(username="corporatie-lindewaard")
    home = make_home(
        corporation_user, corporation, municipality=origin, rooms=1, floor=0, rent_eur=500
    )
    ranked = ranking.rank_home(home)
    assert ranked.rules.version_id == after.version_id
    rows = ranked.evaluation.rows()
    assert rows, "a lindewaard client is eligible for the home"
    local = [
        r
        for r in rows
        if Application.objects.get(
            pk=ranked.application_ids[r.index]
        ).client.municipality_of_origin_id
        == origin.pk
    ]
    assert local and all(r.points["origin"] == 30 for r in local)
    snapshot = ranking.snapshot_store(ranked, actor=None, purpose="page")
    assert snapshot.rule_version_id == after.version_id

    application = Application.objects.get(pk=ranked.application_ids[rows[0].index])
    care = User.objects.get(username="aanmelder-lindewaard")  # the client's care provider
    coordinator = User.objects.get(username="coordinator-lindewaard")
    match = services.match_propose(actor=corporation_user, home=home, application=application)
    services.match_provider_decide(actor=care, match=match, accept=True)
    services.match_client_decide(
        actor=care, match=match, accept=False, reason="other", note="Wil dichter bij werk wonen"
    )
    refusal = Refusal.objects.get(match=match)
    services.refusal_review(
        actor=coordinator, refusal=refusal, justified=False, note="Woning paste goed"
    )
    application.refresh_from_db()
    assert application.state == "complete"  # back to the service point's decision

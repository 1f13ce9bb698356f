"""The intake-to-decision path in a real browser, as new users would walk it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from instroom.applications.models import Application
from instroom.assessment import services as assessment_services
from instroom.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(browser, live_server, user):
    return browser_login(browser, live_server, user)


def test_application_from_draft_to_the_pool(browser, live_server, cast) -> None:
    url = live_server.url
    table = cast.region.tables.get()
    assessment_services.table_member_add(
        actor=None, table=table, user=cast.table_member, is_chair=True
    )
    origin = cast.region.municipalities.order_by("cbs_code").first()

    # The applicant drafts the application step by step and submits it.
    applicant = login(browser, live_server, cast.care_worker_a)
    applicant.goto(f"{url}/clients/new/")
    applicant.fill("#id_first_name", "Femke")
    applicant.fill("#id_last_name", "Voorbeeldig")
    applicant.fill("#id_bsn", "999990019")
    applicant.fill("#id_date_of_birth", "1990-05-17")
    applicant.select_option("#id_source", "bw")
    applicant.select_option("#id_municipality_of_origin", str(origin.pk))
    applicant.select_option("#id_support_provider", str(cast.care_b.pk))
    applicant.click("main button[type=submit]")
    applicant.fill("#id_rooms_min", "1")
    applicant.select_option("#id_preference_1", str(origin.pk))
    applicant.click("button[name=next]")
    applicant.fill("#id_yearly_income_eur", "19500")
    applicant.select_option("#id_budget_management", "none")
    applicant.fill("#id_expected_support_months", "24")
    applicant.click("button[name=next]")
    applicant.select_option("#id_dossier_weight", "medium")
    applicant.click("button[name=next]")
    # Skipping the motivation letter: the last step lists it as missing, with a link.
    applicant.click("button[name=next]")
    applicant.check("#id_consent_given")
    applicant.click("button[name=save]")
    missing = applicant.locator(".utrecht-alert--warning a")
    assert missing.count() == 1
    missing.first.click()
    applicant.fill("#id_motivation_text", "Ik ben er klaar voor om zelfstandig te wonen.")
    applicant.click("button[name=next]")
    applicant.click("form[action$='/submit/'] button")
    application = Application.objects.get(client__last_name="Voorbeeldig")
    assert application.state == "submitted"

    # The coordinator returns it with a reason.
    coordinator = login(browser, live_server, cast.coordinator)
    coordinator.goto(f"{url}/clients/check/")
    coordinator.click("text=" + application.client.case_number)
    coordinator.fill("#id_reason", "Graag ook het huidige adres van de voorziening invullen.")
    coordinator.click("form[action$='/return/'] button")
    application.refresh_from_db()
    assert application.state == "returned"

    # The applicant sees it on their home page, completes it and submits again.
    applicant.goto(f"{url}/")
    assert "huidige adres" in applicant.content()
    applicant.goto(f"{url}/clients/applications/{application.pk}/edit/identity/")
    applicant.fill("#id_current_facility", "Locatie Duinzicht")
    applicant.click("button[name=save]")
    applicant.goto(f"{url}/clients/{application.client_id}/")
    applicant.click("form[action$='/submit/'] button")
    application.refresh_from_db()
    assert application.state == "submitted" and application.current_facility == "Locatie Duinzicht"

    # The coordinator passes it, plans a session and puts it on the agenda.
    coordinator.goto(f"{url}/clients/{application.client_id}/")
    coordinator.click("form[action$='/complete/'] button")
    coordinator.goto(f"{url}/sessions/")
    coordinator.select_option("#id_table", str(table.pk))
    coordinator.fill(
        "#id_starts_at", (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT10:00")
    )
    coordinator.fill("#id_location", "Servicepunt")
    coordinator.click("form.utrecht-form button[type=submit]")
    coordinator.select_option("#application", str(application.pk))
    coordinator.click("form[action$='/agenda/add/'] button")
    application.refresh_from_db()
    assert application.state == "scheduled"

    # The chair approves it with conditions; the client is in the pool.
    chair = login(browser, live_server, cast.table_member)
    chair.goto(f"{url}/sessions/")
    chair.click("table a")
    chair.click("main summary")
    chair.check("input[name=outcome][value=approve]")
    chair.fill(
        "form[action$='/decide/'] [name=reasoning]", "Stabiel, met woonbegeleiding geregeld."
    )
    chair.select_option("form[action$='/decide/'] [name=contract_form]", "three_party")
    chair.fill("form[action$='/decide/'] [name=support_months]", "24")
    chair.click("form[action$='/decide/'] button")
    application.refresh_from_db()
    assert application.state == "approved"
    coordinator.goto(f"{url}/clients/?state=approved")
    assert "Voorbeeldig" in coordinator.content()


def test_a_walk_that_ends_in_rejection(browser, live_server, cast) -> None:
    from instroom.applications import services
    from instroom.applications.tests.factories import make_application

    table = cast.region.tables.get()
    assessment_services.table_member_add(
        actor=None, table=table, user=cast.table_member, is_chair=True
    )
    application = make_application(cast.care_worker_a, cast.care_a, last_name="Afgewezen")
    services.application_submit(actor=cast.care_worker_a, application=application)
    services.application_mark_complete(actor=cast.coordinator, application=application)
    session = assessment_services.session_plan(
        actor=cast.coordinator, table=table, starts_at=timezone.now() + timedelta(days=2)
    )
    assessment_services.agenda_add(actor=cast.coordinator, session=session, application=application)

    chair = login(browser, live_server, cast.table_member)
    chair.goto(f"{live_server.url}/sessions/{session.pk}/")
    chair.click("main summary")
    chair.check("input[name=outcome][value=reject]")
    chair.fill("form[action$='/decide/'] [name=reasoning]", "Nog niet stabiel genoeg.")
    chair.click("form[action$='/decide/'] button")
    # Without an earliest re-application date the decision is refused, and says why.
    assert chair.locator(".utrecht-alert--error").count() >= 1
    application.refresh_from_db()
    assert application.state == "scheduled"
    chair.click("main summary")
    chair.check("input[name=outcome][value=reject]")
    chair.fill("form[action$='/decide/'] [name=reasoning]", "Nog niet stabiel genoeg.")
    chair.fill(
        "form[action$='/decide/'] [name=earliest_reapplication]",
        (timezone.localdate() + timedelta(days=180)).isoformat(),
    )
    chair.click("form[action$='/decide/'] button")
    application.refresh_from_db()
    assert application.state == "rejected"
    applicant = login(browser, live_server, cast.care_worker_a)
    assert application.client.case_number in applicant.content()  # the decision is a task

"""The journey continues in a real browser from an accepted match: the corporation draws up the
contract, downloads its PDF, records the signing and the move; the support worker records an
evaluation with its checklist; a signal goes to the case table; the final evaluation converts
the contract. Selectors use form actions and field names, so they hold in every language."""

from pathlib import Path

import pytest
from django.utils import timezone

from instroom.applications.models import Application
from instroom.conftest import browser_login
from instroom.distribution.models import Placement
from instroom.reporting.tests.test_browser_home import serious_violations
from instroom.support import services
from instroom.support.models import Contract
from instroom.support.tests.factories import accepted_match, hold_handover

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_contract_to_conversion(browser, live_server, cast) -> None:
    url = live_server.url
    today = timezone.localdate().isoformat()
    match = accepted_match(cast, last_name="Zwaluwstaart")

    corporation = browser_login(browser, live_server, cast.corporation_user)
    corporation.goto(f"{url}/support/")
    corporation.click(f"form[action='/support/matches/{match.pk}/prepare/'] button")
    contract = Contract.objects.get(match=match)
    assert "Zwaluwstaart" in corporation.locator("main").inner_text()
    with corporation.expect_download() as download:
        corporation.click(f"a[href='/support/contracts/{contract.pk}/agreement.pdf']")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    # A signing date in the future is refused beside the field; the other dates are kept.
    corporation.fill("#id_sign-signed_on", "2099-01-01")
    corporation.fill("#id_sign-key_handover_on", today)
    corporation.fill("#id_sign-planned_move_in_on", today)
    corporation.click("form[action$='/sign/'] button")
    assert corporation.locator("#id_sign-signed_on_error").is_visible()
    assert corporation.input_value("#id_sign-key_handover_on") == today
    corporation.fill("#id_sign-signed_on", today)
    corporation.click("form[action$='/sign/'] button")
    assert corporation.locator("[data-state=signed]").is_visible()
    assert Placement.objects.filter(client=match.client, undone_at__isnull=True).count() == 1

    # The move before the warm handover is refused beside the date, which is kept.
    corporation.fill("#id_move-moved_in_on", today)
    corporation.click("form[action$='/move-in/'] button")
    assert corporation.locator("#id_move-moved_in_on_error").is_visible()
    assert corporation.input_value("#id_move-moved_in_on") == today
    hold_handover(cast, contract, on=timezone.localdate())
    corporation.click("form[action$='/move-in/'] button")
    assert corporation.locator("[data-state=housed]").is_visible()
    assert corporation.locator("a[href^='/support/meetings/']").count() == 7  # handover + 6

    # bypass_csp: axe-core is injected as a script tag.
    support = browser_login(browser, live_server, cast.support_worker, bypass_csp=True)
    support.goto(f"{url}/support/contracts/{contract.pk}/")
    assert serious_violations(support) == []
    # The introduction meeting, held on the day of the move (an evaluation waits for its period).
    evaluation = contract.meetings.get(kind="introduction")
    support.click(f"a[href='/support/meetings/{evaluation.pk}/']")
    questions = services.checklist_for(evaluation)
    assert serious_violations(support) == []
    support.fill("#id_record-held_on", today)
    support.fill("#id_record-notes", "Gaat goed; buren leren kennen.")
    for question in questions[:-1]:
        support.check(f"input[name='record-q{question.position}'][value='good']")
    support.click("form[action$='/record/'] button")
    # One question left open: the form is not sent (the server refuses it too: service tests).
    assert not support.evaluate(
        "document.querySelector(\"form[action$='/record/']\").checkValidity()"
    )
    evaluation.refresh_from_db()
    assert evaluation.state == "due"
    assert support.is_checked(f"input[name='record-q{questions[0].position}'][value='good']")
    support.check(f"input[name='record-q{questions[-1].position}'][value='attention']")
    support.fill(f"#id_record-q{questions[-1].position}_note", "Omklap bespreken bij 12 maanden")
    support.click("form[action$='/record/'] button")
    evaluation.refresh_from_db()
    assert evaluation.state == "held" and evaluation.answers.count() == len(questions)

    # A signal from the corporation, escalated by the support worker to the case table.
    corporation.goto(f"{url}/support/contracts/{contract.pk}/")
    corporation.click("details:has(form[action$='/signals/']) summary")
    corporation.select_option("#id_signal-kind", "arrears")
    corporation.select_option("#id_signal-severity", "high")
    corporation.fill("#id_signal-description", "Drie maanden huurachterstand")
    corporation.click("form[action$='/signals/'] button")
    signal = contract.signals.get()
    support.goto(f"{url}/support/signals/{signal.pk}/")
    support.fill("#id_escalate-note", "Budgetbeheer inzetten?")
    support.click("form[action$='/escalate/'] button")
    assert support.locator("[data-state=escalated]").is_visible()
    coordinator = browser_login(browser, live_server, cast.coordinator)
    coordinator.goto(f"{url}/support/case-table/")
    assert contract.client.case_number in coordinator.locator("main").inner_text()

    # Converting on the day of the move is refused (the support runs two years), the input kept;
    # the support worker is not offered the override.
    support.goto(f"{url}/support/contracts/{contract.pk}/")
    support.click("details:has(form[action$='/final/']) summary")
    support.check("input[name='final-outcome'][value='convert']")
    support.fill("#id_final-note", "Zelfstandig; omklap naar regulier huurcontract.")
    assert support.locator("#id_final-override").count() == 0
    support.click("form[action$='/final/'] button")
    assert support.locator("#id_final-outcome_error").is_visible()
    assert support.input_value("#id_final-note").startswith("Zelfstandig")
    # The service point converts it anyway, with its reason (counted as out of order).
    coordinator.goto(f"{url}/support/contracts/{contract.pk}/")
    coordinator.click("details:has(form[action$='/final/']) summary")
    coordinator.check("input[name='final-outcome'][value='convert']")
    coordinator.fill("#id_final-note", "Zelfstandig; omklap naar regulier huurcontract.")
    coordinator.check("#id_final-override")
    coordinator.fill("#id_final-override_reason", "Overgenomen lopende zaak: twee jaar al voorbij.")
    coordinator.click("form[action$='/final/'] button")
    assert coordinator.locator("[data-state=converted]").is_visible()
    assert Application.objects.get(pk=match.application_id).state == "completed"

"""Every support page × every persona, on real objects: the parties of the tenancy see it, the
rest get 403 (by role) or 404 (another organisation's case); names only for those entitled."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from instroom.audit.models import AuditEvent
from instroom.support import services
from instroom.support.tests.factories import housed_contract

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# Who opens the contract, meeting and signal pages of a case of care provider A, supported by
# care provider B, in the corporation's home, handed over to the welfare organisation.
PARTIES = {"coordinator", "care_worker_a", "support_worker", "corporation_user", "welfare_user"}


@pytest.fixture
def case(cast):
    contract = housed_contract(cast, on=timezone.localdate(), last_name="Zwaluwstaart")
    services.contract_assign(
        actor=cast.support_worker,
        contract=contract,
        support_worker=cast.support_worker,
        welfare_organisation=cast.region.organisations.get(slug="welzijn"),
        welfare_contact="Sanne, wijkteam",
    )
    signal = services.signal_report(
        actor=cast.corporation_user,
        contract=contract,
        kind="nuisance",
        severity="medium",
        description="Geluidsoverlast",
    )
    item = services.signal_escalate(actor=cast.support_worker, signal=signal, note="Bespreken")
    session = services.case_table_session_create(
        actor=cast.coordinator, region=cast.region, starts_at=timezone.now() + timedelta(days=1)
    )
    item.refresh_from_db()
    return {
        "contract": contract,
        "meeting": contract.meetings.get(kind="introduction"),
        "signal": signal,
        "session": session,
    }


def test_support_pages_per_persona(client, cast, case) -> None:
    contract = case["contract"]
    pages = {
        reverse("support:contract", args=[contract.pk]): PARTIES,
        reverse("support:document", args=[contract.pk]): PARTIES,
        reverse("support:meeting", args=[case["meeting"].pk]): PARTIES,
        reverse("support:signal", args=[case["signal"].pk]): PARTIES,
        reverse("support:case_table_session", args=[case["session"].pk]): {"coordinator"},
        reverse("support:case_table_pdf", args=[case["session"].pk]): {"coordinator"},
        # Another region's coordinator has a case table of their own: empty of this case.
        reverse("support:case_table"): {"coordinator", "other_coordinator"},
    }
    for url, allowed in pages.items():
        for name, user in cast.personas().items():
            client.force_login(user)
            response = client.get(url)
            if name in allowed:
                assert response.status_code == 200, (name, url, response.status_code)
                if name == "other_coordinator":
                    assert contract.client.case_number.encode() not in body(response)
            else:
                assert response.status_code in (403, 404), (name, url, response.status_code)
                assert b"Zwaluwstaart" not in body(response)
            if name not in ("coordinator", "care_worker_a"):
                assert contract.client.bsn.encode() not in body(response), (name, url)


def test_the_contract_page_logs_who_saw_the_name(client, cast, case) -> None:
    client.force_login(cast.welfare_user)
    response = client.get(reverse("support:contract", args=[case["contract"].pk]))
    assert b"Zwaluwstaart" in response.content  # handed over: the district team knows the name
    assert AuditEvent.objects.filter(
        kind="access", actor=cast.welfare_user, client_id=case["contract"].client_id
    ).exists()


def test_lists_show_each_party_its_own_cases(client, cast, case) -> None:
    number = case["contract"].client.case_number.encode()
    for name, user in cast.personas().items():
        client.force_login(user)
        response = client.get(reverse("support:contracts"))
        if name in PARTIES:
            assert number in response.content, name
        elif response.status_code == 200:
            assert number not in response.content, name


def test_writes_by_outsiders_are_refused_and_change_nothing(client, cast, case) -> None:
    contract = case["contract"]
    meeting = case["meeting"]
    for user in (cast.care_worker_b, cast.other_coordinator, cast.police, cast.municipality_user):
        client.force_login(user)
        client.post(
            reverse("support:meeting_plan", args=[meeting.pk]),
            {"plan-planned_at": "2030-01-01T10:00"},
        )
        client.post(
            reverse("support:final", args=[contract.pk]),
            {"final-outcome": "end", "final-note": "x"},
        )
    meeting.refresh_from_db()
    contract.refresh_from_db()
    assert meeting.state == "due" and contract.state == "housed"


def test_a_bad_form_keeps_the_input_and_names_the_field(client, cast, case) -> None:
    client.force_login(cast.support_worker)
    response = client.post(
        reverse("support:timeout_start", args=[case["contract"].pk]),
        {
            "timeout-starts_on": "2026-12-01",
            "timeout-ends_on": "2027-12-01",
            "timeout-stay": "Logeerhuis De Linde",
            "timeout-return_plan": "Terug na evaluatie",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Logeerhuis De Linde" in page and "hoogstens 90 dagen" in page


def test_the_support_workers_home_page_counts_meetings_to_plan_and_overdue(
    client, cast, case
) -> None:
    from instroom.support.models import Meeting

    Meeting.objects.filter(pk=case["meeting"].pk).update(
        due_on=timezone.localdate() - timedelta(days=3)
    )
    client.force_login(cast.support_worker)
    page = client.get("/").content.decode()
    assert "te laat: 1" in page and "/support/meetings/" in page


def test_the_welfare_home_page_shows_the_tenants_handed_over(client, cast, case) -> None:
    client.force_login(cast.welfare_user)
    page = client.get("/").content.decode()
    assert "1 nieuwe huurder is aan uw organisatie overgedragen" in page


def test_list_pages_cost_the_same_queries_for_more_contracts(client, cast) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url: str) -> int:
        client.force_login(cast.support_worker)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    housed_contract(cast, on=timezone.localdate())
    before = {url: queries(url) for url in ("/support/", "/support/meetings/", "/")}
    for _ in range(3):
        housed_contract(cast, on=timezone.localdate())
    after = {url: queries(url) for url in before}
    assert after == before


def test_the_client_page_and_the_offer_lead_to_the_contract(client, cast, case) -> None:
    contract = case["contract"]
    link = f"/support/contracts/{contract.pk}/"
    for user in (cast.coordinator, cast.care_worker_a):
        client.force_login(user)
        assert link in client.get(f"/clients/{contract.client_id}/").content.decode()
    client.force_login(cast.corporation_user)
    assert link in client.get(f"/matching/{contract.match_id}/").content.decode()


def test_the_case_table_agenda_pdf_names_cases_not_people(client, cast, case) -> None:
    client.force_login(cast.coordinator)
    response = client.get(reverse("support:case_table_pdf", args=[case["session"].pk]))
    assert response.content.startswith(b"%PDF")
    from django.template.loader import render_to_string

    html = render_to_string(
        "support/case_table_pdf.html",
        {"session": case["session"], "items": case["session"].items.all()},
    )
    assert case["contract"].client.case_number in html and "Geluidsoverlast" in html
    assert "Zwaluwstaart" not in html


@pytest.mark.parametrize("persona", ["support_worker", "coordinator"])
def test_the_meeting_list_names_the_client_for_those_who_may_see_names(
    client, cast, case, persona
) -> None:
    """The list said "ZK-2026-0035" only: the support worker had to open each case to know whom
    the meeting is with. Now the name stands beside the case number, and the read is logged."""
    user = getattr(cast, persona)
    client.force_login(user)
    page = client.get(reverse("support:meetings")).content.decode()
    contract = case["contract"]
    assert "Zwaluwstaart" in page and contract.client.case_number in page
    assert AuditEvent.objects.filter(
        actor=user, client_id=contract.client_id, purpose="meeting list"
    ).exists()

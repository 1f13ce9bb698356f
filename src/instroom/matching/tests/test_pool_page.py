"""Issue 23: the pool page (Bemiddelbaar) shows per client the approval date, whole days
waiting (not "0 minuten"), the urgency's label, the candidate number and a running parking with
its end; at a constant number of queries; for the service point only."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from instroom.applications.constants import CaseState
from instroom.applications.models import Application
from instroom.applications.tests.test_client_list import bulk_clients
from instroom.assessment.constants import Urgency
from instroom.matching.models import Parking
from instroom.matching.tests.factories import make_approved

pytestmark = pytest.mark.django_db

URL = reverse("matching:pool")


def row_of(html: str, case_number: str) -> str:
    match = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{re.escape(case_number)}.*?</tr>", html, re.S)
    assert match, case_number
    return match.group(0)


@pytest.fixture
def pool(cast):
    urgent = make_approved(cast, urgency=Urgency.HIGH, first_name="Ilse", last_name="Urgent")
    parked = make_approved(cast, first_name="Pim", last_name="Geparkeerd")
    now = timezone.now()
    Application.objects.filter(pk=urgent.pk).update(decided_at=now - timedelta(days=12))
    Application.objects.filter(pk=parked.pk).update(
        decided_at=now - timedelta(days=40), state=CaseState.PARKED
    )
    today = timezone.localdate()
    Parking.objects.create(
        application=parked,
        starts_on=today - timedelta(days=5),
        until=today + timedelta(days=30),
        reason="Weigering zonder geldige reden.",
    )
    return {"urgent": urgent, "parked": parked, "today": today}


def test_pool_shows_approval_waiting_urgency_candidate_and_parking(client, cast, pool):
    client.force_login(cast.coordinator)
    html = client.get(URL).content.decode()
    urgent = row_of(html, pool["urgent"].client.case_number)
    approved_on = pool["today"] - timedelta(days=12)
    assert f"{approved_on.day}-{approved_on.month}-{approved_on.year}" in urgent
    assert re.search(r"numeric\">12</td>", urgent)
    assert "minu" not in urgent
    assert str(Urgency.HIGH.label) in urgent
    assert pool["urgent"].client.candidate_number in urgent
    parked = row_of(html, pool["parked"].client.case_number)
    assert re.search(r"numeric\">40</td>", parked)
    until = pool["today"] + timedelta(days=30)
    assert f"{until.day}-{until.month}-{until.year}" in parked
    assert str(Urgency.NORMAL.label) in parked
    # Most urgent first.
    assert html.index("Urgent") < html.index("Geparkeerd")


def test_an_ended_parking_is_not_shown(client, cast, pool):
    Parking.objects.update(ended_on=pool["today"], end_reason="Toch bemiddelbaar.")
    client.force_login(cast.coordinator)
    html = client.get(URL).content.decode()
    until = pool["today"] + timedelta(days=30)
    assert f"{until.day}-{until.month}-{until.year}" not in html


def test_the_pool_of_the_own_region_only(client, cast, pool):
    client.force_login(cast.other_coordinator)
    html = client.get(URL).content.decode()
    assert pool["urgent"].client.case_number not in html
    client.force_login(cast.care_worker_a)
    assert client.get(URL).status_code in (403, 404)


def test_constant_queries(client, cast):
    client.force_login(cast.coordinator)
    client.get(URL)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    def add(n: int) -> None:
        clients = bulk_clients(cast, n, state=CaseState.APPROVED)
        today = timezone.localdate()
        for application in Application.objects.filter(client__in=clients)[: n // 2]:
            Parking.objects.create(
                application=application,
                starts_on=today,
                until=today + timedelta(days=10),
                reason="Test",
            )

    add(10)
    few = queries()
    add(50)
    many = queries()
    assert few == many


def test_check_queue_days_waiting_in_whole_days(client, cast):
    from instroom.applications import services
    from instroom.applications.tests.factories import make_application

    application = make_application(cast.care_worker_a, cast.care_a)
    services.application_submit(actor=cast.care_worker_a, application=application)
    # Noon, three calendar days ago (local time): the page counts days by the calendar, so a
    # moment "3 days and 2 hours ago" is 4 days when the test runs just after midnight.
    from datetime import datetime, time

    noon = datetime.combine(timezone.localdate() - timedelta(days=3), time(12))
    Application.objects.filter(pk=application.pk).update(state_changed_at=timezone.make_aware(noon))
    client.force_login(cast.coordinator)
    html = client.get(reverse("applications:check_queue")).content.decode()
    row = row_of(html, application.client.case_number)
    assert re.search(r"numeric\">3</td>", row)
    assert "minu" not in row and "dag" not in row

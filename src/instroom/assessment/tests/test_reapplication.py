"""Issue 24: a client the table rejected with an earliest re-application date cannot apply
again before that date (page and API), and a later application is linked to the earlier one."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from instroom.applications import services as app_services
from instroom.applications.models import Application
from instroom.applications.tests.factories import make_application
from instroom.assessment import services

pytestmark = pytest.mark.django_db
BSN = "999990019"


@pytest.fixture
def rejected(cast):
    table = cast.region.tables.get()
    services.table_member_add(actor=None, table=table, user=cast.table_member, is_chair=True)
    session = services.session_plan(
        actor=cast.coordinator, table=table, starts_at=timezone.now() - timedelta(minutes=1)
    )
    application = make_application(cast.care_worker_a, cast.care_a, bsn=BSN)
    app_services.application_submit(actor=cast.care_worker_a, application=application)
    app_services.application_mark_complete(actor=cast.coordinator, application=application)
    item = services.agenda_add(actor=cast.coordinator, session=session, application=application)
    services.decision_record(
        actor=cast.table_member,
        item=item,
        outcome="reject",
        reasoning="Nog niet zelfstandig.",
        earliest_reapplication=timezone.localdate() + timedelta(days=180),
    )
    application.refresh_from_db()
    return application


def _page(client, cast, user, bsn: str):
    client.force_login(user)
    return client.post(
        reverse("applications:create"),
        {
            "first_name": "Sanne",
            "last_name": "Fictief",
            "bsn": bsn,
            "date_of_birth": "1990-01-01",
            "source": "bw",
            "municipality_of_origin": cast.region.municipalities.order_by("cbs_code").first().pk,
            "support_provider": cast.care_b.pk,
        },
    )


def _api(cast, user, bsn: str, org: str):
    api = APIClient()
    api.force_authenticate(user)
    return api.post(
        "/api/v1/applications/",
        {
            "care_provider": org,
            "support_provider": "zorg-b",
            "municipality_of_origin": cast.region.municipalities.order_by("cbs_code")
            .first()
            .cbs_code,
            "first_name": "Fenna",
            "last_name": "Fictief",
            "bsn": bsn,
            "date_of_birth": "1991-02-03",
            "source": "bw",
        },
        format="json",
    )


def test_the_rejection_keeps_its_earliest_reapplication_date(rejected) -> None:
    assert rejected.state == "rejected"
    assert rejected.earliest_reapplication == timezone.localdate() + timedelta(days=180)


def test_no_new_application_before_the_date_with_the_date_in_the_message(
    client, cast, rejected
) -> None:
    shown = rejected.earliest_reapplication.strftime("%d-%m-%Y")
    page = _page(client, cast, cast.care_worker_a, "9999 90019")
    assert page.status_code == 200
    assert shown in " ".join(page.context["form"].errors["bsn"])
    api = _api(cast, cast.care_worker_a, "9999.90.019", "zorg-a")
    assert api.status_code == 400 and shown in api.json()["bsn"][0]
    assert Application.objects.count() == 1


def test_another_organisation_hears_only_to_contact_the_service_point(
    client, cast, rejected
) -> None:
    shown = rejected.earliest_reapplication.strftime("%d-%m-%Y")
    page = _page(client, cast, cast.care_worker_b, BSN)
    api = _api(cast, cast.care_worker_b, BSN, "zorg-b")
    assert api.status_code == 400 and "servicepunt" in api.json()["bsn"][0]
    body = page.content.decode() + api.content.decode()
    assert shown not in body and "afgewezen" not in body
    assert rejected.client.last_name not in body
    assert Application.objects.count() == 1


def test_after_the_date_a_new_application_is_linked_to_the_earlier_client(cast, rejected) -> None:
    with time_machine.travel(rejected.earliest_reapplication + timedelta(days=1), tick=False):
        response = _api(cast, cast.care_worker_a, "9999 90019", "zorg-a")
    assert response.status_code == 201, response.content
    again = Application.objects.get(pk=response.json()["id"])
    assert again.client.previous_client == rejected.client and again.bsn == BSN


def test_the_service_point_sees_the_earlier_record_the_other_provider_does_not(
    client, cast, rejected
) -> None:
    with time_machine.travel(rejected.earliest_reapplication + timedelta(days=1), tick=False):
        response = _api(cast, cast.care_worker_b, "9999 90019", "zorg-b")
    assert response.status_code == 201, response.content
    again = Application.objects.get(pk=response.json()["id"])
    earlier = rejected.client.case_number
    client.force_login(cast.coordinator)
    page = client.get(f"/clients/{again.client_id}/").content.decode()
    assert earlier in page and f"/clients/{rejected.client_id}/" in page
    client.force_login(cast.care_worker_b)  # the new writer: not the earlier case's
    page = client.get(f"/clients/{again.client_id}/").content.decode()
    assert earlier not in page

"""The intake and assessment operations through the API, with token authentication."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from instroom.accounts.tests.factories import api_key_for
from instroom.assessment import services as assessment_services


def token_client(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return api


@pytest.mark.django_db
def test_whole_intake_through_the_api(cast) -> None:
    applicant, coordinator = token_client(cast.care_worker_a), token_client(cast.coordinator)
    origin = cast.region.municipalities.order_by("cbs_code").first()
    created = applicant.post(
        "/api/v1/applications/",
        {
            "care_provider": "zorg-a",
            "support_provider": "zorg-b",
            "municipality_of_origin": origin.cbs_code,
            "first_name": "Fenna",
            "last_name": "Fictief",
            "bsn": "999990019",
            "date_of_birth": "1991-02-03",
            "source": "bw",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert len(created.json()["missing"]) == 8  # everything after identity is still missing
    refused = applicant.post(f"/api/v1/applications/{pk}/submit/")
    assert refused.status_code == 400 and refused.json()["detail"]
    applicant.patch(
        f"/api/v1/applications/{pk}/",
        {
            "rooms_min": 1,
            "yearly_income_eur": "20000",
            "budget_management": "none",
            "expected_support_months": 24,
            "dossier_weight": "light",
            "motivation_text": "Ik wil graag.",
        },
        format="json",
    )
    applicant.put(
        f"/api/v1/applications/{pk}/preferences/",
        {"municipalities": [origin.cbs_code]},
        format="json",
    )
    applicant.post(f"/api/v1/applications/{pk}/consent/", {"given": True}, format="json")
    assert applicant.post(f"/api/v1/applications/{pk}/submit/").json()["state"] == "submitted"
    # The applicant may not complete; the coordinator may.
    assert applicant.post(f"/api/v1/applications/{pk}/complete/").status_code == 403
    assert coordinator.post(f"/api/v1/applications/{pk}/complete/").json()["state"] == "complete"
    table = cast.region.tables.get()
    assessment_services.table_member_add(
        actor=None, table=table, user=cast.table_member, is_chair=True
    )
    session = assessment_services.session_plan(
        actor=cast.coordinator, table=table, starts_at=timezone.now() - timedelta(minutes=1)
    )
    item = coordinator.post(
        f"/api/v1/sessions/{session.pk}/agenda/", {"application": pk}, format="json"
    )
    assert item.status_code == 201
    chair = token_client(cast.table_member)
    bad = chair.post(
        f"/api/v1/agenda-items/{item.json()['id']}/decision/",
        {"outcome": "approve", "reasoning": ""},
        format="json",
    )
    assert bad.status_code == 400 and "reasoning" in bad.json()
    decided = chair.post(
        f"/api/v1/agenda-items/{item.json()['id']}/decision/",
        {
            "outcome": "approve",
            "reasoning": "Goed voorbereid.",
            "contract_form": "three_party",
            "support_months": 24,
        },
        format="json",
    )
    assert decided.json()["state"] == "approved"


@pytest.mark.django_db
def test_api_refuses_other_organisations_and_bad_tokens(cast) -> None:
    from instroom.applications.tests.factories import make_application

    application = make_application(cast.care_worker_a, cast.care_a)
    other = token_client(cast.care_worker_b)
    assert other.get(f"/api/v1/applications/{application.pk}/").status_code == 404
    assert other.post(f"/api/v1/applications/{application.pk}/submit/").status_code == 404
    municipality = token_client(cast.municipality_user)
    assert municipality.get("/api/v1/applications/").status_code == 403
    anonymous = APIClient()
    anonymous.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert anonymous.get("/api/v1/applications/").status_code in (401, 403)


@pytest.mark.django_db
def test_openapi_schema_describes_the_operations(client, cast) -> None:
    client.force_login(cast.coordinator)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/applications/{id}/submit/", "/api/v1/agenda-items/{id}/decision/"):
        assert path in schema

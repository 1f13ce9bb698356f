"""A leaked API token stops working after the configured number of days."""

from datetime import timedelta

import pytest
from django.utils import timezone

from instroom.accounts.models import ApiToken
from instroom.accounts.tests.factories import api_key_for

pytestmark = pytest.mark.django_db


def test_an_old_token_is_refused_with_what_to_do(client, cast, settings) -> None:
    settings.INSTROOM_API_TOKEN_DAYS = 90
    key = api_key_for(cast.coordinator)
    auth = {"HTTP_AUTHORIZATION": f"Token {key}", "HTTP_ACCEPT_LANGUAGE": "en"}
    assert client.get("/api/v1/me/", **auth).status_code == 200
    ApiToken.objects.filter(user=cast.coordinator).update(
        created_at=timezone.now() - timedelta(days=91)
    )
    response = client.get("/api/v1/me/", **auth)
    assert response.status_code in (401, 403)
    assert "expired" in response.json()["detail"]


def test_the_schema_still_documents_the_token_header_and_answers_a_token(client, cast) -> None:
    key = api_key_for(cast.coordinator)
    response = client.get(
        "/api/schema/", HTTP_ACCEPT="application/json", HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert response.status_code == 200
    scheme = response.json()["components"]["securitySchemes"]["tokenAuth"]
    assert scheme["name"] == "Authorization" and '"Token"' in scheme["description"]

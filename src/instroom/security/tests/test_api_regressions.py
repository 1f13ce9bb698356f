"""Bugs the API fuzzing (test_api_fuzz.py) found, kept as plain, fast tests in `make test`."""

import pytest
from rest_framework.test import APIClient

from instroom.accounts.tests.factories import api_key_for

pytestmark = pytest.mark.django_db

MALFORMED = ["abc", "1.5", "%00", "1e3"]


def token_client(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return api


@pytest.mark.parametrize("pk", MALFORMED)
def test_a_malformed_agenda_item_id_is_not_found_not_a_server_error(cast, pk) -> None:
    response = token_client(cast.table_member).post(
        f"/api/v1/agenda-items/{pk}/decision/", {"outcome": "approve"}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/applications/{}/",
        "/api/v1/clients/{}/",
        "/api/v1/homes/{}/",
        "/api/v1/matches/{}/",
        "/api/v1/homes/{}/ranking/",
    ],
)
def test_malformed_ids_elsewhere_are_not_found(cast, path) -> None:
    api = token_client(cast.coordinator)
    for pk in MALFORMED:
        assert api.get(path.format(pk)).status_code == 404, pk


def test_the_client_list_is_paginated_as_its_schema_says(cast) -> None:
    response = token_client(cast.coordinator).get("/api/v1/clients/")
    assert response.status_code == 200
    assert set(response.json()) == {"count", "next", "previous", "results"}


@pytest.mark.parametrize("slug", ["%00", "a%00b", "%C3%A9", "a.b"])
def test_a_region_slug_with_odd_characters_is_not_found(cast, slug) -> None:
    # On PostgreSQL a NUL byte reached the query and failed with a DataError (a 500).
    assert token_client(cast.coordinator).get(f"/api/v1/regions/{slug}/").status_code == 404


def test_a_region_is_found_by_its_slug(cast) -> None:
    response = token_client(cast.coordinator).get(f"/api/v1/regions/{cast.region.slug}/")
    assert response.status_code == 200

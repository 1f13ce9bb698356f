"""Pages and API answers with personal data are never kept in a browser's cache (a shared
computer); static files keep their long caching."""

from django.test import Client
from django.utils.cache import get_max_age

from instroom.applications.tests.factories import make_application


def _directives(response) -> set[str]:
    return {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",")}


def test_a_page_with_personal_data_is_not_stored(client: Client, cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    client.force_login(cast.care_worker_a)
    response = client.get(f"/clients/{application.client_id}/")
    assert response.status_code == 200
    assert application.client.bsn in response.content.decode()
    assert "no-store" in _directives(response)
    assert "private" in _directives(response)


def test_an_api_answer_is_not_stored(client: Client, cast) -> None:
    make_application(cast.care_worker_a, cast.care_a)
    client.force_login(cast.care_worker_a)
    response = client.get("/api/v1/clients/")
    assert response.status_code == 200
    assert response.json()["results"]
    assert "no-store" in _directives(response)


def test_a_refusal_and_the_login_page_are_not_stored(client: Client, cast) -> None:
    assert "no-store" in _directives(client.get("/api/v1/clients/"))
    assert "no-store" in _directives(client.get("/accounts/login/"))


def test_a_static_file_keeps_its_caching(client: Client) -> None:
    response = client.get("/static/instroom/app.css")
    assert response.status_code == 200
    assert "no-store" not in _directives(response)
    assert (get_max_age(response) or 0) > 0

"""A client's page answers "not found" to everyone who may not open it, whatever their role:
the answer must not tell a municipality, an administrator or another care provider that the
client exists (docs/security.md)."""

import pytest

from instroom.applications.tests.factories import make_application

pytestmark = pytest.mark.django_db


def test_a_clients_page_is_not_found_for_every_outsider(client, cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    urls = [
        f"/clients/{application.client_id}/",
        f"/clients/applications/{application.pk}/edit/identity/",
        f"/privacy/clients/{application.client_id}/",
    ]
    outsiders = {
        "another care provider": cast.care_worker_b,
        "a municipality": cast.municipality_user,
        "an administrator": cast.administrator,
        "a user without a role": cast.nobody,
        "another region's service point": cast.other_coordinator,
    }
    for who, user in outsiders.items():
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (who, url)
    # The page itself exists for its care worker, and an unknown client is just as not found.
    client.force_login(cast.care_worker_a)
    assert client.get(urls[0]).status_code == 200
    assert client.get("/clients/999999/").status_code == 404

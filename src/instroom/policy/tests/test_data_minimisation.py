"""How much of a client each role sees (DOMAIN.md §2), on pages and in the API."""

import pytest
from django.urls import reverse

from instroom.applications import selectors
from instroom.applications.tests.factories import make_application
from instroom.policy.rules import Detail


@pytest.fixture
def application(cast):
    # Client in care at A, woonbegeleiding by B.
    return make_application(cast.care_worker_a, cast.care_a, support_provider=cast.care_b)


@pytest.mark.django_db
def test_support_worker_sees_name_but_not_bsn(client, cast, application) -> None:
    client.force_login(cast.support_worker)
    page = client.get(reverse("applications:client", args=[application.client_id])).content.decode()
    assert application.client.last_name in page
    assert application.client.bsn not in page
    api = client.get(f"/api/v1/clients/{application.client_id}/").json()
    assert api["detail_level"] == "no_bsn"
    assert "bsn" not in api and api["last_name"] == application.client.last_name


@pytest.mark.django_db
def test_applicant_and_coordinator_see_everything(client, cast, application) -> None:
    for user in (cast.care_worker_a, cast.coordinator):
        client.force_login(user)
        api = client.get(f"/api/v1/clients/{application.client_id}/").json()
        assert api["bsn"] == application.client.bsn


@pytest.mark.django_db
def test_municipality_never_receives_personal_data(client, cast, application) -> None:
    client.force_login(cast.municipality_user)
    assert client.get("/clients/").status_code == 403
    assert client.get("/api/v1/clients/").status_code == 403
    home = client.get("/").content.decode()
    assert application.client.last_name not in home
    assert "&lt;5" in home  # one draft application: suppressed, not "1"


@pytest.mark.django_db
def test_pseudonym_level_shows_no_identity(cast, application) -> None:
    view = selectors.ClientView(
        client=application.client,
        level=Detail.PSEUDONYM,
        fields={"candidate_number": application.client.candidate_number},
    )
    assert view.candidate_number.startswith("K-")
    assert application.client.case_number not in view.candidate_number
    from instroom.policy.rules import CLIENT_FIELDS

    assert not {"first_name", "last_name", "bsn", "date_of_birth", "case_number"} & set(
        CLIENT_FIELDS[Detail.PSEUDONYM]
    )


@pytest.mark.django_db
def test_corporation_and_police_see_no_client_before_a_later_stage_grants_it(
    client, cast, application
) -> None:
    for user in (cast.corporation_user, cast.police, cast.table_member, cast.welfare_user):
        client.force_login(user)
        assert application.client.last_name not in client.get("/clients/").content.decode()
        assert (
            client.get(reverse("applications:client", args=[application.client_id])).status_code
            == 404
        )

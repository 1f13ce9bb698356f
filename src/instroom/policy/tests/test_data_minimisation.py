"""How much of a client each role sees (DOMAIN.md §2), on pages and in the API."""

import pytest
from django.urls import reverse

from instroom.applications.tests.factories import make_application


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
def test_pseudonym_level_shows_no_identity(client, cast) -> None:
    """A corporation that proposed a candidate sees the candidate number, household and needs
    on the offer page and in the API, and nothing that identifies the person (before the care
    provider accepts)."""
    from instroom.homes.tests.factories import make_home
    from instroom.matching import services as matching
    from instroom.matching.tests.factories import make_approved

    application = make_approved(cast, last_name="Zwaluwstaart")
    person = application.client
    home = make_home(cast.corporation_user, cast.corporation, rooms=2)
    match = matching.match_propose(actor=cast.corporation_user, home=home, application=application)
    client.force_login(cast.corporation_user)
    page = client.get(reverse("matching:detail", args=[match.pk])).content.decode()
    api = client.get(f"/api/v1/matches/{match.pk}/").json()
    assert person.candidate_number in page and api["candidate_number"] == person.candidate_number
    assert 'data-detail="pseudonym"' in page and api["candidate_name"] is None
    for secret in (person.last_name, person.first_name, person.case_number, person.bsn):
        assert secret not in page and secret not in str(api)
    assert client.get(reverse("applications:client", args=[person.pk])).status_code == 404
    assert client.get(f"/api/v1/applications/{application.pk}/").status_code == 404


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


@pytest.mark.django_db
def test_table_member_reads_the_file_while_the_case_is_on_the_agenda_only(client, cast) -> None:
    """The session page (and its PDFs, which read the same rows) shows a table member the
    dossier weight while the case is open, and no reasoning once it left the agenda."""
    from datetime import timedelta

    from django.utils import timezone

    from instroom.applications import services as app_services
    from instroom.assessment import services as assessment_services

    application = make_application(cast.care_worker_a, cast.care_a)
    app_services.application_submit(actor=cast.care_worker_a, application=application)
    app_services.application_mark_complete(actor=cast.coordinator, application=application)
    table = cast.region.tables.get()
    assessment_services.table_member_add(
        actor=None, table=table, user=cast.table_member, is_chair=True
    )
    # The session meets today: the table decides on or after its day.
    session = assessment_services.session_plan(
        actor=cast.coordinator, table=table, starts_at=timezone.now() - timedelta(minutes=1)
    )
    item = assessment_services.agenda_add(
        actor=cast.coordinator, session=session, application=application
    )
    url = reverse("assessment:session", args=[session.pk])
    client.force_login(cast.table_member)
    assert "dossierzwaarte" in client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    reasoning = "Stabiel sinds twee jaar, netwerk in de buurt van de Kievitsbloem."
    assessment_services.decision_record(
        actor=cast.table_member,
        item=item,
        outcome="approve",
        reasoning=reasoning,
        contract_form="three_party",
        support_months=24,
    )
    page = client.get(url).content.decode()
    assert reasoning not in page and application.client.last_name not in page
    client.force_login(cast.coordinator)
    assert reasoning in client.get(url).content.decode()

"""A withdrawal the service point undoes: the case goes back to where it was, with the reason
on the timeline; never beside a newer active application of the same person."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import override
from rest_framework.test import APIClient

from instroom.applications import services
from instroom.applications.models import Application
from instroom.applications.tests.factories import make_application
from instroom.audit.timeline import client_timeline
from instroom.conftest import PERSONAS
from instroom.matching.tests.factories import make_approved

pytestmark = pytest.mark.django_db
REASON = "Cliënt wil toch verder; intrekking was een misverstand."


def withdrawn(cast, *, submit: bool = True) -> Application:
    application = make_application(cast.care_worker_a, cast.care_a)
    if submit:
        services.application_submit(actor=cast.care_worker_a, application=application)
    services.application_withdraw(
        actor=cast.care_worker_a, application=application, reason="Verhuist naar familie"
    )
    return application


def test_the_service_point_brings_it_back_to_where_it_was(cast) -> None:
    application = withdrawn(cast)
    assert application.withdrawn_from == "submitted"
    services.application_reinstate(actor=cast.coordinator, application=application, reason=REASON)
    application.refresh_from_db()
    assert application.state == "submitted" and application.withdrawn_from == ""
    with override("nl"):
        entries = [(str(e.what), e.why) for e in client_timeline(application.client_id)]
    assert ("Intrekking ongedaan gemaakt: aanmelding hersteld", REASON) in entries


def test_an_approved_client_returns_to_the_pool(cast) -> None:
    application = make_approved(cast)
    services.application_withdraw(actor=cast.coordinator, application=application, reason="Weg")
    services.application_reinstate(actor=cast.coordinator, application=application, reason=REASON)
    application.refresh_from_db()
    assert application.state == "approved"


def test_refused_when_the_person_has_another_active_application(cast) -> None:
    application = withdrawn(cast)
    newer = make_application(cast.care_worker_a, cast.care_a, bsn=application.bsn)
    with override("nl"), pytest.raises(ValidationError) as info:
        services.application_reinstate(
            actor=cast.coordinator, application=application, reason=REASON
        )
    assert newer.client.case_number in info.value.messages[0]
    assert "andere actieve aanmelding" in info.value.messages[0]
    application.refresh_from_db()
    assert application.state == "withdrawn"


def test_only_the_service_point_reinstates_and_only_a_withdrawn_case(cast) -> None:
    application = withdrawn(cast)
    for actor in (cast.care_worker_a, cast.other_coordinator, cast.table_member):
        with pytest.raises(PermissionDenied):
            services.application_reinstate(actor=actor, application=application, reason=REASON)
    with pytest.raises(ValidationError):
        services.application_reinstate(actor=cast.coordinator, application=application, reason="")
    services.application_reinstate(actor=cast.coordinator, application=application, reason=REASON)
    with pytest.raises(ValidationError):
        services.application_reinstate(
            actor=cast.coordinator, application=application, reason=REASON
        )


def test_the_button_and_the_confirmation_page_are_for_the_service_point(client, cast) -> None:
    application = withdrawn(cast)
    page_url = reverse("applications:client", args=[application.client_id])
    url = reverse("applications:reinstate", args=[application.pk])
    client.force_login(cast.care_worker_a)
    assert url not in client.get(page_url).content.decode()
    assert client.post(url, {"reason": REASON}).status_code == 403
    application.refresh_from_db()
    assert application.state == "withdrawn"

    client.force_login(cast.coordinator)
    assert url in client.get(page_url).content.decode()
    confirm = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
    assert confirm.status_code == 200
    assert "“Ingediend”" in confirm.content.decode()  # where it goes back to
    empty = client.post(url, {"reason": ""}, HTTP_ACCEPT_LANGUAGE="nl")
    assert empty.status_code == 400
    response = client.post(url, {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == page_url
    application.refresh_from_db()
    assert application.state == "submitted"


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_reinstate_through_the_api(cast, persona) -> None:
    application = withdrawn(cast)
    api = APIClient()
    api.force_authenticate(getattr(cast, persona))
    response = api.post(
        f"/api/v1/applications/{application.pk}/reinstate/", {"reason": REASON}, format="json"
    )
    application.refresh_from_db()
    if persona == "coordinator":
        assert response.status_code == 200 and response.json()["state"] == "submitted"
    else:
        assert response.status_code in (403, 404), response.status_code
        assert application.state == "withdrawn"


def test_a_case_withdrawn_from_the_agenda_comes_back_complete_once_taken_off(cast) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from instroom.assessment import services as assessment

    application = make_application(cast.care_worker_a, cast.care_a)
    services.application_submit(actor=cast.care_worker_a, application=application)
    services.application_mark_complete(actor=cast.coordinator, application=application)
    session = assessment.session_plan(
        actor=cast.coordinator,
        table=cast.region.tables.get(),
        starts_at=timezone.now() + timedelta(days=3),
    )
    item = assessment.agenda_add(actor=cast.coordinator, session=session, application=application)
    services.application_withdraw(actor=cast.care_worker_a, application=application, reason="Weg")
    # Still on the agenda: reinstating puts it back there.
    assert services.reinstate_target(application) == "scheduled"
    # Taken off the agenda (so the session can close): the case stays withdrawn ...
    assessment.agenda_remove(actor=cast.coordinator, item=item, reason="Ingetrokken")
    application.refresh_from_db()
    assert application.state == "withdrawn"
    assessment.session_close(actor=cast.coordinator, session=session)
    # ... and comes back complete, to be put on a later agenda.
    services.application_reinstate(actor=cast.coordinator, application=application, reason=REASON)
    application.refresh_from_db()
    assert application.state == "complete"


def test_a_case_with_a_running_offer_is_not_withdrawn_before_the_offer_ends(client, cast) -> None:
    """Withdrawing during an offer left the match active: the home stayed promised to a client
    who had left. Now the service says to end the offer first, on the page and the API alike."""
    from instroom.homes.tests.factories import make_home
    from instroom.matching import services as matching
    from instroom.matching.models import Match

    application = make_approved(cast)
    home = make_home(cast.corporation_user, cast.corporation, rooms=2)
    match = matching.match_propose(actor=cast.corporation_user, home=home, application=application)
    application.refresh_from_db()
    assert application.state == "matching"
    with override("nl"), pytest.raises(ValidationError) as info:
        services.application_withdraw(
            actor=cast.care_worker_a, application=application, reason="Verhuisd"
        )
    assert "Trek eerst het aanbod in" in info.value.messages[0]
    client.force_login(cast.coordinator)
    page = client.get(reverse("applications:client", args=[application.client_id]))
    assert reverse("applications:withdraw", args=[application.pk]) not in page.content.decode()
    api = APIClient()
    api.force_authenticate(cast.care_worker_a)
    answer = api.post(
        f"/api/v1/applications/{application.pk}/withdraw/", {"reason": "Verhuisd"}, format="json"
    )
    assert answer.status_code == 400
    application.refresh_from_db()
    assert application.state == "matching"
    assert Match.objects.get(pk=match.pk).state == "proposed"
    # Once the offer is cancelled the case is back in the pool, and may be withdrawn.
    matching.match_cancel(actor=cast.corporation_user, match=match, note="Woning gaat naar ander")
    application.refresh_from_db()
    services.application_withdraw(actor=cast.care_worker_a, application=application, reason="Weg")
    application.refresh_from_db()
    assert application.state == "withdrawn"

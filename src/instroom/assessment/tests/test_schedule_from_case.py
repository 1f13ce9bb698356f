"""Scheduling from the client page: once an application is complete, the service point plans it
on a session of the case's table there (the next session offered first); afterwards the page says
where the case is planned. Nobody else gets the form or can send it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from instroom.applications import services as app_services
from instroom.applications.tests.factories import make_application
from instroom.assessment import services
from instroom.assessment.models import AgendaItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def complete(cast):
    application = make_application(cast.care_worker_a, cast.care_a, support_provider=cast.care_b)
    app_services.application_submit(actor=cast.care_worker_a, application=application)
    app_services.application_mark_complete(actor=cast.coordinator, application=application)
    return application


def _plan(cast, days: int):
    return services.session_plan(
        actor=cast.coordinator,
        table=cast.region.tables.get(),
        starts_at=timezone.now() + timedelta(days=days),
        location="Stadhuis",
    )


def test_the_service_point_plans_the_case_on_the_next_session_from_the_client_page(
    client, cast, complete
) -> None:
    later, sooner = _plan(cast, 20), _plan(cast, 6)
    page = reverse("applications:client", args=[complete.client_id])
    client.force_login(cast.coordinator)
    body = client.get(page).content.decode()
    action = reverse("assessment:schedule", args=[complete.pk])
    assert f'action="{action}"' in body
    # Both sessions are offered, the next one first and chosen.
    assert body.index(f'value="{sooner.pk}" selected') < body.index(f'value="{later.pk}"')

    response = client.post(action, {"session": sooner.pk}, follow=True)
    assert response.redirect_chain[-1][0] == page
    complete.refresh_from_db()
    assert complete.state == "scheduled"
    assert AgendaItem.objects.get(application=complete, is_open=True).session == sooner
    body = response.content.decode()
    assert "De zaak staat op de agenda van" in body
    assert 'data-testid="planned"' in body and str(sooner) in body
    assert f'action="{action}"' not in body  # planned: no second form


def test_a_session_of_another_table_or_a_closed_one_is_refused_with_a_reason(
    client, cast, complete
) -> None:
    client.force_login(cast.coordinator)
    action = reverse("assessment:schedule", args=[complete.pk])
    response = client.post(action, {"session": "999999"}, follow=True)
    assert "Kies een van de aangeboden zittingen." in response.content.decode()
    complete.refresh_from_db()
    assert complete.state == "complete"


def test_without_an_open_session_the_page_points_to_planning_one(client, cast, complete) -> None:
    client.force_login(cast.coordinator)
    body = client.get(reverse("applications:client", args=[complete.client_id])).content.decode()
    assert "nog geen open zitting gepland" in body
    assert reverse("assessment:schedule", args=[complete.pk]) not in body


@pytest.mark.parametrize("persona", ["care_worker_a", "support_worker", "other_coordinator"])
def test_others_get_no_form_and_cannot_schedule(client, cast, complete, persona) -> None:
    session = _plan(cast, 6)
    user = getattr(cast, persona)
    client.force_login(user)
    page = client.get(reverse("applications:client", args=[complete.client_id]))
    action = reverse("assessment:schedule", args=[complete.pk])
    assert action.encode() not in page.content
    response = client.post(action, {"session": session.pk})
    assert response.status_code in (403, 404)
    complete.refresh_from_db()
    assert complete.state == "complete"
    assert not AgendaItem.objects.filter(application=complete).exists()

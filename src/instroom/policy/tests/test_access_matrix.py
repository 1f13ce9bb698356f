"""Every URL × every persona: the answer the policy promises, and no personal data leaking.

The expected answer is derived from the rule table, and each cell is checked against a real
request; object URLs are tried with an object of another organisation as well.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from instroom.applications import services as app_services
from instroom.applications.tests.factories import make_application
from instroom.assessment import services as assessment_services
from instroom.distribution.services import placement_record
from instroom.homes.tests.factories import make_home
from instroom.policy import rules
from instroom.policy.urlwalk import walk


def _sample_kwargs(route, cast, objects) -> dict | None:
    """Real objects for each URL parameter, so every cell hits a real page, not a 404."""
    params = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route.pattern)
    params = [a or b for a, b in params]
    name = route.view_name
    if name.startswith("assessment:") and "item" not in name:
        pk = objects["session"].pk
    elif name in (
        "assessment:agenda_remove",
        "assessment:invite",
        "assessment:decide",
    ) or name.startswith("api:agendaitem"):
        pk = objects["item"].pk
    elif name.startswith("api:session"):
        pk = objects["session"].pk
    elif name in ("matching:batch_run", "matching:batch_confirm"):
        pk = objects["batch"].pk
    elif name.startswith("forecast:"):
        pk = objects["scenario"].pk
    elif name.startswith("distribution:"):
        pk = objects["placement"].pk
    elif name.startswith(("homes:", "api:home")):
        pk = objects["home"].pk
    elif name in ("applications:client",) or name.startswith(("api:client", "privacy:")):
        pk = objects["application"].client_id
    else:
        pk = objects["application"].pk
    values = {
        "pk": pk,
        "slug": cast.region.slug,
        "step": "identity",
        "year": 2026,
        "activity": 1,
        "token": "not-a-valid-token",
    }
    if not all(p in values for p in params):
        return None
    return {p: values[p] for p in params}


@pytest.mark.django_db
def test_every_url_answers_each_persona_as_the_policy_says(client, cast) -> None:
    # Distinctive names: a random fake surname can be an ordinary word on some page.
    application = make_application(cast.care_worker_a, cast.care_a, last_name="Zwaluwstaart")
    scheduled = make_application(cast.care_worker_a, cast.care_a, last_name="Klaproosveld")
    app_services.application_submit(actor=cast.care_worker_a, application=scheduled)
    app_services.application_mark_complete(actor=cast.coordinator, application=scheduled)
    table = cast.region.tables.get()
    assessment_services.table_member_add(
        actor=None, table=table, user=cast.table_member, is_chair=True
    )
    session = assessment_services.session_plan(
        actor=cast.coordinator, table=table, starts_at=timezone.now() + timedelta(days=1)
    )
    item = assessment_services.agenda_add(
        actor=cast.coordinator, session=session, application=scheduled
    )
    home = make_home(cast.corporation_user, cast.corporation)
    placement = placement_record(
        actor=cast.coordinator,
        region=cast.region,
        municipality=cast.region.municipalities.first(),
        corporation=cast.corporation,
        placed_on=timezone.localdate(),
    )
    from instroom.forecast.models import Scenario
    from instroom.matching.models import BatchRun

    objects = {
        "scenario": Scenario.objects.create(region=cast.region, name="t", inputs={}),
        "batch": BatchRun.objects.create(region=cast.region),
        "application": application,
        "session": session,
        "item": item,
        "home": home,
        "placement": placement,
    }
    bsn = application.client.bsn
    checked = 0
    for route in walk():
        if route.namespaces and route.namespaces[0] == "admin":
            continue  # tested below as a whole
        kwargs = _sample_kwargs(route, cast, objects)
        assert kwargs is not None, f"no sample object for {route.view_name} /{route.pattern}"
        url = reverse(route.view_name, kwargs=kwargs)
        rule = rules.rule_for(route.view_name, route.namespaces)
        for name, user in cast.personas().items():
            client.force_login(user)
            response = client.get(url)
            if not rule.allows(user):
                assert response.status_code == 403, (name, url, response.status_code)
            else:
                assert response.status_code in (200, 302, 404, 405), (
                    name,
                    url,
                    response.status_code,
                )
            if name not in ("coordinator", "care_worker_a"):
                for secret in (bsn, scheduled.client.bsn):
                    assert secret.encode() not in response.content, f"BSN leaked: {name} {url}"
            if name in (
                "municipality_user",
                "welfare_user",
                "corporation_user",
                "nobody",
                "other_coordinator",
                "care_worker_b",
            ):
                for person in (application.client, scheduled.client):
                    assert person.last_name.encode() not in response.content, (name, url)
            checked += 1
        client.logout()
        anonymous = client.get(url)
        if rule.login_required:
            assert anonymous.status_code in (302, 403), (url, anonymous.status_code)
    assert checked > 100


@pytest.mark.django_db
def test_configuration_site_only_for_administrators(client, cast) -> None:
    for name, user in cast.personas().items():
        client.force_login(user)
        status = client.get("/admin/").status_code
        assert status == (200 if name == "administrator" else 403), name


@pytest.mark.django_db
def test_a_client_of_another_organisation_is_not_found(client, cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    client.force_login(cast.care_worker_b)
    assert (
        client.get(reverse("applications:client", args=[application.client_id])).status_code == 404
    )
    assert client.get(f"/api/v1/clients/{application.client_id}/").status_code == 404
    response = client.post(reverse("applications:submit", args=[application.pk]))
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.state == "draft"


@pytest.mark.django_db
def test_coordinator_of_another_region_sees_nothing_of_this_one(client, cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a, last_name="Zwaluwstaart")
    client.force_login(cast.other_coordinator)
    assert (
        client.get(reverse("applications:client", args=[application.client_id])).status_code == 404
    )
    assert application.client.last_name.encode() not in client.get("/clients/").content

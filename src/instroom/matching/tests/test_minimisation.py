"""A corporation cannot see a candidate's name or BSN before the care provider accepts:
not on the pages, not in the API, not in the command's output."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from instroom.accounts.tests.factories import api_key_for
from instroom.homes.tests.factories import make_home
from instroom.matching import services
from instroom.matching.models import Match
from instroom.matching.tests.factories import make_approved

pytestmark = pytest.mark.django_db


def secrets_of(application):
    c = application.client
    return [c.first_name, c.last_name, c.bsn]


def assert_hidden(content: str, application) -> None:
    for secret in secrets_of(application):
        assert secret not in content, secret


def test_names_stay_hidden_from_the_corporation_until_the_care_provider_agrees(client, cast):
    application = make_approved(cast, first_name="Geertruida", last_name="Onzichtbaar")
    home = make_home(cast.corporation_user, cast.corporation)
    client.force_login(cast.corporation_user)
    auth = {"HTTP_AUTHORIZATION": f"Token {api_key_for(cast.corporation_user)}"}

    ranking_page = client.get(reverse("matching:ranking", args=[home.pk])).content.decode()
    assert application.client.candidate_number in ranking_page
    assert_hidden(ranking_page, application)
    assert_hidden(
        client.get(f"/api/v1/homes/{home.pk}/ranking/", **auth).content.decode(), application
    )

    match = services.match_propose(actor=cast.corporation_user, home=home, application=application)
    pages = [
        client.get(reverse("matching:detail", args=[match.pk])),
        client.get(reverse("matching:list")),
        client.get(
            reverse("matching:snapshot", args=[Match.objects.get().home.rankings.first().pk])
        ),
        client.get("/api/v1/matches/", **auth),
        client.get(f"/api/v1/matches/{match.pk}/", **auth),
    ]
    for response in pages:
        assert response.status_code == 200
        assert_hidden(response.content.decode(), application)
    assert client.get(f"/api/v1/matches/{match.pk}/", **auth).json()["candidate_name"] is None
    assert (
        client.get(reverse("applications:client", args=[application.client_id])).status_code == 404
    )

    services.match_provider_decide(actor=cast.care_worker_a, match=match, accept=True)
    detail = client.get(reverse("matching:detail", args=[match.pk])).content.decode()
    assert "Geertruida" in detail and application.client.bsn not in detail
    api = client.get(f"/api/v1/matches/{match.pk}/", **auth).json()
    assert api["candidate_name"] == "Geertruida Onzichtbaar"
    assert application.client.bsn not in json.dumps(api)


def test_the_rank_command_shows_candidate_numbers_only(cast):
    application = make_approved(cast)
    home = make_home(cast.corporation_user, cast.corporation)
    for fmt in ("table", "json"):
        out = StringIO()
        call_command("rank", home=home.pk, format=fmt, stdout=out)
        assert application.client.candidate_number in out.getvalue()
        assert_hidden(out.getvalue(), application)


def test_another_corporation_cannot_rank_or_see_the_offer(client, cast):
    from instroom.conftest import make_user

    stranger = make_user(
        "stranger", cast.other_region.organisations.get(slug="corporatie"), "corporation_staff"
    )
    application = make_approved(cast)
    home = make_home(cast.corporation_user, cast.corporation)
    match = services.match_propose(actor=cast.corporation_user, home=home, application=application)
    client.force_login(stranger)
    assert client.get(reverse("matching:ranking", args=[home.pk])).status_code == 404
    assert client.get(reverse("matching:detail", args=[match.pk])).status_code == 404

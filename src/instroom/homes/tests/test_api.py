"""Home offers through the API: the same rules as the pages."""

import pytest

from instroom.accounts.tests.factories import api_key_for
from instroom.homes.models import Home
from instroom.homes.tests.factories import make_home

pytestmark = pytest.mark.django_db


def api(client, user):
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {api_key_for(user)}"
    return client


def payload(cast, **overrides):
    a = cast.region.municipalities.order_by("cbs_code").first()
    data = {
        "street": "API-straat",
        "house_number": 4,
        "postcode": "2011ab",
        "municipality": a.cbs_code,
        "home_type": "studio",
        "rooms": 1,
        "rent_eur": "599.00",
        "available_from": "2027-04-01",
    }
    data.update(overrides)
    return data


def test_corporation_offers_a_home_through_the_api(client, cast) -> None:
    response = api(client, cast.corporation_user).post(
        "/api/v1/homes/", payload(cast), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["postcode"] == "2011 AB"
    assert Home.objects.get().corporation == cast.corporation


def test_bad_input_names_the_field(client, cast) -> None:
    response = api(client, cast.corporation_user).post(
        "/api/v1/homes/",
        payload(cast, postcode="ABCD 12", rooms=0),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"postcode", "rooms"}
    assert not Home.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator", "care_worker_a", "police"])
def test_others_cannot_offer_homes(client, cast, persona) -> None:
    response = api(client, cast.personas()[persona]).post(
        "/api/v1/homes/", payload(cast), content_type="application/json"
    )
    assert response.status_code == 403
    assert not Home.objects.exists()


def test_each_sees_only_the_homes_they_may(client, cast) -> None:
    home = make_home(cast.corporation_user, cast.corporation)
    assert api(client, cast.coordinator).get("/api/v1/homes/").json()["count"] == 1
    assert api(client, cast.other_coordinator).get(f"/api/v1/homes/{home.pk}/").status_code == 404
    assert api(client, cast.care_worker_a).get("/api/v1/homes/").status_code == 403


def test_withdraw_through_the_api(client, cast) -> None:
    home = make_home(cast.corporation_user, cast.corporation)
    response = api(client, cast.corporation_user).post(
        f"/api/v1/homes/{home.pk}/withdraw/",
        {"reason": "verkocht"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["state"] == "withdrawn"


def test_a_place_of_a_cluster_names_its_cluster_and_place(client, cast) -> None:
    from instroom.homes.tests.factories import make_cluster

    cluster = make_cluster(cast.corporation_user, cast.corporation, places=2)
    place = cluster.homes.order_by("place").first()
    answer = api(client, cast.corporation_user).get(f"/api/v1/homes/{place.pk}/").json()
    assert (answer["cluster"], answer["place"]) == (cluster.pk, "Kamer 1")

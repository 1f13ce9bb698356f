"""A corporation offers a cluster (a woonvorm of several places) in one go; each place is a
home of its own, and the home page of a place shows its cluster."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from instroom.audit.models import AuditEvent
from instroom.homes import services
from instroom.homes.models import Cluster, Home
from instroom.homes.tests.factories import home_fields, make_cluster

pytestmark = pytest.mark.django_db


def cluster_data(cast, places=3, **overrides):
    municipality = cast.region.municipalities.order_by("cbs_code").first()
    data = {
        "corporation": cast.corporation.pk,
        "cluster-name": "Hofje Zuiderpark",
        "cluster-shared_facilities": "woonkamer, keuken, tuin",
        "cluster-support": "begeleider op werkdagen aanwezig",
        "home-street": "Zuiderpark",
        "home-house_number": "3",
        "home-postcode": "2033ab",
        "home-municipality": municipality.pk,
        "home-home_type": "other",
        "home-available_from": "2027-02-01",
        "place-TOTAL_FORMS": str(places),
        "place-INITIAL_FORMS": "0",
        "place-MIN_NUM_FORMS": "2",
        "place-MAX_NUM_FORMS": "24",
    }
    for i in range(places):
        data |= {
            f"place-{i}-place": f"Kamer {i + 1}",
            f"place-{i}-rent_eur": f"{450 + 10 * i}.00",
            f"place-{i}-rooms": "1",
            f"place-{i}-floor": str(i // 2),
        }
    data.update(overrides)
    return data


def test_the_corporation_offers_a_cluster_with_its_places_through_the_page(client, cast) -> None:
    client.force_login(cast.corporation_user)
    assert client.get(reverse("homes:cluster_create") + "?places=3").status_code == 200
    response = client.post(reverse("homes:cluster_create"), cluster_data(cast))
    cluster = Cluster.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("homes:cluster", args=[cluster.pk])
    assert cluster.places == 3 and cluster.corporation == cast.corporation
    places = list(cluster.homes.order_by("place"))
    assert [p.place for p in places] == ["Kamer 1", "Kamer 2", "Kamer 3"]
    assert [p.rent_eur for p in places] == [Decimal("450"), Decimal("460"), Decimal("470")]
    assert all(p.state == "open" and p.postcode == "2033 AB" for p in places)
    assert AuditEvent.objects.get(action="cluster.offer").actor == cast.corporation_user
    page = client.get(reverse("homes:detail", args=[places[1].pk])).content.decode()
    assert "Hofje Zuiderpark" in page and "woonkamer, keuken, tuin" in page
    assert "Kamer 1" in page and "Kamer 3" in page
    page = client.get(reverse("homes:cluster", args=[cluster.pk])).content.decode()
    assert page.count("Kamer ") >= 3


def test_a_wrong_place_is_refused_in_dutch_and_nothing_is_saved(client, cast) -> None:
    client.force_login(cast.corporation_user)
    response = client.post(
        reverse("homes:cluster_create"),
        cluster_data(cast, **{"place-1-rent_eur": "abc", "place-2-place": ""}),
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 200
    assert not Cluster.objects.exists() and not Home.objects.exists()


def test_two_places_with_one_name_are_refused(cast) -> None:
    fields = home_fields(cast.corporation)
    place = {k: fields.pop(k) for k in ("rooms", "floor", "rent_eur")}
    with pytest.raises(ValidationError):
        services.cluster_create(
            actor=cast.corporation_user,
            corporation=cast.corporation,
            places=[{"place": "Kamer 1", **place}, {"place": "Kamer 1", **place}],
            name="Dubbel",
            **fields,
        )
    assert not Cluster.objects.exists()


def test_only_the_own_corporation_offers_a_cluster(cast) -> None:
    with pytest.raises(PermissionDenied):
        make_cluster(cast.coordinator, cast.corporation)


def test_an_occupied_place_shows_a_candidate_number_never_a_name(client, cast) -> None:
    cluster = make_cluster(cast.corporation_user, cast.corporation, places=2)
    client.force_login(cast.corporation_user)
    page = client.get(reverse("homes:cluster", args=[cluster.pk])).content.decode()
    assert "Kamer 1" in page and "Kamer 2" in page

"""A corporation offers, changes, withdraws and re-offers a home; nobody else may."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from instroom.audit.models import AuditEvent
from instroom.homes import services
from instroom.homes.models import Home
from instroom.homes.tests.factories import home_fields, make_home
from instroom.regions.models import Neighbourhood

pytestmark = pytest.mark.django_db


def form_data(cast, **overrides):
    municipality = cast.region.municipalities.order_by("cbs_code").first()
    data = {
        "street": "Kleine Houtstraat",
        "house_number": "12",
        "house_number_suffix": "A",
        "postcode": "2011dh",
        "municipality": municipality.pk,
        "home_type": "apartment",
        "rooms": "2",
        "floor": "1",
        "has_lift": "on",
        "rent_eur": "712.50",
        "available_from": "2027-02-01",
    }
    data.update(overrides)
    return data


def test_corporation_user_offers_a_home_through_the_form(client, cast) -> None:
    client.force_login(cast.corporation_user)
    response = client.post(reverse("homes:create"), form_data(cast))
    home = Home.objects.get()
    assert response.status_code == 302 and response.url == reverse("homes:detail", args=[home.pk])
    assert home.postcode == "2011 DH"  # normalised
    assert home.corporation == cast.corporation and home.state == "open"
    assert home.rent_eur == Decimal("712.50") and home.has_lift
    event = AuditEvent.objects.get(action="home.offer")
    assert event.actor == cast.corporation_user and event.changes["postcode"] == "2011 DH"
    page = client.get(reverse("homes:detail", args=[home.pk])).content.decode()
    assert "Kleine Houtstraat 12A" in page


def test_a_wrong_postcode_is_refused_in_dutch_and_nothing_is_saved(client, cast) -> None:
    client.force_login(cast.corporation_user)
    response = client.post(
        reverse("homes:create"), form_data(cast, postcode="201 DH"), HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert response.status_code == 200
    assert "geen Nederlandse postcode" in response.content.decode()
    assert not Home.objects.exists()


def test_a_neighbourhood_of_another_municipality_is_refused(cast) -> None:
    a, b = cast.region.municipalities.order_by("cbs_code")
    elsewhere = Neighbourhood.objects.create(
        municipality=b, cbs_code="BU99990001", level="buurt", name="Elders"
    )
    with pytest.raises(ValidationError) as error:
        make_home(cast.corporation_user, cast.corporation, municipality=a, neighbourhood=elsewhere)
    assert "neighbourhood" in error.value.message_dict
    assert not Home.objects.exists()


def test_the_same_address_cannot_be_on_offer_twice(cast) -> None:
    make_home(cast.corporation_user, cast.corporation, house_number=7)
    with pytest.raises(ValidationError) as error:
        make_home(cast.corporation_user, cast.corporation, house_number=7)
    assert "postcode" in error.value.message_dict
    assert Home.objects.count() == 1


@pytest.mark.parametrize(
    "persona", ["coordinator", "care_worker_a", "municipality_user", "police", "nobody"]
)
def test_only_corporation_staff_offer_homes(cast, persona) -> None:
    user = cast.personas()[persona]
    with pytest.raises(PermissionDenied):
        services.home_create(
            actor=user, corporation=cast.corporation, **home_fields(cast.corporation)
        )


def test_another_corporation_cannot_see_or_change_the_home(client, cast) -> None:
    from instroom.conftest import make_user

    other_corp = cast.other_region.organisations.get(slug="corporatie")
    stranger = make_user("stranger", other_corp, "corporation_staff")
    home = make_home(cast.corporation_user, cast.corporation)
    client.force_login(stranger)
    assert client.get(reverse("homes:detail", args=[home.pk])).status_code == 404
    assert (
        client.post(reverse("homes:withdraw", args=[home.pk]), {"reason": "x"}).status_code == 404
    )
    assert str(home.street) not in client.get(reverse("homes:list")).content.decode()
    with pytest.raises(PermissionDenied):
        services.home_update(actor=stranger, home=home, rooms=3)


def test_coordinator_sees_the_regions_homes_but_cannot_change_them(client, cast) -> None:
    home = make_home(cast.corporation_user, cast.corporation, street="Zichtbaarweg")
    client.force_login(cast.coordinator)
    assert "Zichtbaarweg" in client.get(reverse("homes:list")).content.decode()
    assert client.get(reverse("homes:edit", args=[home.pk])).status_code == 403


def test_change_is_logged_with_before_and_after(cast) -> None:
    home = make_home(cast.corporation_user, cast.corporation, rooms=2)
    services.home_update(actor=cast.corporation_user, home=home, rooms=3)
    home.refresh_from_db()
    assert home.rooms == 3
    assert AuditEvent.objects.get(action="home.update").changes == {"rooms": [2, 3]}


def test_withdraw_needs_a_reason_and_can_be_undone(client, cast) -> None:
    home = make_home(cast.corporation_user, cast.corporation)
    client.force_login(cast.corporation_user)
    client.post(reverse("homes:withdraw", args=[home.pk]), {"reason": ""})
    home.refresh_from_db()
    assert home.state == "open"
    client.post(reverse("homes:withdraw", args=[home.pk]), {"reason": "Regulier verhuurd"})
    home.refresh_from_db()
    assert home.state == "withdrawn" and home.withdraw_reason == "Regulier verhuurd"
    assert "open" not in [h.state for h in Home.objects.all()]
    client.post(reverse("homes:reopen", args=[home.pk]))
    home.refresh_from_db()
    assert home.state == "open" and home.withdraw_reason == ""


def test_a_withdrawn_home_cannot_be_changed(cast) -> None:
    home = make_home(cast.corporation_user, cast.corporation)
    services.home_withdraw(actor=cast.corporation_user, home=home, reason="renovatie")
    with pytest.raises(ValidationError):
        services.home_update(
            actor=cast.corporation_user, home=home, available_from=date(2028, 1, 1)
        )


def test_the_list_costs_the_same_queries_for_few_or_many_homes(
    client, cast, django_assert_max_num_queries
) -> None:
    client.force_login(cast.corporation_user)
    make_home(cast.corporation_user, cast.corporation)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("homes:list"))
    for _ in range(15):
        make_home(cast.corporation_user, cast.corporation)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("homes:list"))

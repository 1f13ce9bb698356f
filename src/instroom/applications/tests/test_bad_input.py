"""Issue 24: what people type is stored only when valid and normalised, refused with a Dutch
message naming the field otherwise (never a server error), the same on the page and the API;
and a person already known is recognised across cases."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from instroom.applications.models import Application, Client
from instroom.applications.tests.factories import make_application

pytestmark = pytest.mark.django_db

BSN = "999990019"


def page_data(cast, **overrides) -> dict:
    data = {
        "first_name": "Sanne",
        "last_name": "Fictief",
        "bsn": BSN,
        "date_of_birth": "1990-01-01",
        "source": "bw",
        "municipality_of_origin": cast.region.municipalities.order_by("cbs_code").first().pk,
        "support_provider": cast.care_b.pk,
    }
    data.update(overrides)
    return data


def api_data(cast, **overrides) -> dict:
    data = {
        "care_provider": "zorg-a",
        "support_provider": "zorg-b",
        "municipality_of_origin": cast.region.municipalities.order_by("cbs_code").first().cbs_code,
        "first_name": "Fenna",
        "last_name": "Fictief",
        "bsn": BSN,
        "date_of_birth": "1991-02-03",
        "source": "bw",
    }
    data.update(overrides)
    return data


def post_page(client, user, **overrides):
    client.force_login(user)
    cast = overrides.pop("cast")
    return client.post(reverse("applications:create"), page_data(cast, **overrides))


def post_api(user, cast, **overrides):
    api = APIClient()
    api.force_authenticate(user)
    return api.post("/api/v1/applications/", api_data(cast, **overrides), format="json")


def field_error(page, field: str) -> str:
    """The error the form shows next to `field` (the page re-rendered, status 200)."""
    assert page.status_code == 200, page.status_code
    errors = page.context["form"].errors
    assert field in errors, dict(errors)
    return " ".join(errors[field])


# --- BSN stored as typed ---------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["9999 90019", "9999.90.019", "9999-90-019", " 999990019 "])
def test_a_bsn_with_separators_is_stored_as_nine_digits_on_the_page(client, cast, typed) -> None:
    response = post_page(client, cast.care_worker_a, cast=cast, bsn=typed)
    assert response.status_code == 302
    assert Client.objects.get().bsn == BSN and Application.objects.get().bsn == BSN


@pytest.mark.parametrize("typed", ["9999 90019", "9999.90.019", "9999-90-019"])
def test_a_bsn_with_separators_is_stored_as_nine_digits_through_the_api(cast, typed) -> None:
    response = post_api(cast.care_worker_a, cast, bsn=typed)
    assert response.status_code == 201, response.content
    assert Client.objects.get().bsn == BSN and Application.objects.get().bsn == BSN


def test_a_bsn_with_a_leading_zero_left_out_is_stored_with_it(client, cast) -> None:
    # 053211728 passes the 11-check; typed as "5321 1728" in the probe.
    response = post_page(client, cast.care_worker_a, cast=cast, bsn="5321 1728")
    assert response.status_code == 302 and Client.objects.get().bsn == "053211728"


def test_full_width_digits_are_refused_on_the_page_and_the_api(client, cast) -> None:
    full_width = "９９９９９００１９"
    page = post_page(client, cast.care_worker_a, cast=cast, bsn=full_width)
    message = field_error(page, "bsn")
    assert "gewone cijfers" in message
    api = post_api(cast.care_worker_a, cast, bsn=full_width)
    assert api.status_code == 400 and api.json()["bsn"] == [message]
    assert not Client.objects.exists()


def test_a_ten_thousand_character_bsn_is_a_clear_message_not_a_server_error(client, cast) -> None:
    page = post_page(client, cast.care_worker_a, cast=cast, bsn="1" * 10_000)
    message = field_error(page, "bsn")
    assert "9 cijfers" in message
    api = post_api(cast.care_worker_a, cast, bsn="1" * 10_000)
    assert api.status_code == 400 and api.json()["bsn"] == [message]
    assert not Client.objects.exists()


# --- Duplicates across cases -----------------------------------------------------------------


@pytest.mark.parametrize("typed", ["9999 90019", "9999.90019", "9999-90019"])
def test_a_client_with_an_active_application_cannot_be_entered_again(client, cast, typed) -> None:
    make_application(cast.care_worker_a, cast.care_a, bsn=BSN)
    page = post_page(client, cast.care_worker_a, cast=cast, bsn=typed)
    assert "lopende aanmelding" in field_error(page, "bsn")
    api = post_api(cast.care_worker_a, cast, bsn=typed)
    assert api.status_code == 400 and "lopende aanmelding" in api.json()["bsn"][0]
    assert Application.objects.count() == 1


def test_another_organisation_learns_only_that_a_case_exists(client, cast) -> None:
    existing = make_application(cast.care_worker_a, cast.care_a, bsn=BSN).client
    page = post_page(client, cast.care_worker_b, cast=cast, bsn="9999 90019")
    message = field_error(page, "bsn")
    assert "servicepunt" in message.lower()
    api = post_api(cast.care_worker_b, cast, bsn="9999.90.019", care_provider="zorg-b")
    assert api.status_code == 400 and api.json()["bsn"] == [message]
    body = page.content.decode() + api.content.decode()
    for secret in (existing.first_name, existing.last_name, existing.case_number, "lopende"):
        assert secret not in body
    assert Application.objects.count() == 1


def test_a_new_application_after_an_ended_case_is_linked_to_the_earlier_record(cast) -> None:
    from instroom.applications import services

    first = make_application(cast.care_worker_a, cast.care_a, bsn=BSN)
    services.application_withdraw(
        actor=cast.care_worker_a, application=first, reason="Kiest voor een andere woonvorm"
    )
    response = post_api(cast.care_worker_b, cast, bsn="9999 90019", care_provider="zorg-b")
    assert response.status_code == 201, response.content
    again = Application.objects.get(pk=response.json()["id"]).client
    assert again.previous_client == first.client and again.bsn == first.client.bsn
    # A new record: the other organisation does not get the earlier case's file.
    assert list(again.applications.all()) == [Application.objects.get(pk=response.json()["id"])]


# --- Dates of birth --------------------------------------------------------------------------


def _years_ago(years: int) -> str:
    today = timezone.localdate()
    return today.replace(year=today.year - years).isoformat()


@pytest.mark.parametrize(
    "born", ["0001-01-01", "9999-12-31", "age10", "age120", "1899-12-31"], ids=str
)
def test_impossible_dates_of_birth_are_refused_on_the_page_and_the_api(client, cast, born) -> None:
    born = {"age10": _years_ago(10), "age120": _years_ago(120)}.get(born, born)
    page = post_page(client, cast.care_worker_a, cast=cast, date_of_birth=born)
    message = field_error(page, "date_of_birth")
    api = post_api(cast.care_worker_a, cast, date_of_birth=born)
    assert api.status_code == 400 and api.json()["date_of_birth"] == [message]
    assert not Client.objects.exists()


def test_the_service_itself_refuses_an_impossible_date_of_birth(cast) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        make_application(cast.care_worker_a, cast.care_a, date_of_birth=date(1, 1, 1))
    assert "date_of_birth" in caught.value.message_dict


# --- Names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["\u200b", "\u200b\u200d\ufeff", "Ja\x07n", "Jan\u202eesnaJ", "A\u2066B"], ids=repr
)
def test_invisible_and_control_characters_in_names_are_refused(client, cast, name) -> None:
    page = post_page(client, cast.care_worker_a, cast=cast, first_name=name)
    message = field_error(page, "first_name")
    api = post_api(cast.care_worker_a, cast, last_name=name)
    assert api.status_code == 400 and api.json()["last_name"] == [message]
    assert not Client.objects.exists()


def test_names_are_stored_in_nfc_without_surrounding_spaces(client, cast) -> None:
    response = post_page(client, cast.care_worker_a, cast=cast, first_name=" Zoe\u0308\u200b ")
    assert response.status_code == 302 and Client.objects.get().first_name == "Zoë"


# --- Amounts and whole numbers in later steps ------------------------------------------------


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "1e1000000", "21,000"])
def test_income_must_be_a_plain_amount_on_the_page_and_the_api(client, cast, typed) -> None:
    application = make_application(cast.care_worker_a, cast.care_a, complete=False)
    client.force_login(cast.care_worker_a)
    page = client.post(
        reverse("applications:step", args=[application.pk, "support"]),
        {
            "yearly_income_eur": typed,
            "budget_management": "none",
            "expected_support_months": "24",
        },
    )
    field_error(page, "yearly_income_eur")
    api = APIClient()
    api.force_authenticate(cast.care_worker_a)
    response = api.patch(
        f"/api/v1/applications/{application.pk}/", {"yearly_income_eur": typed}, format="json"
    )
    assert response.status_code == 400 and "yearly_income_eur" in response.json()
    application.refresh_from_db()
    assert application.yearly_income_eur is None


@pytest.mark.parametrize("typed", ["Infinity", "NaN", "1e1000000", "3.5"])
def test_rooms_must_be_a_whole_number_through_the_api(cast, typed) -> None:
    application = make_application(cast.care_worker_a, cast.care_a, complete=False)
    api = APIClient()
    api.force_authenticate(cast.care_worker_a)
    response = api.patch(
        f"/api/v1/applications/{application.pk}/", {"rooms_min": typed}, format="json"
    )
    assert response.status_code == 400 and "rooms_min" in response.json()
    assert "convert" not in response.content.decode()


def test_a_correction_stores_a_normalised_bsn_and_refuses_full_width_digits(client, cast) -> None:
    from django.core.exceptions import ValidationError

    from instroom.privacy import services as privacy

    person = make_application(cast.care_worker_a, cast.care_a).client
    privacy.client_correct(
        actor=cast.coordinator, client=person, reason="Verzoek", bsn="1112.22.333"
    )
    person.refresh_from_db()
    assert person.bsn == "111222333" and person.applications.get().bsn == "111222333"
    with pytest.raises(ValidationError):
        privacy.client_correct(
            actor=cast.coordinator, client=person, reason="Verzoek", bsn="１１１２２２３３３"
        )
    taken = make_application(cast.care_worker_a, cast.care_a).client
    with pytest.raises(ValidationError) as caught:
        privacy.client_correct(actor=cast.coordinator, client=taken, reason="x", bsn="111222333")
    assert "bsn" in caught.value.message_dict

"""Viewings of the offered home, and the named contact person of each party on an offer."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from instroom.accounts.constants import Role
from instroom.audit.models import AuditEvent
from instroom.conftest import make_user
from instroom.homes.tests.factories import make_home
from instroom.matching import services
from instroom.matching.models import Match, Viewing
from instroom.matching.tests.factories import make_approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(cast) -> Match:
    """An offer the care provider agreed to: the client may now view the home."""
    match = services.match_propose(
        actor=cast.corporation_user,
        home=make_home(cast.corporation_user, cast.corporation, rooms=2),
        application=make_approved(cast),
    )
    services.match_provider_decide(actor=cast.care_worker_a, match=match, accept=True)
    return match


def test_the_care_worker_records_a_viewing_shown_on_the_offer_and_the_timeline(
    client, cast, offer
) -> None:
    today = timezone.localdate()
    client.force_login(cast.care_worker_a)
    response = client.post(
        reverse("matching:viewing", args=[offer.pk]),
        {
            "viewing-held_on": today.isoformat(),
            "viewing-outcome": "doubts",
            "viewing-note": "Vindt de buurt wat druk",
        },
        follow=True,
    )
    assert "De bezichtiging is vastgelegd" in response.content.decode()
    assert "Gehouden – twijfels" in response.content.decode()
    assert "Vindt de buurt wat druk" in response.content.decode()
    viewing = Viewing.objects.get(match=offer)
    assert (viewing.held_on, viewing.outcome, viewing.recorded_by) == (
        today,
        "doubts",
        cast.care_worker_a,
    )
    # On the client's timeline, in the reader's language.
    page = client.get(reverse("applications:client", args=[offer.client_id]))
    assert "Bezichtiging gehouden: twijfels" in page.content.decode()
    # The corporation records one too (it shows the home).
    services.viewing_record(
        actor=cast.corporation_user, match=offer, held_on=today, outcome="positive"
    )
    assert AuditEvent.objects.filter(action="viewing.positive", client_id=offer.client_id).exists()


def test_a_viewing_with_a_date_in_the_future_keeps_the_input_and_says_why(
    client, cast, offer
) -> None:
    later = (timezone.localdate() + timedelta(days=3)).isoformat()
    client.force_login(cast.corporation_user)
    response = client.post(
        reverse("matching:viewing", args=[offer.pk]),
        {"viewing-held_on": later, "viewing-outcome": "positive", "viewing-note": "Sleutel mee"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Die datum ligt in de toekomst" in body
    assert f'value="{later}"' in body and "Sleutel mee" in body
    # Without an outcome: the form asks for it, the date stays.
    response = client.post(
        reverse("matching:viewing", args=[offer.pk]),
        {"viewing-held_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert "Dit veld is verplicht" in response.content.decode()
    assert not Viewing.objects.exists()


def test_who_records_a_viewing_and_when(client, cast) -> None:
    match = services.match_propose(
        actor=cast.corporation_user,
        home=make_home(cast.corporation_user, cast.corporation, rooms=2),
        application=make_approved(cast),
    )
    today = timezone.localdate()
    with pytest.raises(ValidationError):  # the care provider has not agreed yet
        services.viewing_record(
            actor=cast.care_worker_a, match=match, held_on=today, outcome="positive"
        )
    services.match_provider_decide(actor=cast.care_worker_a, match=match, accept=True)
    with pytest.raises(PermissionDenied):
        services.viewing_record(
            actor=cast.coordinator, match=match, held_on=today, outcome="positive"
        )
    data = {"viewing-held_on": today.isoformat(), "viewing-outcome": "no_show"}
    for persona, status in (
        ("support_worker", 403),
        ("coordinator", 403),
        ("care_worker_b", 404),
    ):
        client.force_login(getattr(cast, persona))
        assert client.post(reverse("matching:viewing", args=[match.pk]), data).status_code == (
            status
        ), persona
    assert not Viewing.objects.exists()


# -- named contacts -----------------------------------------------------------------------------


def test_whoever_acts_for_a_party_first_is_its_named_contact(client, cast, offer) -> None:
    offer.refresh_from_db()
    assert offer.contact_corporation == cast.corporation_user
    assert offer.contact_care == cast.care_worker_a
    assert offer.contact_service_point is None
    cast.care_worker_a.email = "zorg-a@example.org"
    cast.care_worker_a.save()
    client.force_login(cast.corporation_user)
    body = client.get(reverse("matching:detail", args=[offer.pk])).content.decode()
    assert "Contactpersonen" in body
    assert 'href="mailto:zorg-a@example.org"' in body
    assert "nog niet aangewezen" in body  # the service point has not acted yet
    services.status_request_send(actor=cast.coordinator, match=offer)
    offer.refresh_from_db()
    assert offer.contact_service_point == cast.coordinator


def test_a_party_names_a_colleague_as_its_contact(client, cast, offer) -> None:
    colleague = make_user(
        "colleague_corp", cast.corporation, Role.CORPORATION_STAFF, email="piet@corp.example"
    )
    client.force_login(cast.corporation_user)
    response = client.post(
        reverse("matching:contact", args=[offer.pk]),
        {"party": "corporation", "contact-corporation-contact": colleague.pk},
        follow=True,
    )
    assert "De contactpersoon is gewijzigd" in response.content.decode()
    assert "piet@corp.example" in response.content.decode()
    offer.refresh_from_db()
    assert offer.contact_corporation == colleague
    assert AuditEvent.objects.filter(action="match.contact", client_id=offer.client_id).exists()


def test_a_contact_from_another_organisation_is_refused_and_the_form_stays(
    client, cast, offer
) -> None:
    client.force_login(cast.corporation_user)
    response = client.post(
        reverse("matching:contact", args=[offer.pk]),
        {"party": "corporation", "contact-corporation-contact": cast.care_worker_a.pk},
    )
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode()
    # Naming the care provider's contact is the care provider's business.
    response = client.post(
        reverse("matching:contact", args=[offer.pk]),
        {"party": "care", "contact-care-contact": cast.care_worker_a.pk},
    )
    assert response.status_code == 403
    with pytest.raises(ValidationError):
        services.match_contact_set(
            actor=cast.corporation_user, match=offer, party="corporation", contact=cast.coordinator
        )
    offer.refresh_from_db()
    assert offer.contact_corporation == cast.corporation_user

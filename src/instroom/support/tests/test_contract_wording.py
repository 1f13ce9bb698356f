"""Issue 23: the draft agreement reads as a document (no "met ingang van —", "het Pact", the
landlord records the date), and the orientation flag appears only once its moment has passed
without orientation."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from instroom.dates import add_months
from instroom.support import services
from instroom.support.tests.factories import accepted_match

pytestmark = pytest.mark.django_db


def draft_text(contract) -> str:
    with override("nl"):
        return render_to_string("support/contract_pdf.html", services.document_context(contract))


def test_a_draft_without_dates_says_how_the_start_is_set_instead_of_a_dash(cast) -> None:
    contract = services.contract_prepare(actor=cast.corporation_user, match=accepted_match(cast))
    text = draft_text(contract)
    assert "met ingang van —" not in text
    assert "met ingang van de dag van de sleuteloverdracht, die de verhuurder" in text
    today = timezone.localdate()
    services.contract_sign(
        actor=cast.corporation_user,
        contract=contract,
        signed_on=today,
        key_handover_on=today,
        planned_move_in_on=today + timedelta(days=14),
    )
    contract.refresh_from_db()
    assert "met ingang van de dag van de sleuteloverdracht" not in draft_text(contract)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Pact voor uitstroom Zuid-Kennemerland en IJmond", "binnen het Pact voor uitstroom"),
        ("Uitstroomregeling Testregio", "binnen de Uitstroomregeling Testregio"),
    ],
)
def test_the_scheme_takes_its_own_article(cast, name, expected) -> None:
    cast.region.name = name
    cast.region.save(update_fields=["name"])
    contract = services.contract_prepare(actor=cast.corporation_user, match=accepted_match(cast))
    text = draft_text(contract)
    assert expected in text
    assert "binnen de Pact" not in text


def test_the_draft_names_the_landlord_as_the_party_that_records_the_date(cast) -> None:
    contract = services.contract_prepare(actor=cast.corporation_user, match=accepted_match(cast))
    text = draft_text(contract)
    assert f"de verhuurder, {cast.corporation.name}, legt de datum vast" in text
    assert "servicepunt legt de datum" not in text.lower()
    # As the service says: the landlord records the signing.
    today = timezone.localdate()
    signed = services.contract_sign(
        actor=cast.corporation_user,
        contract=contract,
        signed_on=today,
        key_handover_on=today,
        planned_move_in_on=today,
    )
    assert signed.signed_on == today


def soft_landing(client, cast, contract) -> str:
    client.force_login(cast.support_worker)
    page = client.get(f"/support/contracts/{contract.pk}/", HTTP_ACCEPT_LANGUAGE="nl")
    assert page.status_code == 200
    return page.content.decode()


def signed_contract(cast, move_on):
    contract = services.contract_prepare(actor=cast.corporation_user, match=accepted_match(cast))
    today = timezone.localdate()
    return services.contract_sign(
        actor=cast.corporation_user,
        contract=contract,
        signed_on=today,
        key_handover_on=today,
        planned_move_in_on=move_on,
    )


def test_no_orientation_flag_while_its_moment_is_still_ahead(client, cast) -> None:
    today = timezone.localdate()
    contract = signed_contract(cast, add_months(today, 8))  # orientation due in two months
    assert "De wijkoriëntatie had uiterlijk" not in soft_landing(client, cast, contract)
    # An activity planned after that moment does not raise the flag before the moment comes.
    services.orientation_add(
        actor=cast.support_worker,
        client=contract.client,
        on=add_months(today, 3),
        description="Rondleiding buurthuis gepland",
    )
    assert "De wijkoriëntatie had uiterlijk" not in soft_landing(client, cast, contract)


def test_the_orientation_flag_once_its_moment_passed_without_orientation(client, cast) -> None:
    today = timezone.localdate()
    contract = signed_contract(cast, today + timedelta(days=14))
    assert "De wijkoriëntatie had uiterlijk" in soft_landing(client, cast, contract)
    services.orientation_add(
        actor=cast.support_worker,
        client=contract.client,
        on=add_months(today, -7),
        description="Kennismaking wijkteam",
    )
    assert "De wijkoriëntatie had uiterlijk" not in soft_landing(client, cast, contract)

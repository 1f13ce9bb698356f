"""The support phase and the contracts follow the region's rules (`rules.support`,
`rules.contract_form`): its own meetings, signal kinds, outcomes, time-out and contract forms."""

from dataclasses import replace
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation

from instroom.applications.models import Application
from instroom.assessment.models import Decision
from instroom.dates import add_months
from instroom.regions.rules import TEMPLATE, Term
from instroom.regions.rules.intake import ContractFormRule
from instroom.regions.rules.support import ChecklistItem, MeetingKindRule, SignalOutcomeRule
from instroom.support import services
from instroom.support.tests.factories import (
    accepted_match,
    hold_handover,
    housed_contract,
    support_with,
    use_rules,
)

pytestmark = pytest.mark.django_db

YOUTH_HOME = ContractFormRule(
    "youth_home",
    "Jongerenwoning (Omslagroute)",
    "Youth home (Omslagroute)",
    tenant="care_provider",
    support_months=24,
    agreement_nl=(
        "## Artikel 1 Jongerenwoning\n{support_provider} huurt {address} voor {tenant}.\n\n"
        "## Artikel 2 Omklap\nNa een positieve eindevaluatie volgt {conversion}."
    ),
    conversion="fixed_term",
    lease_years_after_conversion=5,
)


def _with_youth_home(cast):
    return use_rules(cast.region, contract_form=(*TEMPLATE.contract_form, YOUTH_HOME))


def _youth_home_match(cast):
    match = accepted_match(cast)
    Decision.objects.filter(item__application=match.application).update(
        contract_form="youth_home", support_months=24
    )
    return match


def test_a_region_with_its_own_meeting_kinds_gets_those_meetings(client, cast) -> None:
    kinds = (
        MeetingKindRule("overdracht", "Overdracht", "Handover", moment="before_move"),
        MeetingKindRule("start", "Startgesprek", "Start meeting", moment="move_in"),
        MeetingKindRule(
            "huisbezoek",
            "Huisbezoek",
            "Home visit",
            moment="months_after_move_in",
            months=(1, 2, 9),
        ),
        MeetingKindRule("slot", "Slotgesprek", "Closing meeting", moment="end_of_support"),
        MeetingKindRule("extra", "Extra gesprek", "Extra meeting", moment="on_demand"),
    )
    checklist = (ChecklistItem("Gaat het goed?", "Going well?", kinds=("huisbezoek", "slot")),)
    use_rules(cast.region, support=support_with(meeting_kind=kinds, checklist=checklist))
    contract = housed_contract(cast, on=timezone.localdate())
    schedule = list(contract.meetings.order_by("due_on", "pk").values_list("kind", "months"))
    assert schedule == [
        ("overdracht", None),
        ("start", 0),
        ("huisbezoek", 1),
        ("huisbezoek", 2),
        ("huisbezoek", 9),
        ("slot", 24),
    ]
    visit = contract.meetings.get(kind="huisbezoek", months=2)
    client.force_login(cast.support_worker)
    page = client.get(f"/support/meetings/{visit.pk}/", HTTP_ACCEPT_LANGUAGE="nl")
    assert "Huisbezoek na 2 maanden" in page.content.decode()
    assert "Gaat het goed?" in page.content.decode()
    start = contract.meetings.get(kind="start")
    assert services.checklist_for(start) == []  # asked only at the kinds it names
    page = client.get(f"/support/contracts/{contract.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Closing meeting" in page.content.decode()


def test_a_custom_signal_kind_and_an_outcome_that_ends_the_contract(client, cast) -> None:
    use_rules(
        cast.region,
        support=support_with(
            signal_kind=(Term("drugs", "Drugsoverlast", "Drug nuisance"),),
            signal_outcome=(
                SignalOutcomeRule("rustig", "Weer rustig", "Calm again"),
                SignalOutcomeRule("ontruiming", "Ontruiming", "Eviction", ends_contract=True),
            ),
        ),
    )
    contract = housed_contract(cast, on=timezone.localdate())
    with pytest.raises(ValidationError) as info:  # the template's kind is not this region's
        services.signal_report(
            actor=cast.corporation_user,
            contract=contract,
            kind="nuisance",
            severity="high",
            description="Overlast",
        )
    assert set(info.value.message_dict) == {"kind"}
    signal = services.signal_report(
        actor=cast.corporation_user,
        contract=contract,
        kind="drugs",
        severity="high",
        description="Handel vanuit de woning gemeld.",
    )
    client.force_login(cast.coordinator)
    page = client.get(f"/support/signals/{signal.pk}/", HTTP_ACCEPT_LANGUAGE="nl").content
    assert "Drugsoverlast" in page.decode() and "Ontruiming" in page.decode()
    # The outcome that ends the contract is the service point's, and not offered to others.
    client.force_login(cast.support_worker)
    page = client.get(f"/support/signals/{signal.pk}/", HTTP_ACCEPT_LANGUAGE="nl").content
    assert "Weer rustig" in page.decode() and "Ontruiming" not in page.decode()
    with pytest.raises(PermissionDenied):
        services.signal_close(
            actor=cast.support_worker, signal=signal, outcome="ontruiming", note="Weg"
        )
    services.signal_close(actor=cast.coordinator, signal=signal, outcome="ontruiming", note="Weg")
    contract.refresh_from_db()
    assert contract.state == "terminated"
    assert Application.objects.get(pk=contract.application_id).state == "terminated"


def test_a_time_out_longer_than_the_regions_maximum_is_refused_in_dutch(cast) -> None:
    use_rules(cast.region, support=support_with(timeout_max_days=30))
    contract = housed_contract(cast, on=timezone.localdate())
    today = timezone.localdate()
    with translation.override("nl"), pytest.raises(ValidationError) as info:
        services.timeout_start(
            actor=cast.support_worker,
            contract=contract,
            starts_on=today,
            ends_on=today + timedelta(days=31),
            stay="Logeerhuis",
            return_plan="Terug na de opname",
        )
    assert info.value.message_dict["ends_on"] == [
        "Een time-out duurt in deze regio hoogstens 30 dagen."
    ]
    services.timeout_start(
        actor=cast.support_worker,
        contract=contract,
        starts_on=today,
        ends_on=today + timedelta(days=30),
        stay="Logeerhuis",
        return_plan="Terug na de opname",
    )


def test_a_fixed_term_conversion_records_the_end_of_the_lease(client, cast) -> None:
    _with_youth_home(cast)
    today = timezone.localdate()
    moved = add_months(today, -24)
    with time_machine.travel(
        datetime.combine(moved, time(10), tzinfo=timezone.get_current_timezone()), tick=False
    ):
        match = _youth_home_match(cast)
        contract = services.contract_prepare(actor=cast.corporation_user, match=match)
        services.contract_sign(
            actor=cast.corporation_user,
            contract=contract,
            signed_on=moved,
            key_handover_on=moved,
            planned_move_in_on=moved,
        )
        hold_handover(cast, contract, on=moved)
        services.contract_move_in(actor=cast.corporation_user, contract=contract, moved_in_on=moved)
    final = contract.meetings.get(moment="end_of_support")
    services.meeting_record(
        actor=cast.coordinator,
        meeting=final,
        held_on=today,
        notes="Eindevaluatie",
        answers={q.position: ("good", "") for q in services.checklist_for(final)},
    )
    services.contract_final_decide(
        actor=cast.coordinator, contract=contract, outcome="convert", note="Gaat goed"
    )
    contract.refresh_from_db()
    assert contract.state == "converted"
    assert contract.lease_ends_on == add_months(today, 60)
    client.force_login(cast.coordinator)
    page = client.get(f"/support/contracts/{contract.pk}/", HTTP_ACCEPT_LANGUAGE="nl")
    text = page.content.decode()
    assert "Jongerenwoning (Omslagroute)" in text
    assert "huurovereenkomst voor bepaalde tijd van 5 jaar" in text


def test_a_form_without_conversion_cannot_be_converted(cast) -> None:
    none = replace(YOUTH_HOME, conversion="none", lease_years_after_conversion=0)
    use_rules(cast.region, contract_form=(*TEMPLATE.contract_form, none))
    contract = housed_contract(cast, on=timezone.localdate())
    contract.form = "youth_home"
    contract.save(update_fields=["form"])
    with pytest.raises(ValidationError) as info:
        services.contract_final_decide(
            actor=cast.coordinator, contract=contract, outcome="convert", note="Gaat goed"
        )
    assert "outcome" in info.value.message_dict


def test_the_agreement_pdf_has_the_forms_text_and_conversion_and_keeps_its_version(
    client, cast
) -> None:
    first = _with_youth_home(cast)
    contract = services.contract_prepare(actor=cast.corporation_user, match=_youth_home_match(cast))
    assert contract.document.read().startswith(b"%PDF")
    assert (contract.form, contract.rule_version_id) == ("youth_home", first.pk)
    with translation.override("nl"):
        html = render_to_string("support/contract_pdf.html", services.document_context(contract))
    assert "Artikel 1 Jongerenwoning" in html
    assert f"{contract.client.support_provider.name} huurt {contract.home.address}" in html
    assert "een huurovereenkomst voor bepaalde tijd van 5 jaar" in html
    assert "Jongerenwoning (Omslagroute)" in html and "regelversie 1" in html
    # A later version changes the wording; the contract keeps the rules it was made under.
    renamed = replace(YOUTH_HOME, nl="Omslagwoning")
    use_rules(
        cast.region,
        valid_from=timezone.localdate(),
        contract_form=(*TEMPLATE.contract_form, renamed),
    )
    contract.refresh_from_db()
    assert contract.form_label == "Jongerenwoning (Omslagroute)"
    client.force_login(cast.corporation_user)
    page = client.get(f"/support/contracts/{contract.pk}/", HTTP_ACCEPT_LANGUAGE="nl")
    assert "regelversie 1" in page.content.decode()


def test_an_unknown_contract_form_is_refused_when_drawing_up(cast) -> None:
    match = accepted_match(cast)
    Decision.objects.filter(item__application=match.application).update(contract_form="youth_home")
    with pytest.raises(ValidationError):
        services.contract_prepare(actor=cast.corporation_user, match=match)

"""The minimisation table, row by row, for every persona: on the client page and in the API.

One client per stage of the journey (draft, submitted, on a table's open agenda, offer accepted
by the care provider, contracted and handed over to welfare), each file filled with marker values
that occur nowhere else. Every persona opens every client's page and API answers once (the world
is built once for the module); each test then checks one row of the table for one persona: the
marker is in the answer exactly in the stages the expectation below names.

The expectation is written out here by hand, not read from `policy.rules.MINIMISATION`: a wrong
row in the table fails here.
"""

import json
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from instroom.applications import services as app_services
from instroom.applications.tests.factories import make_application
from instroom.assessment import services as assessment_services
from instroom.assessment.models import AgendaItem
from instroom.conftest import PERSONAS as SIGNED_IN
from instroom.conftest import Cast, build_cast
from instroom.homes.tests.factories import make_home
from instroom.matching import services as matching
from instroom.matching.tests.factories import approve
from instroom.policy.rules import MINIMISATION, FieldGroup
from instroom.regions.rules import TEMPLATE
from instroom.support import services as support

# Marked, so that pytest-django creates the test database the module's world is built in.
pytestmark = pytest.mark.django_db

STATES = ("draft", "submitted", "agenda", "accepted", "contracted")
ALL = frozenset(STATES)
SENT = ALL - {"draft"}  # the application left the writer's hands
LEASE = frozenset({"accepted", "contracted"})  # the care provider accepted the corporation's offer

LETTER = "Ik wil graag weer zelf de sleutel van mijn eigen voordeur omdraaien."
INCOME = Decimal("23456.78")
FACILITY = "Paviljoen Zeekraal"
PETS = "Kanarie Pieterbaas"
SUPPORT_MONTHS = 17
REASONING = "Klaar om zelfstandig te wonen."  # the factory's approval reasoning

# Who stands in which relationship, in which stage (the cast: a client of care provider A, with
# woonbegeleiding by B, where the support worker works; police invited to the case on the agenda).
FILE_READERS = {
    "coordinator": ALL,
    "care_worker_a": ALL,
    "table_member": frozenset({"agenda"}),
    "police": frozenset({"agenda"}),
}
PERSON = {
    **FILE_READERS,
    "support_worker": ALL,
    "corporation_user": LEASE,
    "welfare_user": frozenset({"contracted"}),
}
# Per row: persona -> the stages in which they see it (absent: never).
EXPECTED: dict[FieldGroup, dict[str, frozenset[str]]] = {
    FieldGroup.PSEUDONYM: PERSON,
    FieldGroup.IDENTITY: PERSON,
    FieldGroup.BSN: {"coordinator": ALL, "care_worker_a": ALL},
    FieldGroup.CASE_STATUS: {**PERSON, "support_worker": SENT},
    FieldGroup.HOUSEHOLD_NEEDS: {**PERSON, "support_worker": SENT},
    FieldGroup.SUPPORT_ARRANGEMENT: {**PERSON, "support_worker": SENT},
    FieldGroup.ORIGIN: {**FILE_READERS, "support_worker": SENT},
    FieldGroup.PLACES: FILE_READERS,
    FieldGroup.INCOME: {**FILE_READERS, "support_worker": SENT},
    FieldGroup.MOTIVATION: FILE_READERS,
    FieldGroup.DOSSIER: FILE_READERS,
    FieldGroup.DECISION: FILE_READERS,
    FieldGroup.TIMELINE: FILE_READERS,
}
PERSONAS = SIGNED_IN


@dataclass
class Answers:
    page: str
    client_api: dict
    application_api: dict


@dataclass
class World:
    cast: Cast
    clients: dict[str, object]  # state -> Client
    answers: dict[tuple[str, str], Answers]  # (persona, state) -> what they received


def _file(cast: Cast, state: str):
    application = make_application(
        cast.care_worker_a,
        cast.care_a,
        support_provider=cast.care_b,
        last_name=f"Zwaluwstaart{state.title()}",
    )
    app_services.application_update(
        actor=cast.care_worker_a,
        application=application,
        current_facility=FACILITY,
        pets=True,
        pets_note=PETS,
        yearly_income_eur=INCOME,
        budget_management="bewind",
        expected_support_months=SUPPORT_MONTHS,
        history_justice=True,
        motivation_text=LETTER,
    )
    app_services.application_set_exclusions(
        actor=cast.care_worker_a,
        application=application,
        exclusions=[
            {
                "municipality": cast.region.municipalities.order_by("cbs_code").last(),
                "reason": "safety",
            }
        ],
    )
    return application


def _build(cast: Cast) -> dict[str, object]:
    coordinator = cast.coordinator
    apps = {state: _file(cast, state) for state in STATES}
    app_services.application_submit(actor=cast.care_worker_a, application=apps["submitted"])
    for state in ("accepted", "contracted"):
        approve(cast, apps[state])
    agenda = apps["agenda"]
    app_services.application_submit(actor=cast.care_worker_a, application=agenda)
    app_services.application_mark_complete(actor=coordinator, application=agenda)
    session = cast.region.tables.get().sessions.get(status="planned")
    item = assessment_services.agenda_add(actor=coordinator, session=session, application=agenda)
    assessment_services.invite(actor=coordinator, item=item, user=cast.police)
    assert AgendaItem.objects.filter(is_open=True).get() == item
    matches = {}
    for state in ("accepted", "contracted"):
        home = make_home(cast.corporation_user, cast.corporation, rooms=2, pets_allowed=True)
        match = matching.match_propose(
            actor=cast.corporation_user, home=home, application=apps[state]
        )
        matching.match_provider_decide(actor=cast.care_worker_a, match=match, accept=True)
        matches[state] = match
    matching.match_client_decide(actor=cast.care_worker_a, match=matches["contracted"], accept=True)
    contract = support.contract_prepare(actor=cast.corporation_user, match=matches["contracted"])
    support.contract_assign(
        actor=cast.support_worker,
        contract=contract,
        support_worker=cast.support_worker,
        welfare_organisation=cast.region.organisations.get(slug="welzijn"),
        welfare_contact="Sanne, wijkteam",
    )
    return {state: a for state, a in apps.items()}


def _json(response) -> dict:
    return response.json() if response.status_code == 200 else {}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    """Built and read once, inside a transaction that is rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        assert "instroom.sqlite3" not in str(connection.settings_dict["NAME"]), "not a test db"
        cast = build_cast()
        applications = _build(cast)
        answers = {}
        for persona, user in cast.personas().items():
            http = HttpClient(HTTP_ACCEPT_LANGUAGE="nl")
            http.force_login(user)
            for state, application in applications.items():
                page = http.get(reverse("applications:client", args=[application.client_id]))
                answers[(persona, state)] = Answers(
                    page=page.content.decode(),
                    client_api=_json(http.get(f"/api/v1/clients/{application.client_id}/")),
                    application_api=_json(http.get(f"/api/v1/applications/{application.pk}/")),
                )
        clients = {state: a.client for state, a in applications.items()}
        transaction.set_rollback(True)
    return World(cast=cast, clients=clients, answers=answers)


def _nl(text: str) -> str:
    with translation.override("nl"):
        return gettext(text)


def _page_marker(group: FieldGroup, client) -> str | re.Pattern | None:
    """A value of this group as the client page shows it (None: the page does not show it)."""
    return {
        FieldGroup.IDENTITY: client.last_name,
        FieldGroup.BSN: client.bsn,
        FieldGroup.HOUSEHOLD_NEEDS: PETS,
        FieldGroup.SUPPORT_ARRANGEMENT: re.compile(rf"\b{SUPPORT_MONTHS} maanden\b"),
        FieldGroup.ORIGIN: FACILITY,
        FieldGroup.PLACES: TEMPLATE.term("exclusion_reason", "safety").nl,
        FieldGroup.INCOME: "23.456,78",  # as the Dutch page writes money
        FieldGroup.MOTIVATION: LETTER,
        FieldGroup.DOSSIER: f">{_nl('Dossier weight')}<",
        FieldGroup.TIMELINE: f">{_nl('Timeline')}</h2>",
    }.get(group)


def _api_marker(group: FieldGroup, answers: Answers, client) -> bool | None:
    """Whether the API answer holds this group's value (None: the API has no such field)."""
    c, a = answers.client_api, answers.application_api
    return {
        FieldGroup.PSEUDONYM: c.get("candidate_number") == client.candidate_number,
        FieldGroup.IDENTITY: c.get("last_name") == client.last_name
        and a.get("case_number", client.case_number) == client.case_number,
        FieldGroup.BSN: c.get("bsn") == client.bsn or client.bsn in json.dumps(a),
        FieldGroup.CASE_STATUS: "state" in a,
        FieldGroup.HOUSEHOLD_NEEDS: a.get("pets_note") == PETS,
        FieldGroup.SUPPORT_ARRANGEMENT: a.get("expected_support_months") == SUPPORT_MONTHS,
        FieldGroup.ORIGIN: a.get("current_facility") == FACILITY,
        FieldGroup.PLACES: "preferences" in a,
        FieldGroup.INCOME: a.get("yearly_income_eur") == str(INCOME),
        FieldGroup.MOTIVATION: a.get("motivation_text") == LETTER,
        FieldGroup.DOSSIER: a.get("history_justice") is True,
        FieldGroup.DECISION: "return_reason" in a,
    }.get(group)


def test_every_row_of_the_table_is_tested() -> None:
    assert set(EXPECTED) == set(MINIMISATION) == set(FieldGroup)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("group", list(FieldGroup), ids=str)
def test_row_per_persona(world, group: FieldGroup, persona: str) -> None:
    expected = EXPECTED[group].get(persona, frozenset())
    for state in STATES:
        client = world.clients[state]
        answers = world.answers[(persona, state)]
        visible = state in expected
        marker = _page_marker(group, client)
        if group == FieldGroup.DECISION and state in LEASE:
            marker = REASONING  # the table's reasoning, in the timeline of approved cases
        if marker is not None:
            found = (
                bool(marker.search(answers.page))
                if isinstance(marker, re.Pattern)
                else marker in answers.page
            )
            assert found == visible, f"page: {group} for {persona}, {state}: {found=}"
        api = _api_marker(group, answers, client)
        if api is not None:
            assert api == visible, f"API: {group} for {persona}, {state}: {api=}"


def test_the_motivation_letter_per_persona(world) -> None:
    """The letter, spelled out: who reads it in which stage (DOMAIN.md §4)."""
    readers = {
        persona: {s for s in STATES if LETTER in world.answers[(persona, s)].page}
        for persona in PERSONAS
    }
    assert readers == {
        "coordinator": set(STATES),
        "care_worker_a": set(STATES),
        "care_worker_b": set(),
        "support_worker": set(),
        "table_member": {"agenda"},
        "corporation_user": set(),
        "welfare_user": set(),
        "municipality_user": set(),
        "police": {"agenda"},
        "administrator": set(),
        "other_coordinator": set(),
        "nobody": set(),
    }

"""The invariants the forms check are also the database's: a write that slips past a form (a
script, a future import, a bug) is refused by the database, and every input path refuses the
same values with a message instead of reaching it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from instroom.applications.constants import (
    HOUSEHOLD_ADULTS,
    HOUSEHOLD_CHILDREN,
    ROOMS_NEEDED,
    SUPPORT_MONTHS,
)
from instroom.applications.models import Application, Client
from instroom.applications.tests.factories import make_application
from instroom.assessment import services as assessment_services
from instroom.assessment.models import Decision, Session, TableMember
from instroom.homes.models import Home
from instroom.homes.tests.factories import make_home
from instroom.homes.validators import FLOOR_RANGE, HOUSE_NUMBER_RANGE, RENT_RANGE, ROOMS_RANGE

pytestmark = pytest.mark.django_db


def refused_by_the_database(queryset, **values) -> bool:
    try:
        with transaction.atomic():
            queryset.update(**values)
    except IntegrityError:
        return True
    return False


def test_the_database_refuses_what_the_forms_refuse(cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    client = Client.objects.filter(pk=application.client_id)
    apps = Application.objects.filter(pk=application.pk)
    assert refused_by_the_database(client, household_adults=HOUSEHOLD_ADULTS[0] - 1)
    assert refused_by_the_database(client, household_adults=HOUSEHOLD_ADULTS[1] + 1)
    assert refused_by_the_database(client, household_children=HOUSEHOLD_CHILDREN[1] + 1)
    assert refused_by_the_database(apps, rooms_min=ROOMS_NEEDED[1] + 1)
    assert refused_by_the_database(apps, expected_support_months=SUPPORT_MONTHS[1] + 1)
    assert not refused_by_the_database(apps, rooms_min=ROOMS_NEEDED[1])

    home = Home.objects.filter(pk=make_home(cast.corporation_user, cast.corporation).pk)
    assert refused_by_the_database(home, rooms=ROOMS_RANGE[1] + 1)
    assert refused_by_the_database(home, floor=FLOOR_RANGE[1] + 1)
    assert refused_by_the_database(home, rent_eur=RENT_RANGE[1] + Decimal("0.01"))
    assert refused_by_the_database(home, house_number=HOUSE_NUMBER_RANGE[1] + 1)


@pytest.fixture
def agenda_item(cast):
    application = make_application(cast.care_worker_a, cast.care_a)
    from instroom.applications import services as app_services

    app_services.application_submit(actor=cast.care_worker_a, application=application)
    app_services.application_mark_complete(actor=cast.coordinator, application=application)
    table = cast.region.tables.get()
    TableMember.objects.get_or_create(
        table=table, user=cast.table_member, defaults={"is_chair": True}
    )
    session = Session.objects.filter(table=table, status="planned").first() or (
        assessment_services.session_plan(
            actor=cast.coordinator, table=table, starts_at=timezone.now() + timedelta(days=1)
        )
    )
    return assessment_services.agenda_add(
        actor=cast.coordinator, session=session, application=application
    )


def test_a_decision_out_of_range_is_refused_with_a_message_on_every_path(cast, agenda_item) -> None:
    with pytest.raises(ValidationError) as error:
        assessment_services.decision_record(
            actor=cast.table_member,
            item=agenda_item,
            outcome="approve",
            reasoning="Klaar.",
            contract_form="three_party",
            support_months=SUPPORT_MONTHS[1] + 1,
        )
    assert "support_months" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        assessment_services.decision_record(
            actor=cast.table_member,
            item=agenda_item,
            outcome="approve",
            reasoning="Klaar.",
            contract_form="three_party",
            support_months=24,
            urgency=7,
        )
    assert "urgency" in error.value.message_dict

    api = APIClient()
    api.force_authenticate(cast.table_member)
    url = f"/api/v1/agenda-items/{agenda_item.pk}/decision/"
    body = {"outcome": "approve", "reasoning": "Klaar.", "contract_form": "three_party"}
    for bad, field in (({"support_months": 500}, "support_months"), ({"urgency": 3}, "urgency")):
        response = api.post(url, {**body, "support_months": 24, **bad}, format="json")
        assert response.status_code == 400, response.content
        assert field in response.json()
    assert not Decision.objects.exists()

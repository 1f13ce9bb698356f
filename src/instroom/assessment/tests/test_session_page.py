"""The session page as the chair and the service point use it, with several cases on it."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from instroom.applications import services as app_services
from instroom.applications.tests.factories import make_application
from instroom.assessment import services
from instroom.assessment.models import TableMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_with_three_cases(cast):
    table = cast.region.tables.get()
    TableMember.objects.get_or_create(
        table=table, user=cast.table_member, defaults={"is_chair": True}
    )
    session = services.session_plan(
        actor=cast.coordinator, table=table, starts_at=timezone.now() - timedelta(minutes=1)
    )  # meets today: the table decides on or after its day
    for _ in range(3):
        application = make_application(cast.care_worker_a, cast.care_a)
        app_services.application_submit(actor=cast.care_worker_a, application=application)
        app_services.application_mark_complete(actor=cast.coordinator, application=application)
        services.agenda_add(actor=cast.coordinator, session=session, application=application)
    return session


def test_every_decision_form_has_its_own_ids(client, cast, session_with_three_cases) -> None:
    """Clicking "Goedkeuren" of the third case must not tick the first case's radio."""
    client.force_login(cast.table_member)
    page = client.get(f"/sessions/{session_with_three_cases.pk}/").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert page.count('name="outcome"') >= 9  # three cases, three outcomes each
    assert not [i for i, n in Counter(ids).items() if n > 1]
    for target in re.findall(r'\sfor="([^"]+)"', page):
        assert target in ids, target


def test_the_agenda_choice_names_the_client(client, cast) -> None:
    table = cast.region.tables.get()
    session = services.session_plan(
        actor=cast.coordinator, table=table, starts_at=timezone.now() + timedelta(days=1)
    )
    application = make_application(cast.care_worker_a, cast.care_a)
    app_services.application_submit(actor=cast.care_worker_a, application=application)
    app_services.application_mark_complete(actor=cast.coordinator, application=application)
    client.force_login(cast.coordinator)
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    option = re.search(rf'<option value="{application.pk}">([^<]+)</option>', page)
    assert option and application.client.last_name in option.group(1)
    assert application.client.case_number in option.group(1)


def test_a_decided_case_is_named_but_not_linked_for_the_table_member(
    client, cast, session_with_three_cases
) -> None:
    """After the decision the case leaves the member's view (its page is not found for them):
    the agenda keeps the case, without a link that would lead nowhere (the crawl found 404s)."""
    decided, still_open, _ = session_with_three_cases.items.order_by("position", "pk")
    services.decision_record(
        actor=cast.table_member,
        item=decided,
        outcome="reject",
        reasoning="Nog niet zelfstandig.",
        earliest_reapplication=timezone.localdate() + timedelta(days=90),
    )
    decided_url = f"/clients/{decided.application.client_id}/"
    open_url = f"/clients/{still_open.application.client_id}/"
    client.force_login(cast.table_member)
    page = client.get(f"/sessions/{session_with_three_cases.pk}/").content.decode()
    assert decided.application.client.case_number in page
    assert f'href="{decided_url}"' not in page
    assert f'href="{open_url}"' in page
    assert client.get(open_url).status_code == 200
    assert client.get(decided_url).status_code == 404
    # The service point still opens every case from the agenda.
    client.force_login(cast.coordinator)
    page = client.get(f"/sessions/{session_with_three_cases.pk}/").content.decode()
    assert f'href="{decided_url}"' in page and f'href="{open_url}"' in page

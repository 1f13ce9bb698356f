"""The assessment stage's tasks are about the case or the session, and leave the lists when the
work is done: the case decided, the session closed. A decision that asks nothing is a notice."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from instroom.accounts.constants import Role
from instroom.accounts.models import Notification
from instroom.applications import services as app_services
from instroom.applications.tests.factories import make_application
from instroom.assessment import services
from instroom.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def table(cast):
    table = cast.region.tables.get()
    services.table_member_add(actor=None, table=table, user=cast.table_member, is_chair=True)
    return table


@pytest.fixture
def session(cast, table):
    return services.session_plan(
        actor=cast.coordinator, table=table, starts_at=timezone.now() - timedelta(minutes=1)
    )  # meets today: the table decides on or after its day


def complete_case(cast):
    application = make_application(cast.care_worker_a, cast.care_a)
    app_services.application_submit(actor=cast.care_worker_a, application=application)
    app_services.application_mark_complete(actor=cast.coordinator, application=application)
    return application


def open_tasks(user, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind=kind, done_at__isnull=True))


def approve(cast, item) -> None:
    services.decision_record(
        actor=cast.table_member,
        item=item,
        outcome="approve",
        reasoning="Klaar om zelfstandig te wonen.",
        contract_form="three_party",
        support_months=24,
    )


def test_an_invitation_closes_when_the_case_is_decided(cast, session) -> None:
    item = services.agenda_add(
        actor=cast.coordinator, session=session, application=complete_case(cast)
    )
    services.invite(actor=cast.coordinator, item=item, user=cast.police)
    [task] = open_tasks(cast.police, "session.invitation")
    assert task.due_on == timezone.localdate(session.starts_at)
    with translation.override("en"):
        assert task.title == f"Invitation: case {item.application.client.case_number} at {session}"
    approve(cast, item)
    assert open_tasks(cast.police, "session.invitation") == []


def test_an_invitation_closes_when_the_case_is_taken_off_the_agenda(cast, session) -> None:
    item = services.agenda_add(
        actor=cast.coordinator, session=session, application=complete_case(cast)
    )
    services.invite(actor=cast.coordinator, item=item, user=cast.police)
    services.agenda_remove(actor=cast.coordinator, item=item, reason="Verkeerde sessie")
    assert open_tasks(cast.police, "session.invitation") == []


def test_the_agenda_tasks_are_replaced_when_republished_and_close_with_the_session(
    cast, table, session
) -> None:
    municipality = cast.region.organisations.get(slug="gemeente-a")
    member = make_user("member", municipality, Role.TABLE_MEMBER)
    services.table_member_add(actor=None, table=table, user=member)
    item = services.agenda_add(
        actor=cast.coordinator, session=session, application=complete_case(cast)
    )
    services.invite(actor=cast.coordinator, item=item, user=cast.police)
    services.agenda_publish(actor=cast.coordinator, session=session)
    services.agenda_publish(actor=cast.coordinator, session=session)
    # The chair records the decisions; a member and the invited prepare the cases.
    [chair_task] = open_tasks(cast.table_member, "session.decisions")
    assert open_tasks(cast.table_member, "session.agenda") == []
    [task] = open_tasks(member, "session.agenda")
    assert len(open_tasks(cast.police, "session.agenda")) == 1
    with translation.override("en"):
        assert task.title == f"Prepare the agenda of {session} (cases: 1)"
        assert chair_task.title == f"Chair {session}: record the decisions (cases: 1)"
    assert task.due_on == chair_task.due_on == timezone.localdate(session.starts_at)
    approve(cast, item)
    assert len(open_tasks(member, "session.agenda")) == 1  # the session still runs
    services.session_close(actor=cast.coordinator, session=session)
    assert open_tasks(member, "session.agenda") == []
    assert open_tasks(cast.table_member, "session.decisions") == []


def test_a_deferred_case_is_a_task_until_it_is_on_an_agenda_again(cast, table, session) -> None:
    application = complete_case(cast)
    item = services.agenda_add(actor=cast.coordinator, session=session, application=application)
    services.decision_record(
        actor=cast.table_member,
        item=item,
        outcome="defer",
        reasoning="Nog niet te beoordelen.",
        missing_information="Het advies van de huisarts.",
    )
    assert len(open_tasks(cast.care_worker_a, "decision.deferred")) == 1
    assert len(open_tasks(cast.coordinator, "decision.deferred")) == 1
    later = services.session_plan(
        actor=cast.coordinator, table=table, starts_at=timezone.now() + timedelta(days=10)
    )
    services.agenda_add(actor=cast.coordinator, session=later, application=application)
    assert open_tasks(cast.care_worker_a, "decision.deferred") == []
    assert open_tasks(cast.coordinator, "decision.deferred") == []


def test_an_approval_is_a_notice_in_each_recipients_language(
    cast, session, django_capture_on_commit_callbacks
) -> None:
    application = complete_case(cast)
    item = services.agenda_add(actor=cast.coordinator, session=session, application=application)
    cast.care_worker_a.email, cast.care_worker_a.language = "zorg@example.org", "en"
    cast.care_worker_a.save()
    cast.coordinator.email = "servicepunt@example.org"  # no preference: the default, Dutch
    cast.coordinator.save()
    mail.outbox.clear()
    with translation.override("nl"), django_capture_on_commit_callbacks(execute=True):
        approve(cast, item)
    case = application.client.case_number
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        "zorg@example.org": f"Decision on {case}: Approve",
        "servicepunt@example.org": f"Besluit over {case}: Goedkeuren",
    }
    assert not Notification.objects.filter(kind__startswith="decision.").exists()

"""Tasks are about the object of the work: they close when the case moves on, speak the reader's
language, and each persona's task list holds only their own."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from instroom.accounts.models import Notification
from instroom.accounts.notifications import notify, send_notice
from instroom.applications import services as app_services
from instroom.applications.tests.factories import make_application
from instroom.homes.tests.factories import make_home
from instroom.matching import services as matching
from instroom.matching.tests.factories import make_approved
from instroom.support import services as support
from instroom.support.tests.factories import accepted_match, hold_handover

pytestmark = pytest.mark.django_db


def open_tasks(user, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind=kind, done_at__isnull=True))


def test_check_application_closes_when_marked_complete(cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    app_services.application_submit(actor=cast.care_worker_a, application=application)
    assert len(open_tasks(cast.coordinator, "application.check")) == 1
    app_services.application_mark_complete(actor=cast.coordinator, application=application)
    assert open_tasks(cast.coordinator, "application.check") == []
    task = Notification.objects.get(user=cast.coordinator, kind="application.check")
    assert task.closed_automatically


def test_check_application_closes_when_returned_and_completing_closes_on_resubmit(cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    app_services.application_submit(actor=cast.care_worker_a, application=application)
    app_services.application_return(
        actor=cast.coordinator, application=application, reason="Het inkomen ontbreekt."
    )
    assert open_tasks(cast.coordinator, "application.check") == []
    assert len(open_tasks(cast.care_worker_a, "application.complete")) == 1
    app_services.application_submit(actor=cast.care_worker_a, application=application)
    assert open_tasks(cast.care_worker_a, "application.complete") == []
    assert len(open_tasks(cast.coordinator, "application.recheck")) == 1


def test_answer_offer_closes_when_answered_or_cancelled(cast) -> None:
    application = make_approved(cast)
    home = make_home(cast.corporation_user, cast.corporation, rooms=2)
    match = matching.match_propose(actor=cast.corporation_user, home=home, application=application)
    [task] = open_tasks(cast.care_worker_a, "match.answer")
    assert task.due_on == match.step_deadline
    matching.match_provider_decide(actor=cast.care_worker_a, match=match, accept=True)
    assert open_tasks(cast.care_worker_a, "match.answer") == []

    other = make_approved(cast)
    home2 = make_home(cast.corporation_user, cast.corporation, rooms=2)
    match2 = matching.match_propose(actor=cast.corporation_user, home=home2, application=other)
    assert len(open_tasks(cast.care_worker_a, "match.answer")) == 1
    matching.match_cancel(actor=cast.corporation_user, match=match2, note="Woning is verkocht.")
    assert open_tasks(cast.care_worker_a, "match.answer") == []


def test_plan_signing_closes_on_signing_and_only_one_contract_task_stays_open(cast) -> None:
    match = accepted_match(cast)
    contract = support.contract_prepare(actor=cast.corporation_user, match=match)
    assert len(open_tasks(cast.support_worker, "contract.plan_signing")) == 1
    today = timezone.localdate()
    support.contract_sign(
        actor=cast.corporation_user,
        contract=contract,
        signed_on=today,
        key_handover_on=today,
        planned_move_in_on=today,
    )
    assert open_tasks(cast.support_worker, "contract.plan_signing") == []
    hold_handover(cast, contract, on=today)  # the warm handover comes before the move
    support.contract_move_in(actor=cast.corporation_user, contract=contract, moved_in_on=today)
    contract_tasks = Notification.objects.filter(
        user=cast.support_worker, kind__startswith="contract.", done_at__isnull=True
    )
    assert list(contract_tasks.values_list("kind", flat=True)) == ["contract.plan_meetings"]


def test_titles_are_shown_in_the_readers_language(cast, client) -> None:
    with translation.override("nl"):  # created by a Dutch-speaking applicant worker
        application = make_application(cast.care_worker_a, cast.care_a)
        app_services.application_submit(actor=cast.care_worker_a, application=application)
    task = Notification.objects.get(user=cast.coordinator, kind="application.check")
    case = application.client.case_number
    assert task.params == {"case": case}
    with translation.override("en"):
        assert task.title == f"New application to check: {case}"
    with translation.override("nl"):
        assert "controleren" in task.title
    client.force_login(cast.coordinator)
    page = client.get(reverse("accounts:tasks"), headers={"accept-language": "en"})
    assert f"New application to check: {case}" in page.content.decode()
    home = client.get(reverse("home"), headers={"accept-language": "en"})
    assert f"New application to check: {case}" in home.content.decode()


def test_old_free_text_tasks_stay_readable(cast) -> None:
    notify(users=[cast.coordinator], subject="Oude taak zonder soort")
    assert Notification.objects.get(user=cast.coordinator).title == "Oude taak zonder soort"


def test_the_task_list_shows_only_ones_own_tasks(cast, client) -> None:
    notify(users=[cast.coordinator], subject="Taak van de coördinator")
    notify(users=[cast.care_worker_a], subject="Taak van de zorgmedewerker")
    for user in cast.personas().values():
        client.force_login(user)
        body = client.get(reverse("accounts:tasks")).content.decode()
        assert ("Taak van de coördinator" in body) == (user == cast.coordinator)
        assert ("Taak van de zorgmedewerker" in body) == (user == cast.care_worker_a)


def test_the_task_list_filters_on_kind_and_closed(cast, client) -> None:
    notify(users=[cast.coordinator], subject="Vrije taak")
    notify(users=[cast.coordinator], kind="application.check", params={"case": "ZK-1"})
    client.force_login(cast.coordinator)
    url = reverse("accounts:tasks")
    body = client.get(url, {"kind": "application.check"}).content.decode()
    assert "ZK-1" in body and "Vrije taak" not in body
    done = Notification.objects.get(kind="application.check")
    client.post(reverse("accounts:task_done", args=[done.pk]), {"next": "tasks"})
    assert "ZK-1" not in client.get(url).content.decode()
    assert "ZK-1" in client.get(url, {"state": "closed"}).content.decode()


def test_the_task_list_costs_the_same_queries_for_few_and_many_tasks(cast, client) -> None:
    client.force_login(cast.coordinator)
    url = reverse("accounts:tasks")
    notify(users=[cast.coordinator], kind="application.check", params={"case": "ZK-1"})
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(30):
        notify(users=[cast.coordinator], kind="match.answer", params={"number": f"K-{n}"})
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_home_page_shows_counts_and_at_most_five_tasks(cast, client) -> None:
    for n in range(12):
        notify(users=[cast.coordinator], kind="application.check", params={"case": f"ZK-{n}"})
    client.force_login(cast.coordinator)
    body = client.get(reverse("home"), headers={"accept-language": "en"}).content.decode()
    assert body.count('data-task-kind="application.check"') == 5
    assert "Applications to check: 12" in body
    assert reverse("accounts:tasks") in body


def test_email_is_written_in_each_recipients_language(
    cast, django_capture_on_commit_callbacks
) -> None:
    cast.coordinator.email, cast.coordinator.language = "sp@example.org", "en"
    cast.coordinator.save()
    cast.other_coordinator.email = "sp2@example.org"  # no preference: the default, Dutch
    cast.other_coordinator.save()
    mail.outbox.clear()
    with translation.override("nl"), django_capture_on_commit_callbacks(execute=True):
        notify(
            users=[cast.coordinator, cast.other_coordinator],
            kind="meeting.escalated",
            params={
                "case": "ZK-7",
                "meeting_kind": "introduction",
                # The region's name of the meeting in both languages, as the daily run stores it.
                "meeting_names": {"nl": "Kennismakingsgesprek", "en": "Introduction meeting"},
                "date": "2026-03-02",
                "reminded": "2026-03-03",
            },
        )
    sent = {m.to[0]: (m.subject, m.body) for m in mail.outbox}
    assert sent["sp@example.org"] == (
        "A meeting needs attention: introduction meeting of case ZK-7",
        "Due on 2 March 2026; the support worker was reminded on 3 March 2026.",
    )
    subject, body = sent["sp2@example.org"]
    assert "kennismakingsgesprek" in subject and "ZK-7" in subject
    assert "2 maart 2026" in body


def test_choosing_a_language_makes_it_the_language_of_ones_email(cast, client) -> None:
    client.force_login(cast.support_worker)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cast.support_worker.refresh_from_db()
    assert cast.support_worker.language == "en"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})  # not offered
    cast.support_worker.refresh_from_db()
    assert cast.support_worker.language == "en"


def test_a_notice_is_never_a_task_and_a_task_never_a_mere_notice(cast) -> None:
    with pytest.raises(ValueError):
        notify(users=[cast.coordinator], kind="account.password_set")
    with pytest.raises(ValueError):
        send_notice(users=[cast.coordinator], kind="application.check", params={"case": "ZK-1"})
    assert not Notification.objects.exists()

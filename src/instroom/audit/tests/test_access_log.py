"""Every read of a client's personal data and every change of case data is in the log."""

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation

from instroom.applications import services
from instroom.applications.tests.factories import make_application
from instroom.audit.models import AppendOnlyError, AuditEvent


@pytest.mark.django_db
def test_opening_a_client_is_logged_with_who_when_which_and_why(client, cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    client.force_login(cast.coordinator)
    before = AuditEvent.objects.filter(kind="access").count()
    client.get(reverse("applications:client", args=[application.client_id]))
    event = AuditEvent.objects.filter(kind="access").latest("id")
    assert AuditEvent.objects.filter(kind="access").count() == before + 1
    assert event.actor == cast.coordinator
    assert event.client_id == application.client_id
    assert event.actor_roles == "coordinator"
    assert event.purpose == "client page"
    assert event.at is not None


@pytest.mark.django_db
def test_a_list_logs_one_read_per_client_shown(client, cast) -> None:
    a1 = make_application(cast.care_worker_a, cast.care_a)
    a2 = make_application(cast.care_worker_a, cast.care_a)
    make_application(cast.care_worker_b, cast.care_b)  # not shown to A: not logged
    client.force_login(cast.care_worker_a)
    client.get("/clients/")
    logged = set(
        AuditEvent.objects.filter(kind="access", actor=cast.care_worker_a).values_list(
            "client_id", flat=True
        )
    )
    assert logged == {a1.client_id, a2.client_id}


@pytest.mark.django_db
def test_api_reads_are_logged(client, cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    client.force_login(cast.coordinator)
    client.get(f"/api/v1/clients/{application.client_id}/")
    assert AuditEvent.objects.filter(
        kind="access", actor=cast.coordinator, client_id=application.client_id, purpose="API"
    ).exists()


@pytest.mark.django_db
def test_a_refused_read_leaves_no_trace_of_personal_data(client, cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    client.force_login(cast.care_worker_b)
    client.get(reverse("applications:client", args=[application.client_id]))
    assert not AuditEvent.objects.filter(kind="access", actor=cast.care_worker_b).exists()


@pytest.mark.django_db
def test_changes_are_logged_in_the_same_transaction(cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    services.application_submit(actor=cast.care_worker_a, application=application)
    event = AuditEvent.objects.filter(kind="change", action="application.submit").get()
    assert event.changes["state"] == ["draft", "submitted"]
    assert event.client_id == application.client_id
    # An illegal transition changes nothing and logs nothing.
    count = AuditEvent.objects.count()
    with pytest.raises(services.TransitionError):
        services.application_submit(actor=cast.care_worker_a, application=application)
    assert AuditEvent.objects.count() == count


@pytest.mark.django_db
def test_log_is_append_only_in_the_application(cast) -> None:
    make_application(cast.care_worker_a, cast.care_a)
    event = AuditEvent.objects.first()
    event.action = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def _refused(statement: str) -> None:
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)


@pytest.mark.django_db
def test_database_refuses_to_rewrite_the_log(cast) -> None:
    make_application(cast.care_worker_a, cast.care_a)
    _refused("UPDATE audit_auditevent SET action = 'x'")
    assert not AuditEvent.objects.filter(action="x").exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_refuses_to_delete_from_the_log(cast) -> None:
    make_application(cast.care_worker_a, cast.care_a)
    count = AuditEvent.objects.count()
    _refused("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == count > 0


@pytest.mark.django_db
def test_coordinator_filters_the_access_log(client, cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    client.force_login(cast.care_worker_a)
    client.get(reverse("applications:client", args=[application.client_id]))
    client.force_login(cast.coordinator)
    page = client.get("/audit/access-log/", {"user": "care_a", "kind": "access"}).content.decode()
    assert "care_a" in page and "client.view" in page
    assert "application.create" not in page
    # People read the action and the role by their names; the code stays only as a tooltip.
    from instroom.audit.timeline import label_for

    with translation.override("nl"):
        assert str(label_for("client.view")) in page
        assert ">client.view<" not in page and "applicant_worker" not in page
    empty = client.get("/audit/access-log/", {"user": "nobody-at-all"}).content.decode()
    assert "care_a" not in empty

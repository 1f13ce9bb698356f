"""Retention across simulated dates, and the client's rights of access, correction, erasure."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from instroom.applications import services as app_services
from instroom.applications.models import Client
from instroom.applications.tests.factories import make_application
from instroom.audit.models import AuditEvent, EventNote
from instroom.privacy import services


def reauthenticated(client, user) -> None:
    client.force_login(user)
    session = client.session
    session["instroom_reauthenticated_at"] = timezone.now().timestamp()
    session.save()


@pytest.mark.django_db
def test_retention_anonymises_after_the_region_period_and_not_before(client, cast) -> None:
    cast.region.retention_months = 24
    cast.region.save()
    ended = make_application(cast.care_worker_a, cast.care_a)
    app_services.application_update(
        actor=cast.care_worker_a, application=ended, motivation_text="Mijn verhaal"
    )
    app_services.application_submit(actor=cast.care_worker_a, application=ended)
    app_services.application_return(actor=cast.coordinator, application=ended, reason="Brief")
    app_services.application_withdraw(
        actor=cast.care_worker_a, application=ended, reason="Kiest voor een andere woonvorm"
    )
    active = make_application(cast.care_worker_a, cast.care_a)
    client.force_login(cast.coordinator)
    client.get(reverse("applications:client", args=[ended.client_id]))  # a read, logged
    end_day = timezone.localdate()
    name = ended.client.last_name

    call_command("daily", "--today", (end_day + timedelta(days=700)).isoformat())
    ended.client.refresh_from_db()
    assert ended.client.anonymised_at is None  # 23 months: not yet

    call_command("daily", "--today", (end_day + timedelta(days=732)).isoformat())
    c = Client.objects.get(pk=ended.client_id)
    assert c.anonymised_at is not None and c.last_name == "" and c.bsn == ""
    assert c.date_of_birth.month == 1 and c.date_of_birth.day == 1  # year kept for reports
    application = c.applications.get()
    assert application.motivation_text == "" and application.state == "withdrawn"
    assert not EventNote.objects.filter(event__client_id=c.pk).exists()
    # The access log still says who looked, and when; never what was seen.
    looked = AuditEvent.objects.filter(client_id=c.pk, kind="access", actor=cast.coordinator)
    assert looked.exists()
    assert not any(name in json.dumps(e.changes) for e in AuditEvent.objects.filter(client_id=c.pk))
    # The active case is untouched; running again changes nothing.
    assert Client.objects.get(pk=active.client_id).anonymised_at is None
    assert services.retention_run(today=end_day + timedelta(days=2000)) == []


@pytest.mark.django_db
def test_export_holds_everything_and_is_itself_logged(client, cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    app_services.application_update(
        actor=cast.care_worker_a, application=application, motivation_text="Mijn brief"
    )
    app_services.application_submit(actor=cast.care_worker_a, application=application)
    client.force_login(cast.coordinator)
    asked = client.get(reverse("privacy:export_json", args=[application.client_id]))
    assert asked.status_code == 302 and reverse("accounts:reauth") in asked.url
    reauthenticated(client, cast.coordinator)
    data = client.get(reverse("privacy:export_json", args=[application.client_id])).json()
    assert data["client"]["bsn"] == application.client.bsn
    assert data["applications"][0]["motivation_text"] == "Mijn brief"
    assert any("Submitted" in e["what"] or "Ingediend" in e["what"] for e in data["history"])
    # Roles by their names, as the person reads them: no codes such as applicant_worker.
    roles = {e["roles"] for e in data["history"]}
    assert "applicant_worker" not in str(roles) and any("zorgaanbieder" in r for r in roles)
    assert AuditEvent.objects.filter(action="client.export", actor=cast.coordinator).exists()
    pdf = client.get(reverse("privacy:export_pdf", args=[application.client_id]))
    assert pdf.content.startswith(b"%PDF-")
    # Only the coordinator of the region; to anyone else the client is not found.
    reauthenticated(client, cast.care_worker_a)
    assert (
        client.get(reverse("privacy:export_json", args=[application.client_id])).status_code == 404
    )
    reauthenticated(client, cast.other_coordinator)
    assert (
        client.get(reverse("privacy:export_json", args=[application.client_id])).status_code == 404
    )


@pytest.mark.django_db
def test_correction_records_the_reason(cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    with pytest.raises(ValidationError):
        services.client_correct(
            actor=cast.coordinator, client=application.client, reason="", last_name="Nieuw"
        )
    services.client_correct(
        actor=cast.coordinator,
        client=application.client,
        reason="Verzoek cliënt per brief van 1 november",
        last_name="Nieuw",
    )
    application.client.refresh_from_db()
    assert application.client.last_name == "Nieuw"
    event = AuditEvent.objects.get(action="client.correct")
    assert event.note.text.startswith("Verzoek") and event.changes == {"fields": ["last_name"]}


@pytest.mark.django_db
def test_erasure_waits_for_the_case_to_end(cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    with pytest.raises(ValidationError):
        services.client_erase(actor=cast.coordinator, client=application.client, reason="Verzoek")
    app_services.application_withdraw(
        actor=cast.care_worker_a, application=application, reason="Kiest voor een andere woonvorm"
    )
    services.client_erase(actor=cast.coordinator, client=application.client, reason="Verzoek")
    application.client.refresh_from_db()
    assert application.client.last_name == "" and application.client.anonymised_at

"""Changing roles in the configuration site asks for the password again and is audited."""

import time

import pytest
from django.core import mail
from django.urls import reverse

from instroom.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_changing_roles_needs_the_password_again_and_is_logged(client, cast) -> None:
    cast.administrator.is_superuser = True  # the demo's beheerder, with every model right
    cast.administrator.save()
    client.force_login(cast.administrator)
    url = reverse("admin:accounts_user_change", args=[cast.nobody.pk])
    asked = client.get(url)
    assert asked.status_code == 302 and asked.url.startswith(reverse("accounts:reauth"))
    session = client.session
    session["instroom_reauthenticated_at"] = time.time()
    session.save()
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "username": cast.nobody.username,
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-organisation": str(cast.care_a.pk),
            "memberships-0-role": "applicant_worker",
            "memberships-0-active": "on",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    event = AuditEvent.objects.get(action="membership.grant")
    assert event.actor == cast.administrator and event.changes["role"] == "applicant_worker"


def test_an_administrator_setting_a_password_is_audited_and_told_to_the_owner(
    client, cast, django_capture_on_commit_callbacks
) -> None:
    from instroom.accounts.models import Notification

    cast.care_worker_a.email = "zorg@example.org"
    cast.care_worker_a.save(update_fields=["email"])
    cast.administrator.is_superuser = cast.administrator.is_staff = True
    cast.administrator.save()
    client.force_login(cast.administrator)
    url = reverse("admin:auth_user_password_change", args=[cast.care_worker_a.pk])
    assert client.get(url).url.startswith(reverse("accounts:reauth"))  # the password again
    session = client.session
    session["instroom_reauthenticated_at"] = time.time()
    session.save()
    new = "een-nieuw-wachtwoord-2026!"
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"password1": new, "password2": new, "usable_password": "true"})
    assert done.status_code == 302
    assert AuditEvent.objects.filter(
        action="user.password_set", actor=cast.administrator, object_id=str(cast.care_worker_a.pk)
    ).exists()
    # A notice by e-mail, not a task in the list.
    assert [m.to for m in mail.outbox] == [[cast.care_worker_a.email]]
    assert not Notification.objects.filter(user=cast.care_worker_a).exists()


def test_removing_a_second_factor_in_the_admin_is_audited_and_told(
    client, cast, django_capture_on_commit_callbacks
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from instroom.accounts.models import Notification

    device = TOTPDevice.objects.create(user=cast.care_worker_a, name="Authenticator")
    cast.care_worker_a.email = "zorg@example.org"
    cast.care_worker_a.save(update_fields=["email"])
    cast.administrator.is_superuser = cast.administrator.is_staff = True
    cast.administrator.save()
    client.force_login(cast.administrator)
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert AuditEvent.objects.filter(action="otp.remove", actor=cast.administrator).exists()
    # A notice by e-mail, not a task in the list.
    assert [m.to for m in mail.outbox] == [[cast.care_worker_a.email]]
    assert not Notification.objects.filter(user=cast.care_worker_a).exists()

"""Changing roles in the configuration site asks for the password again and is audited."""

import time

import pytest
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

"""API tokens: only a hash is stored; the key is shown once, when made; the account page and
the configuration site show the first characters only."""

import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from instroom.accounts.models import ApiToken
from instroom.accounts.tests.factories import api_key_for
from instroom.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    session = client.session
    session["instroom_reauthenticated_at"] = time.time()  # the password was just asked again
    session.save()
    return client


def stored_text() -> str:
    """Every value of every API token row, as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")
        return repr(cursor.fetchall())


@pytest.mark.parametrize(
    ("language", "heading", "shown_once"),
    [("nl", "API-toegang", "niet nog eens getoond"), ("en", "API access", "not shown again")],
)
def test_a_corporation_users_token_list_shows_a_prefix_and_the_new_key_once(
    client, cast, language, heading, shown_once
) -> None:
    user = cast.corporation_user
    signed_in(client, user)
    lang = {"HTTP_ACCEPT_LANGUAGE": language}
    profile = client.get(reverse("accounts:profile"), **lang).content.decode()
    assert heading in profile
    made = client.post(reverse("accounts:api_token"), **lang)
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    key = made.context["new_key"]
    assert len(key) >= 40 and key in made.content.decode() and shown_once in made.content.decode()
    token = ApiToken.objects.get(user=user)
    assert token.prefix == key[:8]
    assert key not in stored_text()  # only its hash is kept
    # The key works, in the header format existing clients send.
    software = Client()  # no session: the token alone
    assert software.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert software.get("/api/v1/me/").status_code in (401, 403)
    token.refresh_from_db()
    assert token.last_used_at is not None
    # Afterwards the list shows the first characters only.
    again = client.get(reverse("accounts:profile"), **lang).content.decode()
    assert f"{key[:8]}…" in again and key not in again and key[:9] not in again
    # A second token: both listed, each by its prefix.
    second = client.post(reverse("accounts:api_token"), **lang).context["new_key"]
    listed = client.get(reverse("accounts:profile"), **lang).content.decode()
    assert f"{key[:8]}…" in listed and f"{second[:8]}…" in listed and second not in listed
    assert AuditEvent.objects.filter(action="api_token.create", actor=user).count() == 2


def test_a_revoked_token_stops_working_and_only_its_owner_revokes_it(client, cast) -> None:
    key = api_key_for(cast.care_worker_a)
    token = ApiToken.objects.get(user=cast.care_worker_a)
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get("/api/v1/me/", **auth).status_code == 200
    signed_in(client, cast.care_worker_b)
    refused = client.post(reverse("accounts:api_token"), {"revoke": token.pk})
    assert refused.status_code == 404 and ApiToken.objects.filter(pk=token.pk).exists()
    client.logout()
    signed_in(client, cast.care_worker_a)
    asked = client.post(reverse("accounts:api_token"), {"revoke": token.pk})
    assert asked.status_code == 200 and b'id="confirm-revoke"' in asked.content  # asked first
    assert ApiToken.objects.filter(pk=token.pk).exists()
    confirmed = client.post(reverse("accounts:api_token"), {"revoke": token.pk, "confirm": "yes"})
    assert confirmed.status_code == 302
    client.logout()
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert client.get("/api/v1/me/", **auth).status_code in (401, 403)
    assert AuditEvent.objects.filter(action="api_token.revoke").exists()


def test_a_wrong_or_garbled_key_is_refused(client, cast) -> None:
    key = api_key_for(cast.coordinator)
    for wrong in [key[:-1] + ("A" if key[-1] != "A" else "B"), key[:8], "x" * 500, "é"]:
        response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {wrong}")
        assert response.status_code in (401, 403), wrong


def test_the_configuration_site_lists_tokens_without_keys_and_makes_none(client, cast) -> None:
    key = api_key_for(cast.coordinator)
    cast.administrator.is_superuser = cast.administrator.is_staff = True
    cast.administrator.save()
    signed_in(client, cast.administrator)
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404  # the old, clear keys
    listing = client.get(reverse("admin:accounts_apitoken_changelist")).content.decode()
    assert key[:8] in listing and key not in listing
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    token = ApiToken.objects.get()
    deleted = client.post(
        reverse("admin:accounts_apitoken_delete", args=[token.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302 and not ApiToken.objects.exists()
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=cast.administrator).exists()


def test_the_account_page_shows_how_to_send_the_token(client, cast) -> None:
    signed_in(client, cast.corporation_user)
    page = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Authorization: Token &lt;jouw token&gt;" in page

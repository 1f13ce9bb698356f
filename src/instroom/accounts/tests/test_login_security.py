"""Two factors for roles that see personal data, lock-out, session expiry, re-authentication."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from instroom.conftest import PASSWORD


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def login(client, user) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.django_db
@override_settings(INSTROOM_2FA_REQUIRED=True)
def test_a_care_worker_sets_up_an_authenticator_then_needs_a_code(client, cast) -> None:
    login(client, cast.care_worker_a)
    first = client.get("/clients/")
    assert first.status_code == 302 and first.url.startswith(reverse("accounts:otp_setup"))
    setup = client.get(first.url)
    assert b"<svg" in setup.content  # the QR code
    device = TOTPDevice.objects.get(user=cast.care_worker_a, confirmed=False)
    assert client.post(first.url, {"token": "000000"}).status_code == 200  # wrong code: stays
    device.refresh_from_db()
    device.throttle_reset()  # a failure slows the next try down; the test does not wait
    done = client.post(first.url, {"token": code_for(device), "next": "/clients/"})
    codes = done.context["codes"]
    assert len(codes) == 10
    assert client.get("/clients/").status_code == 200
    # Next time: password, then a code (or a recovery code, once).
    client.logout()
    login(client, cast.care_worker_a)
    assert client.get("/clients/").url.startswith(reverse("accounts:otp_verify"))
    assert (
        client.post(reverse("accounts:otp_verify"), {"token": codes[0], "next": "/clients/"}).url
        == "/clients/"
    )
    client.logout()
    login(client, cast.care_worker_a)
    reused = client.post(reverse("accounts:otp_verify"), {"token": codes[0], "next": "/clients/"})
    assert reused.status_code == 200  # a recovery code works once
    assert client.get("/clients/").status_code == 302


@pytest.mark.django_db
@override_settings(INSTROOM_2FA_REQUIRED=True)
def test_municipality_users_see_aggregates_without_a_second_factor(client, cast) -> None:
    login(client, cast.municipality_user)
    assert client.get("/").status_code == 200


@pytest.mark.django_db
@override_settings(INSTROOM_2FA_REQUIRED=True)
def test_api_with_a_session_needs_the_second_factor_too(client, cast) -> None:
    login(client, cast.coordinator)
    assert client.get("/api/v1/clients/").status_code == 403


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_failed_logins_lock_the_account_for_that_address(client, cast) -> None:
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "care_a", "password": "wrong"})
    locked = client.post(reverse("accounts:login"), {"username": "care_a", "password": PASSWORD})
    assert locked.status_code == 429
    assert "tijdelijk" in locked.content.decode() or "temporarily" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sessions_end_after_inactivity(settings) -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_COOKIE_AGE <= 60 * 60


@pytest.mark.django_db
def test_api_token_needs_the_password_again(client, cast) -> None:
    login(client, cast.coordinator)
    session = client.session
    session.pop("instroom_reauthenticated_at", None)
    session.save()
    asked = client.post(reverse("accounts:api_token"), HTTP_REFERER="/accounts/profile/")
    assert asked.url.startswith(reverse("accounts:reauth"))
    assert (
        client.post(
            reverse("accounts:reauth"), {"password": "wrong", "next": "/accounts/profile/"}
        ).status_code
        == 200
    )
    ok = client.post(
        reverse("accounts:reauth"), {"password": PASSWORD, "next": "/accounts/profile/"}
    )
    assert ok.url == "/accounts/profile/"
    from rest_framework.authtoken.models import Token

    client.post(reverse("accounts:api_token"))
    assert Token.objects.filter(user=cast.coordinator).exists()

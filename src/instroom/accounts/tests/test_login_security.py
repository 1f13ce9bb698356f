"""Two factors for roles that see personal data, lock-out, session expiry, re-authentication."""

import pytest
from django.test import override_settings
from django.urls import reverse

from instroom.conftest import PASSWORD


def login(client, user) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302


# The whole sign-in with the second factor on: test_second_factor.py.


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
    from instroom.accounts.models import ApiToken

    client.post(reverse("accounts:api_token"))
    assert ApiToken.objects.filter(user=cast.coordinator).exists()

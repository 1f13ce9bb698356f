"""No page of the configuration sites (Django's for the platform, the regional one for
administrators) shows a secret: an API token's key, a TOTP key, a
recovery code, a password hash or a calendar feed's secret. Whoever reads one could act as
its owner (issue 24: the administrator read eight users' API keys in the admin)."""

import time
from base64 import b32encode
from contextlib import suppress

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from instroom.accounts.models import User
from instroom.accounts.tests.factories import api_key_for
from instroom.accounts.two_factor import new_recovery_codes, secret_for_manual_entry
from instroom.support.services import calendar_feed_create

pytestmark = pytest.mark.django_db


def secrets_of(cast) -> dict[str, str]:
    owner = cast.coordinator
    device = TOTPDevice.objects.create(user=owner, name="Authenticator", confirmed=True)
    found = {
        "API token": api_key_for(owner),
        "TOTP key (hex)": device.key,
        "TOTP key (base32)": b32encode(device.bin_key).decode(),
        "TOTP key (as shown to type)": secret_for_manual_entry(device),
        "calendar feed": calendar_feed_create(actor=cast.support_worker),
        "password hash": User.objects.get(pk=owner.pk).password,
        "password hash digest": User.objects.get(pk=owner.pk).password.rsplit("$", 1)[-1],
    }
    for i, code in enumerate(new_recovery_codes(owner)):
        found[f"recovery code {i}"] = code
    # A failed re-authentication (wrong password, a valid recovery code) is kept by the
    # lock-out's log of attempts, which the admin shows.
    with override_settings(AXES_ENABLED=True):
        attempt = Client()
        attempt.force_login(owner)
        failed = attempt.post(
            reverse("accounts:reauth"), {"password": "wrong", "token": found["recovery code 0"]}
        )
        assert failed.status_code == 200
    assert AccessAttempt.objects.exists()
    return found


def admin_urls(model: type, model_admin: admin.ModelAdmin, cast, site: str = "admin") -> list[str]:
    info = (site, model._meta.app_label, model._meta.model_name)
    urls = [reverse("{}:{}_{}_changelist".format(*info))]
    with suppress(NoReverseMatch):
        urls.append(reverse("{}:{}_{}_add".format(*info)))
    objects = list(model._default_manager.order_by("-pk")[:5])
    if model is User:
        objects += [cast.coordinator, cast.support_worker]
    for obj in objects:
        for view in ("change", "history", "delete"):
            with suppress(NoReverseMatch):
                urls.append(reverse("{}:{}_{}_{}".format(*info, view), args=[obj.pk]))
    if model is User:
        urls.append(reverse(f"{site}:auth_user_password_change", args=[cast.coordinator.pk]))
    return urls


def test_no_admin_page_shows_a_secret(cast) -> None:
    secrets = secrets_of(cast)
    cast.administrator.is_superuser = cast.administrator.is_staff = True
    cast.administrator.save()
    client = Client()
    client.force_login(cast.administrator)
    session = client.session
    session["instroom_reauthenticated_at"] = time.time()  # past the password check
    session.save()
    visited = 0
    pages = ["/admin/"] + [
        url
        for model, model_admin in admin.site._registry.items()
        for url in admin_urls(model, model_admin, cast)
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
        html = response.content.decode()
        for name, secret in secrets.items():
            assert secret not in html, f"{url} shows the {name}"
        visited += response.status_code == 200
    assert visited > 40
    # The second-factor devices are listed, without their secrets, and never made here.
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    assert client.get(reverse("admin:otp_static_staticdevice_add")).status_code == 403
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403


def test_no_regional_site_page_shows_a_secret(cast) -> None:
    """The regional administrator (no superuser) on every page of the regional site."""
    from instroom.configuration.site import regional_site

    secrets = secrets_of(cast)
    client = Client()
    client.force_login(cast.administrator)
    session = client.session
    session["instroom_reauthenticated_at"] = time.time()  # past the password check
    session.save()
    visited = 0
    pages = ["/beheer/gegevens/"] + [
        url
        for model, model_admin in regional_site._registry.items()
        for url in admin_urls(model, model_admin, cast, site="regional_admin")
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
        html = response.content.decode()
        for name, secret in secrets.items():
            assert secret not in html, f"{url} shows the {name}"
        visited += response.status_code == 200
    assert visited > 40
    # The credentials are listed, without their secrets, and never made here.
    for model in ("otp_totp_totpdevice", "otp_static_staticdevice", "accounts_apitoken"):
        assert client.get(reverse(f"regional_admin:{model}_add")).status_code == 403

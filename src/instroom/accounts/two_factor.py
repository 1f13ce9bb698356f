"""Second factor (TOTP with recovery codes, django-otp) and re-authentication.

Who must use it is the policy's call (`policy.rules.needs_second_factor`); the policy
middleware sends unverified sessions here before any other page."""

import time
from base64 import b32encode
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

import segno
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from instroom.audit import services as audit

from .models import User
from .notifications import send_notice

REAUTH_SESSION_KEY = "instroom_reauthenticated_at"
PENDING_SESSION_KEY = "instroom_pending_authenticator"
RECOVERY_CODES = 10


class Enrolment(StrEnum):
    """What stands between this session and setting up an authenticator."""

    VERIFY = "verify"  # has one: first sign in with it (a code or a recovery code)
    REAUTH = "reauth"  # verified, replacing: password and current code again
    PASSWORD = "password"  # noqa: S105 (has none: the password again first)
    ENROL = "enrol"  # may set up a first authenticator
    REPLACE = "replace"  # may replace the current one, after confirming so


def enrolment_step(request: HttpRequest, user: User) -> Enrolment:
    """A password alone never sets up an authenticator for a user who has one (that would let
    whoever holds the password take the account over and delete the owner's factor); a first
    one needs the password again, so a taken-over session cannot enrol the taker's phone."""
    if has_device(user):
        if not user.is_verified():  # type: ignore[attr-defined]
            return Enrolment.VERIFY
        if not recently_authenticated(request):
            return Enrolment.REAUTH
        return Enrolment.REPLACE
    if not recently_authenticated(request):
        return Enrolment.PASSWORD
    return Enrolment.ENROL


def check_password(request: HttpRequest, user: User, password: str) -> bool:
    """The password again before a first authenticator (counts for the lock-out, too)."""
    if authenticate(request, username=user.get_username(), password=password) is None:
        return False
    request.session[REAUTH_SESSION_KEY] = time.time()
    request.session.pop(PENDING_SESSION_KEY, None)  # a new secret after each password check
    return True


def pending_device(request: HttpRequest, user: User) -> TOTPDevice:
    """The authenticator being set up in this session (unconfirmed). Its secret belongs to this
    session: another session (or an earlier visit) never confirms a secret it did not show."""
    pk = request.session.get(PENDING_SESSION_KEY)
    device = TOTPDevice.objects.filter(pk=pk, user=user, confirmed=False).first() if pk else None
    if device is None:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)
        request.session[PENDING_SESSION_KEY] = device.pk
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth URI as an SVG QR code (inline, no script, no style attributes)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#0b3d5c")


def secret_for_manual_entry(device: TOTPDevice) -> str:
    raw = b32encode(device.bin_key).decode()
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@transaction.atomic
def confirm_setup(
    request: HttpRequest, user: User, token: str, *, replace: bool = False
) -> list[str] | None:
    """Confirm the authenticator with a first code; returns fresh recovery codes, or None.

    Replacing an authenticator (which ends the old one and its recovery codes) happens only
    when asked for (`replace`), by a session verified with the old one, audited and told to
    the user."""
    step = enrolment_step(request, user)
    if step not in (Enrolment.ENROL, Enrolment.REPLACE) or (
        step == Enrolment.REPLACE and not replace
    ):
        raise PermissionDenied
    device = pending_device(request, user)
    if not device.verify_token(token.replace(" ", "")):
        return None
    replaced = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk)
    was_replaced = replaced.exists()
    replaced.delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(user)
    otp_login(request, device)
    request.session.pop(PENDING_SESSION_KEY, None)
    if was_replaced:
        audit.record_change(actor=user, action="otp.replace", obj=user)
        send_notice(users=[user], kind="account.authenticator_replaced")
    else:
        audit.record_change(actor=user, action="otp.setup", obj=user)
    return codes


def new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    return codes


def verify(request: HttpRequest, user: User, token: str) -> bool:
    """A code from the authenticator, or a one-time recovery code."""
    device = match_token(user, token.replace(" ", ""))
    if device is None:
        return False
    otp_login(request, device)
    request.session[REAUTH_SESSION_KEY] = time.time()
    if isinstance(device, StaticDevice):
        audit.record_change(actor=user, action="otp.recovery_code_used", obj=user)
    return True


def has_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def reauthenticate(request: HttpRequest, user: User, password: str, token: str) -> bool:
    """Password again (and a code, for users with a second factor) before a sensitive act."""
    if authenticate(request, username=user.get_username(), password=password) is None:
        return False
    if has_device(user) and match_token(user, token.replace(" ", "")) is None:
        return False
    request.session[REAUTH_SESSION_KEY] = time.time()
    return True


def recently_authenticated(request: HttpRequest) -> bool:
    at = request.session.get(REAUTH_SESSION_KEY)
    return at is not None and time.time() - float(at) < settings.INSTROOM_REAUTH_SECONDS


def reauth_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sensitive actions (exporting a client's data, changing roles, API tokens) ask for the
    password (and code) again unless the user did so in the last few minutes."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not recently_authenticated(request):
            from django.urls import reverse
            from django.utils.http import urlencode

            target = (
                request.get_full_path()
                if request.method == "GET"
                else request.META.get("HTTP_REFERER", "/")
            )
            return redirect(f"{reverse('accounts:reauth')}?{urlencode({'next': target})}")
        return view(request, *args, **kwargs)

    return wrapped


def safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default

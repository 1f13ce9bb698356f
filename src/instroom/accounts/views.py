from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from instroom.http import AuthenticatedHttpRequest

from .models import Membership
from .notifications import notification_done
from .two_factor import reauth_required


def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user_id=request.user.pk, active=True)
        .select_related("organisation", "organisation__region")
        .order_by("organisation__name")
    )
    return render(request, "accounts/profile.html", {"memberships": memberships})


@require_POST
def task_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Tick a task off the home page's list (only one's own)."""
    notification_done(user=request.user, pk=pk)
    return redirect("home")


@require_POST
@reauth_required
def api_token(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Make a new API token (the old one stops working) or revoke it. Shown once."""
    from django.contrib import messages
    from django.utils.translation import gettext as _
    from rest_framework.authtoken.models import Token

    from instroom.audit import services as audit

    Token.objects.filter(user=request.user).delete()
    if "revoke" in request.POST:
        messages.success(request, _("Your API token has been revoked."))
        audit.record_change(actor=request.user, action="api_token.revoke", obj=request.user)
    else:
        token = Token.objects.create(user=request.user)
        audit.record_change(actor=request.user, action="api_token.create", obj=request.user)
        messages.success(
            request,
            _("Your new API token is %(key)s. Copy it now: it is not shown again.")
            % {"key": token.key},
        )
    return redirect("accounts:profile")


def otp_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set up the authenticator app; the first code confirms it and shows recovery codes."""
    from django.contrib import messages
    from django.utils.translation import gettext as _

    from . import two_factor

    device = two_factor.pending_device(request.user)
    if request.method == "POST":
        codes = two_factor.confirm_setup(request, request.user, request.POST.get("token", ""))
        if codes is not None:
            return render(
                request,
                "accounts/otp_codes.html",
                {"codes": codes, "next": two_factor.safe_next(request)},
            )
        messages.error(
            request,
            _(
                "That code is not right. Check the time on your phone and try "
                "the code that is shown now."
            ),
        )
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "qr": two_factor.qr_svg(device),
            "secret": two_factor.secret_for_manual_entry(device),
            "next": two_factor.safe_next(request),
        },
    )


def otp_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    from django.contrib import messages
    from django.utils.translation import gettext as _

    from . import two_factor

    if not two_factor.has_device(request.user):
        return redirect("accounts:otp_setup")
    if request.method == "POST":
        if two_factor.verify(request, request.user, request.POST.get("token", "")):
            return redirect(two_factor.safe_next(request))
        messages.error(
            request,
            _(
                "That code is not right. Enter the code your app shows now, "
                "or one of your recovery codes."
            ),
        )
    return render(request, "accounts/otp_verify.html", {"next": two_factor.safe_next(request)})


def reauth(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Confirm it is really you before a sensitive action."""
    from django.contrib import messages
    from django.utils.translation import gettext as _

    from . import two_factor

    if request.method == "POST":
        if two_factor.reauthenticate(
            request, request.user, request.POST.get("password", ""), request.POST.get("token", "")
        ):
            return redirect(two_factor.safe_next(request))
        messages.error(request, _("Password or code not right. Try again."))
    return render(
        request,
        "accounts/reauth.html",
        {
            "next": two_factor.safe_next(request),
            "needs_code": two_factor.has_device(request.user),
        },
    )

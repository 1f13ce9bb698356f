from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from instroom.http import AuthenticatedHttpRequest

from .models import Membership
from .notifications import notification_done
from .two_factor import reauth_required


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch; a signed-in user's choice is also the language of their
    e-mail from then on."""
    from django.conf import settings
    from django.views.i18n import set_language as switch

    response = switch(request)
    language = request.POST.get("language", "")
    user = request.user
    if (
        request.method == "POST"
        and user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and user.language != language
    ):
        user.language = language
        user.save(update_fields=["language"])
    return response


def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _render_profile(request)


def _render_profile(
    request: AuthenticatedHttpRequest, new_key: str = "", confirm_revoke: Any = None
) -> HttpResponse:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from instroom.policy import rules

    from .selectors import api_tokens_of

    memberships = (
        Membership.objects.filter(user_id=request.user.pk, active=True)
        .select_related("organisation", "organisation__region")
        .order_by("organisation__name")
    )
    uses_api = rules.can_use_api_tokens(request.user)
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": memberships,
            "uses_api": uses_api,
            "api_tokens": list(api_tokens_of(request.user)) if uses_api else [],
            "new_key": new_key,
            "confirm_revoke": confirm_revoke,
            "authenticator": TOTPDevice.objects.filter(user=request.user, confirmed=True).first(),
        },
    )


def task_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """All one's own tasks: filter by kind, open or closed, 25 to a page."""
    from django.core.paginator import Paginator

    from .selectors import kind_groups, task_counts, tasks_of

    kind = request.GET.get("kind", "")
    groups = kind_groups()
    if kind not in groups:
        kind = ""
    closed = request.GET.get("state") == "closed"
    page = Paginator(tasks_of(request.user, kind=kind, closed=closed), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/tasks.html",
        {
            "page": page,
            "kind": kind,
            "closed": closed,
            "kinds": [(key, label) for key, (label, _codes) in groups.items()],
            "counts": task_counts(request.user),
        },
    )


@require_POST
def task_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Tick a task off the home page's list (only one's own)."""
    notification_done(user=request.user, pk=pk)
    return redirect("accounts:tasks" if request.POST.get("next") == "tasks" else "home")


@require_POST
@reauth_required
def api_token(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Make a new API token (its key shown on this one page, never again) or revoke one."""
    from django.contrib import messages
    from django.shortcuts import get_object_or_404
    from django.utils.translation import gettext as _

    from instroom.http import int_param

    from . import services
    from .selectors import api_tokens_of

    if "revoke" in request.POST:
        token = get_object_or_404(api_tokens_of(request.user), pk=int_param(request.POST["revoke"]))
        if request.POST.get("confirm") != "yes":
            # Revoking cannot be undone: software using the token stops. Ask first.
            return _render_profile(request, confirm_revoke=token)
        services.api_token_revoke(actor=request.user, token=token)
        messages.success(
            request, _("The API token %(prefix)s… has been revoked.") % {"prefix": token.prefix}
        )
        return redirect("accounts:profile")
    _token, key = services.api_token_create(actor=request.user)
    return _render_profile(request, new_key=key)


def otp_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set up the authenticator app; the first code confirms it and shows recovery codes.

    Who has one must sign in with it first, and replaces it only after confirming with the
    password and current code and ticking that the old one stops working. Who has none gives
    the password again first."""
    from django.contrib import messages
    from django.urls import reverse
    from django.utils.http import urlencode
    from django.utils.translation import gettext as _

    from . import two_factor
    from .two_factor import Enrolment

    user = request.user
    step = two_factor.enrolment_step(request, user)
    if step == Enrolment.VERIFY:
        messages.info(
            request, _("You already have an authenticator app. Enter a code from it first.")
        )
        query = urlencode({"next": two_factor.safe_next(request)})
        return redirect(f"{reverse('accounts:otp_verify')}?{query}")
    if step == Enrolment.REAUTH:
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('accounts:reauth')}?{query}")
    if step == Enrolment.PASSWORD:
        if request.method == "POST":
            if two_factor.check_password(request, user, request.POST.get("password", "")):
                return redirect(
                    f"{reverse('accounts:otp_setup')}?"
                    f"{urlencode({'next': two_factor.safe_next(request)})}"
                )
            messages.error(request, _("That password is not right. Try again."))
        return render(
            request, "accounts/otp_password.html", {"next": two_factor.safe_next(request)}
        )
    replacing = step == Enrolment.REPLACE
    device = two_factor.pending_device(request, user)
    if request.method == "POST":
        if replacing and not request.POST.get("confirm_replace"):
            messages.error(
                request,
                _(
                    "Tick the box to confirm that your current authenticator app and recovery "
                    "codes stop working."
                ),
            )
        else:
            codes = two_factor.confirm_setup(
                request, user, request.POST.get("token", ""), replace=replacing
            )
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
            "replacing": replacing,
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

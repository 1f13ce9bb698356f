"""The calendar page (a secret feed address) and the iCalendar feed itself."""

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from instroom.http import AuthenticatedHttpRequest

from .. import calendar, selectors, services
from .common import _post


def calendar_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    def page(token: str = "") -> HttpResponse:
        # A new secret address is shown once, on this answer to the post (only its hash is kept).
        feed_url = (
            request.build_absolute_uri(reverse("support:calendar_feed", args=[token]))
            if token
            else ""
        )
        return render(
            request,
            "support/calendar.html",
            {
                "feed": getattr(request.user, "calendar_feed", None) if not feed_url else None,
                "feed_url": feed_url,
                "count": selectors.feed_meetings(request.user).count(),
            },
        )

    if request.method != "POST":
        return page()
    if request.POST.get("revoke"):
        return _post(
            request,
            None,
            lambda d: services.calendar_feed_revoke(actor=request.user),
            done=_("The calendar address no longer works."),
            then=redirect("support:calendar"),
            back=redirect("support:calendar"),
        )
    return _post(
        request,
        None,
        lambda d: services.calendar_feed_create(actor=request.user),
        done="",
        then=page,
        back=redirect("support:calendar"),
    )


def calendar_feed(request: Any, token: str) -> HttpResponse:
    user = services.calendar_feed_user(token)
    if user is None:
        raise Http404
    body = calendar.feed(user, selectors.feed_meetings(user))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="instroom.ics"'
    return response

"""Deny by default: a URL without a rule in `policy.url_rules.URL_RULES` answers 403; and no
answer is kept in a browser's or proxy's cache."""

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect as redirect_to
from django.utils.cache import add_never_cache_headers

from . import rules

logger = logging.getLogger(__name__)


def _is_api_view(view_func: Any) -> bool:
    from rest_framework.views import APIView

    cls = getattr(view_func, "cls", None)
    return isinstance(cls, type) and issubclass(cls, APIView)


def _to_second_factor(request: HttpRequest) -> HttpResponse:
    from django.urls import reverse
    from django.utils.http import urlencode

    has_device = request.user.totpdevice_set.filter(confirmed=True).exists()  # type: ignore[union-attr]
    target = "accounts:otp_verify" if has_device else "accounts:otp_setup"
    return redirect_to(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


class PolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Pages and API answers may show personal data: a shared computer's browser must not
        # keep them (`Cache-Control: no-store`). Static files never get here (WhiteNoise answers
        # them earlier) and keep their own long caching.
        add_never_cache_headers(response)
        return response

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        rule = rules.rule_for(match.view_name, match.namespaces) if match else None
        if match is None or rule is None:
            logger.error("No policy rule for URL %s: refused", match.view_name if match else "?")
            raise PermissionDenied
        if _is_api_view(view_func):
            return None  # the API authenticates itself; PolicyPermission applies the same rule
        if match.view_name not in rules.SECOND_FACTOR_EXEMPT and rules.second_factor_missing(
            request.user
        ):
            return _to_second_factor(request)
        if rule.allows(request.user):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if rule.conceals:
            raise Http404
        raise PermissionDenied

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .navigation import build_menu


def environment(request: HttpRequest) -> dict[str, Any]:
    return {
        "demo_banner": getattr(settings, "INSTROOM_DEMO_BANNER", False),
        "sso_enabled": settings.INSTROOM_OIDC_ENABLED,
    }


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main menu grouped by the journey, from the policy's menu flags (`menu`, set by
    `policy.context_processors.policy`, which runs first)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_groups": []}
    from instroom.policy.rules import REGIONAL_ADMIN_SITE, menu_for

    match = getattr(request, "resolver_match", None)
    return {
        "nav_groups": build_menu(
            menu_for(user),
            is_staff=REGIONAL_ADMIN_SITE.allows(user),
            namespace=match.namespace.split(":")[0] if match and match.namespace else "",
            path=request.path,
        )
    }

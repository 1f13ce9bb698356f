from typing import Any

from django.conf import settings
from django.http import HttpRequest


def environment(request: HttpRequest) -> dict[str, Any]:
    return {
        "demo_banner": getattr(settings, "INSTROOM_DEMO_BANNER", False),
        "sso_enabled": settings.INSTROOM_OIDC_ENABLED,
    }

from typing import Any

from django.http import HttpRequest

from .rules import actor_context


def policy(request: HttpRequest) -> dict[str, Any]:
    """Roles for the navigation; templates never decide access, they only hide dead links."""
    user = getattr(request, "user", None)
    return {"actor": actor_context(user)}

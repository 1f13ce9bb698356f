from typing import Any

from django.http import HttpRequest

from .rules import menu_for


def policy(request: HttpRequest) -> dict[str, Any]:
    """The main menu's entries; templates never decide access, they only hide dead links."""
    return {"menu": menu_for(getattr(request, "user", None))}

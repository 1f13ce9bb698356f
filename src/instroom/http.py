from django.http import HttpRequest

from instroom.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request on a URL whose policy rule requires signing in: `user` is a real User."""

    user: User


def int_param(value: object) -> int:
    """A whole number from a query or form parameter; 0 (matches nothing) for anything else,
    so a tampered parameter is a 404 or a form error, never a 500."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 18 else 0

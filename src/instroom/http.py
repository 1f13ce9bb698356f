from django.http import HttpRequest

from instroom.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request on a URL whose policy rule requires signing in: `user` is a real User."""

    user: User

from typing import cast

from rest_framework.request import Request

from instroom.accounts.models import User


def actor_of(request: Request) -> User:
    """The caller as a User: the policy lets only signed-in users through to the endpoints that
    act or read on their behalf (`policy.drf.PolicyPermission`)."""
    return cast(User, request.user)

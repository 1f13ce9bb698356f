"""Test helpers for accounts."""

import secrets

from instroom.accounts.models import ApiToken, User


def api_key_for(user: User) -> str:
    """A new API token for `user` (any role, unlike the account page); returns its key."""
    key = secrets.token_urlsafe(30)
    ApiToken.objects.create(
        user=user, prefix=key[: ApiToken.PREFIX_LENGTH], key_hash=ApiToken.hash_key(key)
    )
    return key

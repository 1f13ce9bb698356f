"""API tokens: `Authorization: Token <key>`. Only a hash of each key is stored (the key is
shown once, when made), and a token stops working a configured number of days after it was
made, so a leaked one does not work for ever."""

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from instroom.accounts.models import ApiToken

# Writing "last used" on every request would make each read a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        # The hash is the unique lookup; the prefix must match too, so a hash collision of
        # another shape could never stand in for a key.
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(key), prefix=key[: ApiToken.PREFIX_LENGTH])
            .first()
        )
        if token is None:
            raise AuthenticationFailed(
                _("This API token is not known. Check it, or make a new one on your account page.")
            )
        if not token.user.is_active:
            raise AuthenticationFailed(_("This account is no longer active."))
        if token.expired:
            raise AuthenticationFailed(
                _("Your API token has expired. Make a new one on your account page.")
            )
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

"""API tokens that expire: a leaked token stops working after a configured number of days."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if token.created < timezone.now() - timedelta(days=settings.INSTROOM_API_TOKEN_DAYS):
            raise AuthenticationFailed(
                _("Your API token has expired. Make a new one on your account page.")
            )
        return user, token

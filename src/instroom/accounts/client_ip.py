"""The address a request comes from, for the lock-out (django-axes).

Behind a reverse proxy every request reaches Django from the proxy's own address, so the
lock-out would count per user name only. With INSTROOM_TRUSTED_PROXY on (only when nginx or
another proxy in front sets X-Real-IP and strips any the client sent) the proxy's header is
used; otherwise REMOTE_ADDR, which a client cannot forge.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    if settings.INSTROOM_TRUSTED_PROXY:
        forwarded = (request.META.get("HTTP_X_REAL_IP") or "").strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            return remote
    return remote

"""Optional single sign-on per organisation through OpenID Connect (mozilla-django-oidc).

Off by default (INSTROOM_OIDC_ENABLED). When on, a user may sign in through the region's
identity provider only if an account with that (verified) e-mail address already exists and
holds an active role in an organisation whose single sign-on domain matches the address. The
provider never creates accounts or roles: the service point's administrator does. Roles that see
personal data still confirm with their second factor.
"""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import User


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower() if "@" in email else ""


class OrganisationOIDCBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if not claims.get("email"):
            return False
        # A provider that says the address is not verified is not trusted with it.
        return claims.get("email_verified", True) is not False

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        email = (claims.get("email") or "").strip()
        domain = _domain(email)
        if not domain:
            return User.objects.none()
        return User.objects.filter(
            email__iexact=email,
            is_active=True,
            memberships__active=True,
            memberships__organisation__active=True,
            memberships__organisation__sso_email_domain__iexact=domain,
        ).distinct()

    def create_user(self, claims: dict[str, Any]) -> None:
        return None  # accounts and roles come from the administrator, never from the provider


def _gate(view_path: str) -> Any:
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.INSTROOM_OIDC_ENABLED:
            raise Http404
        from django.utils.module_loading import import_string

        return import_string(view_path).as_view()(request, *args, **kwargs)

    return view


sso_start = _gate("mozilla_django_oidc.views.OIDCAuthenticationRequestView")
sso_callback = _gate("mozilla_django_oidc.views.OIDCAuthenticationCallbackView")

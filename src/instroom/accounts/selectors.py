from django.db.models import QuerySet

from .models import ApiToken, User


def users_with_role(
    role: str, *, region_id: int | None = None, organisation_id: int | None = None
) -> QuerySet[User]:
    """Active users holding `role`, in a region or one organisation."""
    qs = User.objects.filter(
        is_active=True,
        memberships__role=role,
        memberships__active=True,
        memberships__organisation__active=True,
    )
    if region_id is not None:
        qs = qs.filter(memberships__organisation__region_id=region_id)
    if organisation_id is not None:
        qs = qs.filter(memberships__organisation_id=organisation_id)
    return qs.distinct()


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's own API tokens (their first characters only; the keys are not stored)."""
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")

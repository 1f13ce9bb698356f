from django.db.models import QuerySet

from .models import ApiToken, Notification, User


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


def kind_groups() -> dict[str, tuple[str, list[str]]]:
    """Task kinds grouped by what a list of them is called: {first code: (label, codes)}."""
    from . import tasks

    groups: dict[str, tuple[str, list[str]]] = {}
    by_label: dict[str, str] = {}
    for kind in tasks.all_kinds():
        label = str(kind.label)
        key = by_label.setdefault(label, kind.code)
        groups.setdefault(key, (label, []))[1].append(kind.code)
    return groups


def tasks_of(user: User, *, kind: str = "", closed: bool = False) -> "QuerySet[Notification]":
    """One's own tasks, open (or closed), optionally of one kind group (by its first code)."""
    qs = Notification.objects.filter(user_id=user.pk, done_at__isnull=not closed)
    if kind:
        group = kind_groups().get(kind)
        qs = qs.filter(kind__in=group[1] if group else [kind])
    return qs.order_by("-done_at", "-created_at", "-pk") if closed else qs


def task_counts(user: User) -> list[dict[str, object]]:
    """Open tasks per kind group, the largest first; tasks without a kind count as "Other"."""
    from django.db.models import Count
    from django.utils.translation import gettext as _

    per_kind = dict(
        Notification.objects.filter(user_id=user.pk, done_at__isnull=True)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    rows: list[dict[str, object]] = []
    for key, (label, codes) in kind_groups().items():
        n = sum(per_kind.pop(code, 0) for code in codes)
        if n:
            rows.append({"kind": key, "label": label, "count": n})
    other = sum(per_kind.values())
    if other:
        rows.append({"kind": "", "label": _("Other messages"), "count": other})
    return sorted(rows, key=lambda r: -int(str(r["count"])))

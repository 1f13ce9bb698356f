from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEvent


def event_list(
    *,
    region_ids: frozenset[int],
    user: str = "",
    client: int | None = None,
    kind: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    **_: Any,
) -> QuerySet[AuditEvent]:
    """The log of the coordinator's regions, newest first, filtered."""
    qs = AuditEvent.objects.filter(region_id__in=region_ids).select_related("actor")
    if user:
        qs = qs.filter(actor__username__iexact=user.strip())
    if client:
        qs = qs.filter(client_id=client)
    if kind:
        qs = qs.filter(kind=kind)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz))
    return qs.order_by("-at", "-id")

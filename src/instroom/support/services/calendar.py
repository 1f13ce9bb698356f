"""The secret address of a support worker's calendar feed (the feed itself: support/calendar.py)."""

import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from instroom.accounts.models import User
from instroom.audit import services as audit
from instroom.policy import rules

from ..models import CalendarFeed


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, actor: User) -> str:
    """A new secret address for the actor's meetings; the old one stops working. The secret
    is shown once: only its hash is kept."""
    if not rules.may_subscribe_to_calendar(actor):
        raise PermissionDenied(_("Calendar feeds are for support workers."))
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=actor,
        defaults={"token_hash": _hash(token), "created_at": timezone.now(), "last_used_at": None},
    )
    audit.record_change(actor=actor, action="calendar.create", obj=actor)
    return token


@transaction.atomic
def calendar_feed_revoke(*, actor: User) -> None:
    if CalendarFeed.objects.filter(user=actor).delete()[0]:
        audit.record_change(actor=actor, action="calendar.revoke", obj=actor)


def calendar_feed_user(token: str) -> User | None:
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=_hash(token)).first()
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user

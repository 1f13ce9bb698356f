"""A client's timeline: the change events of every stage, as sentences people read.

The labels come from the audit vocabulary (`audit.actions`), which each stage declares in its
own audit_actions.py, so earlier stages show what later ones did without importing them."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from instroom.accounts.constants import role_label

from . import actions
from .constants import EventKind
from .models import AuditEvent


def label_for(action: str) -> Promise | str:
    """The action's label; an event of a code no longer declared reads as a plain change."""
    try:
        return actions.label_for(action)
    except ValueError:
        return _("Change recorded")


def roles_label(roles: str) -> Promise | str:
    """The acting roles as their translated names ("system" for set-up and scheduled jobs)."""
    names = [role_label(code) or _("system") for code in roles.split(",") if code]
    return format_lazy("{}" + ", {}" * (len(names) - 1), *names) if names else ""


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    who: Any
    roles: Promise | str
    what: Promise | str
    why: str


def client_timeline(client_id: int, limit: int = 200) -> list[TimelineEntry]:
    hidden = [code for code, a in actions.all_actions().items() if not a.on_timeline]
    events = (
        AuditEvent.objects.filter(client_id=client_id, kind=EventKind.CHANGE)
        .exclude(action__in=hidden)
        .select_related("actor", "note")
        .order_by("-at", "-id")[:limit]
    )
    entries = []
    for e in events:
        note = getattr(e, "note", None)
        entries.append(
            TimelineEntry(
                e.at,
                e.actor,
                roles_label(e.actor_roles) if e.actor is not None else "",
                label_for(e.action),
                note.text if note else "",
            )
        )
    return entries

"""A client's timeline: the change events of every stage, with readable labels.

Each stage registers the labels of its actions in its AppConfig.ready(), so that earlier stages
show what later ones did without importing them."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.functional import Promise

from .constants import EventKind
from .models import AuditEvent

_LABELS: dict[str, Promise | str] = {}


def register_labels(labels: dict[str, Promise | str]) -> None:
    _LABELS.update(labels)


def label_for(action: str) -> Promise | str:
    return _LABELS.get(action, action)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    who: Any
    roles: str
    what: Promise | str
    why: str


def client_timeline(client_id: int, limit: int = 200) -> list[TimelineEntry]:
    events = (
        AuditEvent.objects.filter(client_id=client_id, kind=EventKind.CHANGE)
        .select_related("actor", "note")
        .order_by("-at", "-id")[:limit]
    )
    entries = []
    for e in events:
        note = getattr(e, "note", None)
        entries.append(
            TimelineEntry(
                e.at, e.actor, e.actor_roles, label_for(e.action), note.text if note else ""
            )
        )
    return entries

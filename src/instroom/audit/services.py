"""Writing to the audit log. Callers are services, inside their own transaction."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models

from . import actions
from .constants import EventKind
from .models import AuditEvent, EventNote

if TYPE_CHECKING:
    from instroom.accounts.models import User


def _roles_of(actor: "User | None") -> str:
    if actor is None:
        return "system"
    from instroom.policy.rules import roles_of

    return ",".join(sorted(roles_of(actor)))


def record_change(
    *,
    actor: "User | None",
    action: str,
    obj: models.Model,
    client: Any = None,
    region_id: int | None = None,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Log a change. `client` (anything with pk and region_id) ties it to a client's timeline;
    `note` is the human "why" shown there (kept erasable, beside the immutable event).
    `action` must be declared in the vocabulary (`audit.actions`): ValueError otherwise."""
    actions.get(action)
    event = AuditEvent.objects.create(
        actor=actor,
        actor_roles=_roles_of(actor),
        kind=EventKind.CHANGE,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        client_id=client.pk if client is not None else None,
        region_id=client.region_id if client is not None else region_id,
        changes=changes or {},
    )
    if note.strip():
        EventNote.objects.create(event=event, text=note.strip())
    return event


def record_access(
    *, actor: "User | None", clients: Iterable[Any], action: str, purpose: str
) -> None:
    """Log that `actor` was shown personal data of these clients, and why."""
    actions.get(action)
    roles = _roles_of(actor)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor,
            actor_roles=roles,
            kind=EventKind.ACCESS,
            action=action,
            object_type="applications.client",
            object_id=str(client.pk),
            client_id=client.pk,
            region_id=client.region_id,
            purpose=purpose,
        )
        for client in clients
    )

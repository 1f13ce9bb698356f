"""The one way a state changes: a declared table per stateful model, and `transition()`.

Each app declares its machines beside its states (`constants.py`): which state may follow which,
the field that holds the state, the field stamped with the moment of change, the refusal people
read, and where the audit record belongs (the client's timeline, or the region's log).
`transition()` locks the row, checks the table, sets and stamps the state, saves only the
fields that changed and writes the audit record, all in the caller's transaction. Services
decide *whether* the actor may take the step; this module makes every step the same. Nothing
else assigns a state (src/instroom/tests/test_statemachine.py checks the source for it).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from instroom.audit import services as audit

if TYPE_CHECKING:
    from instroom.accounts.models import User


class TransitionError(ValidationError):
    """A step the state table does not allow; its message is translated and names the states."""


def _no_scope(obj: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Machine:
    """The declared table of one stateful model.

    `model` is the app label and model name ("support.Meeting"), so the table can live in the
    app's constants.py, which its models import. `refusal` is a translated message with
    `%(state)s` and `%(to)s` (the labels of the current and the wanted state). `scope` gives
    `record_change` its `client` and/or `region_id` for an object."""

    model: str
    transitions: Mapping[str, frozenset[str]]
    refusal: Promise | str
    field: str = "state"
    stamp: str | None = None
    scope: Callable[[Any], dict[str, Any]] = _no_scope
    # Extra audit details every step of this machine records (e.g. the home of a match).
    details: Callable[[Any], dict[str, Any]] = _no_scope

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def allowed(self, state: str) -> frozenset[str]:
        return self.transitions.get(state, frozenset())

    def label(self, state: str) -> str:
        state_field = self.model_class()._meta.get_field(self.field)
        choices = dict(getattr(state_field, "flatchoices", ()))
        return str(choices.get(state, state))

    def refuse(self, state: str, to: str) -> TransitionError:
        return TransitionError(
            str(self.refusal) % {"state": self.label(state), "to": self.label(to)},
            code="transition",
        )


# Called after every step with (object, state before, state after), in the same transaction:
# filled by apps when Django starts (accounts closes the tasks the new state no longer asks for).
_AFTER: list[Callable[[Any, str, str], Any]] = []


def after_transition(hook: Callable[[Any, str, str], Any]) -> None:
    """Register `hook` to run after every step (once, however often it is registered)."""
    if hook not in _AFTER:
        _AFTER.append(hook)


def allowed(obj: models.Model, machine: Machine) -> frozenset[str]:
    """The states `obj` may go to next: for templates that show a button per step."""
    return machine.allowed(getattr(obj, machine.field))


allowed_transitions = allowed


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError(
            "transition() runs inside the caller's transaction (transaction.atomic)"
        )


def _apply[M: models.Model](
    obj: M,
    *,
    machine: Machine,
    to: str,
    actor: "User | None",
    action: str,
    changes: dict[str, Any] | None,
    fields: dict[str, Any],
    extra_fields: Iterable[str],
    note: str,
    now: Any,
) -> M:
    before = getattr(obj, machine.field)
    if to not in machine.allowed(before):
        raise machine.refuse(before, to)
    setattr(obj, machine.field, to)
    update_fields = [machine.field]
    if machine.stamp:
        setattr(obj, machine.stamp, now)
        update_fields.append(machine.stamp)
    for name, value in fields.items():
        setattr(obj, name, value)
    update_fields += [n for n in (*fields, *extra_fields) if n not in update_fields]
    obj.save(update_fields=update_fields)
    audit.record_change(
        actor=actor,
        action=action,
        obj=obj,
        changes={
            machine.field: [before, to],
            **machine.details(obj),
            **(changes or {}),
        },
        note=note,
        **machine.scope(obj),
    )
    for hook in _AFTER:
        hook(obj, before, to)
    return obj


def lock[M: models.Model](obj: M, machine: Machine) -> M:
    """Lock `obj`'s row until the transaction ends and re-read its state: a service that checks
    the state before its step sees what a concurrent request left, not what it loaded."""
    _require_transaction()
    obj.refresh_from_db(
        fields=[machine.field], from_queryset=type(obj)._default_manager.select_for_update()
    )
    return obj


def transition[M: models.Model](
    obj: M,
    *,
    machine: Machine,
    to: str,
    actor: "User | None",
    action: str,
    changes: dict[str, Any] | None = None,
    fields: dict[str, Any] | None = None,
    extra_fields: Iterable[str] = (),
    note: str = "",
) -> M:
    """Move `obj` to `to` if the table allows it, or raise TransitionError.

    Locks the row (a double click waits, then sees the new state and is refused), sets the
    state, its timestamp and `fields`, saves those plus `extra_fields` (set by the caller
    beforehand), and records `action` with the state change and `changes` (never free text:
    the log holds field names and non-personal values only; free text goes in `note`).
    Must run inside the caller's transaction, so the state and its audit record are written or
    rolled back together."""
    lock(obj, machine)
    return _apply(
        obj,
        machine=machine,
        to=to,
        actor=actor,
        action=action,
        changes=changes,
        fields=fields or {},
        extra_fields=extra_fields,
        note=note,
        now=timezone.now(),
    )


def transition_many[M: models.Model](
    queryset: QuerySet[M],
    *,
    machine: Machine,
    to: str,
    actor: "User | None",
    action: str,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> list[M]:
    """Move every row of `queryset` to `to` (e.g. the open meetings when the support ends):
    the rows are locked, each is checked against the table and gets its own audit record."""
    _require_transaction()
    now = timezone.now()
    return [
        _apply(
            obj,
            machine=machine,
            to=to,
            actor=actor,
            action=action,
            changes=changes,
            fields={},
            extra_fields=(),
            note=note,
            now=now,
        )
        for obj in queryset.select_for_update().order_by("pk")
    ]

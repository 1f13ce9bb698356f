"""Task kinds: what a task asks, about which object, and while which states it stays open.

Each app declares the kinds of task it creates in its `task_kinds.py` (loaded when Django starts,
like the audit vocabulary). A task stores its kind's code and the parameters of its title, never
a rendered sentence, so each reader sees it in their own language. A kind tied to a stateful
model names the states in which the task still asks something; `close_moved_on` (called by
`instroom.statemachine` after every step) closes the tasks whose object has left those states.
A kind without states stays until its owner ticks it off or the service
that finishes the work closes it (`close_for`). A *notice* tells something and asks nothing:
it is sent by e-mail (`notifications.send_notice`) and never becomes a task.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise


def day(value: Any) -> str:
    """A date stored as ISO text in a task's parameters, as the reader writes dates."""
    from datetime import date

    from django.utils import formats

    try:
        return formats.date_format(date.fromisoformat(value), "j F Y")
    except (TypeError, ValueError):
        return str(value)


def _as_is(params: Mapping[str, Any]) -> Mapping[str, Any]:
    return params


@dataclass(frozen=True)
class TaskKind:
    code: str
    # The title with %(name)s parameters (English source text, translated when shown).
    title: Promise | str
    # What a list of these tasks is called ("Applications to check"): counts and filters.
    label: Promise | str
    # "app_label.ModelName" of the object of the work, and the states in which the task is open.
    model: str | None = None
    open_states: frozenset[str] | None = None
    # Turns stored parameters (codes) into what the title shows (translated labels).
    display: Callable[[Mapping[str, Any]], Mapping[str, Any]] = field(default=_as_is)
    # The text of the e-mail under the title, with the same parameters ("" for none).
    body: Promise | str = ""
    # A notice asks nothing: e-mail only, never a task in anyone's list.
    notice: bool = False

    def render(self, params: Mapping[str, Any]) -> str:
        return self._fill(self.title, params)

    def render_body(self, params: Mapping[str, Any]) -> str:
        return self._fill(self.body, params) if self.body else ""

    def _fill(self, text: Promise | str, params: Mapping[str, Any]) -> str:
        try:
            return str(text) % dict(self.display(params))
        except (KeyError, TypeError, ValueError):
            return str(text)


_KINDS: dict[str, TaskKind] = {}


def declare(*kinds: TaskKind) -> dict[str, TaskKind]:
    for kind in kinds:
        known = _KINDS.get(kind.code)
        if known is not None and known != kind:
            raise ImproperlyConfigured(f"task kind {kind.code!r} declared twice")
        if (kind.model is None) != (kind.open_states is None):
            raise ImproperlyConfigured(
                f"task kind {kind.code!r}: model and open_states go together"
            )
        _KINDS[kind.code] = kind
    return {k.code: k for k in kinds}


def get(code: str) -> TaskKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise ValueError(
            f"task kind {code!r} is not declared; add it to the task_kinds.py of its app"
        ) from None


def find(code: str) -> TaskKind | None:
    return _KINDS.get(code)


def all_kinds() -> Iterable[TaskKind]:
    """The kinds that make tasks (notices are e-mail only)."""
    return [k for k in _KINDS.values() if not k.notice]


def kinds_leaving(model_label: str, state: str) -> list[str]:
    """The codes of the kinds about `model_label` that are no longer open in `state`."""
    return [
        k.code
        for k in _KINDS.values()
        if k.model is not None
        and k.model.lower() == model_label.lower()
        and k.open_states is not None
        and state not in k.open_states
    ]


def close_moved_on(obj: Any, before: str, to: str) -> int:
    """Close the open tasks about `obj` that its new state `to` no longer asks for."""
    codes = kinds_leaving(obj._meta.label, to)
    return close_for(obj, codes) if codes else 0


def close_for(obj: Any, codes: Iterable[str]) -> int:
    """Close the open tasks of these kinds about `obj` whose work went away without a step of
    `obj` itself (e.g. a refusal to judge when the offer is reopened), or about an object
    without a state machine, when the service that finishes the work says so (a decision, a
    closed session)."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from .models import Notification

    codes = list(codes)
    for code in codes:
        get(code)  # a typo would close nothing, silently
    return Notification.objects.filter(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        kind__in=codes,
        done_at__isnull=True,
    ).update(done_at=timezone.now(), closed_automatically=True)

"""The audit vocabulary: every action the log records, declared once by the app that records it,
with the label people read (English source text, Dutch in the catalogue).

Each app declares its actions in its `audit_actions.py`; the audit app imports those modules when
Django starts (`AuditConfig.ready`). Recording an action nobody declared is a programming error
and is refused, so the timeline and the access log never have to show a code.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise


@dataclass(frozen=True)
class Action:
    code: str
    label: Promise | str
    app: str
    # False for the echo of an event another stage already records for the same moment (the
    # case moving to "contract signed" when the contract is signed), and for bulk side effects
    # the main event explains: they stay in the log but the client's timeline shows the event once.
    on_timeline: bool = True


_ACTIONS: dict[str, Action] = {}


def declare(
    app: str, labels: Mapping[str, Promise | str], *, off_timeline: Iterable[str] = ()
) -> dict[str, Action]:
    """Declare `app`'s actions with their labels; `off_timeline` names the echoes (see Action)."""
    hidden = frozenset(off_timeline)
    unknown = hidden - set(labels)
    if unknown:
        raise ImproperlyConfigured(f"{app}: off_timeline names undeclared {sorted(unknown)}")
    declared = {}
    for code, label in labels.items():
        known = _ACTIONS.get(code)
        if known is not None and known.app != app:
            raise ImproperlyConfigured(f"audit action {code!r} declared by {known.app} and {app}")
        declared[code] = _ACTIONS[code] = Action(code, label, app, code not in hidden)
    return declared


def get(code: str) -> Action:
    """The declared action, or ValueError: an undeclared action is a programming error."""
    try:
        return _ACTIONS[code]
    except KeyError:
        raise ValueError(
            f"audit action {code!r} is not declared; add it with its label to the "
            "audit_actions.py of the app that records it"
        ) from None


def label_for(code: str) -> Promise | str:
    return get(code).label


def all_actions() -> Mapping[str, Action]:
    return dict(_ACTIONS)

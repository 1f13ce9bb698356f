"""The generic part of the rules document: typed, frozen sections read from and written to plain
data (TOML, JSON), every error with the path of the value that is wrong.

A section is a frozen dataclass whose fields have one of these types: `str`, `int`, `bool`,
`int | None`, `tuple[str, ...]`, `tuple[int, ...]`, another section, or `tuple[Section, ...]`
(a list of tables). A field's `metadata` may carry `choices` (allowed strings), `min`/`max`
(bounds of whole numbers) and `unique` (for lists of tables: the key that must be unique).
`read` fills missing keys with the field's default, refuses unknown keys, and reports every
error at once; `write` gives the canonical plain form, so read(write(x)) == x.
"""

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import Any

from django.utils.translation import get_language


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a rules document: where (e.g. `matching.refusal_reason[2].months`) and
    what to fix, in the reader's language."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class RulesError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def spec(default: Any = MISSING, **metadata: Any) -> Any:
    """A field with metadata (choices, min, max, unique); tuples need no factory (immutable)."""
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Term:
    """One entry of a region's own list (a reason, a kind, a weight): a stable code that is
    stored, and its wording in Dutch and English."""

    code: str = spec(pattern=True)
    nl: str = spec(required_text=True)
    en: str = spec(required_text=True)

    @property
    def label(self) -> str:
        return self.en if (get_language() or "nl").startswith("en") else self.nl

    def __str__(self) -> str:
        return self.label


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _is_section(tp: Any) -> bool:
    return isinstance(tp, type) and dataclasses.is_dataclass(tp)


def _path(base: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{base}[{key + 1}]"
    return f"{base}.{key}" if base else key


_CODE_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")


def _value(tp: Any, value: Any, path: str, meta: Mapping[str, Any], problems: list[Problem]) -> Any:
    from django.utils.translation import gettext as _

    origin = typing.get_origin(tp)
    if _is_section(tp):
        if not isinstance(value, Mapping):
            problems.append(Problem(path, _("expected a table of settings")))
            return None
        return _read_section(tp, value, path, problems)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None:
            return None
        return _value(args[0], value, path, meta, problems)
    if origin is tuple:
        inner = typing.get_args(tp)[0]
        if not isinstance(value, list | tuple):
            problems.append(Problem(path, _("expected a list")))
            return ()
        items = tuple(_value(inner, v, _path(path, i), meta, problems) for i, v in enumerate(value))
        unique = meta.get("unique")
        if unique:
            seen: set[Any] = set()
            for i, item in enumerate(items):
                key = getattr(item, unique, item) if item is not None else None
                if key in seen:
                    problems.append(
                        Problem(_path(path, i), _("“%(key)s” occurs twice") % {"key": key})
                    )
                seen.add(key)
        if meta.get("non_empty") and not items:
            problems.append(Problem(path, _("give at least one entry")))
        return items
    if tp is bool:
        if not isinstance(value, bool):
            problems.append(Problem(path, _("expected true or false")))
            return False
        return value
    if tp is int:
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(Problem(path, _("expected a whole number")))
            return 0
        low, high = meta.get("min", 0), meta.get("max", 10_000)
        if not low <= value <= high:
            problems.append(
                Problem(
                    path,
                    _("give a whole number from %(low)d to %(high)d") % {"low": low, "high": high},
                )
            )
        return value
    if tp is str:
        if not isinstance(value, str):
            problems.append(Problem(path, _("expected text")))
            return ""
        choices = meta.get("choices")
        if choices is not None and value not in choices:
            problems.append(
                Problem(
                    path,
                    _("“%(value)s” is not one of: %(choices)s")
                    % {"value": value, "choices": ", ".join(choices)},
                )
            )
        if meta.get("pattern") and (not value or not set(value) <= _CODE_CHARS or len(value) > 30):
            problems.append(
                Problem(
                    path,
                    _("a code is 1 to 30 lower-case letters, digits or underscores, not “%(v)s”")
                    % {"v": value},
                )
            )
        if meta.get("required_text") and not value.strip():
            problems.append(Problem(path, _("this text may not be empty")))
        if len(value) > meta.get("max_length", 20_000):
            problems.append(Problem(path, _("this text is too long")))
        return value
    raise TypeError(f"unsupported type in rules schema: {tp!r}")  # a programming error


def _read_section[T](
    cls: type[T], data: Mapping[str, Any], path: str, problems: list[Problem]
) -> T:
    from django.utils.translation import gettext as _

    hints = _hints(cls)
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    for key in data:
        if key not in known:
            problems.append(Problem(_path(path, key), _("unknown setting")))
    values: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name in data:
            values[f.name] = _value(
                hints[f.name], data[f.name], _path(path, f.name), f.metadata, problems
            )
        elif f.default is MISSING and f.default_factory is MISSING:
            problems.append(Problem(_path(path, f.name), _("this setting is missing")))
            values[f.name] = None
    try:
        section = cls(**values)
    except (TypeError, ValueError) as exc:  # a section's own consistency check
        problems.append(Problem(path, str(exc)))
        return None  # type: ignore[return-value]
    check = getattr(section, "check", None)
    if check is not None and not any(p.path.startswith(path) for p in problems):
        for sub, message in check():
            problems.append(Problem(_path(path, sub) if sub else path, message))
    return section


def read[T](cls: type[T], data: Mapping[str, Any]) -> T:
    """The section `cls` from plain data; RulesError lists every problem with its path."""
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        from django.utils.translation import gettext as _

        raise RulesError([Problem("", _("expected a table of settings"))])
    section = _read_section(cls, data, "", problems)
    if problems:
        raise RulesError(problems)
    return section


def write(section: Any) -> Any:
    """The canonical plain form (dicts, lists, str, int, bool; None left out)."""
    if dataclasses.is_dataclass(section) and not isinstance(section, type):
        out = {}
        for f in fields(section):
            value = getattr(section, f.name)
            if value is None:
                continue
            out[f.name] = write(value)
        return out
    if isinstance(section, tuple | list):
        return [write(v) for v in section]
    return section

"""Every URL pattern of the project, for the coverage test and the authorisation matrix."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    view_name: str  # "namespace:name", or the dotted view path when the pattern has no name
    namespaces: tuple[str, ...]
    pattern: str
    named: bool
    callback: Callable[..., Any]


def walk(
    patterns: list | None = None, namespaces: tuple[str, ...] = (), prefix: str = ""
) -> Iterator[Route]:
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from walk(entry.url_patterns, ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            named = bool(entry.name)
            view_name = ":".join((*namespaces, entry.name or "")) if named else entry.lookup_str
            yield Route(view_name, namespaces, prefix + str(entry.pattern), named, entry.callback)

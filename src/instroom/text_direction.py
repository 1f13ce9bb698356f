"""User-entered text shown inline, isolated from the text around it (a template builtin).

A name with a right-to-left override (U+202E) or simply in Arabic or Hebrew script reorders the
characters that follow it on the line: a case number, a date or a state could read differently.
`{{ value|bdi }}` escapes the value and wraps it in `<bdi>`, which isolates its direction. Block
elements holding free text (a letter, a note) take `dir="auto"` instead. Page titles cannot hold
markup and are left as they are.
"""

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def bdi(value: Any) -> SafeString | str:
    if value is None or value == "":
        return ""
    return format_html("<bdi>{}</bdi>", value)

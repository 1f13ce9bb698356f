"""Reads of the rules pages: the regions a user configures, the versions of a region's rules, its
change history and a readable summary of a rules document."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from instroom.accounts.models import User
from instroom.audit import actions
from instroom.audit.models import AuditEvent
from instroom.policy import rules as policy
from instroom.regions import rules as rules_module
from instroom.regions.models import Region, RuleVersion

from .forms import PAGES, Page, describe_path, display, display_at, get_at, scalar_fields
from .labels import field_label

HISTORY_LIMIT = 200


def configurable_regions(user: User) -> QuerySet[Region]:
    ids = policy.configurable_regions(user)
    regions = Region.objects.order_by("name")
    return regions if ids is None else regions.filter(pk__in=ids)


def version_list(region: Region) -> QuerySet[RuleVersion]:
    return region.rule_versions.select_related("created_by").order_by("-valid_from", "-number")


def future_versions(region: Region) -> QuerySet[RuleVersion]:
    return version_list(region).filter(valid_from__gt=timezone.localdate())


@dataclass(frozen=True)
class Row:
    label: str
    value: str


@dataclass(frozen=True)
class SummaryPart:
    title: str
    rows: list[Row]  # a section: its settings
    columns: list[str]  # a list of tables: its columns …
    table: list[list[str]]  # … and one row of values per entry
    languages: tuple[str, ...] = ()  # per column: "nl"/"en" for the region's own wording

    @property
    def cells(self) -> list[list[tuple[str, str]]]:
        """The table's values each with its column's language ("" for the page's own)."""
        languages = list(self.languages) or [""] * len(self.columns)
        return [list(zip(row, languages, strict=False)) for row in self.table]


@dataclass(frozen=True)
class SummaryPage:
    page: Page
    parts: list[SummaryPart]


def _wording_language(name: str) -> str:
    """The language of a setting that holds the region's own wording in one language
    (`nl`, `question_en`, `agreement_nl`), so the page marks it as such; "" for others."""
    for language in ("nl", "en"):
        if name == language or name.endswith(f"_{language}"):
            return language
    return ""


def summary(rules: rules_module.Rules) -> list[SummaryPage]:
    """Every part of the document in the region's words, page by page (as the edit pages)."""
    plain = rules_module.write(rules)
    out = []
    for page in PAGES:
        parts = []
        for part in page.parts:
            cls, value = part.cls, get_at(plain, part.path)
            fields = scalar_fields(cls)
            if part.many:
                columns = [str(field_label(cls, f.name)) for f in fields]
                table = [[display(cls, f.name, row.get(f.name)) for f in fields] for row in value]
                languages = tuple(_wording_language(f.name) for f in fields)
                parts.append(SummaryPart(str(part.title), [], columns, table, languages))
            else:
                rows = [
                    Row(str(field_label(cls, f.name)), display(cls, f.name, value.get(f.name)))
                    for f in fields
                ]
                parts.append(SummaryPart(str(part.title), rows, [], []))
        out.append(SummaryPage(page, parts))
    return out


@dataclass(frozen=True)
class Change:
    what: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    event: AuditEvent
    label: str
    note: str
    facts: list[Row]
    changes: list[Change]


def _date(iso: Any) -> str:
    try:
        return date_format(date.fromisoformat(iso), "j F Y")
    except (TypeError, ValueError):
        return str(iso or "—")


def _model(label: Any) -> Any:
    from django.apps import apps

    try:
        return apps.get_model(str(label))
    except (LookupError, ValueError):
        return None


def _verbose(model: Any, field: str | None, fallback: Any) -> str:
    """The verbose name of `model` (or of its `field`), as the reader's language has it."""
    if model is None:
        return str(fallback)
    if field is None:
        return str(model._meta.verbose_name)
    try:
        return str(model._meta.get_field(field).verbose_name)
    except Exception:  # a field since removed, or a reverse relation without a verbose name
        return str(fallback)


def _value(model: Any, field: str, value: Any) -> str:
    """A recorded value; a code of a field with choices (a role) by its label."""
    try:
        choices = dict(model._meta.get_field(field).flatchoices) if model is not None else {}
    except Exception:  # as in `_verbose`
        choices = {}
    if isinstance(value, str) and value in choices:
        return str(choices[value])
    return display(None, field, value)


def _entry(event: AuditEvent) -> HistoryEntry:
    from django.utils.translation import gettext as _

    data: dict[str, Any] = event.changes or {}
    facts: list[Row] = []
    changes: list[Change] = []
    note = getattr(getattr(event, "note", None), "text", "")
    if event.action == "rules.change":
        facts.append(Row(_("Version"), str(data.get("version", "—"))))
        facts.append(Row(_("Applies from"), _date(data.get("valid_from"))))
        if data.get("restored_from"):
            facts.append(Row(_("Restores version"), str(data["restored_from"])))
        for path, pair in (data.get("changed") or {}).items():
            before, after = ([*list(pair), None, None])[:2]
            changes.append(
                Change(describe_path(path), display_at(path, before), display_at(path, after))
            )
    elif isinstance(data.get("fields"), dict) and "model" in data:
        # The data pages (`site.RegionScopedAdmin._record`): the kind and the field names in
        # the reader's language, not the code's (`regions.QuotaYear`, `total_homes`).
        model = _model(data.get("model"))
        facts.append(Row(_("Kind"), _verbose(model, None, data.get("model"))))
        facts.append(Row(_("What"), str(data.get("object") or "—")))
        for name, pair in data["fields"].items():
            before, after = ([*pair, None, None] if isinstance(pair, list) else [None, pair])[:2]
            changes.append(
                Change(
                    _verbose(model, name, name),
                    _value(model, name, before),
                    _value(model, name, after),
                )
            )
    else:  # whatever else was recorded
        for key, value in data.items():
            if isinstance(value, list) and len(value) == 2:
                changes.append(
                    Change(str(key), display(None, key, value[0]), display(None, key, value[1]))
                )
            elif isinstance(value, dict) and all(
                isinstance(v, list) and len(v) == 2 for v in value.values()
            ):
                for sub, pair in value.items():
                    changes.append(
                        Change(str(sub), display(None, sub, pair[0]), display(None, sub, pair[1]))
                    )
            else:
                facts.append(Row(str(key), display(None, key, value)))
    return HistoryEntry(event, str(actions.label_for(event.action)), note, facts, changes)


def region_history(region: Region) -> list[HistoryEntry]:
    """The configuration changes of a region, newest first: rules versions and the data pages."""
    events = (
        AuditEvent.objects.filter(region_id=region.pk)
        .filter(Q(action="rules.change") | Q(action__startswith="config."))
        .select_related("actor", "note")
        .order_by("-at", "-id")[:HISTORY_LIMIT]
    )
    return [_entry(e) for e in events]


__all__ = [
    "configurable_regions",
    "describe_path",
    "future_versions",
    "region_history",
    "summary",
    "version_list",
]

"""The rules pages' forms, made from the rules document's own schema (`regions.rules`): one form
per part of a section, one formset per list of tables (a row per reason, kind, form …). What a
field accepts comes from the schema's bounds and choices; the words from `labels`."""

import copy
import dataclasses
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.formsets import BaseFormSet, formset_factory
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from instroom.forms import DateInput, NLDesignFormMixin
from instroom.regions import rules as rules_module
from instroom.regions.rules import Problem, Rules

from . import labels

# --- The schema, walked ------------------------------------------------------------------------


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _is_section(tp: Any) -> bool:
    return isinstance(tp, type) and dataclasses.is_dataclass(tp)


def _list_of(tp: Any) -> Any | None:
    """The item type of `tuple[X, ...]`, else None."""
    return typing.get_args(tp)[0] if typing.get_origin(tp) is tuple else None


def _optional(tp: Any) -> Any | None:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return next(a for a in typing.get_args(tp) if a is not type(None))
    return None


def scalar_fields(cls: type) -> list[dataclasses.Field]:  # type: ignore[type-arg]
    """The settings of a section that are not themselves sections or lists of tables."""
    hints = _hints(cls)
    out = []
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        tp = hints[f.name]
        if _is_section(tp) or _is_section(_list_of(tp)):
            continue
        out.append(f)
    return out


_SEGMENT = re.compile(r"^(\w+)(?:\[([^\]]+)\])?$")


def class_at(path: str) -> type:
    """The section class at a path of the document (for a list of tables: its row class)."""
    cls: Any = Rules
    for segment in path.split("."):
        tp = _hints(cls)[segment]
        cls = tp if _is_section(tp) else _list_of(tp)
    return cls


def get_at(plain: dict[str, Any], path: str) -> Any:
    value: Any = plain
    for segment in path.split("."):
        value = value.get(segment) if isinstance(value, dict) else None
    return value


def set_at(plain: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    target = plain
    for segment in parents:
        target = target.setdefault(segment, {})
    target[last] = value


def describe_path(path: str) -> str:
    """A changed setting in words: `matching.refusal_reason[other].consequence` →
    "Refusal reasons “other” › Consequence"."""
    cls: Any = Rules
    words: list[str] = []
    walked: list[str] = []
    for segment in path.split("."):
        match = _SEGMENT.match(segment)
        if match is None or cls is None or segment.split("[")[0] not in _hints(cls):
            words.append(segment)
            cls = None
            continue
        name, key = match.groups()
        walked.append(name)
        joined = ".".join(walked)
        part = labels.SHORT.get(joined) or labels.PARTS.get(joined)
        tp = _hints(cls)[name]
        word = str(part) if part is not None else str(labels.field_label(cls, name))
        words.append(f"{word} “{key}”" if key else word)
        cls = tp if _is_section(tp) else _list_of(tp) if _is_section(_list_of(tp)) else None
    return " › ".join(words)


def display(cls: type | None, name: str, value: Any) -> str:
    """A setting's value as the overview and the history show it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    choices = labels.choice_labels(cls, name) if cls is not None else {}
    if isinstance(value, list | tuple):
        if not value:
            return "—"
        return ", ".join(str(choices.get(v, v)) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {display(None, k, v)}" for k, v in value.items())
    if value == "":
        return "—"
    if isinstance(value, str) and value in choices:
        return str(choices[value])
    return Truncator(str(value)).chars(120)


def display_at(path: str, value: Any) -> str:
    """`display` for the setting at a path of `flatten` (the history's before and after)."""
    *parents, last = path.split(".")
    name = last.split("[")[0]
    try:
        cls = (
            class_at(".".join(re.sub(r"\[[^\]]*\]", "", p) for p in parents)) if parents else Rules
        )
    except (KeyError, TypeError):
        cls = None
    return display(cls, name, value)


# --- Fields ------------------------------------------------------------------------------------


class CommaListField(forms.CharField):
    """A list of whole numbers or codes, typed separated by commas."""

    def __init__(self, *, numbers: bool, low: int = 0, high: int = 10_000, **kwargs: Any) -> None:
        self.numbers, self.low, self.high = numbers, low, high
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return list(value)
        text = super().to_python(value) or ""
        items = [p.strip() for p in text.split(",") if p.strip()]
        if not self.numbers:
            return items
        try:
            numbers = [int(p) for p in items]
        except ValueError:
            raise forms.ValidationError(
                _("Give whole numbers separated by commas, e.g. 30, 20, 10.")
            ) from None
        if any(not self.low <= n <= self.high for n in numbers):
            raise forms.ValidationError(
                _("Give whole numbers from %(low)d to %(high)d.")
                % {"low": self.low, "high": self.high}
            )
        return numbers

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return bool(self.to_python(initial) != self.to_python(data))
        except forms.ValidationError:
            return True


def form_field(
    cls: type,
    f: dataclasses.Field,
    dynamic: dict[str, list[tuple[str, str]]],  # type: ignore[type-arg]
) -> forms.Field:
    tp = _hints(cls)[f.name]
    meta = f.metadata
    label = labels.field_label(cls, f.name)
    key = f"{cls.__name__}.{f.name}"
    inner = _optional(tp)
    if inner is not None:
        tp = inner
    if tp is bool:
        return forms.BooleanField(label=label, required=False)
    if tp is int:
        return forms.IntegerField(
            label=label,
            min_value=meta.get("min", 0),
            max_value=meta.get("max", 10_000),
            required=inner is None,
        )
    item = _list_of(tp)
    if item is not None:
        choices = meta.get("choices")
        if choices is not None:
            words = labels.choice_labels(cls, f.name)
            return forms.MultipleChoiceField(
                label=label,
                choices=[(c, words.get(c, c)) for c in choices],
                widget=forms.CheckboxSelectMultiple,
                required=bool(meta.get("non_empty")),
            )
        return CommaListField(
            label=label, numbers=item is int, low=meta.get("min", 0), high=meta.get("max", 10_000)
        )
    # text
    if key in dynamic:
        return forms.ChoiceField(label=label, choices=dynamic[key], required=False)
    choices = meta.get("choices")
    if choices is not None:
        words = labels.choice_labels(cls, f.name)
        options = [(c, words.get(c, c)) for c in choices]
        if f.default is dataclasses.MISSING:  # a new row starts blank: leaving it adds nothing
            options = [("", "—"), *options]
        return forms.ChoiceField(label=label, choices=options)
    long_text = f.name.startswith("agreement_")
    return forms.CharField(
        label=label,
        required=bool(meta.get("pattern") or meta.get("required_text")),
        max_length=meta.get("max_length", 20_000),
        widget=forms.Textarea(attrs={"rows": 6}) if long_text else None,
        strip=not long_text,
    )


class PartForm(NLDesignFormMixin, forms.Form):
    """The plain settings of one section (or one row of a list), fields from the schema."""

    def __init__(
        self,
        *args: Any,
        section: type,
        dynamic: dict[str, list[tuple[str, str]]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.section = section
        for f in scalar_fields(section):
            self.fields[f.name] = form_field(section, f, dynamic or {})
        self.style_widgets()

    def plain(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields if name != "DELETE"}


class RowFormSet(BaseFormSet):  # type: ignore[type-arg]
    """Rows of a list; the extra (empty) row starts at the row type's defaults, so leaving it
    alone adds nothing."""

    blank: dict[str, Any] = {}

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if index is not None and index >= len(self.initial or []):
            kwargs["initial"] = self.blank
        return kwargs


def _blank(cls: type) -> dict[str, Any]:
    out = {}
    for f in scalar_fields(cls):
        if f.default is not dataclasses.MISSING:
            out[f.name] = rules_module.schema.write(f.default)
    return out


class ChangeForm(NLDesignFormMixin, forms.Form):
    valid_from = forms.DateField(
        label=_("Applies from"),
        widget=DateInput,
        help_text=_(
            "Rankings, decisions and reports made before this date keep the rules they were "
            "made under."
        ),
    )
    note = forms.CharField(
        label=_("What changed and why"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown in the versions and the change history of the region."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"valid_from": timezone.localdate()})
        super().__init__(*args, **kwargs)


# --- Pages -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    path: str
    many: bool  # a list of tables, one row each

    @property
    def title(self) -> Promise | str:
        return labels.PARTS.get(self.path, self.path)

    @property
    def cls(self) -> type:
        return class_at(self.path)

    @property
    def prefix(self) -> str:
        return self.path.replace(".", "-")


@dataclass(frozen=True)
class Page:
    key: str
    slug: str  # in the URL
    title: Promise
    parts: tuple[Part, ...]


PAGES: tuple[Page, ...] = (
    Page(
        "matching",
        "bemiddeling",
        _("Matching: deadlines, filters and score"),
        (
            Part("matching", False),
            Part("matching.filters", False),
            Part("matching.filters.age_band", False),
            Part("matching.score", False),
            Part("matching.criterion", True),
            Part("matching.cotenancy", False),
        ),
    ),
    Page("refusals", "weigeringen", _("Refusal reasons"), (Part("matching.refusal_reason", True),)),
    Page(
        "intake", "aanmelding", _("Intake and route"), (Part("intake", False), Part("route", False))
    ),
    Page("contracts", "contractvormen", _("Contract forms"), (Part("contract_form", True),)),
    Page(
        "support",
        "begeleiding",
        _("Support: meetings, checklist and signals"),
        (
            Part("support", False),
            Part("support.meeting_kind", True),
            Part("support.checklist", True),
            Part("support.signal_kind", True),
            Part("support.severity", True),
            Part("support.signal_outcome", True),
        ),
    ),
    Page(
        "terms",
        "lijsten",
        _("Dossier weights and exclusion reasons"),
        (Part("dossier_weight", True), Part("exclusion_reason", True)),
    ),
)
PAGE_BY_KEY = {p.key: p for p in PAGES}


@dataclass
class BoundPart:
    part: Part
    form: PartForm | None = None
    formset: BaseFormSet | None = None  # type: ignore[type-arg]
    rows: list[PartForm] = dataclasses.field(default_factory=list)  # the formset's kept rows

    def is_valid(self) -> bool:
        if self.form is not None:
            return self.form.is_valid()
        assert self.formset is not None
        return self.formset.is_valid()

    def plain(self) -> Any:
        if self.form is not None:
            return self.form.plain()
        assert self.formset is not None
        n_initial = self.formset.initial_form_count()
        self.rows = []
        for i, form in enumerate(self.formset.forms):
            if form.cleaned_data.get("DELETE"):
                continue
            if i >= n_initial and not form.has_changed():
                continue
            self.rows.append(form)
        return [form.plain() for form in self.rows]


class PageEditor:
    """All forms of one page, bound to the rules shown (or to the posted data)."""

    def __init__(self, page: Page, rules: Rules, data: Any = None) -> None:
        self.page = page
        plain = rules_module.write(rules)
        dynamic = {
            "Route.extra_participants_from": [("", gettext("Never"))]
            + [(t.code, t.label) for t in rules.dossier_weight]
        }
        self.change = ChangeForm(data)
        self.parts: list[BoundPart] = []
        self.errors: list[str] = []
        for part in page.parts:
            value = get_at(plain, part.path)
            if part.many:
                factory = formset_factory(PartForm, formset=RowFormSet, extra=1, can_delete=True)
                factory.blank = _blank(part.cls)  # type: ignore[attr-defined]
                formset = factory(
                    data,
                    prefix=part.prefix,
                    initial=list(value or []),
                    form_kwargs={"section": part.cls, "dynamic": dynamic},
                )
                self.parts.append(BoundPart(part, formset=formset))
            else:
                flat = {k: v for k, v in (value or {}).items() if not isinstance(v, dict)}
                form = PartForm(
                    data, prefix=part.prefix, initial=flat, section=part.cls, dynamic=dynamic
                )
                self.parts.append(BoundPart(part, form=form))

    def __iter__(self) -> Iterator[BoundPart]:
        return iter(self.parts)

    def is_valid(self) -> bool:
        valid = [self.change.is_valid()] + [p.is_valid() for p in self.parts]
        return all(valid)

    def rules_on(self, base: Rules) -> dict[str, Any]:
        """The whole document: `base` (the rules in force on the chosen date) with this page's
        parts as posted."""
        plain = copy.deepcopy(rules_module.write(base))
        for bound in self.parts:
            value = bound.plain()
            if bound.form is not None:
                current = get_at(plain, bound.part.path) or {}
                value = {**current, **value}
            set_at(plain, bound.part.path, value)
        return plain

    def add_problems(self, problems: list[Problem]) -> None:
        """Each problem next to its field; what no field of this page holds, above the form."""
        for problem in problems:
            if not self._place(problem):
                self.errors.append(f"{describe_path(problem.path)}: {problem.message}")

    def _place(self, problem: Problem) -> bool:
        for bound in sorted(self.parts, key=lambda b: -len(b.part.path)):
            base = bound.part.path
            if not (
                problem.path == base
                or problem.path.startswith(base + ".")
                or problem.path.startswith(base + "[")
            ):
                continue
            rest = problem.path[len(base) :]
            if bound.form is not None:
                name = rest.lstrip(".")
                if name in bound.form.fields:
                    bound.form.add_error(name, problem.message)
                    return True
                if not name:
                    bound.form.add_error(None, problem.message)
                    return True
                continue
            match = re.match(r"^\[(\d+)\](?:\.(\w+))?", rest)
            if match is None:
                if bound.formset is not None and not rest:
                    self.errors.append(f"{bound.part.title}: {problem.message}")
                    return True
                continue
            index, name = int(match.group(1)) - 1, match.group(2)
            if 0 <= index < len(bound.rows):
                form = bound.rows[index]
                form.add_error(name if name in form.fields else None, problem.message)
                return True
        return False

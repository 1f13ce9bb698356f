"""A whole regeling as one TOML file, so one region can start from another's: `export_region`
writes it, `import_region` reads it back, validates everything and names the line of every error.

The format is the self-contained extension of the reference files (`regions/reference/*.toml`):
every row is written out (no CSV files, no estimates to compute), each model has its array of
tables, rows refer to each other by natural key (a municipality by its CBS code, an organisation
by its slug) and every rules version carries its full document in the canonical form of
`regions.rules.write`. Users and case content are never part of it. The export is deterministic,
so export → import (into an empty database) → export gives the same bytes.
"""

import datetime
import re
import tomllib
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import tomli_w
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from . import rules as rules_module
from .models import (
    AffordabilityLimit,
    AgreedHomes,
    AssessmentTable,
    CorporationStock,
    FigureKind,
    Municipality,
    MunicipalityFigure,
    Neighbourhood,
    Organisation,
    QuotaWeight,
    QuotaYear,
    Region,
    RuleVersion,
    SubRegion,
)

FORMAT = 1

HEADER = (
    "# A whole regeling in one file, written by `instroom region export`. Read it back with\n"
    "# `instroom region import FILE` (another region: `--as NEW_SLUG --name NAME`).\n"
)

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Section:
    """One array of tables in the file: the rows of one model, in a fixed order."""

    key: str
    model: type[models.Model]
    order: tuple[str, ...]
    region_lookup: str  # from a row to its region
    refs: Mapping[str, str] = field(default_factory=dict)  # relation field → section it names
    natural_key: str | None = None  # the field other rows refer to this one by


SECTIONS = (
    Section("figure_kind", FigureKind, ("slug",), "region"),
    Section("sub_region", SubRegion, ("slug",), "region", natural_key="slug"),
    Section(
        "municipality",
        Municipality,
        ("cbs_code",),
        "region",
        {"sub_region": "sub_region"},
        natural_key="cbs_code",
    ),
    Section(
        "figure",
        MunicipalityFigure,
        ("municipality__cbs_code", "kind", "reference_date"),
        "municipality__region",
        {"municipality": "municipality"},
    ),
    Section(
        "neighbourhood",
        Neighbourhood,
        ("municipality__cbs_code", "cbs_code"),
        "municipality__region",
        {"municipality": "municipality"},
    ),
    Section(
        "organisation",
        Organisation,
        ("slug",),
        "region",
        {"represents": "municipality", "municipalities": "municipality"},
        natural_key="slug",
    ),
    Section(
        "assessment_table",
        AssessmentTable,
        ("slug",),
        "region",
        {"municipalities": "municipality", "sub_region": "sub_region"},
    ),
    Section("quota_year", QuotaYear, ("year",), "region", natural_key="year"),
    Section(
        "quota_weight",
        QuotaWeight,
        ("quota_year__year", "kind"),
        "quota_year__region",
        {"quota_year": "quota_year"},
    ),
    Section(
        "agreed_homes",
        AgreedHomes,
        ("municipality__cbs_code", "year"),
        "municipality__region",
        {"municipality": "municipality"},
    ),
    Section("affordability_limit", AffordabilityLimit, ("year", "household_type"), "region"),
    Section(
        "corporation_stock",
        CorporationStock,
        ("corporation__slug", "municipality__cbs_code"),
        "corporation__region",
        {"corporation": "organisation", "municipality": "municipality"},
    ),
)
NATURAL_KEYS = {s.key: s.natural_key for s in SECTIONS if s.natural_key}
RULES_SECTION = "rules_version"

# Not regional configuration, or carried elsewhere: admitted sources live in `rules.intake`;
# who made a rules version and when is history of this installation, not of the regeling.
NOT_EXPORTED = {
    Region: {"admitted_sources"},
    RuleVersion: {"rules", "created_at", "created_by"},
}


def _fields(model: type[models.Model], refs: Mapping[str, str] = {}) -> list[Any]:
    """The model's fields that the file carries, in declaration order: no primary key, no link
    to the region (the file is one region), no relation the section does not name."""
    opts = model._meta
    chosen = []
    for f in sorted([*opts.concrete_fields, *opts.many_to_many], key=lambda f: f.creation_counter):
        if f.primary_key or f.name in NOT_EXPORTED.get(model, set()):
            continue
        if f.is_relation and f.name not in refs:
            continue
        chosen.append(f)
    return chosen


# Export ------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # exact; TOML floats are not
    return value


def _export_row(obj: models.Model, section: Section) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for f in _fields(section.model, section.refs):
        if f.many_to_many:
            key = NATURAL_KEYS[section.refs[f.name]]
            row[f.name] = sorted(getattr(o, key) for o in getattr(obj, f.name).all())
        elif f.is_relation:
            target = getattr(obj, f.name)
            if target is not None:
                row[f.name] = getattr(target, NATURAL_KEYS[section.refs[f.name]])
        else:
            value = f.value_from_object(obj)
            if value is not None:  # TOML has no null: a missing key is empty
                row[f.name] = _plain(value)
    return row


def _canonical_rules(stored: Any) -> Any:
    try:
        return rules_module.write(rules_module.read(stored))
    except rules_module.RulesError:
        return stored  # written as stored; importing it names what is wrong


def export_data(region: Region) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": FORMAT,
        "region": _export_row(region, Section("region", Region, (), "")),
    }
    for section in SECTIONS:
        qs = section.model._default_manager.filter(**{section.region_lookup: region})
        relations = [f.name for f in _fields(section.model, section.refs) if f.is_relation]
        many = [n for n in relations if section.model._meta.get_field(n).many_to_many]
        single = [n for n in relations if n not in many]
        if single:
            qs = qs.select_related(*single)
        qs = qs.prefetch_related(*many)
        rows = [_export_row(obj, section) for obj in qs.order_by(*section.order)]
        if rows:
            data[section.key] = rows
    versions = [
        {
            **_export_row(v, Section(RULES_SECTION, RuleVersion, (), "")),
            "rules": _canonical_rules(v.rules),
        }
        for v in RuleVersion.objects.filter(region=region).order_by("number")
    ]
    if versions:
        data[RULES_SECTION] = versions
    return data


def _scalar(value: Any) -> str:
    return tomli_w.dumps({"v": value})[len("v = ") :].rstrip("\n")


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _scalar(key)


def _is_rows(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _emit(table: Mapping[str, Any], path: list[str], out: list[str], *, row: bool) -> None:
    """A table as TOML, in the shape people write by hand: every list of tables as [[...]]
    (tomli_w would inline the short ones), lists of values on one line."""
    scalars = [k for k, v in table.items() if not isinstance(v, dict) and not _is_rows(v)]
    if path and (row or scalars or not table):
        out.append("")
        name = ".".join(_key(p) for p in path)
        out.append(f"[[{name}]]" if row else f"[{name}]")
    for key in scalars:
        value = table[key]
        if isinstance(value, list):
            out.append(f"{_key(key)} = [{', '.join(_scalar(v) for v in value)}]")
        else:
            out.append(f"{_key(key)} = {_scalar(value)}")
    for key, value in table.items():
        if isinstance(value, dict):
            _emit(value, [*path, key], out, row=False)
        elif _is_rows(value):
            for item in value:
                _emit(item, [*path, key], out, row=True)


def export_region(region: Region) -> str:
    """The whole regeling as TOML text; the same data always gives the same text."""
    out: list[str] = []
    _emit(export_data(region), [], out, row=False)
    return HEADER + "\n".join(out) + "\n"


# Finding the line of a key -----------------------------------------------------------------------


def _keys(text: str) -> list[str]:
    """The parts of a (dotted, perhaps quoted) TOML key."""
    parsed: Any = tomllib.loads(f"{text.strip()} = 0")
    parts = []
    while isinstance(parsed, dict):
        (key, parsed), *_rest = parsed.items()
        parts.append(key)
    return parts


def _split_key_value(line: str) -> tuple[str, str] | None:
    quote = ""
    for i, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "=":
            return line[:i], line[i + 1 :]
    return None


def _header_end(line: str, closing: str) -> int:
    quote = ""
    for i, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif line.startswith(closing, i):
            return i
    return len(line)


def _element_lines(value_lines: list[str], first_line: int) -> dict[int, int]:
    """For an array written over several lines: the line on which each element starts."""
    found: dict[int, int] = {}
    depth, index, expecting, quote = 0, 0, False, ""
    for offset, text in enumerate(value_lines):
        i = 0
        while i < len(text):
            char = text[i]
            if quote:
                if char == "\\" and quote == '"':
                    i += 2
                    continue
                if text.startswith(quote, i):
                    i += len(quote)
                    quote = ""
                    continue
            elif char == "#":
                break
            elif char in "\"'":
                quote = char * 3 if text.startswith(char * 3, i) else char
                if depth == 1 and expecting:
                    found[index], expecting = first_line + offset, False
                i += len(quote)
                continue
            elif char in "[{":
                if depth == 1 and expecting:
                    found[index], expecting = first_line + offset, False
                depth += 1
                if depth == 1:
                    expecting = True
            elif char in "]}":
                depth -= 1
            elif char == "," and depth == 1:
                index, expecting = index + 1, True
            elif not char.isspace() and depth == 1 and expecting:
                found[index], expecting = first_line + offset, False
            i += 1
    return found


def line_index(text: str) -> dict[Path, int]:
    """Line numbers (from 1) of every table header, key and array element of a valid TOML text,
    by key path, e.g. ("organisation", 2, "slug") for the slug of the third [[organisation]].
    tomllib gives no positions, so the text is walked here."""
    lines = text.splitlines()
    index: dict[Path, int] = {}
    arrays: dict[Path, int] = {}  # array of tables → index of its current element

    def resolve(keys: Iterable[str]) -> Path:
        path: Path = ()
        for key in keys:
            path += (key,)
            if path in arrays:
                path += (arrays[path],)
        return path

    table: Path = ()
    n = 0
    while n < len(lines):
        stripped = lines[n].strip()
        if not stripped or stripped.startswith("#"):
            pass
        elif stripped.startswith("[["):
            keys = _keys(stripped[2 : _header_end(stripped, "]]")])
            parent = resolve(keys[:-1])
            array = (*parent, keys[-1])
            arrays[array] = arrays.get(array, -1) + 1
            table = (*array, arrays[array])
            index.setdefault(array, n + 1)
            index[table] = n + 1
        elif stripped.startswith("["):
            table = resolve(_keys(stripped[1 : _header_end(stripped, "]")]))
            index[table] = n + 1
        elif (pair := _split_key_value(stripped)) is not None:
            key_text, value_text = pair
            path = (*table, *_keys(key_text))
            index[path] = n + 1
            last = n  # the value may run over several lines (an array, a long string)
            value = value_text
            while True:
                try:
                    tomllib.loads("v =" + value)
                    break
                except tomllib.TOMLDecodeError:
                    if last + 1 >= len(lines):
                        break
                    last += 1
                    value += "\n" + lines[last]
            if last > n:
                for element, line in _element_lines(value.split("\n"), n + 1).items():
                    index[(*path, element)] = line
            n = last
        n += 1
    return index


def _line_for(index: Mapping[Path, int], path: Path) -> int | None:
    while path:
        if path in index:
            return index[path]
        path = path[:-1]
    return None


def _dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _from_dotted(text: str) -> Path:
    """A `regions.rules` problem path (`matching.refusal_reason[2].months`) as a key path."""
    return tuple(
        int(number) - 1 if number else name
        for name, number in re.findall(r"([^.\[\]]+)|\[(\d+)\]", text)
    )


# Import ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineProblem:
    """One thing wrong in an imported file: its line (None when the file lacks the key
    altogether), the key path and what to fix, in the reader's language."""

    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.path or _("the file")
        if self.line is None:
            return f"{where}: {self.message}"
        return _("line %(line)d, %(where)s: %(message)s") % {
            "line": self.line,
            "where": where,
            "message": self.message,
        }


class RegelingError(ValueError):
    def __init__(self, problems: list[LineProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class ImportReport:
    region: Region | None  # None after --check: nothing was written
    counts: dict[str, int]
    notes: list[str]


class _Importer:
    def __init__(self, text: str, *, check_only: bool) -> None:
        try:
            self.index = line_index(text)
        except (tomllib.TOMLDecodeError, ValueError, IndexError):  # a style not foreseen here:
            self.index = {}  # the errors are still reported, by key path without a line
        self.check_only = check_only
        self.problems: list[LineProblem] = []
        self.notes: list[str] = []
        self.counts: dict[str, int] = {}
        # section → natural key → the row made, or None for a row that was wrong (so rows that
        # refer to it are not told that it does not exist)
        self.known: dict[str, dict[str, models.Model | None]] = {}

    def problem(self, path: Path, message: Any) -> None:
        self.problems.append(LineProblem(_line_for(self.index, path), _dotted(path), str(message)))

    def run(self, data: dict[str, Any], as_slug: str | None, name: str | None) -> Region:
        allowed = {"format", "region", RULES_SECTION, *(s.key for s in SECTIONS)}
        for key in data:
            if key not in allowed:
                self.problem(
                    (key,),
                    _("unknown section “%(key)s”; known are: %(known)s")
                    % {"key": key, "known": ", ".join(sorted(allowed))},
                )
        if data.get("format") != FORMAT:
            self.problem(
                ("format",),
                _("this file needs “format = %(format)d”, as instroom region export writes")
                % {"format": FORMAT},
            )
        region = self.region(data.get("region"), as_slug, name)
        for section in SECTIONS:
            for i, row in self.rows(data, section.key):
                fixed = {
                    f.name: region
                    for f in section.model._meta.concrete_fields
                    if f.is_relation and f.related_model is Region
                }
                obj = self.row((section.key, i), row, section.model, fixed, section.refs)
                code = row.get(section.natural_key) if section.natural_key else None
                if isinstance(code, str | int) and not isinstance(code, bool):
                    # the first row of a code counts; a duplicate is reported, not used
                    self.known.setdefault(section.key, {}).setdefault(str(code), obj)
        self.check_weights(data)
        for i, row in self.rows(data, RULES_SECTION):
            self.rule_version((RULES_SECTION, i), row, region)
        return region

    def check_weights(self, data: Mapping[str, Any]) -> None:
        """Each year's weights add up to exactly 1, as on the regional site."""
        rows = data.get("quota_year")
        for i, row in enumerate(rows if isinstance(rows, list) else []):
            made = self.known.get("quota_year", {}).get(str(row.get("year")))
            if not isinstance(made, QuotaYear):
                continue
            total = sum(made.weights.values_list("weight", flat=True), Decimal(0))
            if total != 1:
                self.problem(
                    ("quota_year", i),
                    _(
                        "the weights of the key for %(year)s add up to %(total)s: give "
                        "[[quota_weight]] rows that together make 1"
                    )
                    % {"year": made.year, "total": total},
                )

    def rows(self, data: Mapping[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
        rows = data.get(key, [])
        if not isinstance(rows, list):
            self.problem((key,), _("write the rows as [[%(key)s]] tables") % {"key": key})
            return []
        good = []
        for i, row in enumerate(rows):
            if isinstance(row, dict):
                good.append((i, row))
            else:
                self.problem((key, i), _("write the rows as [[%(key)s]] tables") % {"key": key})
        self.counts[key] = len(good)
        return good

    def region(self, data: Any, as_slug: str | None, name: str | None) -> Region:
        if not isinstance(data, dict):
            self.problem(("region",), _("the file has no [region] table"))
            data = {}
        data = dict(data)
        if as_slug is not None:
            data["slug"] = as_slug
        if name is not None:
            data["name"] = name
        slug = data.get("slug")
        if isinstance(slug, str) and Region.objects.filter(slug=slug).exists():
            if self.check_only:
                self.notes.append(
                    _(
                        "A region with the slug “%(slug)s” exists already: importing this file "
                        "needs --as NEW_SLUG --name NAME."
                    )
                    % {"slug": slug}
                )
            else:
                self.problem(
                    ("region", "slug"),
                    _(
                        "A region with the slug “%(slug)s” exists already and is never "
                        "overwritten; import the file as a new region with --as NEW_SLUG "
                        "--name NAME."
                    )
                    % {"slug": slug},
                )
            data["slug"] = self.stand_in_slug()
        region = self.row(("region",), data, Region, {}, {})
        if region is None:  # go on with a stand-in, so every other error is reported too
            region = Region.objects.create(slug=self.stand_in_slug(), name="-", start_year=2000)
        return region  # type: ignore[return-value]

    @staticmethod
    def stand_in_slug() -> str:
        # Only inside the transaction that is rolled back (a check, or a file with errors).
        return f"import-{uuid.uuid4().hex[:16]}"

    def convert(self, f: Any, value: Any, path: Path, refs: Mapping[str, str]) -> tuple[bool, Any]:
        """The value of a key as the field wants it; (False, None) after reporting a problem."""
        if f.is_relation:
            section = refs[f.name]
            if f.many_to_many:
                if not isinstance(value, list):
                    self.problem(path, _("expected a list of codes"))
                    return False, None
                targets = [self.target(section, v, (*path, i)) for i, v in enumerate(value)]
                if any(t is None for t in targets):
                    return False, None
                return True, targets
            target = self.target(section, value, path)
            if target is None:
                return False, None
            limit = f.get_limit_choices_to()
            if (
                limit
                and not f.related_model._default_manager.filter(
                    models.Q(pk=target.pk) & models.Q(**limit)
                ).exists()
            ):
                self.problem(
                    path,
                    _("“%(code)s” cannot be the %(field)s")
                    % {"code": value, "field": f.verbose_name},
                )
                return False, None
            return True, target
        if isinstance(f, models.BooleanField):
            if isinstance(value, bool):
                return True, value
            self.problem(path, _("expected true or false (without quotes)"))
        elif isinstance(f, models.DecimalField):
            if isinstance(value, str | int) and not isinstance(value, bool):
                try:
                    return True, Decimal(str(value))
                except InvalidOperation:
                    pass
            self.problem(path, _("expected a decimal number as text, e.g. “0.850”"))
        elif isinstance(f, models.IntegerField):
            if isinstance(value, int) and not isinstance(value, bool):
                return True, value
            self.problem(path, _("expected a whole number (without quotes)"))
        elif isinstance(f, models.DateField):
            if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
                return True, value
            if isinstance(value, str):
                try:
                    return True, datetime.date.fromisoformat(value)
                except ValueError:
                    pass
            self.problem(path, _("expected a date, e.g. 2025-01-01"))
        elif isinstance(f, models.CharField | models.TextField):
            if isinstance(value, str):
                return True, value
            self.problem(path, _("expected text (in quotes)"))
        else:
            return True, value
        return False, None

    def target(self, section: str, code: Any, path: Path) -> models.Model | None:
        known = self.known.get(section, {})
        if section == "quota_year":
            if not isinstance(code, int) or isinstance(code, bool):
                self.problem(path, _("expected a whole number (without quotes)"))
                return None
        elif not isinstance(code, str):
            self.problem(path, _("expected text (in quotes)"))
            return None
        if str(code) not in known:
            what = {
                "municipality": _("There is no municipality “%(code)s” in this file."),
                "organisation": _("There is no organisation “%(code)s” in this file."),
                "sub_region": _("There is no sub-region “%(code)s” in this file."),
                "quota_year": _("There is no yearly quota for %(code)s in this file."),
            }[section]
            self.problem(path, what % {"code": code})
        return known.get(str(code))

    def row(
        self,
        path: Path,
        data: Mapping[str, Any],
        model: type[models.Model],
        fixed: dict[str, Any],
        refs: Mapping[str, str],
        extra_keys: Iterable[str] = (),
    ) -> models.Model | None:
        """Validate one row like a form would (the model's own validators and constraints) and
        save it when it is right."""
        fields = _fields(model, refs)
        by_name = {f.name: f for f in fields}
        for key in data:
            if key not in by_name and key not in extra_keys:
                self.problem(
                    (*path, key),
                    _("unknown key “%(key)s”; known are: %(known)s")
                    % {"key": key, "known": ", ".join(by_name)},
                )
        values: dict[str, Any] = {}
        many: dict[str, Any] = {}
        bad: set[str] = set()
        for f in fields:
            if f.name not in data:
                required = not (f.has_default() or f.null or f.blank)
                if required or (f.many_to_many and not f.blank):
                    self.problem(path, _("the key “%(key)s” is missing") % {"key": f.name})
                    bad.add(f.name)
                continue
            ok, value = self.convert(f, data[f.name], (*path, f.name), refs)
            if not ok:
                bad.add(f.name)
            elif f.many_to_many:
                many[f.name] = value
            else:
                values[f.name] = value
        obj = model(**fixed, **values)
        not_in_file = {f.name for f in model._meta.fields} - set(by_name) - set(fixed)
        try:
            obj.full_clean(exclude=bad | set(many) | not_in_file)
        except ValidationError as exc:
            constraints = _constraint_messages(obj, set(by_name))
            for name, messages in exc.message_dict.items():
                where = (*path, name) if name in by_name and name != NON_FIELD_ERRORS else path
                for message in messages:
                    key, message = constraints.get(message, ("", message))
                    self.problem((*path, key) if key else where, message)
            return None
        if bad:
            return None
        obj.save()
        for name, targets in many.items():
            getattr(obj, name).set(targets)
        return obj

    def rule_version(self, path: Path, data: Mapping[str, Any], region: Region) -> None:
        document = data.get("rules")
        canonical: Any = None
        if not isinstance(document, dict):
            self.problem(
                path if document is None else (*path, "rules"),
                _("every [[rules_version]] needs its [rules_version.rules] table"),
            )
        else:
            try:
                canonical = rules_module.write(rules_module.read(document))
            except rules_module.RulesError as exc:
                for p in exc.problems:
                    self.problem((*path, "rules", *_from_dotted(p.path)), p.message)
        row = {k: v for k, v in data.items() if k != "rules"}
        # a stand-in document while the file's has errors, so the rest is still checked
        fixed = {"region": region, "rules": canonical or rules_module.write(rules_module.TEMPLATE)}
        version = self.row(path, row, RuleVersion, fixed, {}, extra_keys=())
        if version is not None and canonical is None:
            version.delete()  # the transaction is rolled back anyway; keep the rows honest


def _constraint_explanations() -> dict[str, tuple[str, str]]:
    """What to fix when a database check fails (Django's own words name only the check)."""
    return {
        "estimate_has_method": (
            "method",
            _("An estimate needs its method: say how the figure was estimated."),
        ),
        "only_municipality_represents": (
            "represents",
            _("Only an organisation of the type municipality represents a municipality."),
        ),
        "quota_weight_in_range": (
            "weight",
            _("Each weight lies between 0 and 1."),
        ),
    }


def _constraint_messages(obj: models.Model, keys: set[str]) -> dict[str, tuple[str, str]]:
    """A failed constraint's message → (the key to point at, the message to give)."""
    out: dict[str, tuple[str, str]] = {}
    explanations = _constraint_explanations()
    for constraint in obj._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            fields = [f for f in constraint.fields if f in keys]
            error = obj.unique_error_message(type(obj), tuple(constraint.fields))
            for message in error.messages:
                out[message] = (fields[-1] if fields else "", message)
        if constraint.name in explanations:
            out[str(constraint.get_violation_error_message())] = explanations[constraint.name]
    return out


def _syntax_problem(exc: tomllib.TOMLDecodeError) -> LineProblem:
    message = str(exc)
    match = re.search(r"\s*\(at line (\d+), column \d+\)", message)
    line = int(match.group(1)) if match else None
    if match:
        message = message[: match.start()] + message[match.end() :]
    return LineProblem(
        line, "", _("this is not valid TOML: %(error)s") % {"error": message.strip()}
    )


def import_region(
    text: str,
    *,
    check_only: bool = False,
    as_slug: str | None = None,
    name: str | None = None,
) -> ImportReport:
    """Make a new region from an exported regeling, all or nothing. Every problem in the file
    is reported at once (RegelingError, each with its line); an existing region is never
    overwritten (import under another slug with `as_slug`/`name`). `check_only` validates
    everything, the database's own checks included, and writes nothing."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegelingError([_syntax_problem(exc)]) from None
    importer = _Importer(text, check_only=check_only)
    with transaction.atomic():
        region = importer.run(data, as_slug, name)
        if importer.problems or check_only:
            transaction.set_rollback(True)
    if importer.problems:
        # stable: by line, the file's order within a line; problems without a line last
        problems = sorted(importer.problems, key=lambda p: (p.line is None, p.line or 0))
        raise RegelingError(problems)
    return ImportReport(
        region=None if check_only else region, counts=importer.counts, notes=importer.notes
    )

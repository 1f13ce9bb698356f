"""Changing the rules of a regeling: every change is a new, immutable `RuleVersion` from a date
on, audited with the before and after of each setting it changes."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from instroom.accounts.models import User
from instroom.audit.services import record_change
from instroom.policy import rules as policy
from instroom.regions import rules as rules_module
from instroom.regions.models import Region, RuleVersion
from instroom.regions.selectors import rules_for


class InvalidRules(ValidationError):
    """The rules document has problems; `problems` keeps the path of each (for the pages)."""

    def __init__(self, problems: list[rules_module.Problem]) -> None:
        super().__init__([str(p) for p in problems], code="invalid_rules")
        self.problems = problems


def flatten(plain: Any, path: str = "") -> dict[str, Any]:
    """Every setting of a plain rules document by its path. Rows of a list with a code are keyed
    by it (`matching.refusal_reason[other].consequence`), so removing a row changes only that
    row; other lists of tables by position; lists of plain values are one value."""
    if isinstance(plain, dict):
        out: dict[str, Any] = {}
        for key, value in plain.items():
            out.update(flatten(value, f"{path}.{key}" if path else key))
        return out
    if isinstance(plain, list) and plain and all(isinstance(v, dict) for v in plain):
        out = {}
        for i, row in enumerate(plain):
            key = row.get("code") or str(i + 1)
            out.update(flatten(row, f"{path}[{key}]"))
        return out
    return {path: plain}


def rules_diff(before: Any, after: Any) -> dict[str, list[Any]]:
    """{path: [before, after]} of every setting that differs (None: absent on that side)."""
    old, new = flatten(before), flatten(after)
    return {
        path: [old.get(path), new.get(path)]
        for path in sorted(set(old) | set(new), key=lambda p: (p.split(".")[0], p))
        if old.get(path) != new.get(path)
    }


@transaction.atomic
def change_rules(
    region: Region,
    *,
    actor: User | None,
    valid_from: date,
    rules: rules_module.Rules | dict[str, Any],
    note: str,
    restored_from: RuleVersion | None = None,
) -> RuleVersion:
    """A new version of the region's rules, applying from `valid_from` (today or later).
    `actor` None is the system (set-up); a person must be allowed to configure the region."""
    if actor is not None and not policy.may_configure_region(actor, region.pk):
        raise PermissionDenied(_("Only an administrator of this region may change its rules."))
    if valid_from < timezone.localdate():
        raise ValidationError(
            {
                "valid_from": _(
                    "A change cannot apply to the past: choose today or a later date. "
                    "Rankings and decisions already made keep the rules they were made under."
                )
            }
        )
    plain = rules_module.write(rules) if isinstance(rules, rules_module.Rules) else rules
    try:
        parsed = rules_module.read(plain)
    except rules_module.RulesError as exc:
        raise InvalidRules(exc.problems) from exc
    new_plain = rules_module.write(parsed)
    Region.objects.select_for_update().filter(pk=region.pk).first()  # one number at a time
    previous = rules_for(region.pk, on=valid_from)
    changed = rules_diff(rules_module.write(previous.rules), new_plain)
    if not changed:
        raise ValidationError(
            _("These rules are the same as those in force on that date: there is nothing to save."),
            code="unchanged",
        )
    number = (RuleVersion.objects.filter(region=region).aggregate(n=Max("number"))["n"] or 0) + 1
    version = RuleVersion(
        region=region,
        number=number,
        valid_from=valid_from,
        rules=new_plain,
        created_by=actor,
        note=note.strip()[:400],
    )
    version.full_clean()
    version.save()
    changes: dict[str, Any] = {
        "valid_from": valid_from.isoformat(),
        "version": number,
        "previous_version": previous.number,
        "changed": changed,
    }
    if restored_from is not None:
        changes["restored_from"] = restored_from.number
    record_change(
        actor=actor,
        action="rules.change",
        obj=version,
        region_id=region.pk,
        changes=changes,
        note=note,
    )
    return version


def rules_restore(
    region: Region, *, actor: User | None, version: RuleVersion, valid_from: date, note: str
) -> RuleVersion:
    """Undo: a new version with the content of an older one (the older one stays as it was)."""
    if version.region_id != region.pk:
        raise ValidationError(_("This version belongs to another region."))
    return change_rules(
        region,
        actor=actor,
        valid_from=valid_from,
        rules=version.rules,
        note=note,
        restored_from=version,
    )

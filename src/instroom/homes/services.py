"""Writes on homes: offer, change, withdraw (and undo), import. Each checks the policy, keeps
the home's state table and writes the audit record in the same transaction."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from instroom import validation
from instroom.accounts.models import User
from instroom.audit import services as audit
from instroom.policy import rules
from instroom.regions.constants import OrganisationType
from instroom.regions.models import Organisation
from instroom.statemachine import transition

from .constants import HOME_MACHINE, HomeState
from .models import Home

# The fields a corporation fills in; the form, the import and the API all use these.
HOME_FIELDS = (
    "reference",
    "street",
    "house_number",
    "house_number_suffix",
    "postcode",
    "municipality",
    "neighbourhood",
    "complex_code",
    "home_type",
    "rooms",
    "floor",
    "has_lift",
    "wheelchair_accessible",
    "rent_eur",
    "pets_allowed",
    "available_from",
    "notes",
)


def _audit_value(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def _check_place(home: Home) -> None:
    if home.municipality.region_id != home.region_id:
        raise ValidationError(
            {"municipality": _("This municipality is not part of the corporation's region.")}
        )
    if (
        home.neighbourhood is not None
        and home.neighbourhood.municipality_id != home.municipality_id
    ):
        raise ValidationError(
            {"neighbourhood": _("This neighbourhood lies in another municipality.")}
        )


def _check_dates(home: Home) -> None:
    """The rules the model's own validators cannot hold (they move with today)."""
    if not isinstance(home.available_from, date):
        return  # missing: full_clean says so
    try:
        validation.validate_available_from(home.available_from)
    except ValidationError as exc:
        raise ValidationError({"available_from": exc.messages}) from None


def _save_new(home: Home) -> Home:
    _check_place(home)
    _check_dates(home)
    home.full_clean(validate_constraints=False)  # the database answers; see below
    try:
        with transaction.atomic():
            home.save()
    except IntegrityError:
        raise ValidationError(
            {"postcode": _("This address is already on offer.")}, code="duplicate"
        ) from None
    return home


def _corporation(actor: User, corporation: Organisation) -> None:
    if corporation.type != OrganisationType.CORPORATION or not rules.can_offer_homes(
        actor, corporation.pk
    ):
        raise PermissionDenied(_("You may only offer homes of your own corporation."))


@transaction.atomic
def home_create(*, actor: User, corporation: Organisation, **fields: Any) -> Home:
    _corporation(actor, corporation)
    unknown = set(fields) - set(HOME_FIELDS)
    if unknown:
        raise TypeError(f"unknown home fields: {sorted(unknown)}")
    home = Home(
        region_id=corporation.region_id, corporation=corporation, created_by=actor, **fields
    )
    _save_new(home)
    audit.record_change(
        actor=actor,
        action="home.offer",
        obj=home,
        region_id=home.region_id,
        changes={name: _audit_value(getattr(home, name)) for name in HOME_FIELDS},
    )
    return home


@transaction.atomic
def home_update(*, actor: User, home: Home, **fields: Any) -> Home:
    home = Home.objects.select_for_update().get(pk=home.pk)
    if not rules.can_manage_home(actor, home):
        raise PermissionDenied(_("You may only change homes of your own corporation."))
    if home.state != HomeState.OPEN:
        raise ValidationError(
            _("Only an open home can be changed; this one is “%(state)s”.")
            % {"state": home.get_state_display()}
        )
    changes = {}
    for name, value in fields.items():
        if name not in HOME_FIELDS:
            raise TypeError(f"unknown home field: {name}")
        if getattr(home, name) != value:
            changes[name] = [_audit_value(getattr(home, name)), _audit_value(value)]
            setattr(home, name, value)
    if not changes:
        return home
    _check_place(home)
    if "available_from" in changes:
        _check_dates(home)
    home.full_clean(validate_constraints=False)  # the database answers; see below
    try:
        with transaction.atomic():
            home.save(update_fields=list(changes))
    except IntegrityError:
        raise ValidationError({"postcode": _("This address is already on offer.")}) from None
    audit.record_change(
        actor=actor, action="home.update", obj=home, region_id=home.region_id, changes=changes
    )
    return home


def home_transition(home: Home, *, actor: User, to: str, action: str, note: str = "") -> Home:
    """Move a home to another state, or refuse with a translated reason."""
    return transition(
        home,
        machine=HOME_MACHINE,
        to=to,
        actor=actor,
        action=action,
        extra_fields=("withdraw_reason",),
        note=note,
    )


@transaction.atomic
def home_withdraw(*, actor: User, home: Home, reason: str) -> Home:
    home = Home.objects.select_for_update().get(pk=home.pk)
    if not rules.can_manage_home(actor, home):
        raise PermissionDenied(_("You may only withdraw homes of your own corporation."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the home is withdrawn.")})
    if home.state != HomeState.OPEN:
        raise ValidationError(
            _(
                "Only an open home can be withdrawn here; a home with a candidate proposed is "
                "withdrawn by ending the match first."
            )
        )
    home.withdraw_reason = reason.strip()
    return home_transition(
        home, actor=actor, to=HomeState.WITHDRAWN, action="home.withdraw", note=reason
    )


@transaction.atomic
def home_reopen(*, actor: User, home: Home) -> Home:
    """Undo a withdrawal: the home is on offer again."""
    home = Home.objects.select_for_update().get(pk=home.pk)
    if not rules.can_manage_home(actor, home):
        raise PermissionDenied(_("You may only change homes of your own corporation."))
    home.withdraw_reason = ""
    try:
        with transaction.atomic():
            return home_transition(home, actor=actor, to=HomeState.OPEN, action="home.reopen")
    except IntegrityError:
        raise ValidationError(
            _("This address has been offered again in the meantime; it cannot be reopened.")
        ) from None


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str


class ImportRejected(Exception):
    """Nothing was imported; `errors` says, per line, what to fix."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


@transaction.atomic
def homes_import(
    *, actor: User, corporation: Organisation, rows: list[tuple[int, dict[str, Any]]]
) -> list[Home]:
    """Offer every row, or none: one bad row (or a duplicate address) rolls back the lot and
    the caller gets each bad row's line number and reason."""
    _corporation(actor, corporation)
    errors: list[RowError] = []
    homes: list[Home] = []
    seen: dict[tuple[str, int, str], int] = {}
    for line, fields in rows:
        key = (
            fields.get("postcode", ""),
            fields.get("house_number", 0),
            fields.get("house_number_suffix", ""),
        )
        if key in seen:
            errors.append(
                RowError(
                    line, "postcode", _("Same address as line %(line)d.") % {"line": seen[key]}
                )
            )
            continue
        seen[key] = line
        try:
            with transaction.atomic():
                homes.append(home_create(actor=actor, corporation=corporation, **fields))
        except ValidationError as exc:
            for field, messages in (
                exc.message_dict.items() if hasattr(exc, "error_dict") else [("", exc.messages)]
            ):
                for message in messages:
                    errors.append(RowError(line, field if field != "__all__" else "", message))
    if errors:
        transaction.set_rollback(True)
        raise ImportRejected(errors)
    return homes

"""Writes on homes: offer, change, withdraw (and undo), import. Each checks the policy, keeps
the home's state table and writes the audit record in the same transaction."""

from collections.abc import Mapping, Sequence
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
from .models import Cluster, Home

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


# A cluster (a woonvorm with several places): its own fields, the fields each place fills in
# for itself, and the fields all places share (the address, the complex, the date).
CLUSTER_FIELDS = ("name", "shared_facilities", "support", "support_provider")
PLACE_FIELDS = (
    "place",
    "reference",
    "rent_eur",
    "rooms",
    "floor",
    "has_lift",
    "wheelchair_accessible",
    "pets_allowed",
)
CLUSTER_HOME_FIELDS = tuple(f for f in HOME_FIELDS if f not in PLACE_FIELDS)


@transaction.atomic
def cluster_create(
    *,
    actor: User,
    corporation: Organisation,
    places: Sequence[Mapping[str, Any]],
    **fields: Any,
) -> Cluster:
    """Offer a cluster and its places in one go: the `Cluster` and one open `Home` per place
    (its own rent, rooms, floor and features; the address, complex and date shared). The same
    checks as one home, per place; place names differ within the cluster. Audited."""
    _corporation(actor, corporation)
    unknown = set(fields) - set(CLUSTER_FIELDS) - set(CLUSTER_HOME_FIELDS)
    unknown |= {k for p in places for k in p if k not in PLACE_FIELDS}
    if unknown:
        raise TypeError(f"unknown cluster fields: {sorted(unknown)}")
    if not 2 <= len(places) <= 24:
        raise ValidationError(_("A cluster has 2 to 24 places; fill in each place."))
    names = [str(p.get("place") or "").strip() for p in places]
    if not all(names):
        raise ValidationError(_("Give each place a name, e.g. “Kamer 2”."))
    if len(set(names)) != len(names):
        raise ValidationError(_("Two places have the same name; give each place its own."))
    provider = fields.get("support_provider")
    if provider is not None and (
        provider.region_id != corporation.region_id
        or provider.type != OrganisationType.CARE_PROVIDER
    ):
        raise ValidationError(
            {"support_provider": _("Choose a care provider of the corporation's region.")}
        )
    cluster = Cluster(
        region_id=corporation.region_id,
        corporation=corporation,
        created_by=actor,
        places=len(places),
        **{k: fields.get(k) or ("" if k != "support_provider" else None) for k in CLUSTER_FIELDS},
    )
    cluster.full_clean()
    cluster.save()
    shared = {k: v for k, v in fields.items() if k in CLUSTER_HOME_FIELDS}
    homes = []
    for name, place in zip(names, places, strict=True):
        home = Home(
            region_id=corporation.region_id,
            corporation=corporation,
            created_by=actor,
            cluster=cluster,
            **shared,
            **{**place, "place": name},
        )
        try:
            _save_new(home)
        except ValidationError as exc:
            raise ValidationError(
                [_("%(place)s: %(error)s") % {"place": name, "error": m} for m in exc.messages]
            ) from None
        homes.append(home)
    audit.record_change(
        actor=actor,
        action="cluster.offer",
        obj=cluster,
        region_id=cluster.region_id,
        changes={
            **{name: _audit_value(getattr(cluster, name)) for name in CLUSTER_FIELDS},
            **{name: _audit_value(value) for name, value in shared.items()},
            "places": [
                {"home": h.pk, "place": h.place, "rent_eur": str(h.rent_eur)} for h in homes
            ],
        },
    )
    return cluster


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

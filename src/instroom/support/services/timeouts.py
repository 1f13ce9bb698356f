"""Time-out: the client stays elsewhere for a while, with a plan to return home; the
register of time-out places it is booked on."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from instroom.accounts.models import User
from instroom.accounts.notifications import notify
from instroom.audit import services as audit
from instroom.policy import rules
from instroom.regions.models import Municipality, Organisation, Region
from instroom.statemachine import transition

from ..constants import TIMEOUT_MACHINE, ContractState, SignalState, TimeOutState
from ..models import Contract, Signal, TimeOut, TimeOutPlace
from .common import _coordinators, _date, _locked, _today, _url, support_rules

# --- Occupancy ------------------------------------------------------------------------------


def occupied_until(timeout: TimeOut, today: date) -> date:
    """The last day an active time-out holds its place: its end date, or today while it runs
    past it (the place frees up when the end is recorded)."""
    return max(timeout.ends_on, today)


def occupancy_on(place: TimeOutPlace, day: date, *, today: date | None = None) -> int:
    """How many of the place's beds active time-outs hold on the day."""
    today = today or _today()
    return sum(
        1
        for t in place.timeouts.filter(state=TimeOutState.ACTIVE, starts_on__lte=day)
        if occupied_until(t, today) >= day
    )


@dataclass(frozen=True)
class Full:
    day: date  # the first day the place has no bed free
    frees_on: date | None  # the first day after it a bed frees up (if known)


def first_full_day(
    place: TimeOutPlace, starts_on: date, ends_on: date, *, today: date
) -> Full | None:
    """The first day in [starts_on, ends_on] on which every bed of the place is taken."""
    booked = [
        (t.starts_on, occupied_until(t, today))
        for t in place.timeouts.filter(state=TimeOutState.ACTIVE, starts_on__lte=ends_on)
    ]
    booked = [(a, b) for a, b in booked if b >= starts_on]
    if len(booked) < place.capacity:
        return None
    # Occupancy only rises on a booking's first day: check the start and every such day.
    for day in sorted({starts_on, *(a for a, _b in booked if a > starts_on)}):
        holding = [b for a, b in booked if a <= day <= b]
        if len(holding) >= place.capacity:
            # Unless someone books it first, a bed frees the day after the earliest end.
            return Full(day, min(holding) + timedelta(days=1))
    return None


# --- The register ---------------------------------------------------------------------------


def _place_errors(
    *,
    region: Region,
    name: str,
    capacity: int,
    provider: Organisation | None,
    municipality: Municipality | None,
    exclude: int | None = None,
) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if not name.strip():
        errors["name"] = _("Give the place a name.")
    elif (
        TimeOutPlace.objects.filter(region=region, name__iexact=name.strip())
        .exclude(pk=exclude or 0)
        .exists()
    ):
        errors["name"] = _("The region already has a time-out place with this name.")
    if capacity < 1:
        errors["capacity"] = _("A place has at least one bed.")
    if provider is not None and provider.region_id != region.pk:
        errors["provider"] = _("Choose an organisation of this region.")
    if municipality is not None and municipality.region_id != region.pk:
        errors["municipality"] = _("Choose a municipality of this region.")
    return errors


PLACE_FIELDS = (
    "name",
    "kind",
    "provider",
    "provider_text",
    "capacity",
    "conditions",
    "address",
    "municipality",
)


@transaction.atomic
def timeout_place_create(*, actor: User, region: Region, **fields: Any) -> TimeOutPlace:
    if not rules.can_manage_timeout_places(actor, region.pk):
        raise PermissionDenied(_("Only the service point keeps the register of time-out places."))
    errors = _place_errors(
        region=region,
        name=fields.get("name", ""),
        capacity=fields.get("capacity", 1),
        provider=fields.get("provider"),
        municipality=fields.get("municipality"),
    )
    if errors:
        raise ValidationError(errors)
    values = {k: fields[k] for k in PLACE_FIELDS if k in fields}
    values["name"] = values["name"].strip()
    place = TimeOutPlace.objects.create(region=region, **values)
    audit.record_change(
        actor=actor,
        action="timeout_place.create",
        obj=place,
        region_id=region.pk,
        changes={"name": place.name, "kind": place.kind, "capacity": place.capacity},
    )
    return place


@transaction.atomic
def timeout_place_update(*, actor: User, place: TimeOutPlace, **fields: Any) -> TimeOutPlace:
    """Changes the place; `active=False` takes it out of the register (kept with its history).
    A place cannot shrink below the time-outs it holds today."""
    place = TimeOutPlace.objects.select_for_update().select_related("region").get(pk=place.pk)
    if not rules.can_manage_timeout_places(actor, place.region_id):
        raise PermissionDenied(_("Only the service point keeps the register of time-out places."))
    new = {k: fields.get(k, getattr(place, k)) for k in PLACE_FIELDS}
    errors = _place_errors(
        region=place.region,
        name=new["name"],
        capacity=new["capacity"],
        provider=new["provider"],
        municipality=new["municipality"],
        exclude=place.pk,
    )
    held = occupancy_on(place, _today())
    if "capacity" not in errors and new["capacity"] < held:
        errors["capacity"] = _(
            "%(n)d clients are in this place today; it cannot have fewer beds than that."
        ) % {"n": held}
    if errors:
        raise ValidationError(errors)
    new["name"] = new["name"].strip()
    changes = {}
    for key, value in [*new.items(), ("active", fields.get("active", place.active))]:
        old = getattr(place, key)
        if old != value:
            changes[key] = str(getattr(value, "pk", value))
            setattr(place, key, value)
    if changes:
        place.save()
        action = (
            "timeout_place.deactivate"
            if changes.get("active") == "False"
            else "timeout_place.update"
        )
        audit.record_change(
            actor=actor,
            action=action,
            obj=place,
            region_id=place.region_id,
            changes={k: v for k, v in changes.items() if k not in {"conditions", "address"}},
        )
    return place


# --- Time-outs ------------------------------------------------------------------------------


@transaction.atomic
def timeout_start(
    *,
    actor: User,
    contract: Contract,
    starts_on: date,
    ends_on: date,
    return_plan: str,
    place: TimeOutPlace | None = None,
    stay: str = "",
    signal: Signal | None = None,
) -> TimeOut:
    """Books a place of the register (`place`), or records a stay elsewhere told in `stay`
    (e.g. with family, not in the register). Refused when the place is full."""
    contract = _locked(contract)
    if not rules.can_support(actor, contract):
        raise PermissionDenied(
            _("Only the support provider or the service point arranges a time-out.")
        )
    if contract.state != ContractState.HOUSED:
        raise ValidationError(_("A time-out is for a client living in the home."))
    config = support_rules(contract.region_id)
    errors: dict[str, str] = {}
    if ends_on < starts_on:
        errors["ends_on"] = _("The end lies on or after the start.")
    elif (ends_on - starts_on).days > config.timeout_max_days:
        errors["ends_on"] = _("A time-out lasts at most %(days)d days in this region.") % {
            "days": config.timeout_max_days
        }
    if place is not None:
        # Locked: two bookings of the last bed at the same moment cannot both pass.
        place = TimeOutPlace.objects.select_for_update().get(pk=place.pk)
        if place.region_id != contract.region_id or not place.active:
            errors["place"] = _("Choose an active time-out place of this region.")
        elif "ends_on" not in errors and (
            full := first_full_day(place, starts_on, ends_on, today=_today())
        ):
            errors["place"] = _(
                "%(place)s is full on %(day)s (%(n)d of %(n)d places taken); a place frees "
                "up on %(frees)s. Choose another place or another start date."
            ) % {
                "place": place.name,
                "day": _date(full.day),
                "n": place.capacity,
                "frees": _date(full.frees_on),
            }
    elif not stay.strip():
        errors["place"] = _(
            "Choose a time-out place, or say where the client stays if it is not in the register."
        )
    if not return_plan.strip():
        errors["return_plan"] = _("Write down how the client returns home.")
    if contract.timeouts.filter(state=TimeOutState.ACTIVE).exists():
        errors["__all__"] = _("This client is already in a time-out.")
    if errors:
        raise ValidationError(errors)
    if signal is None:  # the time-out answers the latest open signal, if there is one
        signal = contract.signals.exclude(state=SignalState.CLOSED).first()
    timeout = TimeOut.objects.create(
        contract=contract,
        signal=signal,
        place=place,
        starts_on=starts_on,
        ends_on=ends_on,
        stay="" if place is not None else stay.strip(),
        return_plan=return_plan.strip(),
        created_by=actor,
    )
    audit.record_change(
        actor=actor,
        action="timeout.start",
        obj=timeout,
        client=contract.client,
        region_id=contract.region_id,
        changes={
            "from": starts_on.isoformat(),
            "until": ends_on.isoformat(),
            **({"place": place.name} if place is not None else {}),
        },
    )
    return timeout


@transaction.atomic
def timeout_end(*, actor: User, timeout: TimeOut, ended_on: date, returned: bool) -> TimeOut:
    timeout = (
        TimeOut.objects.select_for_update().select_related("contract__client").get(pk=timeout.pk)
    )
    if not rules.can_support(actor, timeout.contract):
        raise PermissionDenied(
            _("Only the support provider or the service point arranges a time-out.")
        )
    if timeout.state != TimeOutState.ACTIVE:
        raise ValidationError(_("This time-out has ended already."))
    if ended_on < timeout.starts_on or ended_on > _today():
        raise ValidationError({"ended_on": _("Choose a date between the start and today.")})
    transition(
        timeout,
        machine=TIMEOUT_MACHINE,
        to=TimeOutState.RETURNED if returned else TimeOutState.NOT_RETURNED,
        actor=actor,
        action="timeout.end",
        fields={"ended_on": ended_on},
    )
    if not returned:
        notify(
            users=_coordinators(timeout.contract.region_id),
            kind="timeout.not_returned",
            params={"case": timeout.contract.client.case_number},
            about=timeout.contract,
            url=_url(timeout.contract),
        )
    return timeout

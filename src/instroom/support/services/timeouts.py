"""Time-out: the client stays elsewhere for a while, with a plan to return home."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from instroom.accounts.models import User
from instroom.accounts.notifications import notify
from instroom.audit import services as audit
from instroom.policy import rules
from instroom.statemachine import transition

from ..constants import TIMEOUT_MACHINE, ContractState, SignalState, TimeOutState
from ..models import Contract, Signal, TimeOut
from .common import _coordinators, _locked, _today, _url, support_rules


@transaction.atomic
def timeout_start(
    *,
    actor: User,
    contract: Contract,
    starts_on: date,
    ends_on: date,
    stay: str,
    return_plan: str,
    signal: Signal | None = None,
) -> TimeOut:
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
    if not stay.strip():
        errors["stay"] = _("Say where the client stays.")
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
        starts_on=starts_on,
        ends_on=ends_on,
        stay=stay.strip(),
        return_plan=return_plan.strip(),
        created_by=actor,
    )
    audit.record_change(
        actor=actor,
        action="timeout.start",
        obj=timeout,
        client=contract.client,
        region_id=contract.region_id,
        changes={"from": starts_on.isoformat(), "until": ends_on.isoformat()},
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

"""What every area of the support stage shares: the support section of the region's rules,
who to notify, and locking and moving a contract through its states."""

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import formats, timezone

from instroom.accounts.models import User
from instroom.policy import audience
from instroom.regions.rules.support import Support
from instroom.regions.selectors import rules_for
from instroom.statemachine import transition, transition_many

from ..constants import (
    CONTRACT_MACHINE,
    MEETING_MACHINE,
    OPEN_MEETING_STATES,
    MeetingState,
)
from ..models import Contract


def support_rules(region_id: int) -> Support:
    """The support section of the region's rules in force today (read afresh each time)."""
    return rules_for(region_id).rules.support


def _today() -> date:
    return timezone.localdate()


def _url(contract: Contract) -> str:
    return reverse("support:contract", args=[contract.pk])


def _support_workers(contract: Contract) -> Any:
    """The named support worker, or else everyone of the support provider."""
    worker = contract.support_worker
    if worker is not None and worker.is_active:
        return [worker]
    return audience.support_workers_of(contract.client.support_provider_id)


def _coordinators(region_id: int) -> Any:
    return audience.coordinators_of(region_id)


def _corporation_staff(contract: Contract) -> Any:
    return audience.corporation_staff_of(contract.home.corporation_id)


def _locked(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update()
        .select_related("client", "home", "application", "region")
        .get(pk=contract.pk)
    )


# Free text of a contract step: kept on the contract and in the event's note (both erased under
# the retention rules), never in the append-only log's `changes`.
_FREE_TEXT_FIELDS = frozenset({"final_note"})


def _move(
    contract: Contract, *, actor: User, to: str, action: str, note: str = "", **fields: Any
) -> None:
    transition(
        contract,
        machine=CONTRACT_MACHINE,
        to=to,
        actor=actor,
        action=action,
        fields=fields,
        changes={k: str(v) for k, v in fields.items() if k not in _FREE_TEXT_FIELDS},
        note=note,
    )


def _cancel_open_meetings(contract: Contract, *, actor: User) -> None:
    """The support ends or goes back to before the signing: the meetings still open lapse."""
    transition_many(
        contract.meetings.filter(state__in=OPEN_MEETING_STATES).select_related("contract__client"),
        machine=MEETING_MACHINE,
        to=MeetingState.CANCELLED,
        actor=actor,
        action="meeting.cancel",
    )


def _date(value: date | None) -> str:
    return formats.date_format(value, "j F Y") if value else "—"

"""What every area of the support stage shares: the region's support settings (with the
standard checklist), who to notify, and locking and moving a contract through its states."""

from datetime import date
from typing import Any

from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from instroom.accounts.models import User
from instroom.policy import audience
from instroom.statemachine import transition, transition_many

from ..constants import (
    CONTRACT_MACHINE,
    MEETING_MACHINE,
    OPEN_MEETING_STATES,
    MeetingKind,
    MeetingState,
)
from ..models import ChecklistQuestion, Contract, SupportSettings

# The standard checklist a region starts with (then its own data, edited in the configuration).
STANDARD_CHECKLIST: tuple[tuple[str, list[str]], ...] = (
    (gettext_noop("Living: does the client manage the home (cleaning, repairs, neighbours)?"), []),
    (gettext_noop("Money: is the rent paid on time; is there any debt?"), []),
    (gettext_noop("Daytime activity: work, school, volunteering or day care?"), []),
    (gettext_noop("Network: does the client have contacts in the neighbourhood?"), []),
    (gettext_noop("Health and care: is the support enough; any care avoidance?"), []),
    (gettext_noop("Agreements: what do we agree until the next meeting?"), []),
    (
        gettext_noop("Is the client ready for a regular lease (conversion)?"),
        [MeetingKind.EVALUATION, MeetingKind.FINAL],
    ),
)


def settings_for(region_id: int) -> SupportSettings:
    """The region's support settings; the first time, with the standard checklist written in
    the platform's language."""
    config, new = SupportSettings.objects.get_or_create(region_id=region_id)
    if new and not ChecklistQuestion.objects.filter(region_id=region_id).exists():
        with override(django_settings.LANGUAGE_CODE):
            ChecklistQuestion.objects.bulk_create(
                ChecklistQuestion(region_id=region_id, position=i, text=_(text), kinds=list(kinds))
                for i, (text, kinds) in enumerate(STANDARD_CHECKLIST, start=1)
            )
    return config


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

"""Contracts made through the real services: approved → proposed → accepted → contract."""

from datetime import date, datetime, time
from typing import Any

import time_machine
from django.utils import timezone

from instroom.dates import add_months
from instroom.homes.tests.factories import make_home
from instroom.matching import services as matching
from instroom.matching.models import Match
from instroom.matching.tests.factories import make_approved
from instroom.support import services
from instroom.support.models import Contract


def accepted_match(cast: Any, **overrides: Any) -> Match:
    """A match the client accepted; the client is supported by care provider B (whose support
    worker is in the cast)."""
    overrides.setdefault("support_provider", cast.care_b)
    application = make_approved(cast, **overrides)
    home = make_home(cast.corporation_user, cast.corporation, rooms=2)
    match = matching.match_propose(actor=cast.corporation_user, home=home, application=application)
    matching.match_provider_decide(actor=cast.care_worker_a, match=match, accept=True)
    matching.match_client_decide(actor=cast.care_worker_a, match=match, accept=True)
    return match


def hold_handover(cast: Any, contract: Contract, *, on: date) -> None:
    """Record the warm handover as held on `on` (it comes before the move)."""
    handover = contract.meetings.get(moment="before_move")
    supporter = (
        cast.support_worker
        if contract.client.support_provider_id == cast.care_b.pk
        else cast.coordinator
    )
    services.meeting_record(
        actor=supporter,
        meeting=handover,
        held_on=on,
        notes="Kennismaking met het wijkteam.",
        attendees="Begeleiding, corporatie, wijkteam",
    )


def housed_contract(cast: Any, *, on: date, **overrides: Any) -> Contract:
    """Signed, warm handover held and moved in on `on` (which must not be in the future)."""
    match = accepted_match(cast, **overrides)
    contract = services.contract_prepare(actor=cast.corporation_user, match=match)
    services.contract_sign(
        actor=cast.corporation_user,
        contract=contract,
        signed_on=on,
        key_handover_on=on,
        planned_move_in_on=on,
    )
    hold_handover(cast, contract, on=on)
    return services.contract_move_in(actor=cast.corporation_user, contract=contract, moved_in_on=on)


def ending_contract(cast: Any, **overrides: Any) -> Contract:
    """A tenancy at the end of its support: moved in one support period ago (built then, with
    time-machine) and the final evaluation meeting held today, so its outcome may be decided."""
    today = timezone.localdate()
    moved = add_months(today, -24)  # the table's decision in make_approved: 24 months
    with time_machine.travel(
        datetime.combine(moved, time(10), tzinfo=timezone.get_current_timezone()), tick=False
    ):
        contract = housed_contract(cast, on=moved, **overrides)
    final = contract.meetings.get(moment="end_of_support")
    services.meeting_record(
        actor=cast.coordinator,
        meeting=final,
        held_on=today,
        notes="Eindevaluatie gehouden.",
        answers={q.position: ("good", "") for q in services.checklist_for(final)},
    )
    contract.refresh_from_db()
    return contract


def use_rules(region: Any, *, valid_from: date = date(2000, 1, 1), **changes: Any) -> Any:
    """A rules version of the region: the template with these sections or lists changed
    (e.g. `support=replace(TEMPLATE.support, timeout_max_days=30)`), in force from `valid_from`."""
    from instroom.regions.models import RuleVersion
    from instroom.regions.rules import TEMPLATE, write

    number = RuleVersion.objects.filter(region=region).count() + 1
    return RuleVersion.objects.create(
        region=region,
        number=number,
        valid_from=valid_from,
        rules=write(TEMPLATE.with_changes(**changes)),
    )


def support_with(**changes: Any) -> Any:
    """The template's support section with these settings changed."""
    from dataclasses import replace

    from instroom.regions.rules import TEMPLATE

    return replace(TEMPLATE.support, **changes)

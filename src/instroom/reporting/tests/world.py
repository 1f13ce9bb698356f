"""A hand-counted region for the monitoring tests, made directly with the ORM (the support
services are built elsewhere). The expected figures are written out in `EXPECTED` beside it.

Period 2025Q2 (1 April – 30 June 2025), two municipalities: A (`<slug>-stad`, the municipality
user's) and B (`<slug>-dorp`).
"""

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from instroom.applications.models import Application, Client
from instroom.distribution.models import Placement
from instroom.homes.models import Home
from instroom.matching.models import Match
from instroom.regions.models import QuotaYear
from instroom.support.models import Contract, Meeting, Signal

AMS = ZoneInfo("Europe/Amsterdam")
PERIOD = "2025Q2"
_seq = itertools.count(1)


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 12, 0, tzinfo=AMS)


def case(
    cast: Any,
    municipality: Any,
    state: str,
    *,
    last_name: str = "Zeeuwenburg",
    source: str = "bw",
    **times: Any,
) -> Application:
    n = next(_seq)
    client = Client.objects.create(
        region=cast.region,
        case_number=f"T-{n:05d}",
        first_name="Proef",
        last_name=last_name,
        bsn=f"{100000000 + n}",
        date_of_birth=date(1990, 1, 1),
        source=source,
        care_provider=cast.care_a,
        support_provider=cast.care_b,
        municipality_of_origin=municipality,
    )
    return Application.objects.create(client=client, bsn=client.bsn, state=state, **times)


def housed(
    cast: Any,
    application: Application,
    municipality: Any,
    *,
    accepted: datetime,
    signed: date,
    moved: date | None,
    form: str = "three_party",
    state: str = "housed",
) -> Contract:
    n = next(_seq)
    home = Home.objects.create(
        region=cast.region,
        corporation=cast.corporation,
        street="Meetstraat",
        house_number=n,
        postcode="2011 AB",
        municipality=municipality,
        home_type="apartment",
        rooms=2,
        rent_eur=Decimal("600"),
        available_from=date(2025, 1, 1),
        state="let",
    )
    match = Match.objects.create(
        home=home,
        application=application,
        client=application.client,
        region=cast.region,
        state="accepted",
        proposed_at=accepted - timedelta(days=5),
        state_changed_at=accepted,
        step_deadline=accepted.date(),
    )
    placement = Placement.objects.create(
        region=cast.region,
        municipality=municipality,
        corporation=cast.corporation,
        placed_on=signed,
        client=application.client,
    )
    return Contract.objects.create(
        match=match,
        application=application,
        client=application.client,
        home=home,
        region=cast.region,
        form=form,
        state=state,
        support_months=24,
        signed_on=signed,
        moved_in_on=moved,
        placement=placement,
    )


def build(cast: Any) -> dict[str, Any]:
    region = cast.region
    a, b = region.municipalities.order_by("cbs_code")
    QuotaYear.objects.get_or_create(region=region, year=2024, defaults={"total_homes": 10})
    QuotaYear.objects.get_or_create(region=region, year=2025, defaults={"total_homes": 20})
    now = timezone.now()
    # A: seven submitted in the period; six complete (after 10 days); five decided (30 days
    # later), approved, accepted, signed and moved in within the period.
    moves = [2, 5, 5, 8, 12]  # days from signing to moving in
    forms = ["three_party"] * 4 + ["care_lease"]
    contracts = []
    for i in range(7):
        state = "submitted" if i == 6 else "complete" if i == 5 else "housed"
        times: dict[str, Any] = {"submitted_at": at(2025, 4, 3)}
        if i < 6:
            times["completed_at"] = at(2025, 4, 13)
        if i < 5:
            times["decided_at"] = at(2025, 5, 13)
        application = case(cast, a, state, **times)
        if i < 5:
            contracts.append(
                housed(
                    cast,
                    application,
                    a,
                    accepted=at(2025, 5, 25),
                    signed=date(2025, 6, 4) + timedelta(days=i),
                    moved=date(2025, 6, 4) + timedelta(days=i + moves[i]),
                    form=forms[i],
                )
            )
    # A: three in the pool since 40 days ago.
    for _i in range(3):
        case(cast, a, "approved", submitted_at=at(2024, 12, 1), decided_at=now - timedelta(days=40))
    # B: two submitted and complete in the period; one match in progress (approved 200 days
    # ago); one parked.
    for _i in range(2):
        case(cast, b, "complete", submitted_at=at(2025, 4, 2), completed_at=at(2025, 4, 4))
    case(cast, b, "matching", submitted_at=at(2024, 1, 1), decided_at=now - timedelta(days=200))
    case(cast, b, "parked", submitted_at=at(2024, 1, 1), decided_at=now - timedelta(days=300))
    # Meetings of A's contracts in the period: three on time, one late, one not held.
    outcomes = [("held", 4), ("held", 4), ("held", 4), ("held", 39), ("due", None)]
    for contract, (state, late) in zip(contracts, outcomes, strict=True):
        due = date(2025, 6, 20)
        Meeting.objects.create(
            contract=contract,
            kind="introduction",
            due_on=due,
            state=state,
            held_on=None if late is None else due + timedelta(days=late),
        )
    # Two nuisance signals, one closed as resolved.
    Signal.objects.create(
        contract=contracts[0],
        kind="nuisance",
        severity="low",
        description="Geluid",
        reported_at=at(2025, 6, 25),
    )
    Signal.objects.create(
        contract=contracts[1],
        kind="nuisance",
        severity="low",
        description="Geluid",
        reported_at=at(2025, 6, 25),
        state="closed",
        outcome="resolved",
        closed_at=at(2025, 6, 28),
    )
    # The cohort that moved in two years before the period (2023Q2): six in A.
    for state in ["converted"] * 4 + ["terminated", "housed"]:
        application = case(
            cast,
            a,
            {"converted": "completed"}.get(state, state),
            submitted_at=at(2022, 9, 1),
            decided_at=at(2022, 12, 1),
        )
        housed(
            cast,
            application,
            a,
            accepted=at(2023, 3, 1),
            signed=date(2023, 3, 20),
            moved=date(2023, 5, 1),
            state=state,
        )
    return {"a": a, "b": b, "contracts": contracts}


# Hand-counted, for 2025Q2. Rows: A, B, region.
EXPECTED = {
    "funnel": {  # submitted, complete, approved, accepted, signed, moved in
        "a": [7, 6, 5, 5, 5, 5],
        "b": [2, 2, 0, 0, 0, 0],
        "total": [9, 8, 5, 5, 5, 5],
    },
    "lead_times": {  # n, median, p90 (days), region
        "submitted_complete": [8, 10, 10],
        "complete_decided": [5, 30, 30],
        "approved_accepted": [5, 12, 12],
        "accepted_signed": [5, 12, 13.6],
        "signed_moved_in": [5, 5, 10.4],
    },
    "meetings": {"a": [3, 1, 1, 0, 5, 60.0]},
    "contract_mix": {"a": [4, 1, 5, 80.0]},
    "after_two_years": {"a": [1, 4, 0, 1, 6, 83.3, 66.7]},
}

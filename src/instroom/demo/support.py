"""Demo tenancies at several points of the two years: meetings held and due, a signal on the
case table, the region's time-out places with one of them taken. Made through the real services
today, then moved back in time (fictional data)."""

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from instroom.accounts.models import User
from instroom.applications.models import Application
from instroom.distribution.models import Placement
from instroom.homes.models import Home
from instroom.matching import services as matching
from instroom.regions.models import Municipality, Organisation, Region
from instroom.support import services
from instroom.support.models import Contract, Meeting

from .data import REGION

# Months since the move of each demo tenancy; None: signed, the move is still to come.
AGES = [20, 11, 7, 3, None]


def _care_worker(application: Application) -> User | None:
    return User.objects.filter(
        memberships__organisation=application.client.care_provider,
        memberships__role="applicant_worker",
    ).first()


def _shift(contract: Contract, days: int) -> None:
    """Move a tenancy made today `days` back in time, dates and meetings together."""
    delta = timedelta(days=days)
    fields = ["signed_on", "key_handover_on", "planned_move_in_on", "moved_in_on"]
    values = {f: getattr(contract, f) - delta for f in fields if getattr(contract, f)}
    if contract.support_ends_on:
        values["support_ends_on"] = contract.support_ends_on - delta
    Contract.objects.filter(pk=contract.pk).update(
        prepared_at=contract.prepared_at - delta, **values
    )
    for meeting in contract.meetings.all():
        Meeting.objects.filter(pk=meeting.pk).update(
            due_on=meeting.due_on - delta,
            held_on=meeting.held_on - delta if meeting.held_on else None,
        )
    if contract.placement_id and contract.signed_on:
        Placement.objects.filter(pk=contract.placement_id).update(
            placed_on=contract.signed_on - delta
        )


def _timeout_places(region: Region, coordinator: User) -> list[Any]:
    """The region's register of time-out places (fictional capacities and conditions)."""
    orgs = {o.slug: o for o in Organisation.objects.filter(region=region)}
    towns = {m.name: m for m in Municipality.objects.filter(region=region)}
    return [
        services.timeout_place_create(
            actor=coordinator,
            region=region,
            name="Crisisbed Leger des Heils Haarlem",
            kind="crisis_bed",
            provider=orgs.get("leger-des-heils"),
            capacity=2,
            conditions="Dag en nacht bereikbaar; uiterlijk 14 dagen (fictief).",
            municipality=towns.get("Haarlem"),
        ),
        services.timeout_place_create(
            actor=coordinator,
            region=region,
            name="Time-outwoning RIBW Velsen",
            kind="timeout_home",
            provider=orgs.get("ribw-kam"),
            capacity=1,
            conditions="Met begeleiding overdag; aanmelden via de woonbegeleider (fictief).",
            municipality=towns.get("Velsen"),
        ),
        services.timeout_place_create(
            actor=coordinator,
            region=region,
            name="Logeerplek netwerk (familie)",
            kind="network",
            provider_text="Familie of netwerk van de cliënt",
            capacity=1,
            conditions="Alleen na overleg met de woonbegeleider en de familie (fictief).",
        ),
    ]


@transaction.atomic
def create_support_cases() -> int:
    region = Region.objects.get(slug=REGION)
    if Contract.objects.filter(region=region).exists():
        return 0
    staff = User.objects.get(username="corporatie")
    support_worker = User.objects.get(username="woonbegeleider")
    coordinator = User.objects.get(username="coordinator")
    welfare = Organisation.objects.get(region=region, slug="dock")
    # Homes nobody was offered yet: a refused offer's home stays open for its next candidate.
    homes = list(
        Home.objects.filter(corporation__slug="ymere", state="open", matches__isnull=True)
        .distinct()
        .order_by("pk")
    )
    pool = list(
        Application.objects.filter(client__region=region, state="approved")
        .select_related("client")
        .order_by("-client__support_provider__slug", "pk")
    )
    today = timezone.localdate()
    made = 0
    calamity: Contract | None = None
    for age in AGES:
        match = None
        for application in pool:
            worker = _care_worker(application)
            if worker is None:
                continue
            for home in homes:
                try:  # the match point refuses pairs a hard filter excludes
                    match = matching.match_propose(actor=staff, home=home, application=application)
                except ValidationError:
                    continue
                break
            if match is not None:
                break
        if match is None:
            break
        pool.remove(application)
        homes.remove(home)
        assert worker is not None  # a match is only proposed for a client with a care worker
        matching.match_provider_decide(actor=worker, match=match, accept=True)
        matching.match_client_decide(actor=worker, match=match, accept=True)
        contract = services.contract_prepare(actor=staff, match=match)
        services.contract_sign(
            actor=staff,
            contract=contract,
            signed_on=today,
            key_handover_on=today,
            planned_move_in_on=today + timedelta(days=21 if age is None else 0),
        )
        is_ours = application.client.support_provider_id in support_worker.memberships.values_list(
            "organisation_id", flat=True
        )
        services.contract_assign(
            actor=coordinator,
            contract=contract,
            support_worker=support_worker if is_ours else None,
            welfare_organisation=welfare,
            welfare_contact="Sanne de Wit, wijkteam (fictief), 023 000 00 00",
        )
        services.orientation_add(
            actor=coordinator,
            client=application.client,
            on=today - timedelta(days=30 * ((age or 0) + 7)),
            description="Kennismaking met het buurthuis",
            organised_by="Dock",
        )
        if age is not None:
            # The warm handover comes before the move.
            services.meeting_record(
                actor=coordinator,
                meeting=contract.meetings.get(moment="before_move"),
                held_on=today,
                notes="Warme overdracht met alle partijen (fictief).",
                attendees="Woonbegeleider, corporatie, wijkteam, begeleider beschermd wonen",
            )
            services.contract_move_in(actor=staff, contract=contract, moved_in_on=today)
            contract.refresh_from_db()
            _shift(contract, age * 30 + 3)
        made += 1
        contract.refresh_from_db()
        # Meetings before today were held, except the most recent one (to show a reminder).
        past = list(
            contract.meetings.filter(due_on__lt=today).exclude(state="held").order_by("due_on")
        )
        for meeting in past[:-1]:
            services.meeting_record(
                actor=coordinator,
                meeting=meeting,
                held_on=meeting.due_on,
                notes="Gesprek volgens de regionale werkwijze (fictief).",
                attendees="Woonbegeleider, corporatie, wijkteam, begeleider beschermd wonen",
                answers={q.position: ("good", "") for q in services.checklist_for(meeting)},
            )
        if age == 7:
            # The region's first kind of signal, at a middle severity.
            lists = services.support_rules(region.pk)
            signal = services.signal_report(
                actor=staff,
                contract=contract,
                kind=lists.signal_kind[0].code,
                severity=lists.severity[(len(lists.severity) - 1) // 2].code,
                description="Buren melden geluidsoverlast in de nacht (fictief).",
            )
            services.signal_escalate(
                actor=coordinator, signal=signal, note="Bespreken: extra begeleiding of time-out?"
            )
            calamity = contract
    places = _timeout_places(region, coordinator)
    if calamity is not None:
        # After the signal: a time-out in the RIBW's time-out home, begun four days ago.
        services.timeout_start(
            actor=coordinator,
            contract=calamity,
            starts_on=today - timedelta(days=4),
            ends_on=today + timedelta(days=10),
            place=places[1],
            return_plan=(
                "Terug naar huis na een gesprek met de buren en de corporatie; daarna twee "
                "maanden wekelijks extra begeleiding (fictief)."
            ),
        )
    if made:
        services.case_table_session_create(
            actor=coordinator,
            region=region,
            starts_at=timezone.now() + timedelta(days=7),
            location="Servicepunt, Haarlem",
        )
    return made

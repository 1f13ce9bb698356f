"""Two demo clusters of the demo corporation in zk-ijmond: "Hofje Zuiderpark" in Haarlem (four
places, two occupied) and "Kamerwoning Oost" (three places, one occupied), the region's
co-tenancy rules (at most 15 years apart, at most one heavy dossier per cluster) and one
"not together" mark, so the ranking of a free place shows how candidates fit and excludes at
least one with its reason."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from instroom.accounts.models import User
from instroom.applications.models import Application
from instroom.configuration import services as configuration
from instroom.homes import services as home_services
from instroom.homes.models import Cluster, Home
from instroom.matching import ranking, services
from instroom.matching.constants import SnapshotPurpose
from instroom.regions.models import Organisation, Region
from instroom.regions.rules.matching import Cotenancy
from instroom.regions.selectors import rules_for

from .data import REGION

MAX_AGE_GAP = 15


def _care_worker(application: Application) -> User | None:
    return User.objects.filter(
        memberships__organisation=application.client.care_provider,
        memberships__role="applicant_worker",
    ).first()


def _candidates(home: Home) -> list[tuple[Application, int | None]]:
    """The eligible candidates of the place's ranking (best first) whose care provider has an
    applicant worker to answer, with their age today."""
    ranked = ranking.rank_home(home)
    ages = ranked.pool.ages(timezone.localdate())
    out = []
    for row in ranked.evaluation.rows():
        application = Application.objects.select_related("client__care_provider").get(
            pk=int(ranked.application_ids[row.index])
        )
        if _care_worker(application) is not None:
            age = int(ages[row.index])
            out.append((application, age if age >= 0 else None))
    return out


def _take(home: Home, application: Application, staff: User) -> None:
    """Propose from the place's ranking; the care provider and the client accept."""
    ranked = ranking.rank_home(home)
    snapshot = ranking.snapshot_store(ranked, actor=staff, purpose=SnapshotPurpose.PAGE)
    match = services.match_propose(
        actor=staff, home=home, application=application, snapshot=snapshot
    )
    worker = _care_worker(application)
    assert worker is not None  # `_candidates` keeps only those with one
    services.match_provider_decide(actor=worker, match=match, accept=True)
    services.match_client_decide(actor=worker, match=match, accept=True)


def _near(a: int | None, b: int | None) -> bool:
    return a is None or b is None or abs(a - b) <= MAX_AGE_GAP


def _offer(staff: User, corporation: Organisation, **fields: Any) -> Cluster:
    count = fields.pop("count")
    return home_services.cluster_create(
        actor=staff,
        corporation=corporation,
        places=[
            {
                "place": f"Kamer {n}",
                "rent_eur": Decimal("465.00") + 15 * n,
                "rooms": 1,
                "floor": 0 if n <= 2 else 1,
                "has_lift": False,
                "wheelchair_accessible": n == 1,
                "pets_allowed": False,
            }
            for n in range(1, count + 1)
        ],
        home_type="other",
        available_from=timezone.localdate() + timedelta(days=30),
        **fields,
    )


@transaction.atomic
def create_clusters() -> int:
    region = Region.objects.get(slug=REGION)
    corporation = Organisation.objects.get(region=region, slug="ymere")
    if Cluster.objects.filter(corporation=corporation).exists():
        return 0
    staff = User.objects.get(username="corporatie")
    current = rules_for(region.pk).rules
    configuration.change_rules(
        region,
        actor=None,
        valid_from=timezone.localdate(),
        rules=current.with_changes(
            matching=replace(
                current.matching, cotenancy=Cotenancy(max_age_gap=MAX_AGE_GAP, max_heavy=1)
            )
        ),
        note="Demo: regels voor woonvormen (hoogstens 15 jaar verschil, één zwaar dossier).",
    )
    municipalities = list(region.municipalities.order_by("cbs_code"))
    haarlem = next((m for m in municipalities if m.name == "Haarlem"), municipalities[0])
    other = next((m for m in municipalities if m != haarlem), haarlem)
    care = Organisation.objects.filter(region=region, type="care_provider").order_by("pk").first()
    hofje = _offer(
        staff,
        corporation,
        count=4,
        name="Hofje Zuiderpark",
        shared_facilities="Gemeenschappelijke woonkamer, keuken en tuin",
        support="Een woonbegeleider is op werkdagen overdag aanwezig.",
        support_provider=care,
        street="Zuiderpark",
        house_number=12,
        postcode="2033 AB",
        municipality=haarlem,
        complex_code="HZ-1",
    )
    oost = _offer(
        staff,
        corporation,
        count=3,
        name="Kamerwoning Oost",
        shared_facilities="Keuken en badkamer",
        support="Ambulante begeleiding aan huis",
        street="Oostweg",
        house_number=4,
        postcode="1971 CD",
        municipality=other,
    )
    # Two residents close in age (whoever has most candidates near them first), so the next
    # free place has candidates who fit and others too far apart in age.
    places = list(hofje.homes.order_by("place"))
    residents: list[tuple[Application, int | None]] = []
    if pool := _candidates(places[0]):
        first = max(pool, key=lambda c: sum(_near(c[1], o[1]) for o in pool))
        _take(places[0], first[0], staff)
        residents.append(first)
        # The ranking of the second place already leaves out who breaks a rule.
        if fitting := _candidates(places[1]):
            second = min(fitting, key=lambda c: abs((c[1] or 0) - (first[1] or 0)))
            _take(places[1], second[0], staff)
            residents.append(second)
    # Kamerwoning Oost: its first place taken by whoever fits Hofje Zuiderpark least.
    oost_first = oost.homes.order_by("place")[0]
    if oost_pool := _candidates(oost_first):
        far = min(oost_pool, key=lambda c: sum(_near(c[1], age) for _a, age in residents))
        _take(oost_first, far[0], staff)
    # One mark: a candidate for the next free place should not live with the first resident.
    ranked = ranking.rank_home(places[2])
    order = [int(i) for i in ranked.evaluation.eligible_order()]
    pick = order[-1] if len(order) >= 2 else None
    if pick is None and len(ranked.evaluation.excluded_indices()):
        pick = int(ranked.evaluation.excluded_indices()[0])
    if residents and pick is not None:
        candidate = Application.objects.select_related("client__care_provider").get(
            pk=int(ranked.application_ids[pick])
        )
        worker = _care_worker(candidate)
        if worker is not None:
            services.cotenant_mark_add(
                actor=worker,
                client=candidate.client,
                other_number=residents[0][0].client.candidate_number,
                reason="Eerder conflict in de opvang.",
            )
    return hofje.places + oost.places

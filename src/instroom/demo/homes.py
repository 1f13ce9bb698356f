"""Demo homes offered by the demo corporation and offers at every step of the workflow."""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from instroom.accounts.models import User
from instroom.applications.models import Application
from instroom.homes import services as home_services
from instroom.homes.models import Home
from instroom.matching import ranking, services
from instroom.matching.constants import SnapshotPurpose
from instroom.regions.models import Neighbourhood, Organisation, Region

from .data import REGION

STREETS = [
    "Kleverparkweg",
    "Rijksstraatweg",
    "Zijlweg",
    "Amsterdamstraat",
    "Schoterweg",
    "Velserduinweg",
    "Hoofdstraat",
    "Zeeweg",
    "Kennemerlaan",
    "Dorpsstraat",
    "Lange Buitenrust",
]


@transaction.atomic
def create_homes_and_offers(seed: int = 2027) -> int:
    region = Region.objects.get(slug=REGION)
    corporation = Organisation.objects.get(region=region, slug="ymere")
    if Home.objects.filter(corporation=corporation).exists():
        return 0
    rng = random.Random(seed)
    staff = User.objects.get(username="corporatie")
    municipalities = list(region.municipalities.order_by("cbs_code"))
    homes = []
    for number in range(1, 25):
        municipality = rng.choice(municipalities)
        neighbourhoods = list(Neighbourhood.objects.filter(municipality=municipality))
        rooms = rng.choice([1, 1, 2, 2, 2, 3])
        homes.append(
            home_services.home_create(
                actor=staff,
                corporation=corporation,
                street=rng.choice(STREETS),
                house_number=number * 3 + rng.randint(0, 2),
                postcode=f"{rng.randint(1940, 2119)} {rng.choice('ABCDEGHJKLMNPRTVWXZ')}"
                f"{rng.choice('ABCDEGHJKLMNPRTVWXZ')}",
                municipality=municipality,
                neighbourhood=rng.choice(neighbourhoods) if neighbourhoods else None,
                complex_code=f"C-{rng.randint(100, 140)}",
                home_type="studio" if rooms == 1 else rng.choice(["apartment", "ground_floor"]),
                rooms=rooms,
                floor=rng.choice([0, 0, 1, 2, 3]),
                has_lift=rng.random() < 0.5,
                wheelchair_accessible=rng.random() < 0.2,
                rent_eur=Decimal(rng.randint(52000, 79000)) / 100,
                pets_allowed=rng.random() < 0.4,
                available_from=timezone.localdate() + timedelta(days=rng.randint(7, 120)),
            )
        )
    # Offers at each step: proposed, agreed by the provider, accepted, and a refusal to judge.
    pool = list(
        Application.objects.filter(client__region=region, state="approved")
        .select_related("client__care_provider")
        .order_by("pk")
    )
    steps = ["proposed", "provider_ok", "accepted", "client_no"]
    made = 0
    for home in homes:
        if made == len(steps):
            break
        ranked = ranking.rank_home(home)
        rows = ranked.evaluation.rows(limit=1)
        if not rows:
            continue
        application = next(a for a in pool if a.pk == ranked.application_ids[rows[0].index])
        care_worker = User.objects.filter(
            memberships__organisation=application.client.care_provider,
            memberships__role="applicant_worker",
        ).first()
        if care_worker is None:
            continue
        snapshot = ranking.snapshot_store(ranked, actor=staff, purpose=SnapshotPurpose.PAGE)
        match = services.match_propose(
            actor=staff, home=home, application=application, snapshot=snapshot
        )
        step = steps[made]
        if step != "proposed":
            services.match_provider_decide(actor=care_worker, match=match, accept=True)
        if step == "accepted":
            services.match_client_decide(actor=care_worker, match=match, accept=True)
        if step == "client_no":
            services.match_client_decide(
                actor=care_worker,
                match=match,
                accept=False,
                reason="location",
                note="Te ver van het eigen netwerk.",
            )
        made += 1
    return len(homes)

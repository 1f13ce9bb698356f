"""`instroom bench_ranking`: how long ranking one home takes, database reads included.

Fills a (dedicated!) database with a fictional region and pools of the given sizes, then times
`ranking.rank_home` — the pool read, the home's description and the core's evaluation and
ordering — and prints the median and the 95th percentile per pool size. `make bench` runs it
against PostgreSQL.
"""

import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from instroom.applications.models import Application, Client, Exclusion, Preference
from instroom.homes.models import Home
from instroom.matching import ranking
from instroom.regions.constants import OrganisationType
from instroom.regions.models import AffordabilityLimit, Municipality, Organisation, Region


class Command(BaseCommand):
    help = "Benchmark: rank one home against pools of clients (default 10,000 and 50,000)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--sizes", default="10000,50000")
        parser.add_argument("--repeat", type=int, default=15)

    def handle(self, *args: Any, sizes: str, repeat: int, **options: Any) -> None:
        if not connection.settings_dict["NAME"] or "bench" not in str(
            connection.settings_dict["NAME"]
        ):
            raise CommandError("Run this against a database whose name contains 'bench'.")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
            f"repeat {repeat}×, median and p95 of ranking.rank_home (reads + scoring + order); "
            "each pool alone in the database"
        )
        for size in [int(s) for s in sizes.split(",")]:
            # Each pool is measured alone in the database, as one region's installation holds it.
            for other in Region.objects.filter(slug__startswith="bench-").values_list(
                "slug", flat=True
            ):
                _clear(other)
            home = _fill(size)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:  # as autovacuum would after a bulk load
                    cursor.execute("VACUUM ANALYZE")
            ranking.rank_home(home)  # warm up (caches, plans)
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                ranked = ranking.rank_home(home)
                ranked.evaluation.eligible_order()
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            eligible = len(ranked.evaluation.eligible_order())
            self.stdout.write(
                f"pool {size:>6,} clients ({eligible:,} eligible): "
                f"median {statistics.median(times):6.1f} ms, p95 {p95:6.1f} ms"
            )


@transaction.atomic
def _fill(size: int) -> Home:
    """A fresh fictional region with `size` approved clients and one home. The BSN column
    holds 'X…' placeholders: clearly no citizen service numbers (the bench never validates)."""
    slug = f"bench-{size}"
    if Region.objects.filter(slug=slug).exists():
        _clear(slug)
    rng = random.Random(size)
    region = Region.objects.create(
        slug=slug, name=f"Bench {size}", is_fictional=True, start_year=2024
    )
    towns = [
        Municipality.objects.create(region=region, cbs_code=f"GM{9000 + i}", name=f"Bench {i}")
        for i in range(8)
    ]
    providers = []
    for i in range(6):
        org = Organisation.objects.create(
            region=region,
            slug=f"zorg-{i}",
            name=f"Zorg {i}",
            type=OrganisationType.CARE_PROVIDER,
            provides_residential_care=True,
            provides_ambulant_support=True,
        )
        org.municipalities.set(rng.sample(towns, 6))
        providers.append(org)
    corporation = Organisation.objects.create(
        region=region, slug="corp", name="Corp", type=OrganisationType.CORPORATION
    )
    AffordabilityLimit.objects.create(
        region=region,
        year=timezone.localdate().year,
        household_type="one_person",
        income_limit_eur=Decimal("28375"),
        rent_cap_eur=Decimal("682.96"),
        source="bench",
    )
    now = timezone.now()
    clients = Client.objects.bulk_create(
        [
            Client(
                region=region,
                case_number=f"B{size}-{i:06d}",
                candidate_number=f"B{size:x}{i:06x}",
                first_name="Bench",
                last_name=f"Client {i}",
                bsn=f"X{size % 7}{i:07d}",
                date_of_birth=date(1960, 1, 1) + timedelta(days=rng.randint(0, 15000)),
                source="bw",
                care_provider=rng.choice(providers),
                support_provider=rng.choice(providers),
                municipality_of_origin=rng.choice(towns),
                household_adults=1,
                household_children=rng.choice([0, 0, 0, 1, 2]),
            )
            for i in range(size)
        ],
        batch_size=2000,
    )
    # Preferences and exclusions as rows and, as the services keep them, on the application.
    chosen = {c.pk: rng.sample(towns, 4) for c in clients}
    excluded = {c.pk: chosen[c.pk][3] for c in clients if rng.random() < 0.3}
    applications = Application.objects.bulk_create(
        [
            Application(
                client=c,
                bsn=c.bsn,
                state="approved",
                rooms_min=rng.choice([1, 1, 2, 2, 3]),
                needs_ground_floor_or_lift=rng.random() < 0.15,
                needs_wheelchair_access=rng.random() < 0.05,
                pets=rng.random() < 0.2,
                yearly_income_eur=Decimal(rng.randint(12000, 40000)),
                decided_at=now - timedelta(days=rng.randint(0, 700)),
                urgency=rng.choice([0, 0, 0, 1, 2]),
                pool_preferences=",".join(str(m.pk) for m in chosen[c.pk][:3]),
                pool_excluded_municipalities=str(excluded[c.pk].pk) if c.pk in excluded else "",
            )
            for c in clients
        ],
        batch_size=2000,
    )
    Preference.objects.bulk_create(
        [
            Preference(application=a, municipality=m, rank=r)
            for a in applications
            for r, m in enumerate(chosen[a.client_id][:3], start=1)
        ],
        batch_size=5000,
    )
    Exclusion.objects.bulk_create(
        [
            Exclusion(application=a, municipality=excluded[a.client_id], reason="network")
            for a in applications
            if a.client_id in excluded
        ],
        batch_size=5000,
    )
    return Home.objects.create(
        region=region,
        corporation=corporation,
        street="Benchstraat",
        house_number=size % 99999 + 1,
        postcode="2011 AB",
        municipality=towns[0],
        home_type="apartment",
        rooms=2,
        floor=1,
        has_lift=True,
        rent_eur=Decimal("650.00"),
        available_from=timezone.localdate(),
    )


def _clear(slug: str) -> None:
    region = Region.objects.get(slug=slug)
    from instroom.matching.models import RankingSnapshot

    RankingSnapshot.objects.filter(home__region=region).delete()
    Home.objects.filter(region=region).delete()
    Exclusion.objects.filter(application__client__region=region).delete()
    Preference.objects.filter(application__client__region=region).delete()
    Application.objects.filter(client__region=region).delete()
    Client.objects.filter(region=region).delete()
    AffordabilityLimit.objects.filter(region=region).delete()
    Organisation.objects.filter(region=region).delete()
    Municipality.objects.filter(region=region).delete()
    region.delete()

"""Benchmark of monitoring and reports (printed by `make bench`; never a timed test).

Builds once, in its own PostgreSQL database (BENCH_REPORTS_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/instroom_bench_reports), a synthetic national data set:
40 fictional regions, 100,000 clients over ten years, with their applications in every state,
matches, contracts, placements, meetings and signals (bulk inserts). A later run reuses it.
Then prints the render time of one region's coordinator dashboard (target ≤ 300 ms) and of its
yearly PDF report (target ≤ 10 s), with the sizes.

    .venv/bin/python scripts/bench_reports.py [--rebuild]
"""

import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

URL = os.environ.get(
    "BENCH_REPORTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/instroom_bench_reports"
)
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "instroom.conf.test")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")

REGIONS = 40
CLIENTS = 100_000
YEARS = 10
AMS = ZoneInfo("Europe/Amsterdam")


def ensure_database(rebuild: bool) -> None:
    import psycopg

    name = URL.rsplit("/", 1)[1]
    if "bench" not in name:
        raise SystemExit("Run this against a database whose name contains 'bench'.")
    admin = URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if rebuild:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def build(today: date) -> None:
    from django.db import connection, transaction

    from instroom.applications.models import Application, Client
    from instroom.distribution.models import Placement
    from instroom.homes.models import Home
    from instroom.matching.models import Match
    from instroom.regions.models import (
        Municipality,
        MunicipalityFigure,
        Organisation,
        QuotaYear,
        Region,
    )
    from instroom.support.models import Contract, Meeting, Signal

    rng = random.Random(2026)  # noqa: S311 (synthetic data, not security)
    now = datetime.combine(today, datetime.min.time(), tzinfo=AMS) + timedelta(hours=12)
    start = now - timedelta(days=365 * YEARS)
    sources = ["bw", "mo", "youth"]
    with transaction.atomic():
        regions = Region.objects.bulk_create(
            Region(
                slug=f"bench-{r:02d}",
                name=f"Benchregio {r:02d} (fictief)",
                is_fictional=True,
                start_year=start.year,
                admitted_sources=sources,
            )
            for r in range(REGIONS)
        )
        municipalities: dict[int, list[Municipality]] = {}
        orgs: dict[int, dict[str, list[Organisation]]] = {}
        code = 1000
        for region in regions:
            ms = []
            for _i in range(rng.randint(4, 12)):
                code += 1
                ms.append(
                    Municipality(region=region, cbs_code=f"GM{code}", name=f"Gemeente {code}")
                )
            municipalities[region.pk] = Municipality.objects.bulk_create(ms)
            made = Organisation.objects.bulk_create(
                [
                    Organisation(
                        region=region, slug="servicepunt", name="Servicepunt", type="service_point"
                    )
                ]
                + [
                    Organisation(
                        region=region, slug=f"zorg-{i}", name=f"Zorg {i}", type="care_provider"
                    )
                    for i in range(3)
                ]
                + [
                    Organisation(
                        region=region, slug=f"corp-{i}", name=f"Corporatie {i}", type="corporation"
                    )
                    for i in range(3)
                ]
            )
            orgs[region.pk] = {
                "care": made[1:4],
                "corp": made[4:7],
            }
            MunicipalityFigure.objects.bulk_create(
                MunicipalityFigure(
                    municipality=m,
                    kind=kind,
                    value=rng.randint(2000, 60000) // (4 if kind == "social_stock" else 1),
                    reference_date=date(2025, 1, 1),
                    source="Fictief",
                )
                for m in municipalities[region.pk]
                for kind in ("households", "social_stock")
            )
            QuotaYear.objects.bulk_create(
                QuotaYear(region=region, year=y, total_homes=180)
                for y in range(start.year, today.year + 2)
            )

        clients, applications, plans = [], [], []
        for n in range(CLIENTS):
            region = regions[n % REGIONS]
            m = rng.choice(municipalities[region.pk])
            care = rng.choice(orgs[region.pk]["care"])
            clients.append(
                Client(
                    region=region,
                    case_number=f"B-{n:07d}",
                    candidate_number=f"K-B{n:07d}",
                    first_name="Bench",
                    last_name=f"Client{n}",
                    bsn=f"X{n:08d}",
                    date_of_birth=date(1990, 1, 1),
                    source=rng.choice(sources),
                    care_provider=care,
                    support_provider=care,
                    municipality_of_origin=m,
                )
            )
        Client.objects.bulk_create(clients, batch_size=5000)
        for client in clients:
            submitted = start + timedelta(seconds=rng.uniform(0, (now - start).total_seconds()))
            t = {"submitted_at": submitted}
            state = "submitted"
            plan = None
            complete = submitted + timedelta(days=rng.randint(3, 40))
            if complete < now and rng.random() < 0.9:
                t["completed_at"], state = complete, "complete"
                decided = complete + timedelta(days=rng.randint(10, 70))
                if decided < now and rng.random() < 0.9:
                    t["decided_at"] = decided
                    if rng.random() < 0.2:
                        state = "rejected"
                    else:
                        state = "approved"
                        accepted = decided + timedelta(days=rng.randint(20, 500))
                        if accepted < now and rng.random() < 0.92:
                            state = "matching"
                            signed = (accepted + timedelta(days=rng.randint(5, 30))).date()
                            plan = (accepted, signed)
                            if signed < today:
                                state = "contracted"
                        elif rng.random() < 0.05:
                            state = "parked"
            elif complete < now and rng.random() < 0.3:
                state = "returned"
            applications.append(
                Application(client=client, bsn=client.bsn, state=state, state_changed_at=now, **t)
            )
            plans.append(plan)
        Application.objects.bulk_create(applications, batch_size=5000)

        homes, matches = [], []
        todo = [(a, p) for a, p in zip(applications, plans, strict=True) if p]
        for i, (a, (accepted, _signed)) in enumerate(todo):
            region_pk = a.client.region_id
            corp = rng.choice(orgs[region_pk]["corp"])
            homes.append(
                Home(
                    region_id=region_pk,
                    corporation=corp,
                    street="Benchstraat",
                    house_number=i + 1,
                    postcode="1000 AA",
                    municipality=rng.choice(municipalities[region_pk]),
                    home_type="apartment",
                    rooms=2,
                    rent_eur=Decimal("600"),
                    available_from=accepted.date(),
                    state="let",
                )
            )
        Home.objects.bulk_create(homes, batch_size=5000)
        for home, (a, (accepted, _signed)) in zip(homes, todo, strict=True):
            matches.append(
                Match(
                    home=home,
                    application=a,
                    client_id=a.client_id,
                    region_id=home.region_id,
                    state="accepted",
                    proposed_at=accepted - timedelta(days=7),
                    state_changed_at=accepted,
                    step_deadline=accepted.date(),
                )
            )
        Match.objects.bulk_create(matches, batch_size=5000)
        placements, contracts = [], []
        signed_rows = [
            (h, m, a, s)
            for h, m, (a, (_acc, s)) in zip(homes, matches, todo, strict=True)
            if s < today
        ]
        for home, _match, a, signed in signed_rows:
            placements.append(
                Placement(
                    region_id=home.region_id,
                    municipality_id=home.municipality_id,
                    corporation_id=home.corporation_id,
                    placed_on=signed,
                    client_id=a.client_id,
                )
            )
        Placement.objects.bulk_create(placements, batch_size=5000)
        for (home, match, a, signed), placement in zip(signed_rows, placements, strict=True):
            moved = signed + timedelta(days=rng.randint(5, 40))
            if moved >= today:
                moved, state = None, "signed"
            elif (today - moved).days > 730:
                state = rng.choices(["converted", "ended", "terminated"], [75, 10, 15])[0]
            else:
                state = "terminated" if rng.random() < 0.05 else "housed"
            contracts.append(
                Contract(
                    match=match,
                    application=a,
                    client_id=a.client_id,
                    home=home,
                    region_id=home.region_id,
                    form="three_party" if rng.random() < 0.83 else "care_lease",
                    state=state,
                    support_months=24,
                    signed_on=signed,
                    moved_in_on=moved,
                    placement=placement,
                )
            )
        Contract.objects.bulk_create(contracts, batch_size=5000)
        meetings, signals = [], []
        for c in contracts:
            if c.moved_in_on is None:
                continue
            for months, kind in [
                (0, "introduction"),
                (3, "evaluation"),
                (6, "evaluation"),
                (12, "evaluation"),
                (18, "evaluation"),
                (24, "final"),
            ]:
                due = c.moved_in_on + timedelta(days=round(months * 30.44))
                if due > today + timedelta(days=60):
                    break
                roll = rng.random()
                held = due + timedelta(days=rng.randint(-5, 35))
                if roll < 0.85 and held <= today:
                    meetings.append(
                        Meeting(
                            uid=f"b{len(meetings):039d}",
                            contract=c,
                            kind=kind,
                            months=months or None,
                            due_on=due,
                            state="held",
                            held_on=held,
                        )
                    )
                elif roll < 0.88:
                    meetings.append(
                        Meeting(
                            uid=f"b{len(meetings):039d}",
                            contract=c,
                            kind=kind,
                            months=months or None,
                            due_on=due,
                            state="cancelled",
                        )
                    )
                else:
                    meetings.append(
                        Meeting(
                            uid=f"b{len(meetings):039d}",
                            contract=c,
                            kind=kind,
                            months=months or None,
                            due_on=due,
                            state="due",
                        )
                    )
            if rng.random() < 0.2:
                reported = datetime.combine(
                    c.moved_in_on, datetime.min.time(), tzinfo=AMS
                ) + timedelta(days=rng.randint(10, 600))
                if reported < now:
                    closed = reported + timedelta(days=rng.randint(5, 90))
                    done = closed < now
                    signals.append(
                        Signal(
                            contract=c,
                            kind=rng.choice(
                                ["nuisance", "arrears", "care_avoidance", "neglect", "calamity"]
                            ),
                            severity="medium",
                            description="Bench",
                            reported_at=reported,
                            state="closed" if done else "open",
                            outcome=rng.choice(
                                ["resolved", "resolved", "warning", "termination", "return_to_care"]
                            )
                            if done
                            else "",
                            closed_at=closed if done else None,
                        )
                    )
        Meeting.objects.bulk_create(meetings, batch_size=5000)
        Signal.objects.bulk_create(signals, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def main() -> int:
    ensure_database("--rebuild" in sys.argv)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client as HttpClient
    from django.urls import reverse
    from django.utils import timezone

    from instroom.accounts.models import Membership, User
    from instroom.applications.models import Application, Client
    from instroom.regions.models import Organisation, Region
    from instroom.reporting import exports, monitoring
    from instroom.support.models import Contract, Meeting, Signal

    import logging

    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    call_command("migrate", interactive=False, verbosity=0)
    today = timezone.localdate()
    if not Region.objects.filter(slug="bench-00").exists():  # built in one transaction
        print("building the data set (once; later runs reuse it) …", flush=True)
        t0 = time.perf_counter()
        build(today)
        print(f"built in {time.perf_counter() - t0:.0f} s")
    region = Region.objects.get(slug="bench-00")
    print(
        f"data: {Region.objects.filter(slug__startswith='bench-').count()} regions, "
        f"{Client.objects.count():,} clients, {Application.objects.count():,} applications, "
        f"{Contract.objects.count():,} contracts, {Meeting.objects.count():,} meetings, "
        f"{Signal.objects.count():,} signals; region {region.slug}: "
        f"{Client.objects.filter(region=region).count():,} clients, "
        f"{Contract.objects.filter(region=region).count():,} contracts"
    )
    user, _created = User.objects.get_or_create(username="bench-coordinator")
    Membership.objects.get_or_create(
        user=user,
        organisation=Organisation.objects.get(region=region, slug="servicepunt"),
        defaults={"role": "coordinator"},
    )
    http = HttpClient()
    http.force_login(user)
    url = reverse("reports:dashboard", args=[region.slug])
    year = str(today.year - 1)
    for params, label in (
        ({"period": f"{year}Q4"}, f"quarter {year}Q4"),
        ({"period": year}, f"year {year}"),
    ):
        http.get(url, params)  # warm up
        times = []
        for _ in range(7):
            t0 = time.perf_counter()
            response = http.get(url, params)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.status_code
        print(
            f"coordinator dashboard, {label}: median {statistics.median(times):.0f} ms, "
            f"max {max(times):.0f} ms (7 runs; target ≤ 300 ms)"
        )
    times = []
    size = 0
    for _ in range(3):
        t0 = time.perf_counter()
        report = exports.region_report(region, monitoring.parse_period(year))
        size = len(exports.pdf_bytes(report))
        times.append(time.perf_counter() - t0)
    print(
        f"yearly PDF report {year}: median {statistics.median(times):.2f} s of 3 "
        f"({size:,} bytes; target ≤ 10 s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of the client list at national scale (printed by `make bench`; never a timed test).

Uses the national data set of scripts/bench_reports.py (40 regions, 100,000 clients, in its own
PostgreSQL database BENCH_REPORTS_DATABASE_URL; built there once if missing). Signs in as a
coordinator of one region and as a care worker (applicant worker) of one of its care providers
and times the whole client-list view (Django's test client: middleware, policy, the database
reads, the access log and the template) for a name search, a case-number search and the
unfiltered first page. Prints the sizes, median and p95, and the ratio to a bare baseline
measured in the same run (`SELECT 1`, and one client read by its primary key), so that a slow
machine shows as a slow baseline. Target: a name search ≤ 300 ms.

    .venv/bin/python scripts/bench_clients.py
"""

import statistics
import sys
import time
from collections.abc import Callable

import bench_reports  # same folder: the data set, its database and settings

RUNS = 21


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    fn()  # warm up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    bench_reports.ensure_database(rebuild=False)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client as HttpClient
    from django.urls import reverse
    from django.utils import timezone

    from instroom.accounts.models import Membership, User
    from instroom.applications.models import Client
    from instroom.regions.models import Organisation, Region

    call_command("migrate", interactive=False, verbosity=0)
    if not Region.objects.filter(slug="bench-00").exists():
        print("building the data set (once; later runs reuse it) …", flush=True)
        bench_reports.build(timezone.localdate())
    region = Region.objects.get(slug="bench-00")
    care = Organisation.objects.get(region=region, slug="zorg-0")
    in_region = Client.objects.filter(region=region)
    # A client of the care worker's organisation, so both find one row.
    target = in_region.filter(care_provider=care).order_by("pk")[300]
    print(
        f"data: {Client.objects.count():,} clients in "
        f"{Region.objects.filter(slug__startswith='bench-').count()} regions; "
        f"region {region.slug}: {in_region.count():,} clients, of care provider {care.slug}: "
        f"{in_region.filter(care_provider=care).count():,}"
    )

    def bare_select() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    def by_pk() -> None:
        Client.objects.filter(pk=target.pk).first()

    baseline = statistics.median(timed(bare_select, 200))
    indexed = statistics.median(timed(by_pk, 200))
    print(
        f"baseline: SELECT 1 median {baseline:.2f} ms; one client by primary key {indexed:.2f} ms"
    )

    url = reverse("applications:list")
    personas = []
    for username, organisation, role in (
        (
            "bench-coordinator",
            Organisation.objects.get(region=region, slug="servicepunt"),
            "coordinator",
        ),
        ("bench-care-worker", care, "applicant_worker"),
    ):
        user, _created = User.objects.get_or_create(username=username)
        Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": role}
        )
        personas.append((role.replace("_", " "), user))

    searches = (
        ("name search", {"q": target.last_name}),
        ("name search, two words", {"q": f"{target.first_name} {target.last_name}"}),
        ("case-number search", {"q": target.case_number}),
        ("unfiltered first page", {}),
    )
    print(f"client list {url}, {RUNS} runs each after one warm-up (target: name search ≤ 300 ms)")
    for label, user in personas:
        http = HttpClient()
        http.force_login(user)
        for what, params in searches:
            size = 0

            def view(http: HttpClient = http, params: dict[str, str] = params) -> None:
                nonlocal size
                response = http.get(url, params)
                assert response.status_code == 200, response.status_code
                size = response.content.count(b'<tr class="utrecht-table__row">') - 1

            times = timed(view, RUNS)
            median = statistics.median(times)
            print(
                f"  {label:16} {what:24} {max(size, 0):3} shown: median {median:6.1f} ms, "
                f"p95 {p95(times):6.1f} ms; {median / baseline:6.0f}× SELECT 1, "
                f"{median / indexed:5.0f}× a primary-key read"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Batch matching fills the free places of a cluster (a woonvorm with several places) with
different clients who may live together and with the people already there: every pair names its
cluster, in the command's JSON and table and on the review page; the report says whether the
proposal is proven optimal or how large the gap is."""

import json
from dataclasses import replace
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from instroom.applications.models import Application
from instroom.homes.models import Cluster, Home
from instroom.homes.tests.factories import make_home
from instroom.matching import batch, cotenancy
from instroom.matching.models import BatchRun, Match
from instroom.matching.tests.factories import make_approved, set_matching_rules
from instroom.regions.rules.matching import Cotenancy
from instroom.regions.selectors import rules_for

pytestmark = pytest.mark.django_db


def born(age: int) -> date:
    """A date of birth of someone who is `age` today (1 January: no birthday to wait for)."""
    return date(timezone.localdate().year - age, 1, 1)


def approved(cast, age: int, weight: str = "light") -> Application:
    application = make_approved(cast, date_of_birth=born(age))
    Application.objects.filter(pk=application.pk).update(dossier_weight=weight)
    return application


def hofje(cast, places: int) -> tuple[Cluster, list[Home]]:
    cluster = Cluster.objects.create(
        region=cast.region, corporation=cast.corporation, name="Hofje Zuiderpark", places=places
    )
    homes = []
    for i in range(places):
        home = make_home(cast.corporation_user, cast.corporation, rooms=1)
        Home.objects.filter(pk=home.pk).update(cluster=cluster, place=f"Kamer {i + 1}")
        home.refresh_from_db()
        homes.append(home)
    return cluster, homes


def living_in(cast, home: Home, application: Application) -> None:
    """Someone who lives in a place of the cluster (an accepted match, the home let)."""
    Match.objects.create(
        home=home,
        application=application,
        client=application.client,
        region=cast.region,
        state="accepted",
        step_deadline=timezone.localdate() + timedelta(days=5),
    )
    Home.objects.filter(pk=home.pk).update(state="let")
    Application.objects.filter(pk=application.pk).update(state="contracted")


def rules(cast, **changes) -> None:
    current = rules_for(cast.region.pk).rules.matching.cotenancy
    set_matching_rules(cast.region, cotenancy=replace(current, **changes))


def test_free_places_fill_with_clients_who_may_live_with_the_residents(cast) -> None:
    rules(cast, max_age_gap=10, max_heavy=1)
    cluster, places = hofje(cast, 3)
    living_in(cast, places[0], approved(cast, 30, weight="heavy"))
    fits = approved(cast, 33)
    heavy_too = approved(cast, 31, weight="heavy")  # a second heavy dossier: one too many
    too_old = approved(cast, 55)  # 25 years older than the resident
    ordinary = make_home(cast.corporation_user, cast.corporation, rooms=1)

    report = batch.run(cast.region)
    by_home = {p.home.pk: p for p in report.pairs}
    in_cluster = [p for p in report.pairs if p.cluster is not None]
    # One free place takes the client who fits; nobody else may join; one goes elsewhere.
    assert [p.application_id for p in in_cluster] == [fits.pk]
    assert in_cluster[0].cluster == cluster
    assert by_home[ordinary.pk].application_id in {heavy_too.pk, too_old.pk}
    assert report.clusters == 1 and report.cluster_places == 2
    assert report.solution.optimal and report.solution.gap == 0.0

    out = StringIO()
    call_command("match-batch", region=cast.region.slug, dry_run=True, format="json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["optimal"] is True and data["gap"] == 0.0
    named = {p["home"]: p["cluster"] for p in data["pairs"]}
    assert named[ordinary.pk] is None
    assert [c for c in named.values() if c] == [
        {"id": cluster.pk, "name": "Hofje Zuiderpark", "place": in_cluster[0].home.place}
    ]
    table = StringIO()
    call_command("match-batch", region=cast.region.slug, dry_run=True, stdout=table)
    assert "Hofje Zuiderpark, Kamer" in table.getvalue()


def test_two_heavy_dossiers_never_exceed_the_maximum_of_the_cluster(cast) -> None:
    rules(cast, max_heavy=1)
    _cluster, places = hofje(cast, 3)
    applications = [approved(cast, 30 + i, weight="heavy") for i in range(3)]
    report = batch.run(cast.region)
    assert len(report.pairs) == 1  # three free places, three candidates, one heavy at most
    assert report.pairs[0].application_id in {a.pk for a in applications}
    # Without the rule, the three fill the three places, each a different client.
    rules(cast, max_heavy=0)
    report = batch.run(cast.region)
    assert len({p.application_id for p in report.pairs}) == 3
    assert {p.home.pk for p in report.pairs} == {h.pk for h in places}


def test_the_glue_reads_ages_and_heavy_weights_from_the_region(cast) -> None:
    rules(cast, heavy_weights=("heavy", "medium"))
    cluster, places = hofje(cast, 2)
    resident = approved(cast, 40, weight="medium")
    living_in(cast, places[0], resident)
    together = rules_for(cast.region.pk).rules.matching.cotenancy
    found = batch._cluster_residents([cluster.pk], today=timezone.localdate(), rules=together)
    assert found == {
        cluster.pk: [
            cotenancy.Person(resident.client_id, resident.client.candidate_number, 40, True)
        ]
    }
    assert isinstance(together, Cotenancy)


def test_the_review_page_names_the_cluster_of_each_pair(client, cast) -> None:
    hofje(cast, 2)
    approved(cast, 30)
    call_command("match-batch", region=cast.region.slug, stdout=StringIO())
    run = BatchRun.objects.get()
    assert run.report["clusters"] == 1
    client.force_login(cast.coordinator)
    page = client.get(reverse("matching:batch_run", args=[run.pk])).content.decode()
    assert "Hofje Zuiderpark" in page and "Kamer" in page


def test_a_mark_not_together_keeps_two_pool_clients_out_of_one_cluster(cast) -> None:
    """The care provider's mark, stored for the ranking, binds the batch as well."""
    from instroom.matching.models import CotenantMark

    rules(cast, max_age_gap=0, max_heavy=0, respect_marks=True)
    cluster, _places = hofje(cast, 2)
    a, b = approved(cast, 30), approved(cast, 31)
    CotenantMark.objects.create(
        region=cast.region, client=a.client, other=b.client, reason="Eerder conflict"
    )
    report = batch.run(cast.region)
    in_cluster = {
        p.application_id for p in report.pairs if p.cluster and p.cluster.pk == cluster.pk
    }
    assert in_cluster and not {a.pk, b.pk} <= in_cluster

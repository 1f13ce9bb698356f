"""Clusters from the database to the pure co-tenancy rule (`matching.cotenancy`): the region's
rules in force, the people in (or matched to) a cluster's places, and a candidate as a
`cotenancy.Person`. Shared by the ranking, the proposal and batch matching, so that the rule is
the same everywhere."""

from datetime import date

from django.db.models import Q

from instroom.applications.models import Application, Client
from instroom.homes.constants import HomeState
from instroom.homes.models import Home
from instroom.regions.selectors import rules_for

from . import cotenancy
from .constants import ACTIVE_MATCH_STATES
from .models import CotenantMark, Match


def cotenancy_config(region_id: int, *, on: date | None = None) -> cotenancy.Config:
    """The region's co-tenancy rules in force (`rules.matching.cotenancy`) for the pure rule;
    0 switches a limit off."""
    rules = rules_for(region_id, on=on).rules.matching.cotenancy
    return cotenancy.Config(
        max_age_gap=rules.max_age_gap,
        max_heavy=rules.max_heavy,
        respect_marks=rules.respect_marks,
    )


def heavy_weights(region_id: int, *, on: date | None = None) -> frozenset[str]:
    return frozenset(rules_for(region_id, on=on).rules.matching.cotenancy.heavy_weights)


def age_on(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def marks_of(client_ids: list[int]) -> dict[int, frozenset[int]]:
    """Each client's active "not together" marks, both ways: client id → the other client ids."""
    out: dict[int, set[int]] = {c: set() for c in client_ids}
    for a, b in CotenantMark.objects.filter(
        Q(client_id__in=client_ids) | Q(other_id__in=client_ids), withdrawn_at__isnull=True
    ).values_list("client_id", "other_id"):
        if a in out:
            out[a].add(b)
        if b in out:
            out[b].add(a)
    return {c: frozenset(ids) for c, ids in out.items()}


def _person(
    client: Client,
    application: Application | None,
    *,
    today: date,
    heavy: frozenset[str],
    avoid: frozenset[int],
) -> cotenancy.Person:
    weight = application.dossier_weight if application is not None else ""
    return cotenancy.Person(
        client_id=client.pk,
        label=client.candidate_number,
        age=age_on(client.date_of_birth, today),
        heavy=bool(weight) and weight in heavy,
        avoid=avoid,
    )


def cluster_residents(
    cluster_id: int, *, today: date, exclude_home_id: int | None = None
) -> list[cotenancy.Person]:
    """The people in or matched to the cluster's places now: an active match (proposed,
    agreed, accepted — an accepted match stays so under its contract) on a place that is not
    withdrawn. `exclude_home_id` leaves out the place being ranked or proposed for."""
    found = Match.objects.filter(
        home__cluster_id=cluster_id,
        state__in=sorted(ACTIVE_MATCH_STATES),
        home__state__in=[HomeState.PROPOSED, HomeState.LET],
    )
    if exclude_home_id is not None:
        found = found.exclude(home_id=exclude_home_id)
    matches = list(
        found.select_related("client", "application", "home").order_by("home__place", "pk")
    )
    if not matches:
        return []
    region_id = matches[0].home.region_id
    heavy = heavy_weights(region_id, on=today)
    marks = marks_of([m.client_id for m in matches])
    return [
        _person(m.client, m.application, today=today, heavy=heavy, avoid=marks[m.client_id])
        for m in matches
    ]


def person_for(
    application_or_client: Application | Client, *, today: date, region_id: int
) -> cotenancy.Person:
    """A candidate as a `cotenancy.Person` (label: the candidate number). Given a client, its
    latest application gives the dossier weight."""
    if isinstance(application_or_client, Application):
        application: Application | None = application_or_client
        client = application_or_client.client
    else:
        client = application_or_client
        application = client.applications.order_by("-pk").first()
    heavy = heavy_weights(region_id, on=today)
    return _person(
        client, application, today=today, heavy=heavy, avoid=marks_of([client.pk])[client.pk]
    )


def cluster_fit(home: Home, application: Application, *, today: date) -> cotenancy.Fit | None:
    """How a candidate fits the people already in the home's cluster (None: not a cluster)."""
    if home.cluster_id is None:
        return None
    residents = cluster_residents(home.cluster_id, today=today, exclude_home_id=home.pk)
    candidate = person_for(application, today=today, region_id=home.region_id)
    return cotenancy.fit(candidate, residents, cotenancy_config(home.region_id, on=today))

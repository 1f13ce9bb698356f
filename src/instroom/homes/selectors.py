"""Reads on homes, scoped by the policy."""

from dataclasses import dataclass

from django.db.models import QuerySet

from instroom.accounts.models import User
from instroom.policy import rules
from instroom.regions.models import Organisation

from .constants import HomeState
from .models import Cluster, Home


def home_list(*, actor: User, state: str | None = None) -> QuerySet[Home]:
    qs = Home.objects.filter(rules.home_scope(actor)).select_related(
        "municipality", "neighbourhood", "corporation"
    )
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("available_from", "pk")


def home_get(*, actor: User, pk: int) -> Home:
    """One home for `actor`, or Home.DoesNotExist (a 404) when out of their scope."""
    return home_list(actor=actor).get(pk=pk)


def corporations_offering(*, actor: User) -> QuerySet[Organisation]:
    """The corporations whose homes the actor offers."""
    return Organisation.objects.filter(pk__in=rules.scope_for(actor).corporations)


def own_homes(*, actor: User) -> QuerySet[Home]:
    """The homes of the corporations the actor offers for (not the region's other homes)."""
    return home_list(actor=actor).filter(corporation_id__in=rules.scope_for(actor).corporations)


def cluster_get(*, actor: User, pk: int) -> Cluster:
    """One cluster for `actor` (one of its places in their `home_scope`), or
    Cluster.DoesNotExist (a 404)."""
    return (
        Cluster.objects.filter(pk=pk, homes__in=home_list(actor=actor))
        .select_related("corporation", "support_provider", "region")
        .distinct()
        .get()
    )


@dataclass(frozen=True)
class PlaceShown:
    home: Home
    occupied: bool  # someone lives there or is matched to it
    candidate_number: str  # pseudonymised: never a name


def cluster_places(cluster: Cluster) -> list[PlaceShown]:
    """The places of a cluster with their state and who is in or matched to each (by candidate
    number: the latest match of a proposed or let place; the matching stage keeps one active
    match per home)."""
    homes = list(
        cluster.homes.select_related("municipality", "neighbourhood").order_by("place", "pk")
    )
    occupied = {h.pk for h in homes if h.state in (HomeState.PROPOSED, HomeState.LET)}
    latest: dict[int, tuple[int, str]] = {}
    for home_id, match_id, number in Home.objects.filter(
        pk__in=occupied, matches__isnull=False
    ).values_list("pk", "matches__pk", "matches__client__candidate_number"):
        if home_id not in latest or match_id > latest[home_id][0]:
            latest[home_id] = (match_id, number)
    return [
        PlaceShown(h, h.pk in occupied, latest.get(h.pk, (0, ""))[1] if h.pk in occupied else "")
        for h in homes
    ]

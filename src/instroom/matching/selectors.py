"""Reads of the match point, scoped by the policy."""

from typing import Any

from django.db.models import QuerySet

from instroom.homes.models import Home
from instroom.policy import rules

from .constants import ACTIVE_MATCH_STATES
from .models import Match, Parking, RankingSnapshot, Refusal


def match_list(*, actor: Any, active: bool | None = None) -> QuerySet[Match]:
    qs = Match.objects.filter(rules.match_scope(actor)).select_related(
        "home", "home__municipality", "home__corporation", "client", "client__care_provider"
    )
    if active is True:
        qs = qs.filter(state__in=ACTIVE_MATCH_STATES)
    elif active is False:
        qs = qs.exclude(state__in=ACTIVE_MATCH_STATES)
    return qs.order_by("-state_changed_at", "-pk")


def match_get(*, actor: Any, pk: int) -> Match:
    return match_list(actor=actor).get(pk=pk)


def snapshot_get(*, actor: Any, pk: int) -> RankingSnapshot:
    homes = Home.objects.filter(rules.home_scope(actor))
    return RankingSnapshot.objects.select_related("home", "created_by").get(pk=pk, home__in=homes)


def snapshots_of(home: Home, limit: int = 10) -> list[RankingSnapshot]:
    return list(
        RankingSnapshot.objects.filter(home=home)
        .only("pk", "created_at", "purpose", "pool_size", "created_by")
        .select_related("created_by")[:limit]
    )


def refusals_pending(*, actor: Any) -> QuerySet[Refusal]:
    regions = rules.actor_context(actor).regions("coordinator")
    return (
        Refusal.objects.filter(match__region_id__in=regions, review="pending")
        .select_related("match", "match__home", "match__client", "application")
        .order_by("match__state_changed_at")
    )


def parkings_active(*, actor: Any) -> QuerySet[Parking]:
    regions = rules.actor_context(actor).regions("coordinator")
    return (
        Parking.objects.filter(application__client__region_id__in=regions, ended_on__isnull=True)
        .select_related("application__client")
        .order_by("until")
    )

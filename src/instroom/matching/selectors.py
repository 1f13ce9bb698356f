"""Reads of the match point, scoped by the policy."""

from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from instroom.accounts.models import User
from instroom.applications.models import Application, Client
from instroom.homes.models import Home
from instroom.policy import rules
from instroom.regions.models import Region

from .constants import ACTIVE_MATCH_STATES, MatchState
from .models import BatchRun, CotenantMark, Match, Parking, RankingSnapshot, Refusal
from .ranking import POOL_STATES


def match_list(*, actor: User, active: bool | None = None) -> QuerySet[Match]:
    qs = Match.objects.filter(rules.match_scope(actor)).select_related(
        "home", "home__municipality", "home__corporation", "client", "client__care_provider"
    )
    if active is True:
        qs = qs.filter(state__in=ACTIVE_MATCH_STATES)
    elif active is False:
        qs = qs.exclude(state__in=ACTIVE_MATCH_STATES)
    return qs.order_by("-state_changed_at", "-pk")


def offers_to_answer(*, actor: User) -> QuerySet[Match]:
    """Offers waiting for the answer of the care provider the actor writes applications for."""
    return match_list(actor=actor, active=True).filter(
        client__care_provider_id__in=rules.scope_for(actor).writing_organisations,
        state__in=[MatchState.PROPOSED, MatchState.PROVIDER_ACCEPTED],
    )


def match_get(*, actor: User, pk: int) -> Match:
    """One offer, with the named contacts its page shows."""
    return (
        match_list(actor=actor)
        .select_related("contact_corporation", "contact_care", "contact_service_point")
        .get(pk=pk)
    )


def snapshot_get(*, actor: User, pk: int) -> RankingSnapshot:
    homes = Home.objects.filter(rules.home_scope(actor))
    return RankingSnapshot.objects.select_related("home", "created_by").get(pk=pk, home__in=homes)


def snapshots_of(home: Home, limit: int = 10) -> list[RankingSnapshot]:
    return list(
        RankingSnapshot.objects.filter(home=home)
        .only("pk", "created_at", "purpose", "pool_size", "created_by")
        .select_related("created_by")[:limit]
    )


def refusals_of(*, actor: User) -> QuerySet[Refusal]:
    """Refusals in the regions whose refusals the actor judges (the service point)."""
    regions = rules.scope_for(actor).coordinated_regions
    return Refusal.objects.filter(match__region_id__in=regions)


def refusals_pending(*, actor: User) -> QuerySet[Refusal]:
    return (
        refusals_of(actor=actor)
        .filter(review="pending")
        .select_related("match", "match__home", "match__client", "application")
        .order_by("match__state_changed_at")
    )


def parkings_of(*, actor: User) -> QuerySet[Parking]:
    """Parkings of the clients of the regions the actor coordinates."""
    regions = rules.scope_for(actor).coordinated_regions
    return Parking.objects.filter(application__client__region_id__in=regions)


def parkings_active(*, actor: User) -> QuerySet[Parking]:
    return (
        parkings_of(actor=actor)
        .filter(ended_on__isnull=True)
        .select_related("application__client")
        .order_by("until")
    )


def batch_regions(*, actor: User) -> QuerySet[Region]:
    """The regions the actor may run batch matching for, by name."""
    return Region.objects.filter(pk__in=rules.scope_for(actor).coordinated_regions).order_by("name")


def batch_runs_of(*, actor: User) -> QuerySet[BatchRun]:
    return BatchRun.objects.filter(region_id__in=rules.scope_for(actor).coordinated_regions)


def pool(*, actor: User, today: date) -> QuerySet[Application]:
    """The pool (bemiddelbaar) of the regions the actor coordinates: approved and parked
    clients, most urgent first, then longest waiting; each with its running parking (if any) in
    `running_parkings`. Three queries, however many clients."""
    regions = rules.scope_for(actor).coordinated_regions
    running = Parking.objects.filter(ended_on__isnull=True, until__gte=today).order_by("until")
    return (
        Application.objects.filter(state__in=POOL_STATES, client__region_id__in=regions)
        .select_related(
            "client",
            "client__municipality_of_origin",
            "client__care_provider",
            "client__support_provider",
            "table",
        )
        .prefetch_related(Prefetch("parkings", queryset=running, to_attr="running_parkings"))
        .order_by("-urgency", "decided_at", "pk")
    )


def cotenant_marks(*, actor: User, active: bool = True) -> QuerySet[CotenantMark]:
    """The "not together" marks the actor may see and withdraw (`rules.cotenant_mark_scope`)."""
    qs = CotenantMark.objects.filter(rules.cotenant_mark_scope(actor)).select_related(
        "client", "other"
    )
    if active:
        qs = qs.filter(withdrawn_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def client_to_mark(*, actor: User, number: str) -> Client | None:
    """The client of this case or candidate number whom the actor may mark, else None (the
    same answer for a client of someone else as for no client at all)."""
    number = (number or "").strip()
    if not number:
        return None
    client = Client.objects.filter(
        Q(case_number__iexact=number) | Q(candidate_number__iexact=number)
    ).first()
    if client is None or not rules.may_mark_cotenants(actor, client):
        return None
    return client

"""Reads on clients and applications: scoped by the policy, minimised per role, and logged."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from instroom.accounts.models import User
from instroom.audit import services as audit
from instroom.policy import rules
from instroom.policy.rules import PERSONAL_DETAIL, Audience, Detail, FieldGroup
from instroom.regions.models import Organisation

from .constants import CaseState
from .models import Application, Client


def application_list(*, actor: User, state: str | None = None) -> QuerySet[Application]:
    qs = Application.objects.filter(
        client__in=Client.objects.filter(rules.client_scope(actor))
    ).select_related(
        "client",
        "client__municipality_of_origin",
        "client__care_provider",
        "client__support_provider",
    )
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-state_changed_at", "-pk")


# The client list's orders: a name a person reads (the form's `sort` choice) -> the columns.
_STATE_ORDER = Case(
    *(When(state=value, then=Value(i)) for i, value in enumerate(CaseState.values)),
    default=Value(len(CaseState.values)),
    output_field=IntegerField(),
)
CLIENT_LIST_SORTS: dict[str, tuple[Any, ...]] = {
    "case": ("client__case_number",),
    "name": ("client__last_name", "client__first_name", "client__case_number"),
    "state": (_STATE_ORDER, "-state_changed_at"),
    "since": ("state_changed_at",),
}


def _search(actor: User, term: str) -> Q:
    """Every word matches a name, the case number or the candidate number; a BSN (nine digits)
    matches only where the actor may see the BSN (`rules.bsn_search_scope`)."""
    found = Q()
    for word in term.split():
        found &= (
            Q(client__first_name__icontains=word)
            | Q(client__last_name__icontains=word)
            | Q(client__case_number__icontains=word)
            | Q(client__candidate_number__iexact=word)
        )
    if len(term) == 9 and term.isdigit():
        bsn_clients = Client.objects.filter(rules.bsn_search_scope(actor)).filter(bsn=term)
        found |= Q(client__in=bsn_clients)
    return found


def client_list(
    *,
    actor: User,
    q: str = "",
    state: str | None = None,
    table: Any = None,
    care_provider: Any = None,
    source: str | None = None,
    municipality: Any = None,
    sort: str | None = None,
) -> QuerySet[Application]:
    """The client list with its search, filters and order (state left out: see
    `client_list_counts`)."""
    qs = application_list(actor=actor, state=state)
    if q := q.strip():
        qs = qs.filter(_search(actor, q))
    if table is not None:
        qs = qs.filter(table=table)
    if care_provider is not None:
        qs = qs.filter(client__care_provider=care_provider)
    if source:
        qs = qs.filter(client__source=source)
    if municipality is not None:
        qs = qs.filter(client__municipality_of_origin=municipality)
    if sort:
        key = sort.removeprefix("-")
        if key in CLIENT_LIST_SORTS:
            columns = CLIENT_LIST_SORTS[key]
            if sort.startswith("-"):
                columns = tuple(_descending(c) for c in columns)
            qs = qs.order_by(*columns, "-pk")
    return qs


def _descending(column: Any) -> Any:
    if isinstance(column, str):
        return column[1:] if column.startswith("-") else f"-{column}"
    return column.desc()


def client_list_counts(qs: QuerySet[Application]) -> dict[str, int]:
    """The number of rows per state of a client list, in one aggregate query."""
    totals = qs.order_by().aggregate(
        **{f"n_{value}": Count("pk", filter=Q(state=value)) for value in CaseState.values}
    )
    return {value: totals[f"n_{value}"] or 0 for value in CaseState.values}


def care_providers_writing(*, actor: User) -> QuerySet[Organisation]:
    """The care providers the actor writes applications for."""
    return Organisation.objects.filter(pk__in=rules.scope_for(actor).writing_organisations)


def applications_to_complete(*, actor: User) -> QuerySet[Application]:
    """Drafts and returned applications of the care providers the actor writes for."""
    return application_list(actor=actor).filter(
        client__care_provider_id__in=rules.scope_for(actor).writing_organisations,
        state__in=[CaseState.DRAFT, CaseState.RETURNED],
    )


def supported_applications(*, actor: User) -> QuerySet[Application]:
    """Applications that name the actor's organisation as the support provider."""
    return application_list(actor=actor).filter(
        client__support_provider_id__in=rules.scope_for(actor).supporting_organisations
    )


def check_queue(*, actor: User) -> QuerySet[Application]:
    """Submitted applications in the coordinator's regions, oldest first."""
    regions = rules.scope_for(actor).coordinated_regions
    return (
        Application.objects.filter(state=CaseState.SUBMITTED, client__region_id__in=regions)
        .select_related(
            "client",
            "client__municipality_of_origin",
            "client__care_provider",
            "client__support_provider",
        )
        .order_by("state_changed_at", "pk")
    )


@dataclass(frozen=True)
class ClientView:
    """A client as one user may see them: only the field groups of the minimisation table
    (`policy.rules.MINIMISATION`) that their relationship to the client allows."""

    client: Client
    level: Detail
    fields: dict[str, Any]
    audiences: frozenset[Audience] = frozenset()
    groups: frozenset[FieldGroup] = frozenset()

    def __getattr__(self, name: str) -> Any:  # template access: view.first_name
        try:
            return self.fields[name]
        except KeyError:
            raise AttributeError(name) from None

    def groups_for(self, application: Application) -> frozenset[FieldGroup]:
        """The groups of one application's file this user sees (a draft: its writer only)."""
        return rules.visible_groups(self.audiences, application.state)

    def sees(self, group: FieldGroup, application: Application | None = None) -> bool:
        groups = self.groups if application is None else self.groups_for(application)
        return group in groups


def minimise(actor: User, client: Client) -> ClientView:
    return minimise_many(actor, [client])[0]


def minimise_many(actor: User, clients: list[Client]) -> list[ClientView]:
    """`minimise` for a page of clients, at a number of queries that does not grow with it."""
    found = rules.clients_audiences(actor, clients)
    views = []
    for client in clients:
        audiences = found[client.pk]
        groups = rules.visible_groups(audiences)
        views.append(
            ClientView(
                client=client,
                level=rules.detail_level(audiences),
                fields={name: getattr(client, name) for name in rules.client_fields(groups)},
                audiences=audiences,
                groups=groups,
            )
        )
    return views


def log_reads(*, actor: User, views: list[ClientView], action: str, purpose: str) -> None:
    audit.record_access(
        actor=actor,
        clients=[v.client for v in views if v.level in PERSONAL_DETAIL],
        action=action,
        purpose=purpose,
    )


def client_get(*, actor: User, pk: int, purpose: str) -> ClientView:
    """One client for `actor`, or Client.DoesNotExist when out of their scope (a 404, so that
    the existence of a case is not revealed). The read is logged."""
    client = (
        Client.objects.filter(rules.client_scope(actor))
        .select_related("municipality_of_origin", "care_provider", "support_provider")
        .get(pk=pk)
    )
    view = minimise(actor, client)
    log_reads(actor=actor, views=[view], action="client.view", purpose=purpose)
    return view


@dataclass(frozen=True)
class LeadTimes:
    submitted_to_complete_days: int | None
    complete_to_decision_days: int | None
    waiting_for_decision_days: int | None  # complete, no decision yet: days so far
    target_days: int

    @property
    def over_target(self) -> bool:
        days = self.complete_to_decision_days
        if days is None:
            days = self.waiting_for_decision_days
        return days is not None and days > self.target_days


def records_of_the_same_person(*, actor: User, client: Client) -> QuerySet[Client]:
    """The earlier and later client records of this person (same BSN, linked at intake) that
    the actor may open: the service point sees a returning client's history; a care provider
    only the records of its own clients."""
    return (
        Client.objects.filter(rules.client_scope(actor))
        .filter(Q(pk=client.previous_client_id) | Q(previous_client_id=client.pk))
        .exclude(pk=client.pk)
        .order_by("created_at")
    )


def lead_times(application: Application, *, today: Any = None) -> LeadTimes:
    from django.utils import timezone

    now = today or timezone.now()

    def days(start: Any, end: Any) -> int | None:
        return (end - start).days if start and end else None

    a = application
    return LeadTimes(
        submitted_to_complete_days=days(a.submitted_at, a.completed_at),
        complete_to_decision_days=days(a.completed_at, a.decided_at),
        waiting_for_decision_days=days(a.completed_at, now) if not a.decided_at else None,
        target_days=a.client.region.decision_lead_time_weeks * 7,
    )


def awaiting_decision(*, actor: User) -> list[tuple[Application, LeadTimes]]:
    """Complete, scheduled and deferred cases of the coordinator's regions, longest waiting
    first, with their lead times against the region's target."""
    regions = rules.scope_for(actor).coordinated_regions
    applications = (
        Application.objects.filter(
            client__region_id__in=regions,
            state__in=[CaseState.COMPLETE, CaseState.SCHEDULED, CaseState.DEFERRED],
        )
        .select_related("client", "client__region", "table")
        .order_by("completed_at", "pk")[:50]
    )
    return [(a, lead_times(a)) for a in applications]

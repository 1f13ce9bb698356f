"""Reads of the support stage, always through the policy's scope for the acting user."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from instroom.accounts.models import User
from instroom.audit import services as audit
from instroom.dates import add_months
from instroom.matching.constants import MatchState
from instroom.matching.models import Match
from instroom.policy import rules
from instroom.regions.models import Region

from .constants import OPEN_MEETING_STATES, SUPPORT_STATES, TimeOutState
from .models import (
    CaseTableItem,
    CaseTableSession,
    Contract,
    Meeting,
    OrientationActivity,
    Signal,
    TimeOutPlace,
)
from .services import meeting_attention, support_rules


def contract_list(*, actor: User) -> QuerySet[Contract]:
    return (
        Contract.objects.filter(rules.contract_scope(actor))
        .select_related("client", "home__municipality", "home__corporation", "support_worker")
        .order_by("-state_changed_at", "-pk")
    )


def contract_get(*, actor: User, pk: int) -> Contract:
    return (
        contract_list(actor=actor)
        .select_related(
            "region", "client__support_provider", "client__care_provider", "welfare_organisation"
        )
        .get(pk=pk)
    )


def awaiting_contract(*, actor: User) -> QuerySet[Match]:
    """Accepted matches without a contract, for whoever draws contracts up."""
    mine = rules.scope_for(actor)
    scope = Q(home__corporation_id__in=mine.corporations) | Q(
        region_id__in=mine.coordinated_regions
    )
    return (
        Match.objects.filter(scope, state=MatchState.ACCEPTED, contract__isnull=True)
        .select_related("home", "client")
        .order_by("state_changed_at")
    )


def meeting_get(*, actor: User, pk: int) -> Meeting:
    return Meeting.objects.select_related(
        "contract__client", "contract__home", "contract__region"
    ).get(pk=pk, contract__in=Contract.objects.filter(rules.contract_scope(actor)))


def signal_get(*, actor: User, pk: int) -> Signal:
    return Signal.objects.select_related("contract__client", "contract__home", "reported_by").get(
        pk=pk, contract__in=Contract.objects.filter(rules.contract_scope(actor))
    )


def my_meetings(*, actor: User) -> QuerySet[Meeting]:
    """Open meetings of the support worker's contracts (their own first, then unassigned ones
    of their organisation); for a coordinator, every open meeting of the region."""
    mine = rules.scope_for(actor)
    scope = Q(contract__support_worker=actor) | Q(
        contract__support_worker__isnull=True,
        contract__client__support_provider_id__in=mine.supporting_organisations,
    )
    if regions := mine.coordinated_regions:
        scope |= Q(contract__region_id__in=regions)
    return (
        Meeting.objects.filter(
            scope, state__in=OPEN_MEETING_STATES, contract__state__in=SUPPORT_STATES
        )
        .select_related(
            "contract__client__municipality_of_origin",
            "contract__client__care_provider",
            "contract__client__support_provider",
            "contract__region",
        )
        .order_by("due_on", "pk")
    )


def feed_meetings(user: User) -> QuerySet[Meeting]:
    """The meetings in a support worker's calendar: planned, of contracts assigned to them."""
    return (
        Meeting.objects.filter(
            contract__support_worker=user,
            state__in=OPEN_MEETING_STATES,
            planned_at__isnull=False,
            contract__state__in=SUPPORT_STATES,
        )
        .select_related("contract__client")
        .order_by("planned_at")
    )


def attention_for(meetings: list[Meeting], today: date) -> dict[int, str]:
    configs: dict[int, int] = {}
    out: dict[int, str] = {}
    for meeting in meetings:
        region_id = meeting.contract.region_id
        if region_id not in configs:
            configs[region_id] = support_rules(region_id).plan_days_before
        out[meeting.pk] = meeting_attention(meeting, today, configs[region_id])
    return out


@dataclass(frozen=True)
class Orientation:
    activities: list[OrientationActivity]
    move_on: date | None
    needed_from: date | None  # the latest date orientation should have started
    first_on: date | None
    months_before: int = 6  # the region's setting

    @property
    def late(self) -> bool:
        """Flag: the moment orientation should have started (the region's months before the
        move) has passed without orientation by then. While that moment is still ahead there is
        nothing to flag, whatever is planned."""
        if self.needed_from is None or timezone.localdate() <= self.needed_from:
            return False
        return self.first_on is None or self.first_on > self.needed_from


def orientation(contract: Contract) -> Orientation:
    months = support_rules(contract.region_id).orientation_months_before
    activities = list(
        OrientationActivity.objects.filter(client=contract.client, removed_at__isnull=True)
    )
    move_on = contract.moved_in_on or contract.planned_move_in_on
    return Orientation(
        activities=activities,
        move_on=move_on,
        needed_from=add_months(move_on, -months) if move_on else None,
        first_on=activities[0].on if activities else None,
        months_before=months,
    )


def coordinated_regions(*, actor: User) -> QuerySet[Region]:
    """The regions the actor coordinates: runs their case table, follows their contracts."""
    return Region.objects.filter(pk__in=rules.scope_for(actor).coordinated_regions)


def timeout_places(*, actor: User, today: date | None = None) -> QuerySet[TimeOutPlace]:
    """The registers of time-out places the actor may read, each place with `occupied` (the
    time-outs it holds today: active ones that have started; one past its end date holds its
    bed until the end is recorded) and `upcoming` (booked, not started yet). Counts only: who
    is there is on the client's contract page."""
    today = today or timezone.localdate()
    active = Q(timeouts__state=TimeOutState.ACTIVE)
    return (
        TimeOutPlace.objects.filter(region_id__in=rules.timeout_place_regions(actor))
        .select_related("region", "provider", "municipality")
        .annotate(
            occupied=Count("timeouts", filter=active & Q(timeouts__starts_on__lte=today)),
            upcoming=Count("timeouts", filter=active & Q(timeouts__starts_on__gt=today)),
        )
        .order_by("region__name", "-active", "name", "pk")
    )


def case_table_item_get(*, actor: User, pk: int) -> CaseTableItem | None:
    """A case of a case table the actor runs; None when out of their scope."""
    regions = rules.scope_for(actor).coordinated_regions
    return CaseTableItem.objects.filter(pk=pk, signal__contract__region_id__in=regions).first()


def handed_over(*, actor: User) -> QuerySet[Contract]:
    """Tenancies in support handed over to the actor's welfare organisation (soft landing)."""
    return contract_list(actor=actor).filter(
        welfare_organisation_id__in=rules.scope_for(actor).welfare_organisations,
        state__in=SUPPORT_STATES,
    )


def case_table(*, actor: User) -> tuple[QuerySet[CaseTableSession], QuerySet[CaseTableItem]]:
    regions = rules.scope_for(actor).coordinated_regions
    sessions = CaseTableSession.objects.filter(region_id__in=regions).order_by("-starts_at")
    waiting = CaseTableItem.objects.filter(
        signal__contract__region_id__in=regions, session__isnull=True, decided_at__isnull=True
    ).select_related("signal__contract__client")
    return sessions, waiting


def session_get(*, actor: User, pk: int) -> CaseTableSession:
    regions = rules.scope_for(actor).coordinated_regions
    return CaseTableSession.objects.get(pk=pk, region_id__in=regions)


def log_client_read(*, actor: User, contracts: list[Contract], purpose: str) -> None:
    """Every page that shows a client's name logs it (who, when, which client, why)."""
    shown = [
        c.client
        for c in contracts
        if rules.client_detail_level(actor, c.client) in rules.PERSONAL_DETAIL
    ]
    if shown:
        audit.record_access(actor=actor, clients=shown, action="client.view", purpose=purpose)


@dataclass(frozen=True)
class ContractMix:
    region: str
    three_party: int
    care_lease: int
    target: float  # the region's share of three-party contracts, e.g. 0.85

    @property
    def total(self) -> int:
        return self.three_party + self.care_lease

    @property
    def share(self) -> float | None:
        return self.three_party / self.total if self.total else None

    @property
    def below_target(self) -> bool:
        return self.share is not None and self.share < self.target


def contract_mix(*, actor: User) -> list[ContractMix]:
    """Signed contracts per form in the coordinator's regions, against the region's target."""
    from django.db.models import Count

    from instroom.regions.selectors import rules_for

    from .constants import SIGNED_STATES

    regions = coordinated_regions(actor=actor)
    rows = (
        Contract.objects.filter(region__in=regions, state__in=SIGNED_STATES)
        .values("region_id", "form")
        .annotate(n=Count("pk"))
    )
    # Forms whose tenant is the client count as three-party, the others as rented to the care
    # provider first (the region's forms of today; an unknown old code as three-party).
    rented_to_provider: dict[int, set[str]] = {}
    mix = []
    for r in regions:
        forms = rules_for(r.pk).rules.contract_form
        rented_to_provider[r.pk] = {f.code for f in forms if f.tenant == "care_provider"}
    counts: dict[tuple[int, bool], int] = {}
    for row in rows:
        key = (row["region_id"], row["form"] in rented_to_provider.get(row["region_id"], set()))
        counts[key] = counts.get(key, 0) + row["n"]
    for r in regions:
        mix.append(
            ContractMix(
                region=r.name,
                three_party=counts.get((r.pk, False), 0),
                care_lease=counts.get((r.pk, True), 0),
                target=float(r.three_party_target),
            )
        )
    return mix

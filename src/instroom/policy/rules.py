"""The one place that answers "may this user see or do this?" — and how much they may see.

Three layers, all here:
1. URL rules: every URL name of the project maps to a rule (the table: `url_rules.py`; a
   test enforces it); the middleware and the API permission class refuse anything without one.
2. Object rules: one named question per thing the product gates (`may_coordinate_region`,
   `may_propose_for_home`, `can_support`, ...), and the scope a user works on (`scope_for`,
   `client_scope`) that selectors filter by. Nothing outside `policy/` reads a role name
   (`policy/tests/test_role_names.py`); who is told of what lives in `policy/audience.py`.
3. Data minimisation: how much of a client a user may see (`client_detail_level`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Q

from instroom.accounts.constants import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from instroom.accounts.models import User


@dataclass(frozen=True)
class Grant:
    role: str
    organisation_id: int
    organisation_type: str
    region_id: int
    represents_id: int | None


@dataclass(frozen=True)
class Scope:
    """What a user works on, named by what they do there rather than by role: the ids the
    selectors filter by. A user may hold several at once."""

    coordinated_regions: frozenset[int]  # the service point: every case of these regions
    administered_regions: frozenset[int]  # configuration of these regions, no case content
    writing_organisations: frozenset[int]  # care providers whose applications the user writes
    supporting_organisations: frozenset[int]  # ambulant care providers whose clients they support
    corporations: frozenset[int]  # corporations whose homes the user offers
    welfare_organisations: frozenset[int]  # welfare organisations tenancies are handed over to
    police_organisations: frozenset[int]  # police: a case only when invited to its session
    represented_municipalities: frozenset[int]  # municipalities the user speaks for (aggregates)
    sits_on_tables: bool  # assesses the cases on the agendas of their tables
    regions: frozenset[int]  # every region the user works in, whatever they do there


@dataclass
class ActorContext:
    grants: list[Grant] = field(default_factory=list)
    is_superuser: bool = False
    assessment_ids: frozenset[int] | None = None

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def organisations(self, *roles: str) -> frozenset[int]:
        return frozenset(g.organisation_id for g in self.grants if g.role in roles)

    def regions(self, *roles: str) -> frozenset[int]:
        return frozenset(g.region_id for g in self.grants if not roles or g.role in roles)

    def municipalities(self) -> frozenset[int]:
        return frozenset(
            g.represents_id for g in self.grants if g.role == Role.MUNICIPALITY and g.represents_id
        )

    @cached_property
    def scope(self) -> Scope:
        return Scope(
            coordinated_regions=self.regions(Role.COORDINATOR),
            administered_regions=self.regions(Role.ADMINISTRATOR),
            writing_organisations=self.organisations(Role.APPLICANT_WORKER),
            supporting_organisations=self.organisations(Role.SUPPORT_WORKER),
            corporations=self.organisations(Role.CORPORATION_STAFF),
            welfare_organisations=self.organisations(Role.WELFARE),
            police_organisations=self.organisations(Role.POLICE),
            represented_municipalities=self.municipalities(),
            sits_on_tables=self.has(Role.TABLE_MEMBER),
            regions=self.regions(),
        )


_ANON = ActorContext()


def actor_context(user: User | AnonymousUser | None) -> ActorContext:
    """The user's active roles, read once per request and kept on the user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return _ANON
    cached = getattr(user, "_instroom_actor", None)
    if cached is not None:
        return cached
    from instroom.accounts.models import Membership

    grants = [
        Grant(
            m.role,
            m.organisation_id,
            m.organisation.type,
            m.organisation.region_id,
            m.organisation.represents_id,
        )
        for m in Membership.objects.filter(
            user_id=cast(int, user.pk), active=True, organisation__active=True
        ).select_related("organisation")
    ]
    ctx = ActorContext(grants=grants, is_superuser=user.is_superuser)
    user._instroom_actor = ctx  # type: ignore[union-attr]
    return ctx


def scope_for(user: User | AnonymousUser | None) -> Scope:
    """What the user works on (nothing, signed out); selectors filter by it."""
    return actor_context(user).scope


def grants_of(user: User | AnonymousUser | None) -> list[Grant]:
    """The user's active memberships (role, organisation, region), e.g. to tell them who they
    are. Never a decision: ask a question below."""
    return list(actor_context(user).grants)


def roles_of(user: User | AnonymousUser | None) -> frozenset[str]:
    """The role codes a user holds: recorded with each change in the audit log, and shown
    (as labels) where a user asks who they are. Never a decision: ask a question below."""
    return actor_context(user).roles


# ---------------------------------------------------------------------------------------------
# 1. URL rules
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    description: str
    check: Callable[[Any], bool]
    login_required: bool = True
    # A page about one client: whoever may not open it is told 404, whatever their role, so
    # the answer never says that the client exists (docs/security.md, "Not found or forbidden").
    conceals: bool = False

    def allows(self, user: Any) -> bool:
        if self.login_required and not getattr(user, "is_authenticated", False):
            return False
        return self.check(user)


def concealed(rule: Rule) -> Rule:
    """The rule, answering 404 instead of 403 to the signed-in users it refuses."""
    return replace(rule, description=f"{rule.description}; others: not found", conceals=True)


def has_role(*roles: str) -> Rule:
    names = ", ".join(roles)
    return Rule(f"signed in with role {names}", lambda u: actor_context(u).has(*roles))


PUBLIC = Rule("anyone, signed in or not", lambda u: True, login_required=False)
SIGNED_IN = Rule("any signed-in user", lambda u: True)
# Django's own site (/admin/) is the platform's: superusers only. Regional administrators
# configure their own region(s) on the regional site (configuration/site.py), whose every page
# is scoped to the regions they administer; `is_staff` plays no part there.
ADMIN_SITE = Rule(
    "superusers (the platform's configuration site)", lambda u: u.is_staff and u.is_superuser
)
REGIONAL_ADMIN_SITE = Rule(
    "administrators of a region (and superusers): the data of their own region(s)",
    lambda u: u.is_superuser or bool(actor_context(u).scope.administered_regions),
)
# The regeling's rules pages: regional administrators (of their own regions, asked per region by
# `may_configure_region`) and superusers (the platform operator).
CONFIGURATOR = Rule(
    "regional administrators (their own regions) and superusers",
    lambda u: u.is_superuser or actor_context(u).has(Role.ADMINISTRATOR),
)
# Roles that work with cases; all of them have a reason to open a client they are entitled to.
CASE_ROLES = (
    Role.COORDINATOR,
    Role.APPLICANT_WORKER,
    Role.SUPPORT_WORKER,
    Role.TABLE_MEMBER,
    Role.CORPORATION_STAFF,
    Role.WELFARE,
    Role.POLICE,
)
CASE_WORKER = has_role(*CASE_ROLES)
COORDINATOR = has_role(Role.COORDINATOR)
APPLICANT = has_role(Role.APPLICANT_WORKER)
REGION_READER = has_role(Role.COORDINATOR, Role.ADMINISTRATOR, Role.MUNICIPALITY)
CORPORATION = has_role(Role.CORPORATION_STAFF)
DISTRIBUTION_READER = has_role(
    Role.COORDINATOR, Role.ADMINISTRATOR, Role.MUNICIPALITY, Role.CORPORATION_STAFF
)
HOME_READER = has_role(Role.CORPORATION_STAFF, Role.COORDINATOR)
# Monitoring: the service point (everything), municipalities (aggregates, suppressed) and
# corporations (their own homes); the report files only for the first two.
REPORT_READER = has_role(Role.COORDINATOR, Role.MUNICIPALITY, Role.CORPORATION_STAFF)
REPORT_EXPORTER = has_role(Role.COORDINATOR, Role.MUNICIPALITY)
MATCH_READER = has_role(
    Role.CORPORATION_STAFF, Role.COORDINATOR, Role.APPLICANT_WORKER, Role.SUPPORT_WORKER
)
# The parties of a tenancy and its support (object access: contract_scope and the can_* below).
SUPPORT_PARTY = has_role(
    Role.CORPORATION_STAFF,
    Role.COORDINATOR,
    Role.APPLICANT_WORKER,
    Role.SUPPORT_WORKER,
    Role.WELFARE,
)
CONTRACT_PARTY = has_role(Role.CORPORATION_STAFF, Role.COORDINATOR)
SUPPORTER = has_role(Role.SUPPORT_WORKER, Role.COORDINATOR)
SIGNAL_REPORTER = has_role(
    Role.CORPORATION_STAFF, Role.COORDINATOR, Role.SUPPORT_WORKER, Role.WELFARE
)


def rule_for(view_name: str, namespaces: list[str] | tuple[str, ...] = ()) -> Rule | None:
    from .url_rules import NAMESPACE_RULES, URL_RULES  # the tables are made of the rules above

    if view_name in URL_RULES:
        return URL_RULES[view_name]
    for namespace in namespaces:
        if namespace in NAMESPACE_RULES:
            return NAMESPACE_RULES[namespace]
    return None


# ---------------------------------------------------------------------------------------------
# 2. Object rules
# ---------------------------------------------------------------------------------------------


# Roles that see personal data (DOMAIN.md §2) sign in with a second factor; so do
# administrators, who manage who sees what. Municipality users see aggregates only.
SECOND_FACTOR_ROLES = frozenset(set(Role.values) - {Role.MUNICIPALITY})
# Pages an unverified session may still reach: signing in, setting up or entering the code.
SECOND_FACTOR_EXEMPT = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:otp_setup",
        "accounts:otp_verify",
        "accounts:sso_start",
        "accounts:sso_callback",
        "set_language",
        "healthz",
    }
)


def needs_second_factor(user: User | AnonymousUser) -> bool:
    from django.conf import settings

    if not settings.INSTROOM_2FA_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    ctx = actor_context(user)
    return ctx.is_superuser or bool(ctx.roles & SECOND_FACTOR_ROLES)


def second_factor_missing(user: User | AnonymousUser) -> bool:
    """Signed in with a password only, while the role demands a second factor."""
    return needs_second_factor(user) and not user.is_verified()  # type: ignore[union-attr]


# The main menu: the entries each role finds there. The menu only hides links a user has no use
# for; the URL rules and the questions below decide access.
MENU: dict[str, frozenset[str]] = {
    "clients": frozenset({Role.COORDINATOR, Role.APPLICANT_WORKER, Role.SUPPORT_WORKER}),
    "sessions": frozenset({Role.COORDINATOR, Role.TABLE_MEMBER, Role.POLICE}),
    "homes": frozenset({Role.COORDINATOR, Role.CORPORATION_STAFF}),
    "distribution": frozenset(
        {Role.COORDINATOR, Role.MUNICIPALITY, Role.CORPORATION_STAFF, Role.ADMINISTRATOR}
    ),
    "forecast": frozenset({Role.COORDINATOR, Role.MUNICIPALITY, Role.ADMINISTRATOR}),
    "monitoring": frozenset({Role.COORDINATOR, Role.MUNICIPALITY, Role.CORPORATION_STAFF}),
    "offers": frozenset(
        {Role.COORDINATOR, Role.CORPORATION_STAFF, Role.APPLICANT_WORKER, Role.SUPPORT_WORKER}
    ),
    "contracts": frozenset(
        {
            Role.COORDINATOR,
            Role.CORPORATION_STAFF,
            Role.APPLICANT_WORKER,
            Role.SUPPORT_WORKER,
            Role.WELFARE,
        }
    ),
    "meetings": frozenset({Role.COORDINATOR, Role.SUPPORT_WORKER}),
    # the care provider's "not together" marks for clusters
    "marks": frozenset({Role.COORDINATOR, Role.APPLICANT_WORKER}),
    # case table, refusals, batch matching, the pool, the check queue and the access log
    "service_point": frozenset({Role.COORDINATOR}),
    # the rules of the regeling (`/beheer/`)
    "configure": frozenset({Role.ADMINISTRATOR}),
}


def menu_for(user: User | AnonymousUser | None) -> dict[str, bool]:
    """Which entries of the main menu the user sees (none, signed out or without a role)."""
    ctx = actor_context(user)
    roles = ctx.roles
    if not roles and not ctx.is_superuser:
        return {}
    flags = {entry: bool(roles & allowed) for entry, allowed in MENU.items()}
    flags["configure"] = flags["configure"] or ctx.is_superuser
    return flags


def can_use_api_tokens(user: User) -> bool:
    """Roles that work with cases may let their own software use the API as themselves."""
    return CASE_WORKER.allows(user)


def can_revoke_api_token(user: User, token: Any) -> bool:
    """Its owner may revoke an API token; so may a superuser, and an administrator for a user
    they answer for alone: every membership of the owner lies in a region they administer and
    the owner is no superuser (as for removing a second factor). They revoke, never make nor
    read, other users' tokens."""
    ctx = actor_context(user)
    if token.user_id == user.pk or ctx.is_superuser:
        return True
    administered = ctx.scope.administered_regions
    owner = token.user
    return (
        bool(administered)
        and not owner.is_superuser
        and owner.memberships.filter(organisation__region_id__in=administered).exists()
        and not owner.memberships.exclude(organisation__region_id__in=administered).exists()
    )


def can_manage_users(user: User, region_id: int) -> bool:
    ctx = actor_context(user)
    return ctx.is_superuser or region_id in ctx.scope.administered_regions


def may_configure_region(user: User | AnonymousUser, region_id: int) -> bool:
    """Changes the rules of the regeling (and sees their versions and history): the region's
    own administrators and superusers. Never case content: see `client_scope`."""
    ctx = actor_context(user)
    return ctx.is_superuser or region_id in ctx.scope.administered_regions


def configurable_regions(user: User | AnonymousUser) -> frozenset[int] | None:
    """The regions whose rules the user configures; None: every region (a superuser)."""
    ctx = actor_context(user)
    return None if ctx.is_superuser else ctx.scope.administered_regions


def may_coordinate_region(user: User | AnonymousUser, region_id: int) -> bool:
    """The service point of the region: sees every case of it and steers every step."""
    return region_id in scope_for(user).coordinated_regions


def may_take_over_cases(user: User | AnonymousUser, region_id: int) -> bool:
    """Imports the running cases a region brings from its earlier scheme: its service point."""
    return may_coordinate_region(user, region_id)


def takeover_regions(user: User | AnonymousUser) -> list[int]:
    """The regions whose running cases the user may take over."""
    return sorted(scope_for(user).coordinated_regions)


def may_work_in_region(user: User, region_id: int) -> bool:
    """Holds any role in the region (e.g. to be invited to one of its table's cases)."""
    return region_id in scope_for(user).regions


def acting_organisation(user: User, region_id: int) -> int | None:
    """The organisation the user acts for in this region (the first, if several)."""
    for grant in actor_context(user).grants:
        if grant.region_id == region_id:
            return grant.organisation_id
    return None


def client_scope(user: User) -> Q:
    """A filter on Client: the clients this user may open. Nothing, when in doubt."""
    ctx = actor_context(user)
    scope = Q(pk__in=[])
    if regions := ctx.scope.coordinated_regions:
        scope |= Q(region_id__in=regions)
    if orgs := ctx.scope.writing_organisations:
        scope |= Q(care_provider_id__in=orgs)
    if orgs := ctx.scope.supporting_organisations:
        scope |= Q(support_provider_id__in=orgs)
    if ctx.grants and (assessed := _assessed_now(user)):
        # As a list of ids, not a subquery: an OR with a subquery keeps PostgreSQL from using
        # the region and organisation indexes (every client read, at national scale).
        scope |= Q(pk__in=assessed)
    if orgs := ctx.scope.corporations:
        # A corporation meets the person once the care provider has agreed to its proposal.
        scope |= Q(pk__in=corporation_client_ids(orgs))
    if orgs := ctx.scope.welfare_organisations:
        # Welfare and district teams meet the client once the case is handed over to them.
        scope |= Q(pk__in=welfare_client_ids(orgs))
    return scope


def openable_clients(user: User, client_ids: Iterable[int]) -> frozenset[int]:
    """Of these clients, the ones whose page the user may open: a page links a client only
    then (a table member reads a decided case in the minutes, but its page is gone)."""
    from django.apps import apps

    client = apps.get_model("applications", "Client")
    ids = set(client_ids)
    if not ids:
        return frozenset()
    return frozenset(
        client.objects.filter(client_scope(user), pk__in=ids).values_list("pk", flat=True)
    )


def bsn_search_scope(user: User) -> Q:
    """A filter on Client: the clients whose BSN this user sees (the BSN row of the
    minimisation table: the service point and the writing care provider), so a search by BSN
    finds nothing anyone else could not already read."""
    ctx = actor_context(user)
    scope = Q(pk__in=[])
    if regions := ctx.scope.coordinated_regions:
        scope |= Q(region_id__in=regions)
    if orgs := ctx.scope.writing_organisations:
        scope |= Q(care_provider_id__in=orgs)
    return scope


def welfare_client_ids(welfare_ids: frozenset[int]) -> Any:
    from django.apps import apps

    contract = apps.get_model("support", "Contract")
    return contract.objects.filter(welfare_organisation_id__in=welfare_ids).values("client_id")


def corporation_client_ids(corporation_ids: frozenset[int]) -> Any:
    from django.apps import apps

    from instroom.matching.constants import IDENTITY_SHARED_STATES

    match = apps.get_model("matching", "Match")
    return match.objects.filter(
        home__corporation_id__in=corporation_ids, state__in=IDENTITY_SHARED_STATES
    ).values("client_id")


def assessment_client_ids(user: User) -> Any:
    """Clients on an open agenda of a table the user sits on, or of a case they are invited to
    (the only way police see a case): for that session only, until it is closed."""
    from django.apps import apps

    agenda_item = apps.get_model("assessment", "AgendaItem")
    open_items = agenda_item.objects.filter(is_open=True, session__status="planned")
    return open_items.filter(
        Q(session__table__members__user=user, session__table__members__active=True)
        | Q(invitations__user=user)
    ).values("application__client_id")


def _assessed_now(user: User) -> list[int]:
    """The ids of `assessment_client_ids`, read now (a scope is never cached: a session can be
    closed or an invitation made between two reads)."""
    return list(assessment_client_ids(user).values_list("application__client_id", flat=True))


def _assessment_ids(user: User, ctx: ActorContext) -> frozenset[int]:
    """Once per request (the context lives on the user object), so list pages stay flat."""
    if ctx.assessment_ids is None:
        ctx.assessment_ids = frozenset(
            assessment_client_ids(user).values_list("application__client_id", flat=True)
        )
    return ctx.assessment_ids


# -- assessment ---------------------------------------------------------------------------------


def can_plan_sessions(user: User, region_id: int) -> bool:
    return may_coordinate_region(user, region_id)


def may_follow_sessions(user: User | AnonymousUser) -> bool:
    """Has sessions to follow: plans them, sits on a table, or may be invited (police)."""
    scope = scope_for(user)
    return bool(scope.coordinated_regions or scope.sits_on_tables or scope.police_organisations)


def is_chair(user: User, table_id: int) -> bool:
    from django.apps import apps

    member = apps.get_model("assessment", "TableMember")
    return member.objects.filter(user=user, table_id=table_id, is_chair=True, active=True).exists()


def _sits_on(user: User, session: Any) -> bool:
    return bool(session.table.members.filter(user=user, active=True).exists())


def can_see_session(user: User, session: Any) -> bool:
    """Coordinators of the region, members of the table, and anyone invited to one of its cases."""
    if can_plan_sessions(user, session.table.region_id):
        return True
    if _sits_on(user, session):
        return True
    return bool(session.items.filter(invitations__user=user).exists())


def may_read_whole_agenda(user: User, session: Any) -> bool:
    """Coordinators and members see every case of the agenda; someone invited only their case."""
    return can_plan_sessions(user, session.table.region_id) or _sits_on(user, session)


def may_close_session(user: User, session: Any) -> bool:
    return can_plan_sessions(user, session.table.region_id) or is_chair(user, session.table_id)


def invitable_party(user: User) -> str | None:
    """Whom an invited participant speaks for at the table, as `assessment.InvitationKind`
    names it ("police", "corporation", "care"); None for anyone else."""
    scope = scope_for(user)
    if scope.police_organisations:
        return "police"
    if scope.corporations:
        return "corporation"
    if scope.writing_organisations or scope.supporting_organisations:
        return "care"
    return None


# -- applications and privacy ---------------------------------------------------------------------


def may_write_applications(user: User | AnonymousUser) -> bool:
    """Writes applications with clients for at least one care provider."""
    return bool(scope_for(user).writing_organisations)


def can_create_application(user: User, care_provider_id: int) -> bool:
    return care_provider_id in scope_for(user).writing_organisations


def can_edit_application(user: User, client: Any) -> bool:
    return client.care_provider_id in scope_for(user).writing_organisations


def can_check_applications(user: User, region_id: int) -> bool:
    """The service point checks submitted applications: returns or completes them."""
    return may_coordinate_region(user, region_id)


def can_decide_without_table(user: User, region_id: int) -> bool:
    """Where the region's route has no table (`rules.route.assessed_by == "service_point"`),
    the service point records the decision on a complete case itself."""
    return may_coordinate_region(user, region_id)


def can_withdraw_application(user: User, client: Any) -> bool:
    return can_edit_application(user, client) or can_check_applications(user, client.region_id)


def may_reinstate_application(user: User, client: Any) -> bool:
    """Only the service point brings a withdrawn application back (withdrawing is open to the
    applicant too; undoing it affects the region's one-active-case rule and its figures)."""
    return may_coordinate_region(user, client.region_id)


def may_override_step_order(user: User | AnonymousUser, region_id: int) -> bool:
    """The journey's steps come in their order (decision after the session, move after the
    warm handover, meetings in their period, conversion at the end of the support). Only the
    service point may let a step through out of order, with a reason that is audited and
    counted."""
    return may_coordinate_region(user, region_id)


def may_handle_privacy_requests(user: User, region_id: int) -> bool:
    """The client's rights (access, correction, erasure) are handled by the service point of
    the client's region, the controller's contact for the client."""
    return may_coordinate_region(user, region_id)


# -- homes and matching -------------------------------------------------------------------------


def home_scope(user: User) -> Q:
    """A filter on Home: the corporation's own offers, and every offer in a coordinator's
    region. Care providers see a home only through a match (the matching stage)."""
    scope = Q(pk__in=[])
    if orgs := scope_for(user).corporations:
        scope |= Q(corporation_id__in=orgs)
    if regions := scope_for(user).coordinated_regions:
        scope |= Q(region_id__in=regions)
    return scope


def may_see_ranking(user: User, home: Any) -> bool:
    """The ranking of a home and its stored snapshots: the homes of `home_scope` (the
    corporation offering it and the service point of its region)."""
    scope = scope_for(user)
    return home.corporation_id in scope.corporations or home.region_id in scope.coordinated_regions


def can_offer_homes(user: User, corporation_id: int) -> bool:
    return corporation_id in scope_for(user).corporations


def can_manage_home(user: User, home: Any) -> bool:
    return can_offer_homes(user, home.corporation_id)


def match_scope(user: User) -> Q:
    """A filter on Match: the corporation's homes, the care provider's clients (applicant and
    support workers), and the coordinator's region."""
    mine = scope_for(user)
    scope = Q(pk__in=[])
    if orgs := mine.corporations:
        scope |= Q(home__corporation_id__in=orgs)
    if orgs := mine.writing_organisations:
        scope |= Q(client__care_provider_id__in=orgs)
    if orgs := mine.supporting_organisations:
        scope |= Q(client__support_provider_id__in=orgs)
    if regions := mine.coordinated_regions:
        scope |= Q(region_id__in=regions)
    return scope


def may_propose_for_home(user: User, home: Any) -> bool:
    """The corporation for its own homes; the service point when it confirms a batch run."""
    return can_manage_home(user, home) or may_coordinate_region(user, home.region_id)


def can_decide_for_client(user: User, match: Any) -> bool:
    """The client's own care provider answers the offer, and records the client's answer."""
    return match.client.care_provider_id in scope_for(user).writing_organisations


def may_mark_cotenants(user: User, client: Any) -> bool:
    """Who records (and withdraws) that a client should not live together with another in a
    cluster: the client's own care provider (its applicant workers) and the service point of
    the client's region. The corporation only ever learns that a mark applies."""
    return client.care_provider_id in scope_for(user).writing_organisations or (
        may_coordinate_region(user, client.region_id)
    )


def cotenant_mark_scope(user: User) -> Q:
    """A filter on CotenantMark: the marks of the care provider's own clients, and every mark
    in a coordinator's region (never the corporation's)."""
    mine = scope_for(user)
    scope = Q(pk__in=[])
    if orgs := mine.writing_organisations:
        scope |= Q(client__care_provider_id__in=orgs)
    if regions := mine.coordinated_regions:
        scope |= Q(region_id__in=regions)
    return scope


def can_cancel_match(user: User, match: Any) -> bool:
    return can_manage_home(user, match.home) or may_coordinate_region(user, match.region_id)


# The parties of an offer, as `matching.constants.Party` names them.
PARTY_CORPORATION, PARTY_CARE, PARTY_SERVICE_POINT = "corporation", "care", "service_point"


def match_parties(user: User, match: Any) -> frozenset[str]:
    """The parties of the offer the user acts for: the home's corporation, the client's care
    provider (who answers the offer) and the region's service point."""
    parties = set()
    if can_manage_home(user, match.home):
        parties.add(PARTY_CORPORATION)
    if can_decide_for_client(user, match):
        parties.add(PARTY_CARE)
    if may_coordinate_region(user, match.region_id):
        parties.add(PARTY_SERVICE_POINT)
    return frozenset(parties)


def may_name_contact(user: User, match: Any, party: str) -> bool:
    """Each party names its own contact person on the offer."""
    return party in match_parties(user, match)


def may_record_viewing(user: User, match: Any) -> bool:
    """The corporation (it shows the home) or the client's care worker records a viewing."""
    return bool(match_parties(user, match) & {PARTY_CORPORATION, PARTY_CARE})


def may_reopen_match(user: User, match: Any) -> bool:
    """The service point reopens an offer that was closed by mistake."""
    return may_coordinate_region(user, match.region_id)


def may_request_status(user: User, match: Any) -> bool:
    """The service point asks the party whose turn it is how an offer is going."""
    return may_coordinate_region(user, match.region_id)


def may_answer_status_request(user: User, match: Any, party: str) -> bool:
    """The party asked answers; the service point may note an answer it got another way."""
    parties = match_parties(user, match)
    return party in parties or PARTY_SERVICE_POINT in parties


def can_review_refusals(user: User, region_id: int) -> bool:
    return may_coordinate_region(user, region_id)


def may_end_parking(user: User, region_id: int) -> bool:
    """The service point ends a parking early (a mistake undone, or new circumstances)."""
    return may_coordinate_region(user, region_id)


def may_run_batch_matching(user: User, region_id: int) -> bool:
    """The service point runs batch matching for its region and confirms its proposals."""
    return may_coordinate_region(user, region_id)


def can_record_placements(user: User, region_id: int) -> bool:
    """The service point records placements by hand; signing a contract records one too
    (`can_place_by_signing`)."""
    return may_coordinate_region(user, region_id)


def can_place_by_signing(user: User, region_id: int, corporation_id: int) -> bool:
    """A corporation's signed contract counts as its placement."""
    return can_offer_homes(user, corporation_id) or can_record_placements(user, region_id)


# -- tenancy and support ------------------------------------------------------------------------


def contract_scope(user: User) -> Q:
    """A filter on support.Contract: the parties of the match it follows (a contract has the
    same home, client and region), and the welfare organisation it is handed over to."""
    scope = match_scope(user)
    if orgs := scope_for(user).welfare_organisations:
        scope |= Q(welfare_organisation_id__in=orgs)
    return scope


def may_prepare_contract(user: User, match: Any) -> bool:
    """The landlord (the home's corporation) draws up the contract of an accepted match; the
    service point may do so on its behalf."""
    return can_manage_home(user, match.home) or may_coordinate_region(user, match.home.region_id)


def can_manage_contract(user: User, contract: Any) -> bool:
    """The landlord (the home's corporation) prepares, signs and records the move; the service
    point may do so on its behalf."""
    return can_manage_home(user, contract.home) or may_coordinate_region(user, contract.region_id)


def can_support(user: User, contract: Any) -> bool:
    """The ambulant care provider's support workers plan and record the meetings."""
    orgs = scope_for(user).supporting_organisations
    return contract.client.support_provider_id in orgs or may_coordinate_region(
        user, contract.region_id
    )


def may_subscribe_to_calendar(user: User) -> bool:
    """Support workers may follow their meetings in their own calendar program."""
    return bool(scope_for(user).supporting_organisations)


def can_add_orientation(user: User, client: Any) -> bool:
    scope = scope_for(user)
    return (
        client.care_provider_id in scope.writing_organisations
        or client.support_provider_id in scope.supporting_organisations
        or may_coordinate_region(user, client.region_id)
        or (
            bool(scope.welfare_organisations)
            and client.contracts.filter(
                welfare_organisation_id__in=scope.welfare_organisations
            ).exists()
        )
    )


def can_report_signal(user: User, contract: Any) -> bool:
    scope = scope_for(user)
    return (
        can_manage_contract(user, contract)
        or contract.client.support_provider_id in scope.supporting_organisations
        or contract.welfare_organisation_id in scope.welfare_organisations
    )


def can_decide_final(user: User, contract: Any) -> bool:
    """The final evaluation is a joint one: the support worker or the landlord records it."""
    return can_manage_contract(user, contract) or can_support(user, contract)


def can_run_case_table(user: User, region_id: int) -> bool:
    return may_coordinate_region(user, region_id)


def can_manage_timeout_places(user: User, region_id: int) -> bool:
    """The service point keeps the region's register of time-out places."""
    return may_coordinate_region(user, region_id)


def timeout_place_regions(user: User | AnonymousUser) -> frozenset[int]:
    """The regions whose register of time-out places the user may read: the service point and
    the support workers who book them (the places and their occupancy, never who is there)."""
    return actor_context(user).regions(Role.COORDINATOR, Role.SUPPORT_WORKER)


# -- aggregates ---------------------------------------------------------------------------------


def can_forecast(user: User, region_id: int) -> bool:
    """The forecast is aggregates only: the service point, the region's administrators and
    its municipalities."""
    ctx = actor_context(user)
    return region_id in ctx.regions(Role.COORDINATOR, Role.ADMINISTRATOR, Role.MUNICIPALITY)


@dataclass(frozen=True)
class DistributionView:
    """What of a region's distribution a user sees: everything, or aggregates for their own
    municipality or corporation beside the region's total."""

    everything: bool
    municipality_ids: frozenset[int]
    corporation_ids: frozenset[int]

    @property
    def anything(self) -> bool:
        return self.everything or bool(self.municipality_ids or self.corporation_ids)


def distribution_view(user: User, region_id: int) -> DistributionView:
    ctx = actor_context(user)
    everything = ctx.is_superuser or region_id in ctx.regions(Role.COORDINATOR, Role.ADMINISTRATOR)
    municipalities = frozenset(
        g.represents_id
        for g in ctx.grants
        if g.role == Role.MUNICIPALITY and g.region_id == region_id and g.represents_id
    )
    corporations = frozenset(
        g.organisation_id
        for g in ctx.grants
        if g.role == Role.CORPORATION_STAFF and g.region_id == region_id
    )
    return DistributionView(everything, municipalities, corporations)


# ---------------------------------------------------------------------------------------------
# 3. Data minimisation
# ---------------------------------------------------------------------------------------------


class Detail(StrEnum):
    """How much of a client's identity a user may see, from most to least. Derived from the
    minimisation table below (BSN row, identity row); kept for the many places that only ask
    "name or candidate number?"."""

    FULL = "full"  # identity including BSN
    NO_BSN = "no_bsn"  # name and date of birth, no BSN
    PSEUDONYM = "pseudonym"  # candidate number, household, needs, support; no identity
    NONE = "none"


class Audience(StrEnum):
    """A user's relationship to one client; a user may stand in several at once."""

    SERVICE_POINT = "service_point"  # coordinator of the client's region
    WRITER = "writer"  # applicant worker of the care provider that writes the application
    ASSESSOR = "assessor"  # table member or invited participant, case on an open agenda
    SUPPORT = "support"  # support worker of the ambulant care provider named on it
    LANDLORD = "landlord"  # corporation whose offer the care provider accepted
    CANDIDATE_LANDLORD = "candidate_landlord"  # corporation with an offer not yet accepted
    WELFARE = "welfare"  # welfare organisation / district team the tenancy is handed over to


class FieldGroup(StrEnum):
    """The parts of a client's file, each one row of the minimisation table."""

    PSEUDONYM = "pseudonym"  # candidate number
    IDENTITY = "identity"  # case number, name, date of birth
    BSN = "bsn"
    CASE_STATUS = "case_status"  # state, milestones, lead times, consent recorded, what is missing
    HOUSEHOLD_NEEDS = "household_needs"  # household, rooms, accessibility, pets
    SUPPORT_ARRANGEMENT = (
        "support_arrangement"  # who gives woonbegeleiding, how long, contract form
    )
    ORIGIN = "origin"  # current care and facility, applying care provider, municipality of origin
    PLACES = "places"  # preferred municipalities, excluded places with their reasons
    INCOME = "income"  # yearly income, budget management
    MOTIVATION = "motivation"  # the client's letter, typed or uploaded (the only document)
    DOSSIER = "dossier"  # dossier weight, history of nuisance, arrears, eviction, justice
    DECISION = "decision"  # the table's reasoning and urgency, the service point's return reason
    TIMELINE = "timeline"  # every event of the case with its reasons


_SP, _WR, _AS = Audience.SERVICE_POINT, Audience.WRITER, Audience.ASSESSOR
_SU, _LL, _CL, _WF = (
    Audience.SUPPORT,
    Audience.LANDLORD,
    Audience.CANDIDATE_LANDLORD,
    Audience.WELFARE,
)
_ASSESS = frozenset({_SP, _WR, _AS})

# THE minimisation table (DOMAIN.md §2, §3, §4): field group -> who sees it. Pages, API and
# downloads all read it through `visible_groups`; `policy/tests/test_minimisation_table.py` checks
# every row for every persona on the page and the API. Seeing the person is within the rules of
# the parties of a tenancy; the file is for those who assess it and the care provider who wrote
# it with the client. Why each row is as it is:
# - The service point and the writing care provider see the whole file (the service point checks
#   and monitors every step; the writer wrote it). Assessors see all of it while the case is on an
#   open agenda of their table, BSN excepted (they assess the person, not the number).
# - A lease needs: the tenant's name and date of birth, the household that moves in, the rooms and
#   accessibility the home must have, and the support arrangement (who supports, how long, hence
#   the contract form: a three-party contract names the support organisation, a longer one is
#   rented to the care provider). It does not need income or budget management (the
#   affordability rule is applied by the match point's hard filter before a proposal exists),
#   nor where the client lives now, their wishes and exclusions (already applied), their history,
#   letter or the table's reasoning. Before the care provider accepts, the corporation sees only
#   the candidate number with the household, needs and support arrangement (the matching page).
# - Welfare / district team (after the handover): who the person is, who lives with them and who
#   supports them, for the neighbourhood contact. The contact person is on the contract, not here;
#   the client record holds no contact details of its own.
# - The support worker (ambulant care provider named on the application) supports the person in
#   the home: identity, household and needs, the arrangement, where they come from (warm
#   handover), income and budget management (paying the rent is most of what goes wrong). Not the
#   letter nor the assessment file (DOMAIN.md §4 names support workers among those who do not read
#   the letter, also when their organisation wrote it: that is the applicant worker's role).
# - Nobody but the service point and the writer sees a draft's content (`DRAFT_AUDIENCES`).
MINIMISATION: dict[FieldGroup, frozenset[Audience]] = {
    FieldGroup.PSEUDONYM: frozenset(Audience),
    FieldGroup.IDENTITY: frozenset({_SP, _WR, _AS, _SU, _LL, _WF}),
    FieldGroup.BSN: frozenset({_SP, _WR}),
    FieldGroup.CASE_STATUS: frozenset({_SP, _WR, _AS, _SU, _LL, _WF}),
    FieldGroup.HOUSEHOLD_NEEDS: frozenset({_SP, _WR, _AS, _SU, _LL, _CL, _WF}),
    FieldGroup.SUPPORT_ARRANGEMENT: frozenset({_SP, _WR, _AS, _SU, _LL, _CL, _WF}),
    FieldGroup.ORIGIN: frozenset({_SP, _WR, _AS, _SU}),
    FieldGroup.PLACES: _ASSESS,
    FieldGroup.INCOME: frozenset({_SP, _WR, _AS, _SU}),
    FieldGroup.MOTIVATION: _ASSESS,
    FieldGroup.DOSSIER: _ASSESS,
    FieldGroup.DECISION: _ASSESS,
    FieldGroup.TIMELINE: _ASSESS,
}
# A draft application is still being written: its content is for the writer (and the service
# point, which sees every case of its region from the start).
DRAFT_AUDIENCES = frozenset({_SP, _WR})
DRAFT_STATE = "draft"

# The fields of each group, on the client and on the application (with the API's computed ones).
CLIENT_GROUP_FIELDS: dict[FieldGroup, tuple[str, ...]] = {
    FieldGroup.PSEUDONYM: ("candidate_number",),
    FieldGroup.IDENTITY: ("case_number", "first_name", "last_name", "date_of_birth"),
    FieldGroup.BSN: ("bsn",),
    FieldGroup.HOUSEHOLD_NEEDS: ("household_adults", "household_children"),
    FieldGroup.SUPPORT_ARRANGEMENT: ("support_provider",),
    FieldGroup.ORIGIN: ("source", "municipality_of_origin", "care_provider"),
}
APPLICATION_GROUP_FIELDS: dict[FieldGroup, tuple[str, ...]] = {
    FieldGroup.IDENTITY: ("case_number",),
    FieldGroup.CASE_STATUS: (
        "id",
        "client_id",
        "state",
        "state_changed_at",
        "submitted_at",
        "completed_at",
        "decided_at",
        "table",
        "consent_given",
        "consent_recorded_at",
        "missing",
    ),
    FieldGroup.HOUSEHOLD_NEEDS: (
        "pets",
        "pets_note",
        "rooms_min",
        "needs_ground_floor_or_lift",
        "needs_wheelchair_access",
    ),
    FieldGroup.SUPPORT_ARRANGEMENT: ("expected_support_months", "contract_form"),
    FieldGroup.ORIGIN: ("current_facility",),
    FieldGroup.PLACES: ("preferences", "exclusions"),
    FieldGroup.INCOME: ("yearly_income_eur", "budget_management"),
    FieldGroup.MOTIVATION: ("motivation_text", "motivation_file"),
    FieldGroup.DOSSIER: (
        "dossier_weight",
        "history_nuisance",
        "history_arrears",
        "history_eviction",
        "history_justice",
    ),
    FieldGroup.DECISION: ("return_reason", "urgency", "decisions"),
}
APPLICATION_FIELD_GROUP: dict[str, FieldGroup] = {
    name: group for group, names in APPLICATION_GROUP_FIELDS.items() for name in names
}


def client_audiences(user: User, client: Any) -> frozenset[Audience]:
    """Every relationship `user` has to `client` (none: the client is not theirs to see)."""
    return clients_audiences(user, [client])[client.pk]


def clients_audiences(user: User, clients: Iterable[Any]) -> dict[int, frozenset[Audience]]:
    """`client_audiences` of many clients at once (a list page): at most one query per kind of
    relationship, however many clients."""
    from django.apps import apps

    from instroom.matching.constants import ACTIVE_MATCH_STATES, IDENTITY_SHARED_STATES

    ctx = actor_context(user)
    coordinated = ctx.regions(Role.COORDINATOR)
    writing = ctx.organisations(Role.APPLICANT_WORKER)
    clients = list(clients)
    # The service point and the writer see every group already: no queries for the rest.
    rest = [
        c.pk
        for c in clients
        if c.region_id not in coordinated and c.care_provider_id not in writing
    ]
    handed_over: set[int] = set()
    if rest and (welfare := ctx.organisations(Role.WELFARE)):
        handed_over = set(
            apps.get_model("support", "Contract")
            .objects.filter(client_id__in=rest, welfare_organisation_id__in=welfare)
            .values_list("client_id", flat=True)
        )
    match_states: dict[int, set[str]] = {}
    if rest and (corporations := ctx.organisations(Role.CORPORATION_STAFF)):
        for client_id, state in (
            apps.get_model("matching", "Match")
            .objects.filter(
                client_id__in=rest,
                home__corporation_id__in=corporations,
                state__in=ACTIVE_MATCH_STATES,
            )
            .values_list("client_id", "state")
        ):
            match_states.setdefault(client_id, set()).add(state)
    supporting = ctx.organisations(Role.SUPPORT_WORKER)
    found: dict[int, frozenset[Audience]] = {}
    for client in clients:
        audiences: set[Audience] = set()
        if client.region_id in coordinated:
            audiences.add(Audience.SERVICE_POINT)
        if client.care_provider_id in writing:
            audiences.add(Audience.WRITER)
        if not audiences:
            if client.support_provider_id in supporting:
                audiences.add(Audience.SUPPORT)
            if ctx.grants and client.pk in _assessment_ids(user, ctx):
                audiences.add(Audience.ASSESSOR)
            if client.pk in handed_over:
                audiences.add(Audience.WELFARE)  # handed over: the district team knows who
            states = match_states.get(client.pk, set())
            if states & IDENTITY_SHARED_STATES:
                audiences.add(Audience.LANDLORD)  # the care provider agreed: the landlord meets
            elif states:
                audiences.add(Audience.CANDIDATE_LANDLORD)
        found[client.pk] = frozenset(audiences)
    return found


def visible_groups(
    audiences: frozenset[Audience], application_state: str | None = None
) -> frozenset[FieldGroup]:
    """The groups these audiences see; of an application in `application_state`, if given."""
    if application_state == DRAFT_STATE:
        audiences = audiences & DRAFT_AUDIENCES
    return frozenset(g for g, allowed in MINIMISATION.items() if audiences & allowed)


def detail_level(audiences: frozenset[Audience]) -> Detail:
    groups = visible_groups(audiences)
    if FieldGroup.BSN in groups:
        return Detail.FULL
    if FieldGroup.IDENTITY in groups:
        return Detail.NO_BSN
    return Detail.PSEUDONYM if groups else Detail.NONE


def client_detail_level(user: User, client: Any) -> Detail:
    return detail_level(client_audiences(user, client))


def client_fields(groups: frozenset[FieldGroup]) -> tuple[str, ...]:
    """The client's fields these groups show, in a stable order."""
    return tuple(
        name
        for group in FieldGroup
        if group in groups
        for name in CLIENT_GROUP_FIELDS.get(group, ())
    )


PERSONAL_DETAIL = frozenset({Detail.FULL, Detail.NO_BSN})

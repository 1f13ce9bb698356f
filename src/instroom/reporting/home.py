"""The home page: what do I need to do today, one section per role the user holds."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from instroom.accounts.constants import Role
from instroom.accounts.notifications import open_notifications
from instroom.applications import selectors as application_selectors
from instroom.applications.constants import CaseState
from instroom.assessment import selectors as assessment_selectors
from instroom.homes import selectors as home_selectors
from instroom.homes.constants import HomeState
from instroom.http import AuthenticatedHttpRequest
from instroom.matching import selectors as matching_selectors
from instroom.matching.constants import MatchState
from instroom.policy import rules
from instroom.regions.models import Municipality
from instroom.support import selectors as support_selectors
from instroom.support.constants import SUPPORT_STATES

from . import selectors


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What do I need to do today: one section per role the user holds."""
    ctx = rules.actor_context(request.user)
    sections: dict[str, object] = {}
    if ctx.has(Role.COORDINATOR):
        regions = ctx.regions(Role.COORDINATOR)
        sections["coordinator"] = {
            "to_check": application_selectors.check_queue(actor=request.user).count(),
            "awaiting": application_selectors.awaiting_decision(actor=request.user),
            "pipeline": selectors.pipeline_counts(region_ids=regions, suppressed=False),
        }
    if ctx.has(Role.APPLICANT_WORKER):
        mine = application_selectors.application_list(actor=request.user).filter(
            client__care_provider_id__in=ctx.organisations(Role.APPLICANT_WORKER),
            state__in=[CaseState.DRAFT, CaseState.RETURNED],
        )[:20]
        rows = [(a, application_selectors.minimise(request.user, a.client)) for a in mine]
        application_selectors.log_reads(
            actor=request.user,
            views=[v for _a, v in rows],
            action="client.list",
            purpose="home page",
        )
        sections["applicant"] = {"rows": rows}
    if ctx.has(Role.SUPPORT_WORKER):
        meetings = list(support_selectors.my_meetings(actor=request.user)[:200])
        attention = support_selectors.attention_for(meetings, timezone.localdate())
        sections["support"] = {
            "count": application_selectors.application_list(actor=request.user)
            .filter(client__support_provider_id__in=ctx.organisations(Role.SUPPORT_WORKER))
            .count(),
            "to_plan": sum(1 for why in attention.values() if why == "unplanned"),
            "overdue": sum(1 for why in attention.values() if why == "overdue"),
        }
    if ctx.has(Role.WELFARE):
        sections[Role.WELFARE] = {
            "count": support_selectors.contract_list(actor=request.user)
            .filter(
                welfare_organisation_id__in=ctx.organisations(Role.WELFARE),
                state__in=SUPPORT_STATES,
            )
            .count()
        }
    if ctx.has(Role.MUNICIPALITY):
        municipalities = Municipality.objects.filter(pk__in=ctx.municipalities())
        sections["municipality"] = [
            {
                "municipality": m,
                "rows": zip(
                    selectors.pipeline_counts(
                        region_ids=frozenset({m.region_id}), municipality_id=m.pk
                    ),
                    selectors.pipeline_counts(region_ids=frozenset({m.region_id})),
                    strict=True,
                ),
            }
            for m in municipalities
        ]
    if ctx.has(Role.APPLICANT_WORKER):
        waiting = matching_selectors.match_list(actor=request.user, active=True).filter(
            client__care_provider_id__in=ctx.organisations(Role.APPLICANT_WORKER),
            state__in=[MatchState.PROPOSED, MatchState.PROVIDER_ACCEPTED],
        )[:20]
        sections["offers_to_answer"] = list(waiting)
    if ctx.has(Role.CORPORATION_STAFF):
        homes = home_selectors.home_list(actor=request.user).filter(
            corporation_id__in=ctx.organisations(Role.CORPORATION_STAFF)
        )
        sections["corporation"] = {
            "open": homes.filter(state=HomeState.OPEN).count(),
            "proposed": homes.filter(state=HomeState.PROPOSED).count(),
            "ready": matching_selectors.match_list(actor=request.user, active=True)
            .filter(state=MatchState.ACCEPTED)
            .count(),
        }
    if ctx.has(Role.COORDINATOR):
        sections["match_point"] = {
            "refusals": matching_selectors.refusals_pending(actor=request.user).count(),
            "stalled": list(
                matching_selectors.match_list(actor=request.user, active=True).filter(
                    escalated_at__isnull=False
                )[:10]
            ),
        }
    tasks = open_notifications(request.user)
    if ctx.has(Role.TABLE_MEMBER, Role.POLICE, Role.COORDINATOR):
        sections["sessions"] = [
            s
            for s in assessment_selectors.session_list(actor=request.user)
            .filter(status="planned")
            .order_by("starts_at")[:5]
        ]
    for role in (
        Role.TABLE_MEMBER,
        Role.POLICE,
        Role.ADMINISTRATOR,
    ):
        if ctx.has(role):
            sections[role] = True
    return render(
        request,
        "reporting/home.html",
        {"sections": sections, "roles": sorted(ctx.roles), "tasks": tasks},
    )

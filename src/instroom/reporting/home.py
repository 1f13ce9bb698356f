"""The home page: what do I need to do today, one section per part the user plays."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from instroom.accounts.notifications import open_notifications
from instroom.accounts.selectors import task_counts
from instroom.applications import selectors as application_selectors
from instroom.assessment import selectors as assessment_selectors
from instroom.homes import selectors as home_selectors
from instroom.homes.constants import HomeState
from instroom.http import AuthenticatedHttpRequest
from instroom.matching import selectors as matching_selectors
from instroom.matching.constants import MatchState
from instroom.policy import rules
from instroom.support import selectors as support_selectors

from . import selectors

# The home page shows figures and the first few tasks, and links to the full lists: it fits
# one screen (about 1,000 px at 1280 x 800, menus included).
HOME_ROWS = 5
TASK_ROWS = 5
# The states whose cases wait for a table decision.
AWAITING_STATES = frozenset({"complete", "scheduled", "deferred"})


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What do I need to do today: one section per part the user plays."""
    user = request.user
    scope = rules.scope_for(user)
    sections: dict[str, object] = {}
    if scope.coordinated_regions:
        pipeline = selectors.pipeline_counts(region_ids=scope.coordinated_regions, suppressed=False)
        sections["coordinator"] = {
            "to_check": application_selectors.check_queue(actor=user).count(),
            "awaiting": sum(row.count for row in pipeline if row.state in AWAITING_STATES),
            "over_target": sum(
                1
                for _application, lead in application_selectors.awaiting_decision(actor=user)
                if lead.over_target
            ),
            "pipeline": [row for row in pipeline if row.count],
        }
    if scope.writing_organisations:
        mine = application_selectors.applications_to_complete(actor=user)[:HOME_ROWS]
        rows = [(a, application_selectors.minimise(user, a.client)) for a in mine]
        application_selectors.log_reads(
            actor=user,
            views=[v for _a, v in rows],
            action="client.list",
            purpose="home page",
        )
        sections["applicant"] = {"rows": rows}
    if scope.supporting_organisations:
        meetings = list(support_selectors.my_meetings(actor=user)[:200])
        attention = support_selectors.attention_for(meetings, timezone.localdate())
        sections["support"] = {
            "count": application_selectors.supported_applications(actor=user).count(),
            "to_plan": sum(1 for why in attention.values() if why == "unplanned"),
            "overdue": sum(1 for why in attention.values() if why == "overdue"),
        }
    if scope.welfare_organisations:
        sections["welfare"] = {"count": support_selectors.handed_over(actor=user).count()}
    if scope.represented_municipalities:
        municipalities = selectors.represented_municipalities(actor=user)
        sections["municipality"] = [
            {
                "municipality": m,
                # States no case of the region is in are left out: the table fits the screen.
                "rows": [
                    (own, region)
                    for own, region in zip(
                        selectors.pipeline_counts(
                            region_ids=frozenset({m.region_id}), municipality_id=m.pk
                        ),
                        selectors.pipeline_counts(region_ids=frozenset({m.region_id})),
                        strict=True,
                    )
                    if region.count
                ],
            }
            for m in municipalities
        ]
    if scope.writing_organisations:
        sections["offers_to_answer"] = list(
            matching_selectors.offers_to_answer(actor=user)[:HOME_ROWS]
        )
    if scope.corporations:
        homes = home_selectors.own_homes(actor=user)
        sections["corporation"] = {
            "open": homes.filter(state=HomeState.OPEN).count(),
            "proposed": homes.filter(state=HomeState.PROPOSED).count(),
            "ready": matching_selectors.match_list(actor=user, active=True)
            .filter(state=MatchState.ACCEPTED)
            .count(),
        }
    if scope.coordinated_regions:
        sections["match_point"] = {
            "refusals": matching_selectors.refusals_pending(actor=user).count(),
            "stalled": matching_selectors.match_list(actor=user, active=True)
            .filter(escalated_at__isnull=False)
            .count(),
        }
    tasks = open_notifications(user, limit=TASK_ROWS)
    if rules.may_follow_sessions(user):
        planned = assessment_selectors.session_list(actor=user).filter(status="planned")
        sections["sessions"] = {
            "count": planned.count(),
            "next": planned.order_by("starts_at").first(),
        }
    sections["table_member"] = scope.sits_on_tables
    sections["police"] = bool(scope.police_organisations)
    sections["administrator"] = bool(scope.administered_regions)
    return render(
        request,
        "reporting/home.html",
        {
            "sections": sections,
            "roles": sorted(rules.roles_of(user)),
            "tasks": tasks,
            "task_counts": task_counts(user) if tasks else [],
        },
    )

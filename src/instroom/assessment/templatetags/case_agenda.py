"""The assessment part of the client page: where the case is planned, and for whom the policy
lets plan sessions, a form to plan it on a session of its table (`assessment:schedule`)."""

from typing import Any

from django import template

from instroom.applications.constants import CaseState
from instroom.applications.models import Application
from instroom.applications.services import allowed_next_states
from instroom.policy import rules

from .. import selectors, services
from ..forms import DecisionForm

register = template.Library()


@register.inclusion_tag("assessment/includes/case_agenda.html", takes_context=True)
def case_agenda(context: dict[str, Any], application: Application) -> dict[str, Any]:
    user = context["request"].user
    item = (
        selectors.open_agenda_item(application=application)
        if application.state == CaseState.SCHEDULED
        else None
    )
    region_id = application.client.region_id
    alone = services.decided_without_table(region_id)
    # The case's state table says whether it can go on an agenda now; the policy says who plans.
    may_plan = (
        not alone
        and CaseState.SCHEDULED in allowed_next_states(application)
        and rules.can_plan_sessions(user, region_id)
    )
    # Where the route has no table, the service point decides here, on the case page.
    may_decide = (
        alone
        and application.state in (CaseState.COMPLETE, CaseState.DEFERRED)
        and rules.can_decide_without_table(user, region_id)
    )
    decision = (
        application.decisions.order_by("-decided_at", "-pk").first()  # type: ignore[attr-defined]
        if application.decided_at is not None
        else None
    )
    return {
        "application": application,
        "alone": alone,
        "may_decide": may_decide,
        "decision_form": DecisionForm(auto_id=f"id_decide{application.pk}_%s", region_id=region_id)
        if may_decide
        else None,
        "decision": decision,
        # The outcome, its conditions and the rules version, for the service point and the
        # applicant (the reasoning stays with the field groups of the page).
        "sees_decision": decision is not None
        and (
            rules.can_check_applications(user, region_id)
            or rules.can_edit_application(user, application.client)
        ),
        "item": item,
        "session_link": item is not None and rules.can_see_session(user, item.session),
        "may_plan": may_plan,
        "sessions": list(selectors.upcoming_sessions_for(application=application)[:12])
        if may_plan
        else [],
        "csrf_token": context.get("csrf_token"),
    }

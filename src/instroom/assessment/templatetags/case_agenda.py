"""The assessment part of the client page: where the case is planned, and for whom the policy
lets plan sessions, a form to plan it on a session of its table (`assessment:schedule`)."""

from typing import Any

from django import template

from instroom.applications.constants import CaseState
from instroom.applications.models import Application
from instroom.applications.services import allowed_next_states
from instroom.policy import rules

from .. import selectors

register = template.Library()


@register.inclusion_tag("assessment/includes/case_agenda.html", takes_context=True)
def case_agenda(context: dict[str, Any], application: Application) -> dict[str, Any]:
    user = context["request"].user
    item = (
        selectors.open_agenda_item(application=application)
        if application.state == CaseState.SCHEDULED
        else None
    )
    # The case's state table says whether it can go on an agenda now; the policy says who plans.
    may_plan = CaseState.SCHEDULED in allowed_next_states(application) and rules.can_plan_sessions(
        user, application.client.region_id
    )
    return {
        "application": application,
        "item": item,
        "session_link": item is not None and rules.can_see_session(user, item.session),
        "may_plan": may_plan,
        "sessions": list(selectors.upcoming_sessions_for(application=application)[:12])
        if may_plan
        else [],
        "csrf_token": context.get("csrf_token"),
    }

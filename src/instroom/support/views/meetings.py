"""Support meetings: the support worker's list, a meeting's page, planning and recording."""

from typing import Any

from django import forms as django_forms
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from instroom.applications import selectors as client_selectors
from instroom.http import AuthenticatedHttpRequest
from instroom.policy import rules

from .. import labels, selectors, services
from ..constants import SUPPORT_STATES
from ..forms import MeetingPlanForm, MeetingRecordForm
from ..models import Meeting
from .common import _post


def meetings(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = list(selectors.my_meetings(actor=request.user)[:300])
    labels.attach_contract_rules(m.contract for m in rows)
    # The client's name beside the case number for those who may see it (the minimisation
    # table decides; the read is logged), at a number of queries that does not grow with the list.
    clients = list({m.contract.client_id: m.contract.client for m in rows}.values())
    views = client_selectors.minimise_many(request.user, clients)
    client_selectors.log_reads(
        actor=request.user, views=views, action="client.view", purpose="meeting list"
    )
    names = {
        v.client.pk: f"{v.client.first_name} {v.client.last_name}"
        for v in views
        if v.level in rules.PERSONAL_DETAIL
    }
    return render(
        request,
        "support/meetings.html",
        {
            "meetings": rows,
            "names": names,
            "attention": selectors.attention_for(rows, timezone.localdate()),
            "may_subscribe": rules.may_subscribe_to_calendar(request.user),
        },
    )


def _meeting(request: AuthenticatedHttpRequest, pk: int) -> Meeting:
    try:
        return selectors.meeting_get(actor=request.user, pk=pk)
    except Meeting.DoesNotExist:
        raise Http404 from None


def meeting_detail(
    request: AuthenticatedHttpRequest, pk: int, bound: dict[str, django_forms.Form] | None = None
) -> HttpResponse:
    meeting = _meeting(request, pk)
    bound = bound or {}
    may = (
        rules.can_support(request.user, meeting.contract)
        and meeting.contract.state in SUPPORT_STATES
    )
    questions = services.checklist_for(meeting)
    context: dict[str, Any] = {
        "meeting": meeting,
        "contract": meeting.contract,
        "answers": meeting.answers.all(),
        "no_checklist": not questions and not meeting.is_handover,
    }
    if may and meeting.state != "cancelled":
        if meeting.state != "held":
            context["plan_form"] = bound.get("plan") or MeetingPlanForm(
                prefix="plan",
                initial={"planned_at": meeting.planned_at, "location": meeting.location},
            )
        initial: dict[str, Any] = {
            "held_on": meeting.held_on or timezone.localdate(),
            "notes": meeting.notes,
            "attendees": meeting.attendees,
        }
        for a in meeting.answers.all():
            initial[f"q{a.position}"] = a.answer
            initial[f"q{a.position}_note"] = a.note
        context["record_form"] = bound.get("record") or MeetingRecordForm(
            prefix="record",
            questions=questions,
            initial=initial,
            handover=meeting.is_handover,
            may_override=rules.may_override_step_order(request.user, meeting.contract.region_id),
        )
    return render(request, "support/meeting.html", context, status=400 if bound else 200)


def meeting(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return meeting_detail(request, pk)


@require_POST
def meeting_plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    return _post(
        request,
        MeetingPlanForm(request.POST, prefix="plan"),
        lambda d: services.meeting_plan(actor=request.user, meeting=meeting, **d),
        done=_("The meeting is planned; it is in your calendar feed."),
        then=redirect("support:meeting", pk=pk),
        again=lambda form: meeting_detail(request, pk, bound={"plan": form}),
    )


@require_POST
def meeting_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = MeetingRecordForm(
        request.POST,
        prefix="record",
        questions=services.checklist_for(meeting),
        handover=meeting.is_handover,
        may_override=rules.may_override_step_order(request.user, meeting.contract.region_id),
    )
    return _post(
        request,
        form,
        lambda d: services.meeting_record(
            actor=request.user,
            meeting=meeting,
            held_on=d["held_on"],
            notes=d["notes"],
            attendees=d["attendees"],
            answers=form.answers(),
            override_reason=d["override_reason"],
        ),
        done=_("The meeting is recorded."),
        then=redirect("support:contract", pk=meeting.contract_id),
        again=lambda form: meeting_detail(request, pk, bound={"record": form}),
    )

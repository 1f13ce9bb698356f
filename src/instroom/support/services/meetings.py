"""Support meetings: planned, held with the region's checklist, and when they need attention."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from instroom.accounts.models import User
from instroom.applications.step_order import check_step_order
from instroom.policy import rules
from instroom.regions.rules.support import ChecklistItem
from instroom.statemachine import transition

from ..constants import (
    MEETING_MACHINE,
    OPEN_MEETING_STATES,
    ChecklistAnswer,
    MeetingState,
)
from ..models import Meeting, MeetingAnswer
from .common import _date, _today, support_rules


@dataclass(frozen=True)
class ChecklistQuestion:
    """A question of the region's checklist (`rules.support.checklist`), by its place in it."""

    position: int
    item: ChecklistItem

    @property
    def text(self) -> str:
        return self.item.text


def _locked_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update()
        .select_related("contract__client", "contract__home")
        .get(pk=meeting.pk)
    )


@transaction.atomic
def meeting_plan(
    *, actor: User, meeting: Meeting, planned_at: datetime, location: str = ""
) -> Meeting:
    meeting = _locked_meeting(meeting)
    if not rules.can_support(actor, meeting.contract):
        raise PermissionDenied(_("Only the support provider plans the meetings."))
    if meeting.state not in OPEN_MEETING_STATES:
        raise ValidationError(_("This meeting has been held or cancelled already."))
    return transition(
        meeting,
        machine=MEETING_MACHINE,
        to=MeetingState.PLANNED,
        actor=actor,
        action="meeting.plan",
        fields={"planned_at": planned_at, "location": location.strip()},
        changes={"planned_at": planned_at.isoformat()},
    )


def checklist_for(meeting: Meeting) -> list[ChecklistQuestion]:
    """The questions of the region's checklist of today asked at this kind of meeting (none at
    the warm handover)."""
    if meeting.is_handover:
        return []
    return [
        ChecklistQuestion(i, item)
        for i, item in enumerate(support_rules(meeting.contract.region_id).checklist, start=1)
        if item.asked_at(meeting.kind)
    ]


def earliest_held_on(meeting: Meeting) -> date | None:
    """The first day a meeting after the move may be recorded as held: not before the move-in,
    and not before its due date minus the region's planning window (`plan_days_before`, the
    days in which it is planned); None for the warm handover (it comes before the move)."""
    moved_in_on = meeting.contract.moved_in_on
    if meeting.is_handover or moved_in_on is None:
        return None
    window = support_rules(meeting.contract.region_id).plan_days_before
    return max(moved_in_on, meeting.due_on - timedelta(days=window))


def order_refusals(meeting: Meeting, held_on: date) -> dict[str, str]:
    """Why a meeting cannot have been held on `held_on`: it belongs after the move, in its
    period (a 3-month evaluation is not held on the day of the move)."""
    if meeting.is_handover:
        return {}
    moved_in_on = meeting.contract.moved_in_on
    if moved_in_on is None:
        return {"held_on": _("This meeting is held after the move; record the move first.")}
    earliest = earliest_held_on(meeting)
    assert earliest is not None
    if held_on < moved_in_on:
        return {
            "held_on": _(
                "The client moved in on %(date)s: this meeting is held on or after that day."
            )
            % {"date": _date(moved_in_on)}
        }
    if held_on < earliest:
        return {
            "held_on": _(
                "This meeting is due on %(due)s: it can be recorded from %(date)s, not before."
            )
            % {"due": _date(meeting.due_on), "date": _date(earliest)}
        }
    return {}


@transaction.atomic
def meeting_record(
    *,
    actor: User,
    meeting: Meeting,
    held_on: date,
    notes: str,
    attendees: str = "",
    answers: dict[int, tuple[str, str]] | None = None,
    override_reason: str = "",
) -> Meeting:
    """Record a meeting as held, with the checklist answered; recording again corrects it.

    A meeting is held in its period (`order_refusals`); the service point may record one
    outside it with a reason (`override_reason`, audited and counted)."""
    meeting = _locked_meeting(meeting)
    if not rules.can_support(actor, meeting.contract):
        raise PermissionDenied(_("Only the support provider records the meetings."))
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    errors: dict[str, Any] = {}
    if held_on > _today():
        errors["held_on"] = _("Record a meeting once it has been held.")
    questions = checklist_for(meeting)
    answers = answers or {}
    missing = [
        q for q in questions if answers.get(q.position, ("", ""))[0] not in ChecklistAnswer.values
    ]
    if missing:
        errors["__all__"] = _("Answer every question of the checklist; missing: %(questions)s") % {
            "questions": "; ".join(q.text for q in missing)
        }
    if meeting.is_handover and not attendees.strip():
        errors["attendees"] = _(
            "Say who took part: residential care, support worker, corporation, district team."
        )
    if errors:
        raise ValidationError(errors)
    check_step_order(
        actor=actor,
        step="meeting",
        refusals=order_refusals(meeting, held_on),
        override_reason=override_reason,
        obj=meeting,
        client=meeting.contract.client,
    )
    transition(
        meeting,
        machine=MEETING_MACHINE,
        to=MeetingState.HELD,
        actor=actor,
        action="meeting.correct" if meeting.state == MeetingState.HELD else "meeting.record",
        fields={
            "held_on": held_on,
            "notes": notes.strip(),
            "attendees": attendees.strip(),
            "recorded_by": actor,
        },
        changes={"held_on": held_on.isoformat(), "kind": meeting.kind},
    )
    meeting.answers.all().delete()
    MeetingAnswer.objects.bulk_create(
        MeetingAnswer(
            meeting=meeting,
            position=q.position,
            question_text=q.text,
            answer=answers[q.position][0],
            note=answers[q.position][1].strip()[:500],
        )
        for q in questions
    )
    return meeting


def meeting_attention(meeting: Meeting, today: date, plan_days_before: int) -> str:
    """Why a meeting needs the support worker now: "unplanned", "overdue" or ""."""
    if meeting.state not in OPEN_MEETING_STATES:
        return ""
    moment = meeting.planned_at.date() if meeting.planned_at else meeting.due_on
    if today > moment:
        return "overdue"
    if meeting.planned_at is None and today >= meeting.due_on - timedelta(days=plan_days_before):
        return "unplanned"
    return ""

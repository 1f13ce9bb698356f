"""The daily job (`instroom daily`): meeting reminders, escalations and late time-outs."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from instroom.accounts.notifications import notify

from ..constants import OPEN_MEETING_STATES, SUPPORT_STATES, TimeOutState
from ..models import Meeting, SupportSettings, TimeOut
from .common import _coordinators, _date, _support_workers, _today, _url, settings_for
from .meetings import meeting_attention


def _open_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        state__in=OPEN_MEETING_STATES,
        contract__state__in=SUPPORT_STATES,
    ).select_related("contract__client", "contract__support_worker", "contract__region")


def support_follow_up(*, today: date | None = None) -> dict[str, int]:
    """For `instroom daily`: a meeting not planned in time, or overdue, reminds the support
    worker once; if it still needs attention some days later, the service point is alerted
    once. Time-outs past their end alert the service point once. Safe to run twice a day: each
    message is sent only after the row is marked, under a row lock, in one transaction."""
    today = today or _today()
    now = timezone.now()
    counts = {"meeting_reminders": 0, "meeting_escalations": 0, "timeout_alerts": 0}
    configs: dict[int, SupportSettings] = {}
    for candidate in _open_meetings().filter(escalated_at__isnull=True):
        region_id = candidate.contract.region_id
        config = configs.setdefault(region_id, settings_for(region_id))
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().get(pk=candidate.pk)
            meeting.contract = candidate.contract
            why = meeting_attention(meeting, today, config.plan_days_before)
            if not why:
                continue
            case = meeting.contract.client.case_number
            url = reverse("support:meeting", args=[meeting.pk])
            if meeting.reminded_at is None:
                meeting.reminded_at = now
                meeting.save(update_fields=["reminded_at"])
                subject = (
                    _("Reminder: plan the %(meeting)s of case %(case)s (due %(date)s)")
                    if why == "unplanned"
                    else _("Reminder: the %(meeting)s of case %(case)s is overdue (due %(date)s)")
                )
                notify(
                    users=_support_workers(meeting.contract),
                    subject=subject
                    % {
                        "meeting": meeting.title.lower(),
                        "case": case,
                        "date": _date(meeting.due_on),
                    },
                    url=url,
                )
                counts["meeting_reminders"] += 1
            elif (
                timezone.localdate(meeting.reminded_at) + timedelta(days=config.escalate_after_days)
                <= today
            ):
                meeting.escalated_at = now
                meeting.save(update_fields=["escalated_at"])
                notify(
                    users=_coordinators(region_id),
                    subject=_("A meeting needs attention: %(meeting)s of case %(case)s")
                    % {"meeting": meeting.title.lower(), "case": case},
                    body=_("Due on %(date)s; the support worker was reminded on %(reminded)s.")
                    % {
                        "date": _date(meeting.due_on),
                        "reminded": _date(timezone.localdate(meeting.reminded_at)),
                    },
                    url=url,
                )
                counts["meeting_escalations"] += 1
    for late in TimeOut.objects.filter(
        state=TimeOutState.ACTIVE, ends_on__lt=today, reminded_at__isnull=True
    ).select_related("contract__client"):
        with transaction.atomic():
            timeout = TimeOut.objects.select_for_update().get(pk=late.pk)
            if timeout.reminded_at is not None or timeout.state != TimeOutState.ACTIVE:
                continue
            timeout.reminded_at = now
            timeout.save(update_fields=["reminded_at"])
            notify(
                users=_coordinators(late.contract.region_id),
                kind="timeout.overdue",
                params={"case": late.contract.client.case_number},
                about=timeout,
                url=_url(late.contract),
            )
            counts["timeout_alerts"] += 1
    return counts

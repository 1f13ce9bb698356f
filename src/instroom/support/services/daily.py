"""The daily job (`instroom daily`): meeting reminders, escalations and late time-outs."""

from datetime import date, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from instroom.accounts.notifications import notify
from instroom.regions.rules.support import Support

from ..constants import OPEN_MEETING_STATES, SUPPORT_STATES, TimeOutState
from ..labels import meeting_title, names
from ..models import Meeting, TimeOut
from .common import _coordinators, _support_workers, _today, _url, support_rules
from .meetings import meeting_attention

# What the support worker is reminded of, by why the meeting needs attention.
REMINDER_KIND = {"unplanned": "meeting.plan_reminder", "overdue": "meeting.overdue_reminder"}


def _open_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        state__in=OPEN_MEETING_STATES,
        contract__state__in=SUPPORT_STATES,
    ).select_related("contract__client", "contract__support_worker", "contract__region")


def support_follow_up(*, today: date | None = None) -> dict[str, int]:
    """For `instroom daily`: a meeting not planned in time, or overdue, reminds the support
    worker once; if it still needs attention some days later, the service point is alerted
    once. A time-out's end is announced to the service point the day before, and one past its
    end alerts it; each once, naming the place. Safe to run twice a day: each
    message is sent only after the row is marked, under a row lock, in one transaction."""
    today = today or _today()
    now = timezone.now()
    counts = {
        "meeting_reminders": 0,
        "meeting_escalations": 0,
        "timeout_alerts": 0,
        "timeout_endings": 0,
    }
    configs: dict[int, Support] = {}
    for candidate in _open_meetings().filter(escalated_at__isnull=True):
        region_id = candidate.contract.region_id
        if region_id not in configs:
            configs[region_id] = support_rules(region_id)
        config = configs[region_id]
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().get(pk=candidate.pk)
            meeting.contract = candidate.contract
            why = meeting_attention(meeting, today, config.plan_days_before)
            if not why:
                continue
            params = {
                "case": meeting.contract.client.case_number,
                "meeting_kind": meeting.kind,
                "months": meeting.months,
                "date": meeting.due_on.isoformat(),
                # The region's name of the meeting, for a reader in either language.
                "meeting_names": names(partial(meeting_title, meeting)),
            }
            url = reverse("support:meeting", args=[meeting.pk])
            if meeting.reminded_at is None:
                meeting.reminded_at = now
                meeting.save(update_fields=["reminded_at"])
                notify(
                    users=_support_workers(meeting.contract),
                    kind=(
                        "meeting.plan_reminder"
                        if why == "unplanned"
                        else "meeting.overdue_reminder"
                    ),
                    params=params,
                    about=meeting,
                    due_on=meeting.due_on,
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
                    kind="meeting.escalated",
                    params={
                        **params,
                        "reminded": timezone.localdate(meeting.reminded_at).isoformat(),
                    },
                    about=meeting,
                    url=url,
                )
                counts["meeting_escalations"] += 1
    counts["timeout_endings"] = _timeouts_due(
        TimeOut.objects.filter(ends_on=today + timedelta(days=1), ending_reminded_at__isnull=True),
        "ending_reminded_at",
        "timeout.ends_tomorrow",
        now,
    )
    counts["timeout_alerts"] = _timeouts_due(
        TimeOut.objects.filter(ends_on__lt=today, reminded_at__isnull=True),
        "reminded_at",
        "timeout.overdue",
        now,
    )
    return counts


def _timeouts_due(candidates: QuerySet[TimeOut], mark: str, kind: str, now: Any) -> int:
    """Tells the service point about each active time-out among the candidates, once: the row
    is marked under its lock before the message goes."""
    sent = 0
    for candidate in candidates.filter(state=TimeOutState.ACTIVE).select_related(
        "contract__client", "place"
    ):
        with transaction.atomic():
            timeout = TimeOut.objects.select_for_update().get(pk=candidate.pk)
            if getattr(timeout, mark) is not None or timeout.state != TimeOutState.ACTIVE:
                continue
            setattr(timeout, mark, now)
            timeout.save(update_fields=[mark])
            notify(
                users=_coordinators(candidate.contract.region_id),
                kind=kind,
                params={
                    "case": candidate.contract.client.case_number,
                    "place": candidate.where,
                    "date": candidate.ends_on.isoformat(),
                },
                about=timeout,
                url=_url(candidate.contract),
            )
            sent += 1
    return sent

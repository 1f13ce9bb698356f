"""A support worker's meetings as an iCalendar feed. Nothing personal leaves the platform:
each event names the kind of meeting and the case number, no name, no address."""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from icalendar import Calendar, Event

from instroom.accounts.models import User

from .labels import attach_contract_rules
from .models import Meeting

MEETING_LENGTH = timedelta(hours=1)


def feed(user: User, meetings: Iterable[Meeting]) -> bytes:
    with override(settings.LANGUAGE_CODE):
        cal = Calendar()
        cal.add("prodid", "-//Instroom//support meetings//NL")
        cal.add("version", "2.0")
        cal.add("x-wr-calname", _("Instroom: my meetings"))
        now = timezone.now()
        meetings = list(meetings)
        attach_contract_rules(m.contract for m in meetings)  # each rules version read once
        for meeting in meetings:
            if meeting.planned_at is None:
                continue
            event = Event()
            event.add("uid", f"{meeting.uid}@instroom")
            event.add("dtstamp", now)
            event.add("dtstart", meeting.planned_at)
            event.add("dtend", meeting.planned_at + MEETING_LENGTH)
            event.add(
                "summary",
                _("%(meeting)s – case %(case)s")
                % {"meeting": meeting.title, "case": meeting.contract.client.case_number},
            )
            event.add(
                "url",
                f"{settings.INSTROOM_BASE_URL}{reverse('support:meeting', args=[meeting.pk])}",
            )
            cal.add_component(event)
        return cal.to_ical()

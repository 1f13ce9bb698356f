from datetime import date
from typing import Any

from django.core.management.base import BaseCommand

from instroom.matching import services as matching
from instroom.privacy import services as privacy
from instroom.support import services as support


class Command(BaseCommand):
    help = (
        "The daily job: remind and escalate stalled offers and support meetings, alert the "
        "service point about time-outs past their end, return clients whose parking is over to "
        "the pool, and anonymise clients whose retention period is over. Run it once a day on a "
        "timer; running it twice on the same day sends nothing twice."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="run as if it were this date (YYYY-MM-DD)",
        )

    def handle(self, *args: Any, today: date | None, **options: Any) -> None:
        follow_up = matching.matches_follow_up(today=today)
        self.stdout.write(
            "offers: {reminded} reminder(s), {escalated} escalation(s), "
            "{status_requested} status request(s), {status_escalated} unanswered; "
            "parkings ended: {unparked}".format(**follow_up)
        )
        meetings = support.support_follow_up(today=today)
        self.stdout.write(
            "meetings: {meeting_reminders} reminder(s), {meeting_escalations} escalation(s); "
            "time-outs ending tomorrow: {timeout_endings}; "
            "time-outs past their end: {timeout_alerts}".format(**meetings)
        )
        done = privacy.retention_run(today=today)
        self.stdout.write(f"anonymised: {len(done)} client(s)")

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand

from instroom.privacy import services


class Command(BaseCommand):
    help = "The daily job: anonymise clients whose retention period is over. Run it on a timer."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="run as if it were this date (YYYY-MM-DD)",
        )

    def handle(self, *args: Any, today: date | None, **options: Any) -> None:
        done = services.retention_run(today=today)
        self.stdout.write(f"anonymised: {len(done)} client(s)")

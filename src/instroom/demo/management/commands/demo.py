import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from instroom.demo import data, lindewaard
from instroom.demo.clusters import create_clusters
from instroom.demo.distribution import create_placements
from instroom.demo.homes import create_homes_and_offers
from instroom.demo.support import create_support_cases
from instroom.demo.tasks import stagger_tasks


class Command(BaseCommand):
    help = (
        "Prepare the demo: migrate, load the reference region and a fictional one, create one "
        "user per role and fictional clients, then serve http://127.0.0.1:8000 (unless --no-serve)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-serve", action="store_true", help="prepare only; do not serve")
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: Any, no_serve: bool, addr: str, **options: Any) -> None:
        if settings.SETTINGS_MODULE.endswith("production"):
            raise CommandError("The demo never runs with production settings.")
        password = os.environ.get("INSTROOM_DEMO_PASSWORD", "demo-instroom")
        call_command("migrate", interactive=False, verbosity=0)
        data.load_regions()
        # The generated history would otherwise send hundreds of notification e-mails.
        with override_settings(
            MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
        ):
            users = data.create_users(password)
            made = data.create_clients() + lindewaard.create_clients()
            placements = create_placements()
            homes = create_homes_and_offers()
            tenancies = create_support_cases()
            homes += create_clusters()
        if made:  # only the tasks of a history just made; a rerun leaves real work alone
            stagger_tasks()
        self.stdout.write(self.style.SUCCESS("Instroom demo is ready."))
        self.stdout.write(
            f"  fictional clients created: {made}; homes offered: {homes}; "
            f"placements since the scheme started: {placements}; "
            f"tenancies with support: {tenancies}"
        )
        self.stdout.write(f"  log in at http://{addr}/ with password: {password}")
        for spec, _new in users:
            where = spec.region or "platform"
            self.stdout.write(f"    {spec.username:26} {spec.role or 'superuser'} ({where})")
        if not no_serve:
            # The background worker (batch matching) runs beside the server: no extra service.
            self.stdout.write("  background worker: instroom db_worker")
            worker = subprocess.Popen(
                [sys.executable, "-m", "instroom.cli", "db_worker", "--no-reload", "-v", "0"],
                env={**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE},
            )
            try:
                call_command("runserver", addr, use_reloader=False)
            finally:
                worker.terminate()

"""instroom takeover --region SLUG FILE [--dry-run]: the page's import on the command line."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from instroom.regions.models import Region
from instroom.takeover import services


class Command(BaseCommand):
    help = "Take over a region's running cases from a CSV or XLSX file (all rows or none)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--region", required=True, help="slug of the region")
        parser.add_argument("file", help="CSV or XLSX file of running cases")
        parser.add_argument(
            "--dry-run", action="store_true", help="only check and report what would be created"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        region = Region.objects.filter(slug=options["region"]).first()
        if region is None:
            raise CommandError(_("Unknown region: %(slug)s") % {"slug": options["region"]})
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from None
        try:
            outcome = services.takeover_import(
                actor=None,
                region=region,
                file_name=path.name,
                content=content,
                dry_run=options["dry_run"],
            )
        except services.FileRejected as exc:
            raise CommandError(str(exc)) from None
        summary = outcome.summary
        for error in outcome.errors:
            self.stderr.write(
                _("row %(row)d, column %(column)s: %(message)s")
                % {"row": error.row, "column": error.column or "—", "message": error.message}
            )
        if outcome.errors:
            raise CommandError(
                _("Nothing was imported: %(n)d problems to fix.") % {"n": len(outcome.errors)}
            )
        lead = _("Imported") if outcome.imported else _("Dry run, nothing saved")
        self.stdout.write(
            _(
                "%(lead)s: %(pool)d clients into the pool, %(tenancies)d tenancies, "
                "%(held)d meetings held, %(planned)d still to come."
            )
            % {
                "lead": lead,
                "pool": summary.pool,
                "tenancies": summary.tenancies,
                "held": summary.meetings_held,
                "planned": summary.meetings_planned,
            }
        )
        for item in summary.as_dict()["placements"]:
            self.stdout.write(
                _("placements %(municipality)s %(year)d: %(count)d") % item  # type: ignore[str-format]
            )

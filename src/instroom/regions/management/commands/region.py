import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from instroom.regions import regeling_toml, template_copy
from instroom.regions.models import Region


class Command(BaseCommand):
    help = (
        "A whole regeling as one TOML file. `region export SLUG > FILE` writes it; "
        "`region import [--check] [--as NEW_SLUG --name NAME] FILE` makes a new region from it "
        "(all or nothing; --check validates without writing); "
        "`region new SLUG --from OTHER [--name NAME]` starts a region with OTHER's settings, "
        "rules and kinds of figure (no municipalities, organisations, users or cases)."
    )

    def add_arguments(self, parser: Any) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="write the regeling of region SLUG as TOML")
        export.add_argument("slug")
        export.add_argument("--out", type=Path, help="write to this file instead of stdout")
        imp = actions.add_parser("import", help="make a new region from an exported file")
        imp.add_argument("file", help="the TOML file, or - for standard input")
        imp.add_argument("--check", action="store_true", help="validate only; write nothing")
        imp.add_argument("--as", dest="as_slug", help="import as a new region with this slug")
        imp.add_argument("--name", help="the new region's name (with --as)")
        new = actions.add_parser("new", help="start a region on the pattern of another")
        new.add_argument("slug", help="the new region's code, e.g. overbetuwe-2")
        new.add_argument("--from", dest="from_slug", required=True, help="the region to copy")
        new.add_argument("--name", default="", help="the new region's name (default: its code)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "export":
            self.export(options["slug"], options.get("out"))
        elif action == "new":
            self.new(options["slug"], options["from_slug"], options["name"])
        else:
            self.import_(
                options["file"],
                check=options["check"],
                as_slug=options.get("as_slug"),
                name=options.get("name"),
            )

    def export(self, slug: str, out: Path | None) -> None:
        region = Region.objects.filter(slug=slug).first()
        if region is None:
            known = ", ".join(Region.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                _("There is no region “%(slug)s”. Regions: %(known)s")
                % {"slug": slug, "known": known or "-"}
            )
        text = regeling_toml.export_region(region)
        if out is None:
            self.stdout.write(text, ending="")
        else:
            out.write_text(text, encoding="utf-8")

    def import_(self, file: str, *, check: bool, as_slug: str | None, name: str | None) -> None:
        if (as_slug is None) != (name is None):
            raise CommandError(_("Give --as NEW_SLUG and --name NAME together."))
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc}
            ) from None
        try:
            report = regeling_toml.import_region(text, check_only=check, as_slug=as_slug, name=name)
        except regeling_toml.RegelingError as exc:
            for problem in exc.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(
                _("%(count)d error(s) in %(file)s; nothing was imported.")
                % {"count": len(exc.problems), "file": file}
            ) from None
        for note in report.notes:
            self.stdout.write(note)
        counts = ", ".join(f"{key}: {n}" for key, n in report.counts.items() if n)
        if report.region is None:
            self.stdout.write(
                _("%(file)s is valid (%(counts)s); nothing was written (--check).")
                % {"file": file, "counts": counts}
            )
        else:
            self.stdout.write(
                _("Region “%(slug)s” (%(name)s) imported: %(counts)s.")
                % {"slug": report.region.slug, "name": report.region.name, "counts": counts}
            )

    def new(self, slug: str, from_slug: str, name: str) -> None:
        try:
            report = template_copy.region_new(slug=slug, source_slug=from_slug, name=name)
        except template_copy.CopyError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _(
                "Region “%(slug)s” (%(name)s) made from %(source)s: its settings, its rules as "
                "version 1 (from today) and %(kinds)d kinds of figure. No municipalities, "
                "organisations, users, quotas or cases were copied."
            )
            % {
                "slug": report.region.slug,
                "name": report.region.name,
                "source": report.source.name,
                "kinds": report.figure_kinds,
            }
        )
        self.stdout.write(_("Next, the region's administrator:"))
        for number, step in enumerate(report.next_steps, start=1):
            self.stdout.write(f"  {number}. {step}")

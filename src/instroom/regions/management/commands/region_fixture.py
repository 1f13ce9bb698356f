import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from instroom.regions import fixture_builder


class Command(BaseCommand):
    help = (
        "Build the fixture of a region (src/instroom/regions/fixtures/SLUG.json) from its curated "
        "TOML file and reference CSVs. Load it with: instroom loaddata SLUG"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("slugs", nargs="*", help="regions to build (default: all)")
        parser.add_argument("--reference", type=Path, default=fixture_builder.REFERENCE_DIR)
        parser.add_argument("--out", type=Path, default=fixture_builder.FIXTURE_DIR)

    def handle(
        self, *args: Any, slugs: list[str], reference: Path, out: Path, **options: Any
    ) -> None:
        available = fixture_builder.available_regions(reference)
        for slug in slugs or available:
            if slug not in available:
                raise CommandError(
                    f"No {slug}.toml in {reference}. Available: {', '.join(available)}"
                )
            data = fixture_builder.build(slug, reference)
            target = out / f"{slug}.json"
            target.write_text(
                json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            self.stdout.write(f"{target}: {len(data)} objects")

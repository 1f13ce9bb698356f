"""`instroom rank --home ID [--format table|json]`: the ranking of one home, with why-not."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from instroom.homes.models import Home
from instroom.matching import ranking
from instroom.matching.constants import REASON_LABELS, SnapshotPurpose


class Command(BaseCommand):
    help = (
        "Rank the pool for one home: eligible candidates with points, excluded ones with reasons."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--home", type=int, required=True, help="the home's id")
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument("--limit", type=int, default=25, help="rows per list (table format)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            home = Home.objects.select_related("municipality").get(pk=options["home"])
        except Home.DoesNotExist:
            raise CommandError(f"There is no home with id {options['home']}.") from None
        ranked = ranking.rank_home(home)
        snapshot = ranking.snapshot_store(ranked, actor=None, purpose=SnapshotPurpose.COMMAND)
        criteria = ranking.criteria(ranked.rules.rules.matching, ranked.config)
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "home": home.pk,
                        "address": home.address,
                        "snapshot": snapshot.pk,
                        "pool_size": snapshot.pool_size,
                        "eligible": snapshot.eligible,
                        "excluded": snapshot.excluded,
                        "reason_counts": snapshot.reason_counts,
                        "rules_version": ranked.rules.number,
                        "rules": ranked.rules.version_label,
                        "criteria": [
                            {"code": c.code, "explanation": c.explanation, "points": c.points}
                            for c in criteria
                        ],
                        "filters": snapshot.filters,
                    },
                    indent=2,
                    ensure_ascii=False,
                )
            )
            return
        limit = options["limit"]
        self.stdout.write(f"{home.address} ({home.municipality}) — snapshot {snapshot.pk}")
        self.stdout.write(
            f"{len(snapshot.eligible)} eligible, {len(snapshot.excluded)} excluded "
            f"of {snapshot.pool_size}"
        )
        self.stdout.write("")
        self.stdout.write(f"{ranked.rules.version_label}:")
        for c in criteria:
            self.stdout.write(f"  {c.name}: {c.explanation} — {c.points}")
        if snapshot.eligible:
            names = list(snapshot.eligible[0]["points"])
            self.stdout.write("")
            self.stdout.write(
                f"{'#':>4}  {'candidate':<10} "
                + " ".join(f"{n:>10}" for n in names)
                + f" {'total':>6}"
            )
            for row in snapshot.eligible[:limit]:
                points = " ".join(f"{row['points'][n]:>10}" for n in names)
                number = row["candidate_number"]
                self.stdout.write(f"{row['position']:>4}  {number:<10} {points} {row['total']:>6}")
        if snapshot.excluded:
            self.stdout.write("")
            self.stdout.write("why not:")
            for row in snapshot.excluded[:limit]:
                reasons = "; ".join(str(REASON_LABELS.get(code, code)) for code in row["reasons"])
                self.stdout.write(f"  {row['candidate_number']:<10} {reasons}")

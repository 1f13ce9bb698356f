"""Demo placements since the start of a region's scheme: most municipalities on track, some
behind, so the realisation page and the carry-over have something to show. The reference region
from its start; Zwolle in 2025 and 2026, so its page shows realisation per sub-region."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from instroom.accounts.models import User
from instroom.distribution import selectors, services
from instroom.distribution.models import Placement
from instroom.regions.constants import OrganisationType
from instroom.regions.models import Region

from .data import REGION

# Region, the coordinator who records its placements, and the first year with placements
# (None: the scheme's start year).
PLACED = ((REGION, "coordinator", None), ("zwolle", "coordinator-zwolle", 2025))


@transaction.atomic
def create_placements(seed: int = 2028) -> int:
    made = 0
    for slug, username, first_year in PLACED:
        region = Region.objects.filter(slug=slug).first()
        if region is None or Placement.objects.filter(region=region).exists():
            continue
        made += _place(region, User.objects.get(username=username), first_year, seed)
    return made


def _place(region: Region, coordinator: User, first_year: int | None, seed: int) -> int:
    rng = random.Random(seed)
    corporations = list(
        region.organisations.filter(type=OrganisationType.CORPORATION).prefetch_related(
            "municipalities"
        )
    )
    municipalities = {m.cbs_code: m for m in region.municipalities.all()}
    # A municipality's own corporations where the region recorded them; any other way.
    serving = {
        code: [c for c in corporations if municipalities[code] in c.municipalities.all()]
        or corporations
        for code in municipalities
    }
    today = timezone.localdate()
    made = 0
    for year in range(max(region.start_year, first_year or 0), today.year + 1):
        quota = selectors.region_quota(region, year).quota
        last = today if year == today.year else date(year, 12, 31)
        part = ((last - date(year, 1, 1)).days + 1) / (
            (date(year, 12, 31) - date(year, 1, 1)).days + 1
        )
        for code, n in sorted(quota.items()):
            # Some municipalities fall behind (fewer homes than their quota), most keep up.
            target = round(n * part * rng.choice([0.6, 0.8, 1.0, 1.0, 1.0]))
            for _ in range(target):
                services.placement_record(
                    actor=coordinator,
                    region=region,
                    municipality=municipalities[code],
                    corporation=rng.choice(serving[code]),
                    placed_on=date(year, 1, 1)
                    + timedelta(days=rng.randint(0, (last - date(year, 1, 1)).days)),
                    complex_code=f"C-{rng.randint(100, 400)}",
                )
                made += 1
    return made

"""Demo placements since the start of the reference region's scheme: most municipalities on
track, some behind, so the realisation page and the carry-over have something to show."""

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


@transaction.atomic
def create_placements(seed: int = 2028) -> int:
    region = Region.objects.get(slug=REGION)
    if Placement.objects.filter(region=region).exists():
        return 0
    rng = random.Random(seed)
    coordinator = User.objects.get(username="coordinator")
    corporations = list(region.organisations.filter(type=OrganisationType.CORPORATION))
    municipalities = {m.cbs_code: m for m in region.municipalities.all()}
    today = timezone.localdate()
    made = 0
    for year in range(region.start_year, today.year + 1):
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
                    corporation=rng.choice(corporations),
                    placed_on=date(year, 1, 1)
                    + timedelta(days=rng.randint(0, (last - date(year, 1, 1)).days)),
                    complex_code=f"C-{rng.randint(100, 400)}",
                )
                made += 1
    return made

from decimal import Decimal

import pytest

from instroom.regions import selectors
from instroom.regions.models import AffordabilityLimit


@pytest.mark.django_db
def test_rent_cap_falls_back_to_latest_complete_year_and_says_so(cast):
    AffordabilityLimit.objects.create(
        region=cast.region,
        year=2026,
        household_type="one_person",
        income_limit_eur=Decimal("29400"),
        rent_cap_eur=None,
        source="2026 without cap",
    )
    limit = selectors.affordability_limit(cast.region, year=2026, household_type="one_person")
    assert limit is not None
    assert limit.income_limit_eur == Decimal("29400")  # the year's own income limit
    assert limit.rent_cap_eur == Decimal("682.96")  # the cap of 2025
    assert limit.is_fallback and limit.year == 2025


@pytest.mark.django_db
def test_no_limit_before_the_first_known_year(cast):
    assert (
        selectors.affordability_limit(cast.region, year=2020, household_type="one_person") is None
    )

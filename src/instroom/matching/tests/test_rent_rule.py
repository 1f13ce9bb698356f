"""Passend toewijzen is one rule: ranking, why-not and the API give the same cap.

The case of issue 14: in 2026 the income limits are known but the rent caps are not yet; a single
person earning €29,000 is under the 2026 limit (€29,400) and over the 2025 one (€28,375), so the
2025 cap (€682.96) applies to them. Before, ranking took the 2025 income limit and let them past.
"""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from rest_framework.test import APIClient

from instroom.applications.models import Application
from instroom.homes.tests.factories import make_home
from instroom.matching import ranking
from instroom.matching.tests.factories import make_approved
from instroom.regions.models import AffordabilityLimit
from instroom.regions.selectors import affordability_limit

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 6, 1, 10, tzinfo=UTC)


@pytest.fixture
def single_earning_29000(cast) -> Application:
    AffordabilityLimit.objects.create(
        region=cast.region,
        year=2026,
        household_type="one_person",
        income_limit_eur=Decimal("29400"),
        rent_cap_eur=None,
        source="2026: income limit only",
    )
    with time_machine.travel(TODAY, tick=False):
        application = make_approved(cast)
    Application.objects.filter(pk=application.pk).update(yearly_income_eur=Decimal("29000"))
    assert application.client.household_adults == 1 and application.client.household_children == 0
    return application


def test_the_2026_single_person_gets_the_same_cap_everywhere(cast, single_earning_29000) -> None:
    limit = affordability_limit(cast.region, year=2026, household_type="one_person")
    assert limit is not None and limit.rent_cap_eur == Decimal("682.96") and limit.is_fallback

    with time_machine.travel(TODAY, tick=False):
        above = make_home(cast.corporation_user, cast.corporation, rent_eur=Decimal("700.00"))
        below = make_home(cast.corporation_user, cast.corporation, rent_eur=Decimal("650.00"))

        ranked = ranking.rank_home(above)
        assert ranked.evaluation.reason_counts().get("rent_above_limit") == 1
        assert "rent_above_limit" in {
            r.code for r in ranking.why_not(above, single_earning_29000, today=TODAY.date())
        }
        assert ranking.why_not(below, single_earning_29000, today=TODAY.date()) == []

        api = APIClient()
        api.force_authenticate(cast.corporation_user)
        response = api.get(f"/api/v1/homes/{above.pk}/ranking/")
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["eligible"] == []
        assert body["excluded"][0]["reasons"] == ["rent_above_limit"]
        allowed = api.get(f"/api/v1/homes/{below.pk}/ranking/").json()
        assert len(allowed["eligible"]) == 1 and allowed["excluded"] == []

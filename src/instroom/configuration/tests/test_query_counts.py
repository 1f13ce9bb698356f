"""The versions and the history cost the same number of queries for 2 changes as for 8."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from instroom.configuration import services
from instroom.regions import rules as rules_module

pytestmark = pytest.mark.django_db


def _versions(cast, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        plain = rules_module.write(rules_module.TEMPLATE)
        plain["matching"]["parking_months"] = 1 + i
        services.change_rules(
            cast.region,
            actor=cast.administrator,
            valid_from=timezone.localdate() + timedelta(days=i),
            rules=plain,
            note=f"Wijziging {i}",
        )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["versions", "history", "region"])
def test_a_page_costs_the_same_for_more_versions(client, cast, name) -> None:
    client.force_login(cast.administrator)
    url = reverse(f"configuration:{name}", args=[cast.region.slug])
    _versions(cast, 2)
    few = _count(client, url)
    _versions(cast, 6, start=2)
    assert _count(client, url) == few

"""The quota page and `instroom quota` show per municipality the plain share, the backlog, the
target and the quota with a one-line reason, on the reference region with a history."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from instroom.distribution.models import Placement
from instroom.regions.constants import OrganisationType
from instroom.regions.models import Municipality, Organisation, QuotaYear, Region

pytestmark = pytest.mark.django_db

# The fair position after 2022–2025 (4 × 178 homes, largest remainder, nothing delivered).
FAIR_2025 = {
    "GM0375": 86,
    "GM0377": 40,
    "GM0392": 293,
    "GM0396": 78,
    "GM0397": 44,
    "GM0453": 138,
    "GM0473": 33,
}


@pytest.fixture
def history() -> Region:
    """Every municipality delivered its fair share over 2022–2025, except that Zandvoort
    delivered 3 fewer and Haarlem 3 more."""
    call_command("loaddata", "zk-ijmond", verbosity=0)
    region = Region.objects.get(slug="zk-ijmond")
    corporation = Organisation.objects.filter(
        region=region, type=OrganisationType.CORPORATION
    ).first()
    assert corporation is not None
    delivered = FAIR_2025 | {"GM0473": 33 - 3, "GM0392": 293 + 3}
    placements = []
    for code, n in delivered.items():
        municipality = Municipality.objects.get(region=region, cbs_code=code)
        placements += [
            Placement(
                region=region,
                municipality=municipality,
                corporation=corporation,
                placed_on=date(2022 + i % 4, 6, 1),
            )
            for i in range(n)
        ]
    Placement.objects.bulk_create(placements)
    return region


def test_the_quota_command_reports_share_backlog_target_and_quota_summing_to_the_total(
    history,
) -> None:
    out = StringIO()
    with translation.override("nl"):
        call_command("quota", region="zk-ijmond", year=2026, format="json", stdout=out)
    data = json.loads(out.getvalue())
    rows = {m["cbs_code"]: m for m in data["municipalities"]}
    assert sum(m["quota"] for m in rows.values()) == data["total"] == 178
    assert data["carry_over_rule"] == "catch_up" and data["catch_up_years"] == 1
    zandvoort, haarlem, velsen = rows["GM0473"], rows["GM0392"], rows["GM0453"]
    assert (zandvoort["share"], zandvoort["backlog"], zandvoort["target"]) == (8.302, 3, 11)
    assert zandvoort["quota"] == 11  # Haarlem, 3 ahead, gives way
    assert zandvoort["reason"] == (
        "3 woningen meer dan het aandeel: achterstand van 3 uit eerdere jaren."
    )
    assert (haarlem["share"], haarlem["backlog"], haarlem["target"], haarlem["quota"]) == (
        73.158,
        -3,
        70,
        70,
    )
    assert haarlem["reason"] == (
        "3 woningen minder dan het aandeel: 3 voorsprong uit eerdere jaren, voor wie achterloopt."
    )
    assert (velsen["backlog"], velsen["target"], velsen["quota"]) == (0, 35, 35)
    assert velsen["reason"] == "Het aandeel, afgerond op hele woningen."
    table = StringIO()
    call_command("quota", region="zk-ijmond", year=2026, stdout=table)
    assert "backlog" in table.getvalue() and "target" in table.getvalue()


def test_a_catch_up_limit_holds_the_quota_and_says_so(history) -> None:
    QuotaYear.objects.filter(region=history, year=2026).update(catch_up_limit_percent=25)
    out = StringIO()
    with translation.override("nl"):
        call_command("quota", region="zk-ijmond", year=2026, format="json", stdout=out)
    data = json.loads(out.getvalue())
    zandvoort = next(m for m in data["municipalities"] if m["cbs_code"] == "GM0473")
    # 25 % of 8.302 is 2.08: at most 2 homes on top; 3 behind takes two years.
    assert (zandvoort["target"], zandvoort["quota"]) == (11, 10)
    assert "hoogstens 25 % extra per jaar" in zandvoort["reason"]
    assert data["catch_up_years"] == 2
    assert sum(m["quota"] for m in data["municipalities"]) == 178


def test_the_page_names_the_rule_and_shows_backlog_target_and_reason(client, history) -> None:
    from instroom.accounts.constants import Role
    from instroom.conftest import make_user

    coordinator = make_user(
        "coordinator_zk",
        Organisation.objects.get(slug="servicepunt", region__slug="zk-ijmond"),
        Role.COORDINATOR,
    )
    client.force_login(coordinator)
    response = client.get(reverse("distribution:realisation", args=["zk-ijmond", 2026]))
    html = response.content.decode()
    assert "Eigen achterstand inhalen" in html
    assert "achterstand van 3 uit eerdere jaren" in html
    rows = {r.key: r for r in response.context["municipalities"]}
    assert (rows["GM0473"].backlog, rows["GM0473"].target, rows["GM0473"].quota) == (3, 11, 11)
    assert sum(r.quota for r in rows.values()) == 178


def test_the_catch_up_limit_is_a_percentage_from_0_to_500() -> None:
    call_command("loaddata", "zk-ijmond", verbosity=0)
    quota = QuotaYear.objects.get(region__slug="zk-ijmond", year=2026)
    quota.catch_up_limit_percent = 501
    with translation.override("nl"), pytest.raises(ValidationError) as error:
        quota.full_clean()
    assert error.value.message_dict["catch_up_limit_percent"] == [
        "Vul een inhaalgrens in van 0 tot en met 500 procent, of laat het veld leeg voor geen "
        "grens."
    ]
    quota.catch_up_limit_percent = 50
    quota.full_clean()

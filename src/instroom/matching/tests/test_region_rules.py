"""Matching follows the region's rules (a `RuleVersion`): filters, points, deadlines, reasons
to decline and their consequences; rankings keep the version they were made under."""

import json
from dataclasses import replace
from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from instroom.accounts.models import Notification
from instroom.audit.models import AuditEvent
from instroom.dates import add_months
from instroom.homes.tests.factories import make_home
from instroom.matching import ranking, services
from instroom.matching.models import Parking, RankingSnapshot, Refusal
from instroom.matching.tests.factories import make_approved, set_matching_rules
from instroom.regions.rules.matching import (
    DEFAULT_CRITERIA,
    AgeBand,
    Criterion,
    Filters,
    RefusalReason,
    Score,
)

pytestmark = pytest.mark.django_db


def years_ago(years: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years)


def refused(cast, application, reason: str, note: str = ""):
    """The client declines a home after viewing it, with `reason`; the refusal waits."""
    home = make_home(cast.corporation_user, cast.corporation)
    match = services.match_propose(actor=cast.corporation_user, home=home, application=application)
    services.match_provider_decide(actor=cast.care_worker_a, match=match, accept=True)
    services.match_client_decide(
        actor=cast.care_worker_a, match=match, accept=False, reason=reason, note=note
    )
    return Refusal.objects.get(match=match)


def state(obj) -> str:
    obj.refresh_from_db()
    return obj.state


# --- hard filters -----------------------------------------------------------------------------


def test_an_age_band_of_18_to_27_excludes_a_thirty_year_old_with_the_reason(client, cast) -> None:
    thirty = make_approved(cast, date_of_birth=years_ago(30))
    young = make_approved(cast, date_of_birth=years_ago(20))
    home = make_home(cast.corporation_user, cast.corporation)
    assert {r.client_id for r in ranking.rank_home(home).evaluation.rows()} == {
        thirty.client_id,
        young.client_id,
    }
    set_matching_rules(cast.region, filters=Filters(age_band=AgeBand(True, 18, 27)))

    ranked = ranking.rank_home(home)
    assert [r.client_id for r in ranked.evaluation.rows()] == [young.client_id]
    with pytest.raises(ValidationError) as refused_, translation.override("en"):
        services.match_propose(actor=cast.corporation_user, home=home, application=thirty)
    assert "Age 30 is outside this regeling's band of 18–27." in str(refused_.value)

    client.force_login(cast.corporation_user)
    text = client.get(reverse("matching:ranking", args=[home.pk])).content.decode()
    assert 'data-reason="age_outside_band"' in text
    assert "Alleen cliënten van 18 tot en met 27 jaar." in text
    assert "Leeftijd 30 valt buiten de grenzen van deze regeling: 18–27." in text


# --- points, versions and explanations --------------------------------------------------------


def test_a_new_rules_version_changes_the_next_ranking_without_a_restart(cast) -> None:
    municipalities = list(cast.region.municipalities.order_by("cbs_code"))
    local = make_approved(cast, municipality_of_origin=municipalities[0])
    urgent = make_approved(cast, urgency=1, municipality_of_origin=municipalities[1])
    home = make_home(cast.corporation_user, cast.corporation, municipality=municipalities[0])
    before = ranking.rank_home(home)
    assert [r.client_id for r in before.evaluation.rows()] == [local.client_id, urgent.client_id]
    assert before.rules.version_id is None  # the template until the region records its own

    version = set_matching_rules(cast.region, score=Score(preference_points=(0,), origin_points=0))
    after = ranking.rank_home(home)
    assert [r.client_id for r in after.evaluation.rows()] == [urgent.client_id, local.client_id]
    assert after.rules.version_id == version.pk
    snapshot = ranking.snapshot_store(after, actor=None, purpose="page")
    assert snapshot.rule_version == version
    assert snapshot.config["origin_points"] == 0 and snapshot.filters["pets"] is True


def test_a_snapshot_keeps_the_version_it_was_made_under(client, cast) -> None:
    make_approved(cast)
    home = make_home(cast.corporation_user, cast.corporation)
    client.force_login(cast.corporation_user)
    page = client.get(reverse("matching:ranking", args=[home.pk])).content.decode()
    assert "standaardregels (sjabloon)" in page
    first = RankingSnapshot.objects.get(home=home)
    assert first.rule_version is None

    worded = tuple(
        Criterion("origin", "Herkomst: eigen dorp telt zwaar.", "Origin: own village counts.")
        if c.code == "origin"
        else c
        for c in DEFAULT_CRITERIA
    )
    version = set_matching_rules(
        cast.region, score=Score(origin_points=40), criterion=worded, valid_from=date(2026, 1, 1)
    )
    page = client.get(reverse("matching:ranking", args=[home.pk])).content.decode()
    assert f"versie {version.number}" in page
    assert "Herkomst: eigen dorp telt zwaar." in page and "<strong>40 " in page

    old = client.get(reverse("matching:snapshot", args=[first.pk])).content.decode()
    assert f"versie {version.number}" not in old
    assert "Herkomst: eigen dorp telt zwaar." not in old and "<strong>5 " in old
    newer = RankingSnapshot.objects.exclude(pk=first.pk).get(home=home)
    assert newer.rule_version == version
    page = client.get(reverse("matching:snapshot", args=[newer.pk])).content.decode()
    assert f"versie {version.number}" in page and "Herkomst: eigen dorp telt zwaar." in page


def test_the_rank_command_names_the_criteria_points_and_version(cast) -> None:
    application = make_approved(cast)
    home = make_home(cast.corporation_user, cast.corporation)
    worded = tuple(
        Criterion("waiting", "Wachttijd: dubbel.", "Waiting: counts double.")
        if c.code == "waiting"
        else c
        for c in DEFAULT_CRITERIA
    )
    version = set_matching_rules(
        cast.region, score=Score(waiting_points_per_month=2), criterion=worded
    )
    out = StringIO()
    with translation.override("en"):
        call_command("rank", home=home.pk, stdout=out)
    text = out.getvalue()
    assert f"rules version {version.number}" in text
    assert "Waiting: counts double." in text and "2 per month since approval" in text
    assert "Preference:" in text and application.client.candidate_number in text
    out = StringIO()
    call_command("rank", home=home.pk, format="json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["rules_version"] == version.number
    assert [c["code"] for c in data["criteria"]] == [
        "preference",
        "waiting",
        "urgency",
        "fit",
        "origin",
    ]


def test_deadlines_come_from_the_rules(cast) -> None:
    set_matching_rules(cast.region, provider_response_days=2)
    home = make_home(cast.corporation_user, cast.corporation)
    match = services.match_propose(
        actor=cast.corporation_user, home=home, application=make_approved(cast)
    )
    assert (match.step_deadline - timezone.localdate()).days == 2


# --- reasons to decline -----------------------------------------------------------------------

REASONS = (
    RefusalReason("location", "Ligging", "Location", consequence="none"),
    RefusalReason("too_far", "Te ver van school", "Too far from school", consequence="warning"),
    RefusalReason("no_show", "Niet komen opdagen", "Did not show", "parked", parking_months=3),
    RefusalReason("not_ready", "Nog niet klaar", "Not ready yet", consequence="back_to_table"),
    RefusalReason("other", "Andere reden", "Other reason"),
)


@pytest.fixture
def reasons(cast):
    return set_matching_rules(cast.region, refusal_reason=REASONS, refusals_before_parking=1)


def test_only_the_regions_own_reasons_are_accepted(client, cast, reasons) -> None:
    application = make_approved(cast)
    home = make_home(cast.corporation_user, cast.corporation)
    match = services.match_propose(actor=cast.corporation_user, home=home, application=application)
    with pytest.raises(ValidationError):
        services.match_provider_decide(
            actor=cast.care_worker_a, match=match, accept=False, reason="neighbourhood"
        )
    client.force_login(cast.care_worker_a)
    page = client.get(reverse("matching:detail", args=[match.pk])).content.decode()
    assert "Te ver van school" in page and "Buurt onveilig" not in page
    client.post(
        reverse("matching:provider_decide", args=[match.pk]),
        {"provider-answer": "no", "provider-reason": "too_far"},
    )
    assert state(match) == "provider_no" and match.decline_reason == "too_far"
    page = client.get(reverse("matching:detail", args=[match.pk])).content.decode()
    assert "Te ver van school" in page


def test_unjustified_with_consequence_none_changes_nothing(cast, reasons) -> None:
    application = make_approved(cast)
    refusal = refused(cast, application, "location")
    services.refusal_review(actor=cast.coordinator, refusal=refusal, justified=False, note="Nee")
    refusal.refresh_from_db()
    assert (refusal.review, refusal.consequence) == ("unjustified", "none")
    assert state(application) == "approved" and not Parking.objects.exists()


def test_a_warning_counts_towards_parking(cast, reasons) -> None:
    application = make_approved(cast)
    refusal = refused(cast, application, "too_far")
    services.refusal_review(actor=cast.coordinator, refusal=refusal, justified=False, note="Nee")
    assert state(application) == "parked"  # refusals_before_parking = 1
    parking = Parking.objects.get(application=application)
    assert parking.until == add_months(timezone.localdate(), 6)


def test_a_parking_reason_parks_at_once_for_its_own_months(cast, reasons) -> None:
    application = make_approved(cast)
    set_matching_rules(cast.region, refusals_before_parking=5)  # warnings do not matter here
    refusal = refused(cast, application, "no_show")
    services.refusal_review(actor=cast.coordinator, refusal=refusal, justified=False, note="Nee")
    parking = Parking.objects.get(application=application)
    assert state(application) == "parked"
    assert parking.until == add_months(timezone.localdate(), 3)


def test_a_justified_refusal_has_no_consequence_whatever_the_reason(cast, reasons) -> None:
    application = make_approved(cast)
    refusal = refused(cast, application, "no_show")
    services.refusal_review(actor=cast.coordinator, refusal=refusal, justified=True)
    refusal.refresh_from_db()
    assert refusal.consequence == "none" and state(application) == "approved"


def test_back_to_the_table(cast, reasons) -> None:
    application = make_approved(cast)
    refusal = refused(cast, application, "not_ready")
    services.refusal_review(
        actor=cast.coordinator, refusal=refusal, justified=False, note="Eerst meer begeleiding"
    )
    assert state(application) == "complete"
    assert AuditEvent.objects.filter(action="case.back_to_table").exists()
    assert Notification.objects.filter(user=cast.coordinator, kind="match.back_to_table").exists()
    # Out of the pool: no longer ranked.
    home = make_home(cast.corporation_user, cast.corporation)
    assert application.pk not in list(ranking.rank_home(home).application_ids)


def test_the_review_page_states_the_consequence_before_confirming(client, cast, reasons) -> None:
    refused(cast, make_approved(cast), "no_show")
    refused(cast, make_approved(cast), "not_ready")
    client.force_login(cast.coordinator)
    text = client.get(reverse("matching:refusals")).content.decode()
    assert "Niet komen opdagen" in text and "3 maand(en)" in text
    assert "terug naar de beoordelingstafel" in text


def test_a_refusal_keeps_the_rules_it_was_made_under(cast, reasons) -> None:
    application = make_approved(cast)
    refusal = refused(cast, application, "no_show")
    # The regeling changes before the service point judges: the refusal's rules still apply.
    changed = tuple(replace(r, consequence="none") for r in REASONS)
    set_matching_rules(cast.region, refusal_reason=changed)
    services.refusal_review(actor=cast.coordinator, refusal=refusal, justified=False, note="Nee")
    assert state(application) == "parked"


def test_the_api_gives_the_regions_wording_and_the_rules_version(client, cast, reasons) -> None:
    from instroom.accounts.tests.factories import api_key_for

    application = make_approved(cast)
    home = make_home(cast.corporation_user, cast.corporation)
    match = services.match_propose(actor=cast.corporation_user, home=home, application=application)
    services.match_provider_decide(
        actor=cast.care_worker_a, match=match, accept=False, reason="too_far"
    )
    auth = {"HTTP_AUTHORIZATION": f"Token {api_key_for(cast.corporation_user)}"}
    data = client.get(f"/api/v1/matches/{match.pk}/", **auth).json()
    assert data["decline_reason"] == "too_far"
    assert data["decline_reason_label"] == "Te ver van school"
    ranked = client.get(f"/api/v1/homes/{home.pk}/ranking/", **auth).json()
    assert ranked["rules_version"] == reasons.number
    assert ranked["criteria"][0]["code"] == "preference"


def test_lindewaards_reference_rules_reach_the_core() -> None:
    import tomllib
    from pathlib import Path

    from instroom.regions import rules as rules_module

    path = Path(rules_module.__file__).parent.parent / "reference" / "lindewaard.toml"
    table = tomllib.loads(path.read_text())["rules"]
    rules = rules_module.read({k: v for k, v in table.items() if k not in ("valid_from", "note")})
    filters = ranking.filter_config(rules.matching)
    assert (filters.age_band, filters.age_min, filters.age_max) == (True, 18, 27)
    assert ranking.score_config(rules.matching).origin_points == 15
    consequences = {r.code: r.consequence for r in rules.matching.refusal_reason}
    assert consequences["not_ready"] == "back_to_table"

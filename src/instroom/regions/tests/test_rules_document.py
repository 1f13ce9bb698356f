"""The rules document: every value checked with the path of what is wrong, canonical form stable,
versions by date."""

import dataclasses
from datetime import date

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from instroom.regions import rules
from instroom.regions.models import RuleVersion
from instroom.regions.selectors import rules_for, rules_version
from instroom.regions.tests.factories import RegionFactory


def _problems(data: dict) -> dict[str, str]:
    with pytest.raises(rules.RulesError) as caught:
        rules.read(data)
    return {p.path: p.message for p in caught.value.problems}


def test_the_template_reads_back_as_itself() -> None:
    plain = rules.write(rules.TEMPLATE)
    assert rules.read(plain) == rules.TEMPLATE
    assert rules.write(rules.read(plain)) == plain


def test_the_template_keeps_todays_matching_defaults() -> None:
    from instroom.matching.core import ScoreConfig

    score = dataclasses.asdict(rules.TEMPLATE.matching.score)
    assert ScoreConfig(**score) == ScoreConfig()


def test_every_problem_is_reported_with_its_path_at_once() -> None:
    data = rules.write(rules.TEMPLATE)
    data["matching"]["refusal_reason"][1]["consequence"] = "jail"
    data["matching"]["filters"]["age_band"]["min_age"] = 200
    data["support"]["signal_kind"][0]["code"] = "Overlast!"
    data["contract_form"].append(dict(data["contract_form"][0]))
    data["colour"] = "blue"
    problems = _problems(data)
    assert set(problems) == {
        "matching.refusal_reason[2].consequence",
        "matching.filters.age_band.min_age",
        "support.signal_kind[1].code",
        "contract_form[3]",
        "colour",
    }
    assert "jail" in problems["matching.refusal_reason[2].consequence"]
    assert "three_party" in problems["contract_form[3]"]


def test_problems_are_in_the_readers_language() -> None:
    data = {"matching": {"parking_months": 0}}
    with translation.override("nl"):
        problems = _problems(data)
    assert problems["matching.parking_months"] == "geef een heel getal van 1 tot 36"


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"intake": {"required_documents": []}}, "intake.required_documents"),
        (
            {"matching": {"filters": {"age_band": {"min_age": 30, "max_age": 20}}}},
            "matching.filters.age_band.max_age",
        ),
        ({"route": {"extra_participants_from": "enormous"}}, "route.extra_participants_from"),
        ({"contract_form": []}, "contract_form"),
        (
            {"contract_form": [{"code": "x", "nl": "X", "en": "X", "conversion": "fixed_term"}]},
            "contract_form[1].lease_years_after_conversion",
        ),
        (
            {"support": {"checklist": [{"text_nl": "a", "text_en": "a", "kinds": ["tea"]}]}},
            "support.checklist[1].kinds",
        ),
        ({"dossier_weight": [{"code": "x", "nl": " ", "en": "X"}]}, "dossier_weight[1].nl"),
        (
            {"matching": {"score": {"waiting_points_per_month": True}}},
            "matching.score.waiting_points_per_month",
        ),
    ],
)
def test_rules_that_contradict_themselves_are_refused(data: dict, path: str) -> None:
    assert path in _problems(data)


@settings(max_examples=60, deadline=None)
@given(
    parking=st.integers(1, 36),
    consequence=st.sampled_from(["none", "warning", "parked", "back_to_table"]),
    origin=st.integers(0, 1000),
    ages=st.tuples(st.integers(16, 110), st.integers(16, 110)).map(sorted),
)
def test_any_valid_document_survives_the_round_trip(
    parking: int, consequence: str, origin: int, ages: list[int]
) -> None:
    data = rules.write(rules.TEMPLATE)
    data["matching"]["parking_months"] = parking
    data["matching"]["refusal_reason"][0]["consequence"] = consequence
    data["matching"]["score"]["origin_points"] = origin
    data["matching"]["filters"]["age_band"] = {
        "enabled": True,
        "min_age": ages[0],
        "max_age": ages[1],
    }
    parsed = rules.read(data)
    assert rules.write(parsed) == data
    assert parsed.matching.refusal_reason[0].consequence == consequence


def test_labels_follow_the_language_and_unknown_codes_show_as_such() -> None:
    with translation.override("nl"):
        assert rules.TEMPLATE.label("signal_kind", "arrears") == "Huurachterstand"
    with translation.override("en"):
        assert rules.TEMPLATE.label("signal_kind", "arrears") == "Rent arrears"
    assert rules.TEMPLATE.label("signal_kind", "gone") == "gone"


@pytest.mark.django_db
def test_the_version_in_force_is_the_latest_that_started() -> None:
    region = RegionFactory()
    assert rules_for(region.pk).version_id is None  # the template
    plain = rules.write(rules.TEMPLATE)
    first = RuleVersion.objects.create(
        region=region, number=1, valid_from=date(2025, 1, 1), rules=plain
    )
    changed = rules.write(rules.TEMPLATE)
    changed["matching"]["parking_months"] = 3
    second = RuleVersion.objects.create(
        region=region, number=2, valid_from=date(2026, 7, 1), rules=changed
    )
    assert rules_for(region.pk, on=date(2024, 12, 31)).version_id is None
    assert rules_for(region.pk, on=date(2026, 6, 30)).version_id == first.pk
    in_force = rules_for(region.pk, on=date(2026, 7, 1))
    assert in_force.version_id == second.pk
    assert in_force.rules.matching.parking_months == 3
    assert rules_version(first.pk).rules.matching.parking_months == 6
    with translation.override("nl"):
        assert in_force.version_label == "regelversie 2, geldt vanaf 1 juli 2026"


@pytest.mark.django_db
def test_a_version_is_never_changed() -> None:
    region = RegionFactory()
    version = RuleVersion.objects.create(
        region=region, number=1, valid_from=date(2025, 1, 1), rules=rules.write(rules.TEMPLATE)
    )
    version.note = "edited"
    with pytest.raises(ValueError, match="never changed"):
        version.save()


def test_both_reference_regions_carry_valid_rules() -> None:
    from instroom.regions import fixture_builder

    by_slug = {}
    for slug in ("zk-ijmond", "lindewaard"):
        version = next(
            o for o in fixture_builder.build(slug) if o["model"] == "regions.ruleversion"
        )
        by_slug[slug] = rules.read(version["fields"]["rules"])
    assert by_slug["zk-ijmond"] == rules.TEMPLATE
    linde = by_slug["lindewaard"]
    assert linde.route.assessed_by == "service_point"
    assert linde.matching.filters.age_band.enabled
    assert [f.code for f in linde.contract_form] == ["three_party", "care_lease", "youth_home"]


@pytest.mark.django_db
def test_a_region_keeps_ended_cases_at_least_six_months() -> None:
    from django.core.exceptions import ValidationError

    region = RegionFactory()
    region.retention_months = 0
    with pytest.raises(ValidationError) as refused, translation.override("nl"):
        region.full_clean()
    assert "ten minste 6 maanden" in str(refused.value)

"""change_rules: a new immutable version from a date, validated, audited with before/after."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from instroom.audit.models import AuditEvent
from instroom.configuration import services
from instroom.regions import rules as rules_module
from instroom.regions.selectors import rules_for

pytestmark = pytest.mark.django_db


def _with_origin_points(points: int) -> rules_module.Rules:
    template = rules_module.TEMPLATE
    score = template.matching.score.__class__(
        **{**vars(template.matching.score), "origin_points": points}
    )
    return template.with_changes(
        matching=template.matching.__class__(**{**vars(template.matching), "score": score})
    )


def test_a_change_is_a_new_version_in_force_from_its_date_and_audited(cast) -> None:
    today = timezone.localdate()
    version = services.change_rules(
        cast.region,
        actor=cast.administrator,
        valid_from=today,
        rules=_with_origin_points(40),
        note="Herkomst zwaarder",
    )
    assert version.number == 1
    effective = rules_for(cast.region.pk)
    assert effective.version_id == version.pk
    assert effective.rules.matching.score.origin_points == 40
    event = AuditEvent.objects.get(action="rules.change", region_id=cast.region.pk)
    assert event.actor == cast.administrator
    assert event.changes["version"] == 1
    assert event.changes["valid_from"] == today.isoformat()
    assert event.changes["changed"] == {"matching.score.origin_points": [5, 40]}
    assert event.note.text == "Herkomst zwaarder"
    # A later version from next week: today keeps version 1, next week has version 2.
    later = services.change_rules(
        cast.region,
        actor=cast.administrator,
        valid_from=today + timedelta(days=7),
        rules=_with_origin_points(10),
        note="Terug naar 10",
    )
    assert later.number == 2
    assert rules_for(cast.region.pk).rules.matching.score.origin_points == 40
    on = today + timedelta(days=7)
    assert rules_for(cast.region.pk, on=on).rules.matching.score.origin_points == 10
    assert AuditEvent.objects.filter(action="rules.change").order_by("id").last().changes[
        "changed"
    ] == {"matching.score.origin_points": [40, 10]}


def test_the_past_cannot_be_changed(cast) -> None:
    with pytest.raises(ValidationError) as caught:
        services.change_rules(
            cast.region,
            actor=cast.administrator,
            valid_from=timezone.localdate() - timedelta(days=1),
            rules=_with_origin_points(40),
            note="",
        )
    assert "valid_from" in caught.value.error_dict
    assert not cast.region.rule_versions.exists()


def test_invalid_rules_are_refused_with_the_path_of_each_problem(cast) -> None:
    plain = rules_module.write(rules_module.TEMPLATE)
    plain["matching"]["refusal_reason"][5]["parking_months"] = 99
    plain["matching"]["refusal_reason"][1]["code"] = "location"
    with pytest.raises(services.InvalidRules) as caught:
        services.change_rules(
            cast.region,
            actor=cast.administrator,
            valid_from=timezone.localdate(),
            rules=plain,
            note="",
        )
    paths = {p.path for p in caught.value.problems}
    assert paths == {"matching.refusal_reason[6].parking_months", "matching.refusal_reason[2]"}
    assert not cast.region.rule_versions.exists()
    assert not AuditEvent.objects.filter(action="rules.change").exists()


def test_an_unchanged_document_makes_no_version(cast) -> None:
    with pytest.raises(ValidationError):
        services.change_rules(
            cast.region,
            actor=cast.administrator,
            valid_from=timezone.localdate(),
            rules=rules_module.TEMPLATE,
            note="",
        )


def test_only_the_regions_own_administrator_or_a_superuser_changes_its_rules(cast) -> None:
    for user in (cast.coordinator, cast.other_coordinator, cast.municipality_user):
        with pytest.raises(PermissionDenied):
            services.change_rules(
                cast.other_region if user is cast.other_coordinator else cast.region,
                actor=user,
                valid_from=timezone.localdate(),
                rules=_with_origin_points(1),
                note="",
            )
    with pytest.raises(PermissionDenied):
        services.change_rules(
            cast.other_region,
            actor=cast.administrator,
            valid_from=timezone.localdate(),
            rules=_with_origin_points(1),
            note="",
        )
    cast.nobody.is_superuser = True
    cast.nobody.save(update_fields=["is_superuser"])
    version = services.change_rules(
        cast.other_region,
        actor=cast.nobody,
        valid_from=timezone.localdate(),
        rules=_with_origin_points(1),
        note="Platform",
    )
    assert version.region == cast.other_region


def test_restore_makes_a_new_version_with_the_old_content(cast) -> None:
    today = timezone.localdate()
    first = services.change_rules(
        cast.region,
        actor=cast.administrator,
        valid_from=today,
        rules=_with_origin_points(40),
        note="a",
    )
    services.change_rules(
        cast.region,
        actor=cast.administrator,
        valid_from=today,
        rules=_with_origin_points(7),
        note="b",
    )
    third = services.rules_restore(
        cast.region, actor=cast.administrator, version=first, valid_from=today, note="terug"
    )
    assert third.number == 3
    assert rules_for(cast.region.pk).rules.matching.score.origin_points == 40
    first.refresh_from_db()
    assert first.number == 1  # the old one is unchanged
    event = AuditEvent.objects.filter(action="rules.change").order_by("id").last()
    assert event.changes["restored_from"] == 1

"""The rules pages: the administrator changes a section through its form; what is saved is the
next version of the region's rules, applying from the chosen date."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from instroom.audit.models import AuditEvent
from instroom.configuration.forms import PAGES
from instroom.regions.models import RuleVersion
from instroom.regions.selectors import rules_for

from .helpers import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.administrator)
    return client


def _edit(cast, key: str) -> str:
    return reverse(f"configuration:edit_{key}", args=[cast.region.slug])


def test_the_index_leads_an_administrator_of_one_region_to_its_rules(admin_client, cast) -> None:
    response = admin_client.get(reverse("configuration:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("configuration:region", args=[cast.region.slug])


def test_the_overview_shows_the_rules_in_force_in_the_regions_words(admin_client, cast) -> None:
    page = admin_client.get(reverse("configuration:region", args=[cast.region.slug]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Andere reden" in text  # a refusal reason, in Dutch
    assert "Warme overdracht" in text  # a meeting kind
    assert "Driehoekscontract" in text  # a contract form
    for p in PAGES:
        assert _edit(cast, p.key) in text


def test_changing_a_refusal_consequence_and_the_origin_points_makes_new_versions(
    admin_client, cast
) -> None:
    data = form_data(
        cast.region.pk,
        "refusals",
        **{
            "matching-refusal_reason-5-consequence": "parked",
            "matching-refusal_reason-5-parking_months": "9",
        },
    )
    response = admin_client.post(_edit(cast, "refusals"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    reason = rules_for(cast.region.pk).rules.term("refusal_reason", "other")
    assert (reason.consequence, reason.parking_months) == ("parked", 9)

    data = form_data(cast.region.pk, "matching", **{"matching-score-origin_points": "25"})
    assert admin_client.post(_edit(cast, "matching"), data).status_code == 302
    effective = rules_for(cast.region.pk)
    assert effective.number == 2
    assert effective.rules.matching.score.origin_points == 25
    # The first change is kept: the page changed only its own section.
    assert effective.rules.term("refusal_reason", "other").consequence == "parked"
    history = admin_client.get(reverse("configuration:history", args=[cast.region.slug]))
    text = history.content.decode()
    assert "Punten voor een woning in de gemeente van herkomst" in text
    assert "Geparkeerd voor de opgegeven maanden" in text


def test_a_row_is_added_and_another_removed(admin_client, cast) -> None:
    data = form_data(
        cast.region.pk,
        "terms",
        **{
            "exclusion_reason-4-code": "school",
            "exclusion_reason-4-nl": "School of werk",
            "exclusion_reason-4-en": "School or work",
            "exclusion_reason-2-DELETE": "on",
        },
    )
    assert admin_client.post(_edit(cast, "terms"), data).status_code == 302
    codes = [t.code for t in rules_for(cast.region.pk).rules.exclusion_reason]
    assert codes == ["safety", "network", "other", "school"]


def test_errors_are_shown_in_dutch_next_to_the_field_and_nothing_is_saved(
    admin_client, cast
) -> None:
    data = form_data(
        cast.region.pk,
        "refusals",
        **{"matching-refusal_reason-1-code": "location"},  # twice the same code
    )
    response = admin_client.post(_edit(cast, "refusals"), data)
    assert response.status_code == 200
    assert "komt twee keer voor" in response.content.decode()
    data = form_data(cast.region.pk, "matching", **{"matching-filters-age_band-min_age": "200"})
    response = admin_client.post(_edit(cast, "matching"), data)
    assert response.status_code == 200
    assert 'id="id_matching-filters-age_band-min_age_error"' in response.content.decode()
    yesterday = timezone.localdate() - timedelta(days=1)
    data = form_data(
        cast.region.pk,
        "matching",
        **{"matching-score-origin_points": "25", "valid_from": yesterday.isoformat()},
    )
    response = admin_client.post(_edit(cast, "matching"), data)
    assert response.status_code == 200
    assert "kan niet terugwerken" in response.content.decode()
    assert not RuleVersion.objects.exists()
    assert not AuditEvent.objects.filter(action="rules.change").exists()


@pytest.mark.parametrize("key", [p.key for p in PAGES])
def test_every_section_opens_and_an_unchanged_form_saves_nothing(admin_client, cast, key) -> None:
    page = admin_client.get(_edit(cast, key))
    assert page.status_code == 200
    response = admin_client.post(_edit(cast, key), form_data(cast.region.pk, key))
    assert response.status_code == 200
    assert "niets om op te slaan" in response.content.decode()
    assert not RuleVersion.objects.exists()


def test_each_section_can_change_something(admin_client, cast) -> None:
    changes = {
        "intake": {"route-assessed_by": "service_point"},
        "contracts": {"contract_form-1-support_months": "36"},
        "support": {
            "support-timeout_max_days": "120",
            "support-checklist-0-text_nl": "Betaalt de huurder de huur?",
            "support-checklist-0-text_en": "Does the tenant pay the rent?",
            "support-checklist-0-kinds": "evaluation, final",
        },
        "matching": {
            "matching-filters-local_tie": "on",
            "matching-score-preference_points": "40, 20",
        },
    }
    for key, change in changes.items():
        response = admin_client.post(_edit(cast, key), form_data(cast.region.pk, key, **change))
        assert response.status_code == 302, (key, response.content.decode()[:2000])
    rules = rules_for(cast.region.pk).rules
    assert rules.route.assessed_by == "service_point"
    assert rules.term("contract_form", "care_lease").support_months == 36
    assert rules.support.timeout_max_days == 120
    assert rules.support.checklist[0].kinds == ("evaluation", "final")
    assert rules.matching.filters.local_tie
    assert rules.matching.score.preference_points == (40, 20)
    assert rules_for(cast.region.pk).number == 4


def test_versions_list_and_restore(admin_client, cast) -> None:
    admin_client.post(
        _edit(cast, "matching"),
        form_data(cast.region.pk, "matching", **{"matching-score-origin_points": "25"}),
    )
    admin_client.post(
        _edit(cast, "matching"),
        form_data(cast.region.pk, "matching", **{"matching-score-origin_points": "3"}),
    )
    listing = admin_client.get(reverse("configuration:versions", args=[cast.region.slug]))
    assert listing.status_code == 200
    first = RuleVersion.objects.get(number=1)
    url = reverse("configuration:version", args=[cast.region.slug, first.pk])
    assert url in listing.content.decode()
    assert admin_client.get(url).status_code == 200
    restore = reverse("configuration:restore", args=[cast.region.slug, first.pk])
    response = admin_client.post(
        restore, {"valid_from": timezone.localdate().isoformat(), "note": "Terug naar 25"}
    )
    assert response.status_code == 302
    assert rules_for(cast.region.pk).rules.matching.score.origin_points == 25
    assert rules_for(cast.region.pk).number == 3


def test_a_version_of_another_region_is_not_found_under_this_one(admin_client, cast) -> None:
    from instroom.configuration import services
    from instroom.regions import rules as rules_module

    cast.nobody.is_superuser = True
    cast.nobody.save(update_fields=["is_superuser"])
    plain = rules_module.write(rules_module.TEMPLATE)
    plain["matching"]["parking_months"] = 3
    other = services.change_rules(
        cast.other_region, actor=cast.nobody, valid_from=timezone.localdate(), rules=plain, note=""
    )
    url = reverse("configuration:version", args=[cast.region.slug, other.pk])
    assert admin_client.get(url).status_code == 404


def test_a_change_from_a_later_date_waits_and_is_listed_as_coming(admin_client, cast) -> None:
    later = timezone.localdate() + timedelta(days=30)
    data = form_data(
        cast.region.pk,
        "matching",
        **{"matching-score-origin_points": "50", "valid_from": later.isoformat()},
    )
    assert admin_client.post(_edit(cast, "matching"), data).status_code == 302
    assert rules_for(cast.region.pk).rules.matching.score.origin_points == 5  # not yet
    assert rules_for(cast.region.pk, on=later).rules.matching.score.origin_points == 50
    overview = admin_client.get(reverse("configuration:region", args=[cast.region.slug]))
    version = RuleVersion.objects.get()
    assert reverse("configuration:version", args=[cast.region.slug, version.pk]) in (
        overview.content.decode()
    )


def test_a_version_from_today_is_saved_only_after_confirming(admin_client, cast) -> None:
    data = form_data(cast.region.pk, "matching", **{"matching-score-origin_points": "25"})
    del data["confirmed"]
    response = admin_client.post(_edit(cast, "matching"), data)
    assert response.status_code == 200
    assert 'name="confirmed"' in response.content.decode()
    assert not RuleVersion.objects.exists()
    assert admin_client.post(_edit(cast, "matching"), {**data, "confirmed": "1"}).status_code == 302
    assert rules_for(cast.region.pk).rules.matching.score.origin_points == 25

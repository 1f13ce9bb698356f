"""The policy's vocabulary: each gate is asked by its own name, the scope is per capability, the
menu and the audiences come from the policy (explicit expectations per persona)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from instroom.applications.tests.factories import make_application
from instroom.policy import audience, rules
from instroom.support import services as support_services
from instroom.support.tests.factories import accepted_match

pytestmark = pytest.mark.django_db

ALL = {
    "clients",
    "sessions",
    "homes",
    "distribution",
    "forecast",
    "monitoring",
    "offers",
    "contracts",
    "meetings",
    "service_point",
    "marks",
}
MENU = {
    "coordinator": ALL,
    "other_coordinator": ALL,
    "care_worker_a": {"clients", "offers", "contracts", "marks"},
    "care_worker_b": {"clients", "offers", "contracts", "marks"},
    "support_worker": {"clients", "offers", "contracts", "meetings"},
    "table_member": {"sessions"},
    "corporation_user": {"homes", "distribution", "monitoring", "offers", "contracts"},
    "welfare_user": {"contracts"},
    "municipality_user": {"distribution", "forecast", "monitoring"},
    "police": {"sessions"},
    "administrator": {"distribution", "forecast", "configure"},
    "nobody": set(),
}


def test_the_menu_per_persona(cast) -> None:
    for name, user in cast.personas().items():
        shown = {entry for entry, on in rules.menu_for(user).items() if on}
        assert shown == MENU[name], name


def test_the_menu_on_the_page(client, cast) -> None:
    client.force_login(cast.coordinator)
    page = client.get(reverse("home")).content.decode()
    assert reverse("matching:batch") in page and reverse("support:meetings") in page
    client.force_login(cast.care_worker_a)
    page = client.get(reverse("home")).content.decode()
    assert reverse("matching:list") in page
    assert reverse("matching:batch") not in page and reverse("support:meetings") not in page


def test_the_scope_is_named_by_what_the_user_does(cast) -> None:
    region = cast.region.pk
    assert rules.scope_for(cast.coordinator).coordinated_regions == {region}
    assert rules.scope_for(cast.other_coordinator).coordinated_regions == {cast.other_region.pk}
    assert rules.scope_for(cast.care_worker_a).writing_organisations == {cast.care_a.pk}
    assert rules.scope_for(cast.support_worker).supporting_organisations == {cast.care_b.pk}
    assert rules.scope_for(cast.corporation_user).corporations == {cast.corporation.pk}
    assert rules.scope_for(cast.table_member).sits_on_tables
    assert rules.scope_for(cast.police).police_organisations
    assert rules.scope_for(cast.administrator).administered_regions == {region}
    assert not rules.scope_for(cast.care_worker_a).coordinated_regions
    nobody = rules.scope_for(cast.nobody)
    assert not (nobody.regions or nobody.coordinated_regions or nobody.writing_organisations)


def test_the_audiences_address_the_right_people(cast) -> None:
    assert list(audience.coordinators_of(cast.region.pk)) == [cast.coordinator]
    assert list(audience.applicant_workers_of(cast.care_a.pk)) == [cast.care_worker_a]
    assert list(audience.support_workers_of(cast.care_b.pk)) == [cast.support_worker]
    assert list(audience.corporation_staff_of(cast.corporation.pk)) == [cast.corporation_user]
    invitable = set(audience.invitable_to_cases(cast.region.pk))
    assert {cast.police, cast.corporation_user, cast.care_worker_a, cast.support_worker} <= (
        invitable
    )
    assert cast.coordinator not in invitable and cast.table_member not in invitable


def test_privacy_requests_have_their_own_gate(client, cast, monkeypatch) -> None:
    """Who handles a client's rights is not "who checks applications": changing one leaves the
    other alone."""
    application = make_application(cast.care_worker_a, cast.care_a)
    url = reverse("privacy:client", args=[application.client_id])
    client.force_login(cast.coordinator)
    session = client.session
    session["instroom_reauthenticated_at"] = timezone.now().timestamp()
    session.save()
    monkeypatch.setattr(rules, "can_check_applications", lambda user, region_id: False)
    assert client.get(url).status_code == 200
    monkeypatch.setattr(rules, "may_handle_privacy_requests", lambda user, region_id: False)
    assert client.get(url).status_code == 404


def test_contract_preparation_has_its_own_gate(cast, monkeypatch) -> None:
    """Drawing up a contract is not "proposing a candidate for a home"."""
    match = accepted_match(cast)
    monkeypatch.setattr(rules, "may_prepare_contract", lambda user, match: False)
    with pytest.raises(PermissionDenied):
        support_services.contract_prepare(actor=cast.corporation_user, match=match)
    monkeypatch.undo()
    monkeypatch.setattr(rules, "may_propose_for_home", lambda user, home: False)
    contract = support_services.contract_prepare(actor=cast.corporation_user, match=match)
    assert contract.match_id == match.pk

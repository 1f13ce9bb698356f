"""Who reaches the rules pages: the region's own administrators and superusers; every case role
is refused, and so is the administrator of another region, on every page of that region."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from instroom.accounts.models import User
from instroom.configuration import services
from instroom.demo.data import FIXTURES, create_users
from instroom.policy.urlwalk import walk
from instroom.regions import rules as rules_module
from instroom.regions.models import Region, RuleVersion

pytestmark = pytest.mark.django_db


def _configuration_urls(region: Region, version: RuleVersion) -> list[str]:
    """Every configuration URL of the region (the walk finds the pages added later too)."""
    urls = []
    for route in walk():
        if route.namespaces != ("configuration",) or route.view_name == "configuration:index":
            continue
        kwargs: dict[str, object] = {"slug": region.slug}
        if "<int:pk>" in route.pattern:
            kwargs["pk"] = version.pk
        urls.append(reverse(route.view_name, kwargs=kwargs))
    assert len(urls) >= 11
    return urls


def _a_version(region: Region) -> RuleVersion:
    plain = rules_module.write(rules_module.TEMPLATE)
    plain["matching"]["parking_months"] = 4
    return services.change_rules(
        region, actor=None, valid_from=timezone.localdate(), rules=plain, note="Eerste versie"
    )


def test_the_lindewaard_administrator_is_refused_every_page_of_zk_ijmond(client) -> None:
    call_command("loaddata", *FIXTURES, verbosity=0)  # the demo's users need every region
    create_users("demo-instroom")
    ijmond, lindewaard = Region.objects.get(slug="zk-ijmond"), Region.objects.get(slug="lindewaard")
    user = User.objects.get(username="beheerder-lindewaard")
    assert not user.is_superuser
    client.force_login(user)
    version = _a_version(ijmond)
    versions = ijmond.rule_versions.count()
    for url in _configuration_urls(ijmond, version):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    assert ijmond.rule_versions.count() == versions  # nothing was made
    # Her own region opens; the list leads straight to it.
    assert client.get(reverse("configuration:region", args=["lindewaard"])).status_code == 200
    response = client.get(reverse("configuration:index"))
    assert response["Location"] == reverse("configuration:region", args=["lindewaard"])
    own = RuleVersion.objects.filter(region=lindewaard).first()
    for url in _configuration_urls(lindewaard, own):
        if not url.endswith("/herstellen/"):
            assert client.get(url).status_code == 200, url
    # The platform operator (a superuser in no region) configures both.
    platform = User.objects.get(username="platform")
    client.force_login(platform)
    page = client.get(reverse("configuration:index"))
    assert page.status_code == 200
    for slug in ("zk-ijmond", "lindewaard"):
        assert reverse("configuration:region", args=[slug]) in page.content.decode()


def test_case_roles_and_other_administrators_are_refused(client, cast) -> None:
    version = _a_version(cast.region)
    urls = [reverse("configuration:index"), *_configuration_urls(cast.region, version)]
    for name, user in cast.personas().items():
        client.force_login(user)
        for url in urls:
            status = client.get(url).status_code
            if name == "administrator":
                assert status in (200, 302, 405), (name, url, status)
            else:
                assert status == 403, (name, url, status)
    client.logout()
    assert client.get(urls[1]).status_code == 302  # to the sign-in page


def test_the_regional_administrator_reads_no_case_content(client, cast) -> None:
    from instroom.applications.tests.factories import make_application
    from instroom.policy import rules

    application = make_application(cast.care_worker_a, cast.care_a)
    client.force_login(cast.administrator)
    assert client.get(reverse("applications:list")).status_code == 403
    page = client.get(reverse("applications:client", args=[application.client_id]))
    assert page.status_code in (403, 404)
    from instroom.applications.models import Client

    assert not Client.objects.filter(rules.client_scope(cast.administrator)).exists()
    assert rules.may_configure_region(cast.administrator, cast.region.pk)
    assert not rules.may_configure_region(cast.administrator, cast.other_region.pk)
    assert not rules.may_configure_region(cast.coordinator, cast.region.pk)


def test_the_menu_offers_the_rules_to_administrators_only(client, cast) -> None:
    client.force_login(cast.administrator)
    assert reverse("configuration:index") in client.get("/").content.decode()
    client.force_login(cast.coordinator)
    assert reverse("configuration:index") not in client.get("/").content.decode()

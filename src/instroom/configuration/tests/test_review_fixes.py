"""Defects found in review of the regional administrator's pages, each kept fixed."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from instroom.accounts.models import ApiToken, User
from instroom.configuration.tests.test_regional_site import _extras, _quota_data, signed_in, url
from instroom.regions.models import QuotaYear

pytestmark = pytest.mark.django_db


def test_no_filter_in_the_address_reads_a_secret(client, cast) -> None:
    """`?key__startswith=` on the second factors told a TOTP secret character by character
    (and `?key_hash__startswith=` a token's hash): such a filter is refused."""
    user = _extras(cast.region)["user"]
    device = TOTPDevice.objects.get(user=user)
    token = ApiToken.objects.get(user=user)
    signed_in(client, cast.administrator)
    for page, lookup in (
        (url(TOTPDevice, "changelist"), f"key__startswith={device.key[:3]}"),
        (url(TOTPDevice, "changelist"), f"key={device.key}"),
        (url(ApiToken, "changelist"), f"key_hash__startswith={token.key_hash[:3]}"),
    ):
        response = client.get(f"{page}?{lookup}")
        assert response.status_code == 400, lookup
    # An ordinary filter still works.
    assert client.get(url(TOTPDevice, "changelist") + "?confirmed__exact=1").status_code == 200


def _history_text(client, cast, language: str) -> str:
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    return client.get(reverse("configuration:history", args=[cast.region.slug])).content.decode()


def test_the_history_names_a_data_change_in_the_readers_language(client, cast) -> None:
    signed_in(client, cast.administrator)
    quota = cast.region.quota_years.first()
    assert (
        client.post(url(QuotaYear, "change", quota), _quota_data(quota, total_homes=77)).status_code
        == 302
    )
    dutch = _history_text(client, cast, "nl")
    english = _history_text(client, cast, "en")
    for html in (dutch, english):
        assert "regions.QuotaYear" not in html and "total_homes" not in html
    assert "jaarlijkse taakstelling" in dutch and "woningen in het contingent" in dutch
    assert "yearly quota" in english and "homes in the contingent" in english


def test_the_required_fields_of_an_application_are_named_not_coded(client, cast) -> None:
    signed_in(client, cast.administrator)
    page = reverse("configuration:edit_intake", args=[cast.region.slug])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(page).content.decode()
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    dutch = client.get(page).content.decode()
    assert "rooms needed (at least)" in english and "benodigde kamers (ten minste)" in dutch
    assert "dossier weight" in english and "dossierzwaarte" in dutch


def test_the_user_list_filters_only_on_what_it_shows(client, cast) -> None:
    """`?is_superuser=1` told which users of the region are superusers, a flag the regional
    site never shows."""
    cast.coordinator.is_superuser = True
    cast.coordinator.save()
    signed_in(client, cast.administrator)
    page = url(User, "changelist")
    for lookup in ("is_superuser=1", "is_staff__exact=1", "last_login__isnull=True"):
        assert client.get(f"{page}?{lookup}").status_code == 400, lookup
    assert client.get(f"{page}?is_active__exact=1").status_code == 200


def test_the_english_rules_pages_mark_the_regions_dutch_wording(client, cast) -> None:
    """The overview showed the region's Dutch wording (of criteria, reasons, checklist) as if
    it were the English page's own text; it is marked lang="nl" now."""
    from instroom.reporting.tests.test_english import dutch_words, typed_by_people

    signed_in(client, cast.administrator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    for page in ("region", "versions", "history"):
        html = client.get(reverse(f"configuration:{page}", args=[cast.region.slug])).content
        assert dutch_words(html.decode(), typed_by_people()) == [], page


def test_the_delete_confirmation_is_in_dutch(client, cast) -> None:
    """Django 6.1's Dutch catalog lacks the sentences of its delete confirmation: the regional
    site asked "Are you sure you want to delete …" on a Dutch page."""
    signed_in(client, cast.administrator)
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    quota = cast.region.quota_years.first()
    html = client.get(url(QuotaYear, "delete", quota)).content.decode()
    assert "Are you sure" not in html and "Weet u zeker dat u" in html
    town = cast.region.municipalities.order_by("pk").first()
    html = client.get(url(type(town), "delete", town)).content.decode()
    assert "would require deleting" not in html


def test_the_second_factor_apps_are_named_in_the_readers_language(client, cast) -> None:
    """django_otp names its apps "Otp_Totp" and "Otp_Static", in no language of ours."""
    signed_in(client, cast.administrator)
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    html = client.get(reverse("regional_admin:index")).content.decode()
    assert "Otp_" not in html and "TOTP devices" not in html and "Static devices" not in html
    assert "Tweede factor: authenticator-app" in html and "Sets herstelcodes" in html
    app = client.get(reverse("regional_admin:app_list", args=["otp_totp"])).content.decode()
    assert "Otp_Totp" not in app and "Authenticator-apps" in app


def test_a_start_year_the_monitoring_cannot_count_in_is_refused(client, cast) -> None:
    """Start year 1999 (or 0) was saved, after which the region's monitoring page failed on
    a period it cannot name."""
    from instroom.regions.models import Region

    signed_in(client, cast.administrator)
    page = url(Region, "change", cast.region)
    form = client.get(page).context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["admitted_sources"] = ["bw", "mo"]
    for year in (0, 1999, 2101):
        response = client.post(page, {**data, "start_year": year})
        assert response.status_code == 200 and response.context["errors"], year
    cast.region.refresh_from_db()
    assert 2000 <= cast.region.start_year <= 2100
    response = client.post(page, {**data, "start_year": 2024})
    assert response.status_code == 302, response.context and response.context["errors"]

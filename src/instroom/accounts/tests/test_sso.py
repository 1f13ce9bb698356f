"""Optional single sign-on: off by default; when on, only existing accounts of organisations
that opted in, with a verified address, and never a new account from the provider."""

import pytest
from django.urls import reverse

from instroom.accounts.oidc import OrganisationOIDCBackend
from instroom.conftest import make_user

pytestmark = pytest.mark.django_db

OIDC = {
    "INSTROOM_OIDC_ENABLED": True,
    "OIDC_RP_CLIENT_ID": "instroom",
    "OIDC_RP_CLIENT_SECRET": "secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example.org/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example.org/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example.org/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example.org/jwks",
}


def test_single_sign_on_is_off_by_default(client) -> None:
    assert client.get(reverse("accounts:sso_start")).status_code == 404
    assert client.get(reverse("accounts:sso_callback")).status_code == 404
    assert "organisation's account" not in client.get(reverse("accounts:login")).content.decode()


def test_when_on_the_login_page_offers_it_and_the_provider_is_asked(client, settings) -> None:
    for key, value in OIDC.items():
        setattr(settings, key, value)
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en")
    assert "organisation's account" in page.content.decode()
    response = client.get(reverse("accounts:sso_start"))
    assert response.status_code == 302
    assert response.url.startswith("https://idp.example.org/authorize?")
    assert "client_id=instroom" in response.url


def test_only_existing_accounts_of_organisations_that_opted_in_are_matched(cast, settings) -> None:
    for key, value in OIDC.items():
        setattr(settings, key, value)
    cast.care_a.sso_email_domain = "zorg-a.example"
    cast.care_a.save()
    cast.care_worker_a.email = "Anna@Zorg-A.example"
    cast.care_worker_a.save()
    cast.care_worker_b.email = "bob@zorg-a.example"  # address of A's domain, role at B
    cast.care_worker_b.save()
    backend = OrganisationOIDCBackend()
    assert list(backend.filter_users_by_claims({"email": "anna@zorg-a.example"})) == [
        cast.care_worker_a
    ]
    assert not backend.filter_users_by_claims({"email": "bob@zorg-a.example"}).exists()
    assert not backend.filter_users_by_claims({"email": "nieuw@zorg-a.example"}).exists()
    assert backend.create_user({"email": "nieuw@zorg-a.example"}) is None
    assert backend.verify_claims({"email": "anna@zorg-a.example", "email_verified": True})
    assert not backend.verify_claims({"email": "anna@zorg-a.example", "email_verified": False})
    assert not backend.verify_claims({"sub": "123"})
    # A revoked role closes single sign-on too.
    cast.care_worker_a.memberships.update(active=False)
    assert not backend.filter_users_by_claims({"email": "anna@zorg-a.example"}).exists()
    make_user("other", cast.care_a, "applicant_worker", email="x@elders.example")
    assert not backend.filter_users_by_claims({"email": "x@elders.example"}).exists()

"""The regional site (/beheer/gegevens/): an administrator configures their own region's data,
sees nothing of another region, and every change is audited with its before and after."""

import time
from datetime import date
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from instroom.accounts.constants import Role
from instroom.accounts.models import ApiToken, Membership, User
from instroom.accounts.tests.factories import api_key_for
from instroom.assessment.models import TableMember
from instroom.audit.models import AuditEvent
from instroom.configuration.site import regional_site
from instroom.conftest import PERSONAS, make_user
from instroom.regions.models import (
    AssessmentTable,
    CorporationStock,
    FigureKind,
    Municipality,
    Neighbourhood,
    QuotaYear,
    Region,
    SubRegion,
)

pytestmark = pytest.mark.django_db


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    session = client.session
    session["instroom_reauthenticated_at"] = time.time()  # the password was just asked again
    session.save()
    return client


def _extras(region: Region) -> dict[str, Any]:
    """What build_region leaves out: a neighbourhood, a corporation's stock, a table member,
    a user with a token and a second factor."""
    town = region.municipalities.order_by("pk").first()
    corporation = region.organisations.get(slug="corporatie")
    neighbourhood = Neighbourhood.objects.create(
        municipality=town, cbs_code=f"BU{town.cbs_code[2:]}0101", level="buurt", name=""
    )
    stock = CorporationStock.objects.create(
        corporation=corporation,
        municipality=town,
        homes=800,
        reference_date=date(2025, 1, 1),
        source="Fictief",
    )
    user = make_user(
        f"{region.slug}_medewerker", region.organisations.get(slug="zorg-a"), "applicant_worker"
    )
    member = TableMember.objects.create(table=region.tables.get(), user=user)
    api_key_for(user)
    TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)
    StaticDevice.objects.create(user=user, name="Herstelcodes", confirmed=True)
    SubRegion.objects.create(region=region, slug="deel", name=f"Deelregio {region.slug}")
    return {"neighbourhood": neighbourhood, "stock": stock, "user": user, "member": member}


def objects_of(region: Region, user: User) -> dict[type, Any]:
    """One object of each registered model in `region`."""
    return {
        Region: region,
        Municipality: region.municipalities.order_by("pk").first(),
        Neighbourhood: Neighbourhood.objects.filter(municipality__region=region).first(),
        AssessmentTable: region.tables.get(),
        QuotaYear: region.quota_years.first(),
        SubRegion: region.sub_regions.first(),
        FigureKind: region.figure_kinds.order_by("pk").first(),
        CorporationStock: CorporationStock.objects.filter(corporation__region=region).first(),
        User: user,
        ApiToken: ApiToken.objects.get(user=user),
        TOTPDevice: TOTPDevice.objects.get(user=user),
        StaticDevice: StaticDevice.objects.get(user=user),
        **{
            model: model._default_manager.filter(region=region).first()
            for model in regional_site._registry
            if model._meta.model_name in ("organisation", "affordabilitylimit")
        },
    }


def url(model: type, view: str, obj: Any = None) -> str:
    name = f"regional_admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
    return reverse(name, args=[obj.pk] if obj is not None else [])


@pytest.fixture
def world(cast) -> dict[str, Any]:
    own, other = _extras(cast.region), _extras(cast.other_region)
    return {
        "own": objects_of(cast.region, own["user"]),
        "other": objects_of(cast.other_region, other["user"]),
    }


def test_every_registered_model_is_tried(world) -> None:
    assert set(world["own"]) == set(regional_site._registry)
    assert all(obj is not None for obj in world["own"].values())


def test_an_administrator_sees_and_opens_only_their_own_region(client, cast, world) -> None:
    signed_in(client, cast.administrator)
    index = client.get(reverse("regional_admin:index"), HTTP_ACCEPT_LANGUAGE="nl")
    assert index.status_code == 200
    assert "Instroom — regiobeheer" in index.content.decode()
    for model, own in world["own"].items():
        other = world["other"][model]
        listing = client.get(url(model, "changelist"))
        assert listing.status_code == 200, model
        shown = {o.pk for o in listing.context["cl"].result_list}
        assert own.pk in shown and other.pk not in shown, model
        for view in ("change", "history", "delete"):
            # Another region's object: not found, on every page of it (deleting a region or
            # a user is refused outright, whichever).
            refused = view == "delete" and model in (Region, User)
            expected = 403 if refused else 404
            assert client.get(url(model, view, other)).status_code == expected, (model, view)
        assert client.get(url(model, "change", own)).status_code == 200, model
        assert client.get(url(model, "history", own)).status_code == 200, model


def test_what_an_administrator_may_add_and_delete(client, cast, world) -> None:
    signed_in(client, cast.administrator)
    addable = {
        Municipality,
        Neighbourhood,
        AssessmentTable,
        QuotaYear,
        CorporationStock,
        User,
        SubRegion,
        FigureKind,
    }
    never_added = {Region, ApiToken, TOTPDevice, StaticDevice}  # the platform's; credentials
    for model in regional_site._registry:
        expected = 403 if model in never_added else 200
        assert client.get(url(model, "add")).status_code == expected, model
        assert model in addable | never_added or model._meta.model_name in (
            "organisation",
            "affordabilitylimit",
        )
    # Regions and users are not deleted here (a user is made inactive); the rest is.
    for model, obj in world["own"].items():
        expected = 403 if model in (Region, User) else 200
        assert client.get(url(model, "delete", obj)).status_code == expected, model


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "administrator"])
def test_every_other_role_is_refused_on_every_page(client, cast, world, persona) -> None:
    signed_in(client, cast.personas()[persona])
    pages = [reverse("regional_admin:index")]
    for model, obj in world["own"].items():
        pages += [url(model, "changelist"), url(model, "add"), url(model, "change", obj)]
        pages += [url(model, "delete", obj)]
    for page in pages:
        assert client.get(page).status_code == 403, (persona, page)


def test_signed_out_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get(reverse("regional_admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_django_admin_is_for_superusers_only(client, cast) -> None:
    signed_in(client, cast.administrator)
    assert client.get("/admin/").status_code == 403
    cast.nobody.is_superuser = cast.nobody.is_staff = True
    cast.nobody.save()
    signed_in(client, cast.nobody)
    assert client.get("/admin/").status_code == 200


def test_a_superuser_sees_every_region(client, cast, world) -> None:
    cast.nobody.is_superuser = True
    cast.nobody.save()
    signed_in(client, cast.nobody)
    listing = client.get(url(Municipality, "changelist"))
    shown = {o.pk for o in listing.context["cl"].result_list}
    assert {world["own"][Municipality].pk, world["other"][Municipality].pk} <= shown
    assert client.get(url(Region, "change", cast.other_region)).status_code == 200


# -- choices ------------------------------------------------------------------------------------


def test_the_region_and_every_choice_are_of_the_administrators_region(client, cast) -> None:
    signed_in(client, cast.administrator)
    form = client.get(url(QuotaYear, "add")).context["adminform"].form
    assert list(form.fields["region"].queryset) == [cast.region]
    assert form.initial["region"] == cast.region.pk  # their only region, already chosen
    organisation = cast.region.organisations.get(slug="zorg-a")
    form = client.get(url(type(organisation), "change", organisation)).context["adminform"].form
    assert set(form.fields["municipalities"].queryset) == set(cast.region.municipalities.all())
    stock_form = client.get(url(CorporationStock, "add")).context["adminform"].form
    assert set(stock_form.fields["corporation"].queryset) == {cast.corporation}
    table = cast.region.tables.get()
    page = client.get(url(AssessmentTable, "change", table))
    members = page.context["inline_admin_formsets"][0].formset.empty_form
    choices = set(members.fields["user"].queryset)
    assert cast.care_worker_a in choices and cast.other_coordinator not in choices


def test_another_regions_id_posted_is_refused(client, cast) -> None:
    signed_in(client, cast.administrator)
    response = client.post(
        url(QuotaYear, "add"),
        {
            "region": cast.other_region.pk,
            "year": 2031,
            "total_homes": 10,
            "method": "largest_remainder",
            "carry_over": "catch_up",
        },
    )
    assert response.status_code == 200 and response.context["errors"]
    assert not QuotaYear.objects.filter(year=2031).exists()
    assert not AuditEvent.objects.filter(action__startswith="config.").exists()


# -- audit ----------------------------------------------------------------------------------


def _quota_data(quota: QuotaYear, **changes: Any) -> dict[str, Any]:
    data = {
        "region": quota.region_id,
        "year": quota.year,
        "total_homes": quota.total_homes,
        "method": quota.method,
        "carry_over": quota.carry_over,
        "catch_up_limit_percent": "",
        "source": quota.source,
        **weight_forms(quota),
    }
    return {**data, **changes}


def weight_forms(quota: QuotaYear) -> dict[str, Any]:
    """The inline rows of the year's key, as the page posts them."""
    weights = list(quota.weights.order_by("kind"))
    data: dict[str, Any] = {
        "weights-TOTAL_FORMS": str(len(weights)),
        "weights-INITIAL_FORMS": str(len(weights)),
        "weights-MIN_NUM_FORMS": "1",
        "weights-MAX_NUM_FORMS": "1000",
    }
    for i, w in enumerate(weights):
        data |= {
            f"weights-{i}-id": w.pk,
            f"weights-{i}-quota_year": quota.pk,
            f"weights-{i}-kind": w.kind,
            f"weights-{i}-weight": str(w.weight),
        }
    return data


def test_a_change_is_audited_with_before_and_after(client, cast) -> None:
    signed_in(client, cast.administrator)
    quota = cast.region.quota_years.get()
    response = client.post(url(QuotaYear, "change", quota), _quota_data(quota, total_homes=25))
    assert response.status_code == 302, response.context and response.context["errors"]
    event = AuditEvent.objects.get(action="config.change")
    assert event.actor == cast.administrator and event.region_id == cast.region.pk
    assert event.changes["model"] == "regions.QuotaYear"
    assert event.changes["fields"] == {"total_homes": [20, 25]}
    # Saving without a change records nothing.
    client.post(url(QuotaYear, "change", quota), _quota_data(quota, total_homes=25))
    assert AuditEvent.objects.filter(action="config.change").count() == 1


def test_an_addition_with_its_inline_rows_is_audited(client, cast) -> None:
    signed_in(client, cast.administrator)
    response = client.post(
        url(Municipality, "add"),
        {
            "region": cast.region.pk,
            "cbs_code": "GM9999",
            "name": "Nieuwdorp",
            "figures-TOTAL_FORMS": "1",
            "figures-INITIAL_FORMS": "0",
            "figures-MIN_NUM_FORMS": "0",
            "figures-MAX_NUM_FORMS": "1000",
            "figures-0-kind": "households",
            "figures-0-value": "1200",
            "figures-0-reference_date": "2025-01-01",
            "figures-0-source": "CBS",
            "agreed_homes-TOTAL_FORMS": "0",
            "agreed_homes-INITIAL_FORMS": "0",
            "agreed_homes-MIN_NUM_FORMS": "0",
            "agreed_homes-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    town = Municipality.objects.get(cbs_code="GM9999")
    added = AuditEvent.objects.filter(action="config.add", region_id=cast.region.pk)
    by_model = {e.changes["model"]: e.changes["fields"] for e in added}
    assert by_model["regions.Municipality"]["name"] == [None, "Nieuwdorp"]
    assert by_model["regions.MunicipalityFigure"]["value"] == [None, 1200]
    assert AuditEvent.objects.get(
        action="config.add", object_id=str(town.pk), object_type="regions.municipality"
    )


def test_a_deletion_is_audited_with_what_was_there(client, cast) -> None:
    signed_in(client, cast.administrator)
    quota = cast.region.quota_years.get()
    assert client.post(url(QuotaYear, "delete", quota), {"post": "yes"}).status_code == 302
    assert not QuotaYear.objects.filter(pk=quota.pk).exists()
    event = AuditEvent.objects.get(action="config.delete")
    assert event.region_id == cast.region.pk
    assert event.changes["fields"]["total_homes"] == [20, None]


def test_a_delete_page_names_no_linked_case(client, cast) -> None:
    from instroom.applications.tests.factories import make_application

    make_application(cast.care_worker_a, cast.care_a, last_name="Zwaluwstaart")
    signed_in(client, cast.administrator)
    page = client.get(url(type(cast.care_a), "delete", cast.care_a)).content.decode()
    assert "Zwaluwstaart" not in page


# -- users and roles -------------------------------------------------------------------------


def _user_data(**extra: Any) -> dict[str, Any]:
    return {
        "username": "nieuwe_collega",
        "first_name": "Nieuwe",
        "last_name": "Collega",
        "email": "collega@example.org",
        "usable_password": "false",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "1",
        "memberships-MAX_NUM_FORMS": "1000",
        **extra,
    }


def test_an_administrator_adds_a_user_with_a_role_in_their_region(client, cast) -> None:
    signed_in(client, cast.administrator)
    response = client.post(
        url(User, "add"),
        _user_data(
            **{
                "memberships-0-organisation": cast.care_a.pk,
                "memberships-0-role": Role.APPLICANT_WORKER,
                "memberships-0-active": "on",
            }
        ),
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    user = User.objects.get(username="nieuwe_collega")
    assert list(user.memberships.values_list("organisation", flat=True)) == [cast.care_a.pk]
    event = AuditEvent.objects.get(action="config.add", object_type="accounts.user")
    assert event.region_id == cast.region.pk
    assert "password" not in event.changes["fields"]
    assert AuditEvent.objects.filter(action="config.add", object_type="accounts.membership")


def test_a_role_in_another_regions_organisation_is_refused(client, cast) -> None:
    signed_in(client, cast.administrator)
    elsewhere = cast.other_region.organisations.get(slug="zorg-a")
    response = client.post(
        url(User, "add"),
        _user_data(
            **{
                "memberships-0-organisation": elsewhere.pk,
                "memberships-0-role": Role.APPLICANT_WORKER,
            }
        ),
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="nieuwe_collega").exists()


def test_a_new_user_needs_a_role_here(client, cast) -> None:
    signed_in(client, cast.administrator)
    response = client.post(url(User, "add"), _user_data(**{"memberships-TOTAL_FORMS": "0"}))
    assert response.status_code == 200
    assert not User.objects.filter(username="nieuwe_collega").exists()


def test_a_user_who_also_works_elsewhere_keeps_name_and_password(client, cast) -> None:
    shared = cast.care_worker_a
    Membership.objects.create(
        user=shared,
        organisation=cast.other_region.organisations.get(slug="zorg-a"),
        role=Role.APPLICANT_WORKER,
    )
    signed_in(client, cast.administrator)
    page = client.get(url(User, "change", shared))
    assert page.status_code == 200
    assert "email" not in page.context["adminform"].form.fields  # shown, not editable
    # Their roles elsewhere are not shown here.
    rows = page.context["inline_admin_formsets"][0].formset.queryset
    assert {m.organisation.region_id for m in rows} == {cast.region.pk}
    password = reverse("regional_admin:auth_user_password_change", args=[shared.pk])
    assert client.get(password).status_code == 403
    own = reverse("regional_admin:auth_user_password_change", args=[cast.care_worker_b.pk])
    assert client.get(own).status_code == 200


def test_no_user_page_shows_a_password_hash(client, cast) -> None:
    signed_in(client, cast.administrator)
    stored = User.objects.get(pk=cast.coordinator.pk).password
    for page in (url(User, "change", cast.coordinator), url(User, "changelist")):
        html = client.get(page).content.decode()
        assert stored not in html and stored.rsplit("$", 1)[-1] not in html


# -- credentials -----------------------------------------------------------------------------


def test_an_administrator_revokes_a_token_of_their_region_only(client, cast, world) -> None:
    own, other = world["own"][ApiToken], world["other"][ApiToken]
    signed_in(client, cast.administrator)
    assert client.post(url(ApiToken, "delete", other), {"post": "yes"}).status_code == 404
    assert client.post(url(ApiToken, "delete", own), {"post": "yes"}).status_code == 302
    assert not ApiToken.objects.filter(pk=own.pk).exists()
    assert ApiToken.objects.filter(pk=other.pk).exists()
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=cast.administrator).exists()


def test_an_administrator_removes_a_second_factor_in_their_region(client, cast, world) -> None:
    device = world["own"][TOTPDevice]
    signed_in(client, cast.administrator)
    assert client.post(url(TOTPDevice, "delete", device), {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert AuditEvent.objects.filter(action="otp.remove", actor=cast.administrator).exists()


def test_view_on_site_jumps_to_nothing(client, cast) -> None:
    signed_in(client, cast.administrator)
    target = reverse(
        "regional_admin:view_on_site",
        args=[ContentType.objects.get_for_model(Region).pk, cast.region.pk],
    )
    assert client.get(target).status_code == 404


def test_the_administrator_role_is_enough_without_django_staff_flag(client, cast) -> None:
    cast.administrator.is_staff = False
    cast.administrator.save()
    signed_in(client, cast.administrator)
    assert client.get(reverse("regional_admin:index")).status_code == 200
    # The menu and the home page lead there (not to Django's site, which refuses them).
    home = client.get(reverse("home")).content.decode()
    assert reverse("regional_admin:index") in home and 'href="/admin/"' not in home


def test_changing_roles_asks_for_the_password_again(client, cast) -> None:
    client.force_login(cast.administrator)
    asked = client.get(url(User, "change", cast.care_worker_a))
    assert asked.status_code == 302 and asked.url.startswith(reverse("accounts:reauth"))


def test_setting_a_password_is_audited_and_told_to_the_owner(
    client, cast, django_capture_on_commit_callbacks
) -> None:
    from django.core import mail

    cast.care_worker_b.email = "zorg@example.org"
    cast.care_worker_b.save(update_fields=["email"])
    signed_in(client, cast.administrator)
    target = reverse("regional_admin:auth_user_password_change", args=[cast.care_worker_b.pk])
    new = "een-nieuw-wachtwoord-2026!"
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(target, {"password1": new, "password2": new, "usable_password": "true"})
    assert done.status_code == 302
    event = AuditEvent.objects.get(action="user.password_set", actor=cast.administrator)
    assert event.object_id == str(cast.care_worker_b.pk)
    assert new not in str(event.changes)
    assert [m.to for m in mail.outbox] == [[cast.care_worker_b.email]]


def test_a_role_change_is_audited_under_the_region(client, cast) -> None:
    signed_in(client, cast.administrator)
    membership = cast.care_worker_a.memberships.get()
    page = client.get(url(User, "change", cast.care_worker_a))
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        {
            "is_active": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": membership.pk,
            "memberships-0-user": cast.care_worker_a.pk,
            "memberships-0-organisation": cast.care_a.pk,
            "memberships-0-role": Role.SUPPORT_WORKER,
            "memberships-0-active": "on",
        }
    )
    response = client.post(url(User, "change", cast.care_worker_a), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    event = AuditEvent.objects.get(action="config.change", object_type="accounts.membership")
    assert event.region_id == cast.region.pk
    assert event.changes["fields"]["role"] == [Role.APPLICANT_WORKER, Role.SUPPORT_WORKER]
    # Nothing else of the user changed, so nothing else is recorded.
    assert not AuditEvent.objects.filter(action="config.change", object_type="accounts.user")


def test_list_pages_cost_the_same_for_more_rows(client, cast) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from instroom.regions.models import Organisation

    signed_in(client, cast.administrator)

    def cost(page: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        return len(queries)

    pages = [url(Organisation, "changelist"), url(User, "changelist")]
    before = [cost(page) for page in pages]
    for i in range(10):
        organisation = Organisation.objects.create(
            region=cast.region, slug=f"extra-{i}", name=f"Extra {i}", type="care_provider"
        )
        make_user(f"extra_{i}", organisation, "applicant_worker")
    assert [cost(page) for page in pages] == before


def test_an_administrator_revokes_tokens_only_of_users_they_answer_for_alone(cast) -> None:
    """Like a second factor: a user who also works in another region, or a superuser, keeps
    their tokens against this region's administrator."""
    from instroom.policy.rules import can_revoke_api_token

    own = _extras(cast.region)["user"]
    token = ApiToken.objects.get(user=own)
    assert can_revoke_api_token(cast.administrator, token)
    Membership.objects.create(
        user=own,
        organisation=cast.other_region.organisations.get(slug="zorg-a"),
        role="applicant_worker",
    )
    assert not can_revoke_api_token(cast.administrator, token)
    assert can_revoke_api_token(own, token)  # the owner always may

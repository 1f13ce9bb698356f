"""Every URL × every persona, on real objects: the answer each persona gets, written out by hand.

One world is built once for the module (DOMAIN.md §3: a client in each state that matters, a
home, offers in each step, a contract with its meetings, signals, case table, time-out, ...).
Each URL parameter is filled with the id of a real object of the kind the view expects
(`OBJECT_FOR`); a URL pattern without an entry there fails the test, so a new page cannot skip
the matrix. The expected status per persona is in `EXPECTED`: read it as "who opens what". A 404
passes only where the table says 404 (another organisation's case, another region's object).

The expectation is written by hand, not derived from `policy.rules`: a wrong rule fails here.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from instroom.applications import services as app_services
from instroom.applications.tests.factories import make_application
from instroom.assessment import services as assessment_services
from instroom.conftest import PERSONAS as SIGNED_IN
from instroom.conftest import Cast, build_cast
from instroom.homes.tests.factories import make_cluster, make_home
from instroom.matching import services as matching
from instroom.matching.tests.factories import make_approved
from instroom.policy.urlwalk import Route, walk
from instroom.support import services as support
from instroom.support.tests.factories import accepted_match, housed_contract

pytestmark = pytest.mark.django_db

# Distinctive surnames: a fake surname can be an ordinary word on some page.
NAMES = ("Zwaluwstaart", "Klaproosveld", "Ganzenbloem", "Kievitsbloem")


def _build(cast: Cast) -> dict[str, Any]:
    """A real object of every kind the URLs take, in the state its pages and actions act on."""
    from instroom.accounts.models import Notification
    from instroom.distribution.services import placement_record
    from instroom.matching.tests.factories import set_matching_rules
    from instroom.reporting.forecasting import execute, scenario_create

    today = timezone.localdate()
    o: dict[str, Any] = {}
    care_a, care_b = cast.care_a, cast.care_b
    # Applications of care provider A, with woonbegeleiding by B (the support worker's).
    o["draft"] = make_application(
        cast.care_worker_a, care_a, support_provider=care_b, last_name=NAMES[0]
    )
    o["submitted"] = make_application(
        cast.care_worker_a, care_a, support_provider=care_b, last_name=NAMES[1]
    )
    app_services.application_submit(actor=cast.care_worker_a, application=o["submitted"])
    o["withdrawn"] = make_application(cast.care_worker_a, care_a, support_provider=care_b)
    app_services.application_withdraw(
        actor=cast.care_worker_a, application=o["withdrawn"], reason="Verhuist naar familie"
    )
    # Approved (which plans the table's session and makes the table member its chair).
    o["approved"] = make_approved(cast, support_provider=care_b, last_name=NAMES[2])
    o["session"] = cast.region.tables.get().sessions.get(status="planned")
    # On the agenda of that session, with the police invited for this case.
    agenda = make_application(cast.care_worker_a, care_a, support_provider=care_b)
    app_services.application_attach_motivation(
        actor=cast.care_worker_a,
        application=agenda,
        upload=SimpleUploadedFile("brief.pdf", b"%PDF-1.7\n..."),
    )
    app_services.application_attach_document(
        actor=cast.care_worker_a,
        application=agenda,
        kind="support_plan",
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n..."),
    )
    app_services.application_submit(actor=cast.care_worker_a, application=agenda)
    app_services.application_mark_complete(actor=cast.coordinator, application=agenda)
    o["item"] = assessment_services.agenda_add(
        actor=cast.coordinator, session=o["session"], application=agenda
    )
    assessment_services.invite(actor=cast.coordinator, item=o["item"], user=cast.police)
    o["agenda"] = agenda

    # Homes and offers: an open home, a proposed offer, one the care provider accepted.
    o["home"] = make_home(cast.corporation_user, cast.corporation, rooms=2)
    o["cluster"] = make_cluster(
        cast.corporation_user, cast.corporation, places=2, postcode="2033 AB"
    )
    o["proposed"] = matching.match_propose(
        actor=cast.corporation_user,
        home=make_home(cast.corporation_user, cast.corporation, rooms=2),
        application=make_approved(cast, support_provider=care_b),
    )
    o["provider_accepted"] = matching.match_propose(
        actor=cast.corporation_user,
        home=make_home(cast.corporation_user, cast.corporation, rooms=2),
        application=make_approved(cast, support_provider=care_b),
    )
    matching.match_provider_decide(
        actor=cast.care_worker_a, match=o["provider_accepted"], accept=True
    )
    # A declined offer (next candidate, reopening) and a status request waiting for an answer.
    o["declined"] = matching.match_propose(
        actor=cast.corporation_user,
        home=make_home(cast.corporation_user, cast.corporation, rooms=2),
        application=make_approved(cast, support_provider=care_b),
    )
    matching.match_provider_decide(
        actor=cast.care_worker_a, match=o["declined"], accept=False, reason="location"
    )
    matching.status_request_send(actor=cast.coordinator, match=o["proposed"])
    # Refusals: one waiting for the service point's judgement, one judged that parked its client.
    set_matching_rules(cast.region, refusals_before_parking=1)
    refusals = []
    for _ in range(2):
        match = matching.match_propose(
            actor=cast.corporation_user,
            home=make_home(cast.corporation_user, cast.corporation, rooms=2),
            application=make_approved(cast, support_provider=care_b),
        )
        matching.match_provider_decide(actor=cast.care_worker_a, match=match, accept=True)
        matching.match_client_decide(
            actor=cast.care_worker_a, match=match, accept=False, reason="other", note="Te ver"
        )
        refusals.append(match.refusal)
    o["refusal"] = refusals[0]
    matching.refusal_review(
        actor=cast.coordinator, refusal=refusals[1], justified=False, note="Geen reden"
    )
    o["parking"] = refusals[1].application.parkings.get()

    # Contracts: prepared (to sign), signed (to move in), housed (the support stage).
    o["prepared"] = support.contract_prepare(
        actor=cast.corporation_user, match=accepted_match(cast)
    )
    o["signed"] = support.contract_prepare(actor=cast.corporation_user, match=accepted_match(cast))
    support.contract_sign(
        actor=cast.corporation_user,
        contract=o["signed"],
        signed_on=today,
        key_handover_on=today,
        planned_move_in_on=today + timedelta(days=7),
    )
    o["accepted"] = accepted_match(cast, last_name=NAMES[3])  # for preparing a contract
    contract = housed_contract(cast, on=today)
    support.contract_assign(
        actor=cast.support_worker,
        contract=contract,
        support_worker=cast.support_worker,
        welfare_organisation=cast.region.organisations.get(slug="welzijn"),
        welfare_contact="Sanne, wijkteam",
    )
    o["contract"] = contract
    o["meeting"] = contract.meetings.get(kind="introduction")
    o["activity"] = support.orientation_add(
        actor=cast.support_worker, client=contract.client, on=today, description="Buurthuis"
    )
    o["case_session"] = support.case_table_session_create(
        actor=cast.coordinator, region=cast.region, starts_at=timezone.now() + timedelta(days=1)
    )
    escalated = support.signal_report(
        actor=cast.corporation_user,
        contract=contract,
        kind="nuisance",
        severity="medium",
        description="Geluidsoverlast",
    )
    o["case_item"] = support.signal_escalate(
        actor=cast.support_worker, signal=escalated, note="Bespreken"
    )
    o["signal"] = support.signal_report(
        actor=cast.corporation_user,
        contract=contract,
        kind="arrears",
        severity="low",
        description="Huurachterstand",
    )
    o["timeout_place"] = support.timeout_place_create(
        actor=cast.coordinator, region=cast.region, name="Crisisbed", kind="crisis_bed", capacity=2
    )
    o["timeout"] = support.timeout_start(
        actor=cast.support_worker,
        contract=housed_contract(cast, on=today),
        starts_on=today,
        ends_on=today + timedelta(days=30),
        place=o["timeout_place"],
        return_plan="Terug na evaluatie",
    )
    o["calendar_token"] = support.calendar_feed_create(actor=cast.support_worker)

    # The rest: a ranking snapshot, a batch run, a placement, a forecast scenario, a task.
    from instroom.matching.ranking import rank_home, snapshot_store

    o["snapshot"] = snapshot_store(
        rank_home(o["home"]), actor=cast.corporation_user, purpose="test"
    )
    o["batch"] = matching.batch_start(actor=cast.coordinator, region=cast.region)
    o["placement"] = placement_record(
        actor=cast.coordinator,
        region=cast.region,
        municipality=cast.region.municipalities.first(),
        corporation=cast.corporation,
        placed_on=today,
    )
    o["scenario"] = scenario_create(
        actor=cast.coordinator, region=cast.region, name="Basis", changes={}, runs=20
    )
    execute(o["scenario"].pk)  # what the worker does: the prognosis files exist
    o["task"] = Notification.objects.filter(user=cast.coordinator).first()
    _build_configuration(cast, o)
    from instroom.regions.models import RuleVersion

    # The version the matching rules above made (configuration pages show and restore it).
    o["rule_version"] = RuleVersion.objects.filter(region=cast.region).latest("number")
    return o


def _build_configuration(cast: Cast, o: dict[str, Any]) -> None:
    """The region's configuration, as the regional site (/beheer/gegevens/) shows it: one
    object of each configured model, and a user of the region with an API token and second
    factors (not a persona: their credentials would change the personas' own pages)."""
    from datetime import date

    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from instroom.accounts.models import ApiToken
    from instroom.accounts.tests.factories import api_key_for
    from instroom.conftest import make_user
    from instroom.regions.models import CorporationStock, Neighbourhood

    region = cast.region
    town = region.municipalities.order_by("pk").first()
    o["region"] = region
    o["municipality"] = town
    o["neighbourhood"] = Neighbourhood.objects.create(
        municipality=town, cbs_code=f"BU{town.cbs_code[2:]}0101", level="buurt"
    )
    o["organisation"] = cast.care_a
    o["table"] = region.tables.get()
    o["quota_year"] = region.quota_years.first()
    o["sub_region"] = region.sub_regions.create(slug="deel", name="Deelregio")
    o["figure_kind"] = region.figure_kinds.order_by("pk").first()
    o["affordability_limit"] = region.affordability_limits.first()
    o["stock"] = CorporationStock.objects.create(
        corporation=cast.corporation,
        municipality=town,
        homes=800,
        reference_date=date(2025, 1, 1),
        source="Fictief",
    )
    user = make_user("beheerd", cast.care_a, "applicant_worker")
    api_key_for(user)
    o["staff_user"] = user
    o["api_token"] = ApiToken.objects.get(user=user)
    o["totp_device"] = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)
    o["static_device"] = StaticDevice.objects.create(user=user, name="Herstelcodes")
    from instroom.matching.models import CotenantMark

    o["mark"] = CotenantMark.objects.create(
        region=region, client=o["submitted"].client, other=o["agenda"].client, reason="Test"
    )


# The object behind each URL's id: "key" of the world, or "key.attribute" (a client's id).
OBJECT_FOR: dict[str, str] = {
    "accounts:task_done": "task",
    "applications:client": "agenda.client",
    "applications:step": "draft",
    "applications:motivation": "agenda",
    "applications:document": "agenda",
    "applications:submit": "draft",
    "applications:withdraw": "submitted",
    "applications:reinstate": "withdrawn",
    "applications:return": "submitted",
    "applications:complete": "submitted",
    "privacy:client": "submitted.client",
    "privacy:export_json": "submitted.client",
    "privacy:export_pdf": "submitted.client",
    "privacy:correct": "submitted.client",
    "privacy:erase": "submitted.client",
    "assessment:session": "session",
    "assessment:agenda_add": "session",
    "assessment:schedule": "submitted",
    "assessment:publish": "session",
    "assessment:close": "session",
    "assessment:agenda_pdf": "session",
    "assessment:minutes_pdf": "session",
    "assessment:agenda_remove": "item",
    "assessment:invite": "item",
    "assessment:decide": "item",
    "assessment:decide_case": "submitted",
    "distribution:placement_undo": "placement",
    "homes:detail": "home",
    "homes:cluster": "cluster",
    "homes:edit": "home",
    "homes:withdraw": "home",
    "homes:reopen": "home",
    "forecast:scenario": "scenario",
    "forecast:run": "scenario",
    "forecast:csv": "scenario",
    "forecast:pdf": "scenario",
    "matching:detail": "proposed",
    "matching:provider_decide": "proposed",
    "matching:client_decide": "provider_accepted",
    "matching:cancel": "proposed",
    "matching:propose_next": "declined",
    "matching:reopen": "declined",
    "matching:viewing": "provider_accepted",
    "matching:contact": "proposed",
    "matching:status_request": "provider_accepted",
    "matching:status_answer": "proposed",
    "matching:ranking": "home",
    "matching:propose": "home",
    "matching:snapshot": "snapshot",
    "matching:batch_run": "batch",
    "matching:batch_confirm": "batch",
    "matching:review": "refusal",
    "matching:parking_end": "parking",
    "matching:mark_withdraw": "mark",
    "support:prepare": "accepted",
    "support:contract": "contract",
    "support:document": "contract",
    "support:sign": "prepared",
    "support:sign_undo": "signed",
    "support:withdraw": "prepared",
    "support:move_in": "signed",
    "support:assign": "contract",
    "support:orientation_add": "contract",
    "support:orientation_remove": "contract",
    "support:final": "contract",
    "support:signal_report": "contract",
    "support:timeout_start": "contract",
    "support:timeout_end": "timeout",
    "support:timeout_place_edit": "timeout_place",
    "support:meeting": "meeting",
    "support:meeting_plan": "meeting",
    "support:meeting_record": "meeting",
    "support:signal": "signal",
    "support:signal_plan": "signal",
    "support:signal_escalate": "signal",
    "support:signal_close": "signal",
    "support:case_table_session": "case_session",
    "support:case_table_pdf": "case_session",
    "support:case_table_decide": "case_item",
    "api:client-detail": "agenda.client",
    "api:application-detail": "agenda",
    "api:application-preferences": "draft",
    "api:application-consent": "draft",
    "api:application-submit": "draft",
    "api:application-return": "submitted",
    "api:application-complete": "submitted",
    "api:application-withdraw": "submitted",
    "api:application-reinstate": "withdrawn",
    "api:application-decision": "submitted",
    "api:home-detail": "home",
    "api:home-ranking": "home",
    "api:home-withdraw": "home",
    "api:match-detail": "proposed",
    "api:session-agenda": "session",
    "api:agendaitem-decision": "item",
    # The regional site: Django's "view on site" of the region, and the pages of each object.
    "regional_admin:view_on_site": "region",
    "regional_admin:auth_user_password_change": "staff_user",
    "configuration:version": "rule_version",
    "configuration:restore": "rule_version",
}
# The regional site's models (app_model, as in their URL names) and the object of each.
CONFIGURED: dict[str, str] = {
    "regions_region": "region",
    "regions_municipality": "municipality",
    "regions_neighbourhood": "neighbourhood",
    "regions_organisation": "organisation",
    "regions_assessmenttable": "table",
    "regions_quotayear": "quota_year",
    "regions_subregion": "sub_region",
    "regions_figurekind": "figure_kind",
    "regions_affordabilitylimit": "affordability_limit",
    "regions_corporationstock": "stock",
    "accounts_user": "staff_user",
    "accounts_apitoken": "api_token",
    "otp_totp_totpdevice": "totp_device",
    "otp_static_staticdevice": "static_device",
}
OBJECT_FOR.update(
    {
        f"regional_admin:{model}_{view}": key
        for model, key in CONFIGURED.items()
        for view in ("change", "history", "delete")
    }
)


def _params(route: Route) -> list[str]:
    return [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route.pattern)]


def _resolve(world: dict[str, Any], path: str) -> Any:
    key, _, attribute = path.partition(".")
    obj = world[key]
    return getattr(obj, attribute) if attribute else obj


def url_for(route: Route, cast: Cast, world: dict[str, Any]) -> str | None:
    """The URL with each parameter filled from a real object; None if some has no mapping."""
    values: dict[str, Any] = {}
    for param in _params(route):
        if param in ("pk", "object_id", "id"):  # the last two: the admin sites' names
            if route.view_name not in OBJECT_FOR:
                return None
            values[param] = _resolve(world, OBJECT_FOR[route.view_name]).pk
        elif param == "content_type_id":
            from django.contrib.contenttypes.models import ContentType

            if route.view_name not in OBJECT_FOR:
                return None
            obj = _resolve(world, OBJECT_FOR[route.view_name])
            values[param] = ContentType.objects.get_for_model(obj).pk
        elif param == "app_label":
            values[param] = "regions"
        elif param == "url":  # an admin site's catch-all: a page that does not exist
            values[param] = "bestaat-niet/"
        elif param == "slug":
            values[param] = cast.region.slug
        elif param == "year":
            values[param] = 2026
        elif param == "step":
            values[param] = "identity"
        elif param == "kind":
            values[param] = "support_plan"
        elif param == "activity":
            values[param] = world["activity"].pk
        elif param == "token":
            values[param] = world["calendar_token"]
        else:
            return None
    return reverse(route.view_name, kwargs=values)


def _routes() -> list[Route]:
    return [r for r in walk() if not (r.namespaces and r.namespaces[0] == "admin")]


def _is_api(route: Route) -> bool:
    from rest_framework.views import APIView

    cls = getattr(route.callback, "cls", None)
    return isinstance(cls, type) and issubclass(cls, APIView)


# ---------------------------------------------------------------------------------------------
# The expected answers
# ---------------------------------------------------------------------------------------------

OK, DENIED, NOT_FOUND, NOT_ALLOWED = 200, 403, 404, 405  # 405: a POST-only URL let through


@dataclass(frozen=True)
class Redirect:
    """A 302 to a path starting with `to` ({region}, {other}: the two regions' slugs), or to
    exactly `to`."""

    to: str
    exact: bool = False

    def __str__(self) -> str:
        return f"302 → {self.to}"


LOGIN = Redirect("/accounts/login/?next=")
HOME = Redirect("/", exact=True)
TWO_FACTOR_SETUP = Redirect("/accounts/two-factor/setup/")
Expected = int | Redirect

PERSONAS = (*SIGNED_IN, "anonymous")


def page(default: Expected, **cells: Expected) -> dict[str, Expected]:
    """A web page: `default` for every persona not named; anonymous visitors are sent to the
    sign-in page unless named."""
    unknown = set(cells) - set(PERSONAS)
    assert not unknown, unknown
    return {p: cells.get(p, LOGIN if p == "anonymous" else default) for p in PERSONAS}


def api(default: Expected, **cells: Expected) -> dict[str, Expected]:
    """An API endpoint: as `page`, but an anonymous caller gets 403 (no sign-in page)."""
    return page(default, **{"anonymous": DENIED, **cells})


def everyone(answer: Expected) -> dict[str, Expected]:
    return {p: answer for p in PERSONAS}


# The roles that work with cases (they may open the lists; what they find there is scoped).
CASE_ROLES = dict.fromkeys(
    (
        "coordinator",
        "care_worker_a",
        "care_worker_b",
        "support_worker",
        "table_member",
        "corporation_user",
        "welfare_user",
        "police",
        "other_coordinator",
    ),
    OK,
)
COORDINATORS = {"coordinator": OK, "other_coordinator": OK}
APPLICANTS = {"care_worker_a": OK, "care_worker_b": OK}
# The service point of this region only: the other region's coordinator finds nothing here.
THIS_COORDINATOR = {"coordinator": OK, "other_coordinator": NOT_FOUND}


def post_only(cells: dict[str, Expected]) -> dict[str, Expected]:
    """A POST-only URL asked with GET: whoever the policy lets through is told 405."""
    return {p: NOT_ALLOWED if v == OK else v for p, v in cells.items()}


# The case of care provider A (applicant worker a), supported by care provider B (the support
# worker's organisation), in the corporation's home, handed over to the welfare organisation.
# care_worker_b works for B as an applicant worker: not a party to A's cases.
TENANCY = {
    "coordinator": OK,
    "care_worker_a": OK,
    "support_worker": OK,
    "corporation_user": OK,
    "welfare_user": OK,
    "care_worker_b": NOT_FOUND,
    "other_coordinator": NOT_FOUND,
}
# The client on the table's agenda (table member and invited police read it while it is there).
ON_AGENDA = {
    "coordinator": OK,
    "care_worker_a": OK,
    "support_worker": OK,
    "table_member": OK,
    "police": OK,
    "care_worker_b": NOT_FOUND,
    "corporation_user": NOT_FOUND,
    "welfare_user": NOT_FOUND,
    "other_coordinator": NOT_FOUND,
}
# The offer of a home to a client of A supported by B: the corporation (pseudonymised), the care
# side and the service point.
OFFER = {
    "coordinator": OK,
    "care_worker_a": OK,
    "support_worker": OK,
    "corporation_user": OK,
    "care_worker_b": NOT_FOUND,
    "other_coordinator": NOT_FOUND,
}
HOME_PAGE = {"coordinator": OK, "corporation_user": OK, "other_coordinator": NOT_FOUND}
SESSION = {
    "coordinator": OK,
    "table_member": OK,
    "police": OK,  # invited for one case of it
    "care_worker_a": NOT_FOUND,
    "care_worker_b": NOT_FOUND,
    "support_worker": NOT_FOUND,
    "corporation_user": NOT_FOUND,
    "welfare_user": NOT_FOUND,
    "other_coordinator": NOT_FOUND,
}
AGGREGATES = {"coordinator": OK, "municipality_user": OK, "other_coordinator": NOT_FOUND}
SUPPORTERS = {"coordinator": OK, "support_worker": OK, "other_coordinator": OK}
CONTRACT_PARTIES = {"coordinator": OK, "corporation_user": OK, "other_coordinator": OK}
SIGNAL_REPORTERS = {**CONTRACT_PARTIES, "support_worker": OK, "welfare_user": OK}

EXPECTED: dict[str, dict[str, Expected]] = {
    # --- signing in and one's own account ---
    "home": page(OK),
    "healthz": everyone(OK),
    "set_language": everyone(HOME),  # a GET just goes back
    "accounts:login": {**everyone(HOME), "anonymous": OK},  # signed in: on to the home page
    "accounts:logout": everyone(NOT_ALLOWED),  # POST only
    "accounts:profile": page(OK),
    "accounts:tasks": page(OK),
    "accounts:task_done": page(NOT_ALLOWED),
    "accounts:api_token": page(
        NOT_ALLOWED, municipality_user=DENIED, administrator=DENIED, nobody=DENIED
    ),
    "accounts:otp_setup": page(OK),
    "accounts:otp_verify": page(TWO_FACTOR_SETUP),  # no authenticator yet: set one up first
    "accounts:reauth": page(OK),
    "accounts:sso_start": everyone(NOT_FOUND),  # single sign-on is off in the tests
    "accounts:sso_callback": everyone(NOT_FOUND),
    "regions:list": page(OK),
    "regions:detail": page(OK),
    # --- applications (DOMAIN.md §3) ---
    "applications:list": page(DENIED, **CASE_ROLES),
    "applications:create": page(DENIED, **APPLICANTS),
    "applications:check_queue": page(DENIED, **COORDINATORS),
    # A client's pages tell whoever may not open them "not found", whatever their role: the
    # answer never says that the client exists (docs/security.md).
    "applications:client": page(NOT_FOUND, **ON_AGENDA),
    "applications:step": page(NOT_FOUND, care_worker_a=OK),
    # The letter: the writers, the service point and those assessing it (not the support worker).
    "applications:motivation": page(NOT_FOUND, **{**ON_AGENDA, "support_worker": NOT_FOUND}),
    "applications:document": page(NOT_FOUND, **{**ON_AGENDA, "support_worker": NOT_FOUND}),
    "applications:submit": page(DENIED, **post_only(APPLICANTS)),
    "applications:withdraw": page(DENIED, **post_only({**APPLICANTS, **COORDINATORS})),
    # Undoing a withdrawal: the service point of the client's region only (a confirmation page).
    "applications:reinstate": page(DENIED, **THIS_COORDINATOR),
    "applications:return": page(DENIED, **post_only(COORDINATORS)),
    "applications:complete": page(DENIED, **post_only(COORDINATORS)),
    "audit:access_log": page(DENIED, **COORDINATORS),
    # --- the client's rights (the service point of the client's region; password again) ---
    "privacy:client": page(NOT_FOUND, **THIS_COORDINATOR),
    "privacy:export_json": page(NOT_FOUND, **THIS_COORDINATOR),
    "privacy:export_pdf": page(NOT_FOUND, **THIS_COORDINATOR),
    "privacy:correct": page(DENIED, **post_only(COORDINATORS)),
    "privacy:erase": page(DENIED, **post_only(COORDINATORS)),
    # --- assessment tables ---
    "assessment:sessions": page(DENIED, **CASE_ROLES),
    "assessment:session": page(DENIED, **SESSION),
    "assessment:agenda_add": page(DENIED, **post_only(COORDINATORS)),
    "assessment:schedule": page(DENIED, **post_only(COORDINATORS)),
    "assessment:publish": page(DENIED, **post_only(COORDINATORS)),
    "assessment:close": page(DENIED, **post_only(CASE_ROLES)),
    "assessment:agenda_pdf": page(DENIED, **SESSION),
    "assessment:minutes_pdf": page(DENIED, **SESSION),
    "assessment:agenda_remove": page(DENIED, **post_only(COORDINATORS)),
    "assessment:invite": page(DENIED, **post_only(COORDINATORS)),
    "assessment:decide": page(DENIED, **post_only(CASE_ROLES)),
    # Where the route has no table: the service point decides on the case page.
    "assessment:decide_case": page(DENIED, **post_only(COORDINATORS)),
    # --- distribution (aggregates: quota and placements) ---
    "distribution:index": page(
        DENIED,
        coordinator=Redirect("/distribution/{region}/"),
        corporation_user=Redirect("/distribution/{region}/"),
        municipality_user=Redirect("/distribution/{region}/"),
        administrator=Redirect("/distribution/{region}/"),
        other_coordinator=Redirect("/distribution/{other}/"),
    ),
    "distribution:realisation": page(DENIED, **AGGREGATES, corporation_user=OK, administrator=OK),
    "distribution:placements": page(DENIED, **THIS_COORDINATOR),
    "distribution:placement_undo": page(DENIED, **post_only(COORDINATORS)),
    # --- homes ---
    "homes:list": page(DENIED, corporation_user=OK, **COORDINATORS),
    "homes:create": page(DENIED, corporation_user=OK),
    "homes:import": page(DENIED, corporation_user=OK),
    "homes:cluster_create": page(DENIED, corporation_user=OK),
    "homes:cluster": page(DENIED, **HOME_PAGE),
    "homes:import_template": page(DENIED, corporation_user=OK),
    # --- taking over running cases (the service point of a region moving onto Instroom) ---
    "takeover:index": page(DENIED, **COORDINATORS),
    "takeover:template": page(DENIED, **COORDINATORS),
    "homes:detail": page(DENIED, **HOME_PAGE),
    "homes:edit": page(DENIED, corporation_user=OK),
    "homes:withdraw": page(DENIED, corporation_user=NOT_ALLOWED),
    "homes:reopen": page(DENIED, corporation_user=NOT_ALLOWED),
    # --- forecast and reports (aggregates only) ---
    "forecast:index": page(
        DENIED,
        coordinator=Redirect("/forecast/{region}/"),
        municipality_user=Redirect("/forecast/{region}/"),
        administrator=Redirect("/forecast/{region}/"),
        other_coordinator=Redirect("/forecast/{other}/"),
    ),
    "forecast:region": page(DENIED, **AGGREGATES, administrator=OK),
    "forecast:scenario": page(DENIED, **AGGREGATES, administrator=OK),
    "forecast:run": page(
        DENIED, **post_only({**COORDINATORS, "municipality_user": OK, "administrator": OK})
    ),
    "forecast:csv": page(DENIED, **AGGREGATES, administrator=OK),
    "forecast:pdf": page(DENIED, **AGGREGATES, administrator=OK),
    "reports:index": page(
        DENIED,
        coordinator=Redirect("/reports/{region}/"),
        corporation_user=Redirect("/reports/{region}/"),
        municipality_user=Redirect("/reports/{region}/"),
        other_coordinator=Redirect("/reports/{other}/"),
    ),
    "reports:dashboard": page(DENIED, **AGGREGATES, corporation_user=OK),
    "reports:pdf": page(DENIED, **AGGREGATES),
    "reports:xlsx": page(DENIED, **AGGREGATES),
    "reports:open_data_csv": page(DENIED, **AGGREGATES),
    "reports:open_data_json": page(DENIED, **AGGREGATES),
    # --- matching ---
    "matching:list": page(
        DENIED, **COORDINATORS, **APPLICANTS, support_worker=OK, corporation_user=OK
    ),
    "matching:detail": page(NOT_FOUND, **OFFER),  # outsiders: not found (docs/security.md)
    "matching:provider_decide": page(DENIED, **post_only(APPLICANTS)),
    "matching:client_decide": page(DENIED, **post_only(APPLICANTS)),
    "matching:cancel": page(DENIED, **post_only({**COORDINATORS, "corporation_user": OK})),
    "matching:propose_next": page(DENIED, **post_only({**COORDINATORS, "corporation_user": OK})),
    "matching:reopen": page(DENIED, **THIS_COORDINATOR),
    "matching:viewing": page(DENIED, **post_only({**APPLICANTS, "corporation_user": OK})),
    "matching:contact": page(
        DENIED, **post_only({**APPLICANTS, **COORDINATORS, "corporation_user": OK})
    ),
    "matching:status_request": page(DENIED, **post_only(COORDINATORS)),
    "matching:status_answer": page(
        DENIED, **post_only({**APPLICANTS, **COORDINATORS, "corporation_user": OK})
    ),
    "matching:ranking": page(DENIED, **HOME_PAGE),
    "matching:propose": page(DENIED, corporation_user=NOT_ALLOWED),
    "matching:snapshot": page(DENIED, **HOME_PAGE),
    "matching:batch": page(DENIED, **COORDINATORS),
    "matching:batch_run": page(DENIED, **THIS_COORDINATOR),
    "matching:batch_confirm": page(DENIED, **post_only(COORDINATORS)),
    "matching:pool": page(DENIED, **COORDINATORS),
    "matching:marks": page(DENIED, **COORDINATORS, **APPLICANTS),
    "matching:mark_withdraw": page(DENIED, **post_only({**COORDINATORS, **APPLICANTS})),
    "matching:refusals": page(DENIED, **COORDINATORS),
    "matching:review": page(DENIED, **post_only(COORDINATORS)),
    "matching:parking_end": page(DENIED, **post_only(COORDINATORS)),
    # --- contracts and support (support/tests/test_access.py tries more of them) ---
    "support:contracts": page(DENIED, **{**CASE_ROLES, "table_member": DENIED, "police": DENIED}),
    "support:prepare": page(DENIED, **post_only(CONTRACT_PARTIES)),
    "support:contract": page(NOT_FOUND, **TENANCY),  # outsiders: not found (docs/security.md)
    "support:document": page(DENIED, **TENANCY),
    "support:sign": page(DENIED, **post_only(CONTRACT_PARTIES)),
    "support:sign_undo": page(DENIED, **post_only(CONTRACT_PARTIES)),
    "support:withdraw": page(DENIED, **post_only(CONTRACT_PARTIES)),
    "support:move_in": page(DENIED, **post_only(CONTRACT_PARTIES)),
    "support:assign": page(DENIED, **post_only(SUPPORTERS)),
    "support:orientation_add": page(DENIED, **post_only({**SIGNAL_REPORTERS, **APPLICANTS})),
    "support:orientation_remove": page(DENIED, **post_only({**SIGNAL_REPORTERS, **APPLICANTS})),
    "support:final": page(DENIED, **post_only({**CONTRACT_PARTIES, "support_worker": OK})),
    "support:signal_report": page(DENIED, **post_only(SIGNAL_REPORTERS)),
    "support:timeout_start": page(DENIED, **post_only(SUPPORTERS)),
    "support:timeout_end": page(DENIED, **post_only(SUPPORTERS)),
    # The register of time-out places: the service point keeps it, support workers read it
    # (places and occupancy, no clients); another region's service point finds no such place.
    "support:timeout_places": page(DENIED, **SUPPORTERS),
    "support:timeout_place_add": page(DENIED, **COORDINATORS),
    "support:timeout_place_edit": page(DENIED, **THIS_COORDINATOR),
    "support:meetings": page(DENIED, **SUPPORTERS),
    "support:meeting": page(NOT_FOUND, **TENANCY),  # outsiders: not found (docs/security.md)
    "support:meeting_plan": page(DENIED, **post_only(SUPPORTERS)),
    "support:meeting_record": page(DENIED, **post_only(SUPPORTERS)),
    "support:signal": page(NOT_FOUND, **TENANCY),  # outsiders: not found (docs/security.md)
    "support:signal_plan": page(DENIED, **post_only(SIGNAL_REPORTERS)),
    "support:signal_escalate": page(DENIED, **post_only(SIGNAL_REPORTERS)),
    "support:signal_close": page(DENIED, **post_only(SIGNAL_REPORTERS)),
    "support:case_table": page(DENIED, **COORDINATORS),
    "support:case_table_session": page(DENIED, **THIS_COORDINATOR),
    "support:case_table_pdf": page(DENIED, **THIS_COORDINATOR),
    "support:case_table_decide": page(DENIED, **post_only(COORDINATORS)),
    "support:calendar": page(DENIED, support_worker=OK),
    # The secret in the address is the credential (calendar programs do not sign in).
    "support:calendar_feed": everyone(OK),
    # --- the API (DRF: force_authenticate; the same rules and scopes as the pages) ---
    "api:schema": api(OK),
    "api:me": api(OK),
    "api:takeover": api(DENIED, **post_only(COORDINATORS)),
    "api:region-list": api(OK),
    "api:region-detail": api(OK),
    "api:client-list": api(DENIED, **CASE_ROLES),
    "api:client-detail": api(DENIED, **ON_AGENDA),
    "api:application-list": api(DENIED, **CASE_ROLES),
    "api:application-detail": api(DENIED, **ON_AGENDA),
    "api:application-preferences": api(DENIED, **post_only(APPLICANTS)),
    "api:application-consent": api(DENIED, **post_only(APPLICANTS)),
    "api:application-submit": api(DENIED, **post_only(APPLICANTS)),
    "api:application-return": api(DENIED, **post_only(COORDINATORS)),
    "api:application-complete": api(DENIED, **post_only(COORDINATORS)),
    "api:application-withdraw": api(DENIED, **post_only({**APPLICANTS, **COORDINATORS})),
    "api:application-reinstate": api(DENIED, **post_only(COORDINATORS)),
    "api:application-decision": api(DENIED, **post_only(COORDINATORS)),
    "api:home-list": api(DENIED, corporation_user=OK, **COORDINATORS),
    "api:home-detail": api(DENIED, **HOME_PAGE),
    "api:home-ranking": api(DENIED, **HOME_PAGE),
    "api:home-withdraw": api(DENIED, corporation_user=NOT_ALLOWED),
    "api:match-list": api(
        DENIED, **COORDINATORS, **APPLICANTS, support_worker=OK, corporation_user=OK
    ),
    "api:match-detail": api(DENIED, **OFFER),
    "api:session-list": api(DENIED, **CASE_ROLES),
    "api:session-agenda": api(DENIED, **post_only(COORDINATORS)),
    "api:agendaitem-decision": api(DENIED, **post_only(CASE_ROLES)),
    # --- the regional site (/beheer/gegevens/): the administrator of the region only ---
    "regional_admin:index": page(DENIED, administrator=OK),
    "regional_admin:login": page(DENIED, administrator=Redirect("/beheer/gegevens/", exact=True)),
    "regional_admin:logout": page(DENIED, administrator=NOT_ALLOWED),
    "regional_admin:password_change": page(DENIED, administrator=OK),
    "regional_admin:password_change_done": page(DENIED, administrator=OK),
    "regional_admin:autocomplete": page(DENIED),  # no field of the site looks things up
    "regional_admin:jsi18n": page(DENIED, administrator=OK),
    "regional_admin:view_on_site": page(DENIED, administrator=NOT_FOUND),  # jumps nowhere
    "regional_admin:app_list": page(DENIED, administrator=OK),
    "regional_admin:catch_all": page(DENIED, administrator=NOT_FOUND),
    # A new password for a user of the region only (`configuration.site.is_own_user`).
    "regional_admin:auth_user_password_change": page(DENIED, administrator=OK),
    # --- the rules of the regeling: its own administrators (and superusers) only; no case role,
    # not even the service point, and no administrator of another region (configuration tests)
    "configuration:index": page(DENIED, administrator=Redirect("/beheer/{region}/", exact=True)),
    "configuration:region": page(DENIED, administrator=OK),
    "configuration:versions": page(DENIED, administrator=OK),
    "configuration:version": page(DENIED, administrator=OK),
    "configuration:restore": page(DENIED, administrator=NOT_ALLOWED),
    "configuration:history": page(DENIED, administrator=OK),
    "configuration:edit_matching": page(DENIED, administrator=OK),
    "configuration:edit_refusals": page(DENIED, administrator=OK),
    "configuration:edit_intake": page(DENIED, administrator=OK),
    "configuration:edit_contracts": page(DENIED, administrator=OK),
    "configuration:edit_support": page(DENIED, administrator=OK),
    "configuration:edit_terms": page(DENIED, administrator=OK),
}
# Each configured model: its list, an object's page and history, adding and deleting. Regions
# are made and removed by the platform, users are made inactive rather than deleted, and
# credentials are never made here (only looked at and revoked).
NEVER_ADDED = {
    "regions_region",
    "accounts_apitoken",
    "otp_totp_totpdevice",
    "otp_static_staticdevice",
}
NEVER_DELETED = {"regions_region", "accounts_user"}
for _model in CONFIGURED:
    EXPECTED |= {
        f"regional_admin:{_model}_changelist": page(DENIED, administrator=OK),
        f"regional_admin:{_model}_change": page(DENIED, administrator=OK),
        f"regional_admin:{_model}_history": page(DENIED, administrator=OK),
        f"regional_admin:{_model}_add": page(
            DENIED, administrator=DENIED if _model in NEVER_ADDED else OK
        ),
        f"regional_admin:{_model}_delete": page(
            DENIED, administrator=DENIED if _model in NEVER_DELETED else OK
        ),
    }


# ---------------------------------------------------------------------------------------------
# Asking: every URL by every persona (GET), once for the module
# ---------------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    location: str = ""
    body: bytes = b""


@dataclass
class World:
    cast: Cast
    objects: dict[str, Any]
    urls: dict[str, str]  # URL name -> the URL asked (every URL pattern of the project)
    unmapped: list[str]  # URL patterns with a parameter no real object fills
    answers: dict[tuple[str, str], Answer] = field(default_factory=dict)
    posts: dict[tuple[str, str], Answer] = field(default_factory=dict)
    changed: dict[tuple[str, str], str] = field(default_factory=dict)
    bsns: list[str] = field(default_factory=list)  # of every client in the world
    control_changed: bool = False


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _clients(cast: Cast) -> dict[str, tuple[HttpClient, Any]]:
    """Per persona: a browser signed in (who just confirmed their password, so pages that ask
    for it again show what they guard) and an API client authenticated as them."""
    import time

    from rest_framework.test import APIClient

    from instroom.accounts.two_factor import REAUTH_SESSION_KEY

    users = {**cast.personas(), "anonymous": None}
    clients = {}
    for persona, user in users.items():
        http, rest = HttpClient(HTTP_ACCEPT_LANGUAGE="nl"), APIClient(HTTP_ACCEPT_LANGUAGE="nl")
        if user is not None:
            http.force_login(user)
            session = http.session
            session[REAUTH_SESSION_KEY] = time.time()
            session.save()
            rest.force_authenticate(user)
        clients[persona] = (http, rest)
    return clients


def _answer(response: Any) -> Answer:
    return Answer(response.status_code, response.get("Location", ""), _body(response))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> World:
    """Built and asked once, inside a transaction that is rolled back afterwards."""
    from django.test import override_settings

    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        assert "instroom.sqlite3" not in str(connection.settings_dict["NAME"]), "not a test db"
        cast = build_cast()
        objects = _build(cast)
        routes = _routes()
        urls = {r.view_name: url_for(r, cast, objects) for r in routes}
        result = World(
            cast=cast,
            objects=objects,
            urls={k: v for k, v in urls.items() if v is not None},
            unmapped=[f"{r.view_name}  /{r.pattern}" for r in routes if urls[r.view_name] is None],
        )
        from instroom.applications.models import Client

        result.bsns = list(Client.objects.values_list("bsn", flat=True))
        clients = _clients(cast)
        for route in routes:
            url = urls[route.view_name]
            if url is None:
                continue
            for persona in PERSONAS:
                http, rest = clients[persona]
                asker = rest if _is_api(route) else http
                result.answers[(route.view_name, persona)] = _answer(asker.get(url))
        _post_as_outsiders(result, clients)
        transaction.set_rollback(True)
    return result


# ---------------------------------------------------------------------------------------------
# Writing: a POST by a persona who may not do it is refused and changes nothing
# ---------------------------------------------------------------------------------------------


# Form data an entitled user would send (prefixes as the pages use them), so that a refusal can
# only come from who is asking, not from an empty form.
def _post_data(world: World) -> dict[str, dict[str, Any]]:
    today = timezone.localdate().isoformat()
    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    o, cast = world.objects, world.cast
    return {
        "matching:propose": {
            "application": o["approved"].pk,
            "snapshot": o["snapshot"].pk,
        },
        "matching:provider_decide": {"provider-answer": "yes"},
        "matching:client_decide": {"client-answer": "yes"},
        "matching:cancel": {"cancel-note": "Woning niet beschikbaar"},
        "matching:viewing": {
            "viewing-held_on": today,
            "viewing-outcome": "positive",
        },
        "matching:contact": {"party": "care", "contact-care-contact": cast.care_worker_a.pk},
        "matching:status_answer": {"answer": "in_progress"},
        "matching:review": {"judgement": "unjustified", "note": "Geen reden"},
        "matching:parking_end": {"end-note": "Vergissing"},
        "matching:batch_confirm": {"pair": "0"},
        "support:sign": {
            "sign-signed_on": today,
            "sign-key_handover_on": today,
            "sign-planned_move_in_on": later,
        },
        "support:sign_undo": {"undo-reason": "Vergissing"},
        "support:withdraw": {"withdraw-reason": "Gaat niet door"},
        "support:move_in": {"move-moved_in_on": today},
        "support:assign": {
            "assign-support_worker": cast.support_worker.pk,
            "assign-welfare_contact": "Kees, wijkteam",
        },
        "support:orientation_add": {
            "orientation-on": today,
            "orientation-description": "Kennismaking buurthuis",
        },
        "support:final": {"final-outcome": "end", "final-note": "Afgerond"},
        "support:signal_report": {
            "signal-kind": "nuisance",
            "signal-severity": "low",
            "signal-description": "Lawaai",
        },
        "support:signal_plan": {"plan-action_plan": "Gesprek met buren"},
        "support:signal_escalate": {"escalate-note": "Bespreken"},
        "support:signal_close": {"close-outcome": "resolved", "close-note": "Opgelost"},
        "support:timeout_start": {
            "timeout-starts_on": today,
            "timeout-ends_on": later,
            "timeout-stay": "Logeerhuis",
            "timeout-return_plan": "Terug na evaluatie",
        },
        "support:timeout_end": {"tend-ended_on": today, "tend-returned": "yes"},
        "support:meeting_plan": {"plan-planned_at": "2030-01-01T10:00"},
        "support:meeting_record": {
            "record-held_on": today,
            "record-attendees": "Cliënt, begeleider",
            "record-notes": "Goed gesprek",
        },
        "support:case_table_decide": {"decide-decision": "Waarschuwing"},
        "assessment:agenda_add": {"application": o["submitted"].pk},
        "assessment:schedule": {"session": o["session"].pk},
        "assessment:invite": {"user": cast.support_worker.pk},
        "assessment:decide": {
            "outcome": "approve",
            "reasoning": "Klaar",
            "contract_form": "three_party",
            "support_months": "24",
            "urgency": "0",
        },
        "api:agendaitem-decision": {"outcome": "approve", "reasoning": "Klaar"},
        "api:application-return": {"reason": "Niet volledig"},
        "api:application-reinstate": {"reason": "Toch door"},
        "api:application-consent": {"given": True},
        "api:application-preferences": {"municipalities": []},
        "api:home-withdraw": {"reason": "Verkocht"},
    }


API_METHOD = {"api:application-preferences": "put"}  # the rest of the API's writes are POSTs

# Who is let through by role but is no party to this object: the POST must not act for them.
# (Personas the GET matrix refuses by role are tried as well and must get that same 403.)
OTHER_REGION = {"other_coordinator": NOT_FOUND}
OTHER_PROVIDER = {"care_worker_b": NOT_FOUND, "other_coordinator": NOT_FOUND}
NOT_THE_CHAIR = {
    "care_worker_a": NOT_FOUND,
    "care_worker_b": NOT_FOUND,
    "support_worker": NOT_FOUND,
    "corporation_user": NOT_FOUND,
    "welfare_user": NOT_FOUND,
    "police": DENIED,  # invited for one case: reads it, does not decide or close
    "other_coordinator": NOT_FOUND,
}
POST_OUTSIDERS: dict[str, dict[str, Expected]] = {
    # Ticking off a task: only one's own (another's task is left as it is).
    "accounts:task_done": {p: HOME for p in PERSONAS if p not in ("coordinator", "anonymous")},
    "applications:submit": {"care_worker_b": NOT_FOUND},
    "applications:withdraw": OTHER_PROVIDER,
    "applications:return": OTHER_REGION,
    "applications:complete": OTHER_REGION,
    "privacy:correct": OTHER_REGION,
    "privacy:erase": OTHER_REGION,
    "assessment:agenda_add": OTHER_REGION,
    "assessment:schedule": OTHER_REGION,
    "assessment:publish": OTHER_REGION,
    "assessment:agenda_remove": OTHER_REGION,
    "assessment:invite": OTHER_REGION,
    "assessment:close": NOT_THE_CHAIR,
    "assessment:decide": NOT_THE_CHAIR,
    "assessment:decide_case": OTHER_REGION,
    "distribution:placement_undo": OTHER_REGION,
    "forecast:run": OTHER_REGION,
    "matching:provider_decide": {"care_worker_b": NOT_FOUND},
    "matching:client_decide": {"care_worker_b": NOT_FOUND},
    "matching:cancel": OTHER_REGION,
    "matching:propose_next": OTHER_REGION,
    "matching:viewing": {"care_worker_b": NOT_FOUND},
    # The corporation names its own contact and answers what it is asked, not the care side's.
    "matching:contact": {**OTHER_PROVIDER, "corporation_user": DENIED},
    "matching:status_request": OTHER_REGION,
    "matching:status_answer": {**OTHER_PROVIDER, "corporation_user": DENIED},
    "matching:batch_confirm": OTHER_REGION,
    "matching:review": OTHER_REGION,
    "matching:parking_end": OTHER_REGION,
    "matching:mark_withdraw": OTHER_PROVIDER,
    "support:prepare": OTHER_REGION,
    "support:sign": OTHER_REGION,
    "support:sign_undo": OTHER_REGION,
    "support:withdraw": OTHER_REGION,
    "support:move_in": OTHER_REGION,
    "support:assign": OTHER_REGION,
    "support:orientation_add": OTHER_PROVIDER,
    "support:orientation_remove": OTHER_PROVIDER,
    "support:final": OTHER_REGION,
    "support:signal_report": OTHER_REGION,
    "support:timeout_start": OTHER_REGION,
    "support:timeout_end": OTHER_REGION,
    "support:meeting_plan": OTHER_REGION,
    "support:meeting_record": OTHER_REGION,
    "support:signal_plan": OTHER_REGION,
    "support:signal_escalate": OTHER_REGION,
    "support:signal_close": OTHER_REGION,
    "support:case_table_decide": OTHER_REGION,
    "api:application-preferences": {"care_worker_b": NOT_FOUND},
    "api:application-consent": {"care_worker_b": NOT_FOUND},
    "api:application-submit": {"care_worker_b": NOT_FOUND},
    "api:application-return": OTHER_REGION,
    "api:application-complete": OTHER_REGION,
    "api:application-withdraw": OTHER_PROVIDER,
    "api:application-reinstate": OTHER_REGION,
    "api:application-decision": OTHER_REGION,
    "api:session-agenda": OTHER_REGION,
    "api:agendaitem-decision": NOT_THE_CHAIR,
}


def _is_write(name: str) -> bool:
    return NOT_ALLOWED in EXPECTED.get(name, {}).values()


def _state_of(world: World, name: str) -> str:
    """What a write could change: the object behind the URL, and the recorded changes."""
    from django.forms.models import model_to_dict

    from instroom.audit.models import AuditEvent

    target = OBJECT_FOR.get(name)
    obj = _resolve(world.objects, target) if target else None
    if obj is not None:
        obj = type(obj).objects.filter(pk=obj.pk).first()
    writes = AuditEvent.objects.exclude(kind="access").count()
    return f"{model_to_dict(obj) if obj is not None else None!r} / {writes} recorded changes"


def _post_as_outsiders(world: World, clients: dict[str, tuple[HttpClient, Any]]) -> None:
    data = _post_data(world)
    for name, url in world.urls.items():
        if not _is_write(name):
            continue
        expected = EXPECTED[name]
        outsiders = {p: v for p, v in expected.items() if v != NOT_ALLOWED}
        outsiders.update(POST_OUTSIDERS.get(name, {}))
        for persona in outsiders:
            http, rest = clients[persona]
            before = _state_of(world, name)
            if name.startswith("api:"):
                send = getattr(rest, API_METHOD.get(name, "post"))
                response = send(url, data.get(name, {}), format="json")
            else:
                response = http.post(url, data.get(name, {}))
            world.posts[(name, persona)] = _answer(response)
            after = _state_of(world, name)
            if after != before:
                world.changed[(name, persona)] = f"{before}\n→ {after}"
    # The control: the same kind of request by whom it is for does change the world, so the
    # comparison above would see a write that got through.
    before = _state_of(world, "matching:parking_end")
    clients["coordinator"][0].post(world.urls["matching:parking_end"], data["matching:parking_end"])
    world.control_changed = _state_of(world, "matching:parking_end") != before


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------


def _matches(answer: Answer, expected: Expected, world: World) -> bool:
    if isinstance(expected, Redirect):
        target = expected.to.format(
            region=world.cast.region.slug, other=world.cast.other_region.slug
        )
        if expected.exact:
            return answer.status == 302 and answer.location == target
        return answer.status == 302 and answer.location.startswith(target)
    return answer.status == expected


def _show(answer: Answer) -> str:
    return f"{answer.status} → {answer.location}" if answer.location else str(answer.status)


def test_every_url_pattern_is_in_the_matrix(world) -> None:
    """A new page fails here until it has a real object for its parameters and a row below."""
    assert not world.unmapped, (
        "URL patterns without a real object for their parameters (add them to OBJECT_FOR):\n"
        + "\n".join(world.unmapped)
    )
    missing = sorted(set(world.urls) - set(EXPECTED))
    assert not missing, f"URLs without expected answers (add them to EXPECTED): {missing}"
    stale = sorted(set(EXPECTED) - set(world.urls)) + sorted(set(OBJECT_FOR) - set(world.urls))
    assert not stale, f"Rows for URLs that no longer exist: {stale}"
    assert len(world.urls) > 120


def test_every_persona_gets_the_expected_answer(world) -> None:
    wrong = [
        f"{name} {world.urls[name]}  {persona}: got {_show(answer)}, expected {expected}"
        for name in world.urls
        for persona, expected in EXPECTED[name].items()
        if not _matches(answer := world.answers[(name, persona)], expected, world)
    ]
    assert not wrong, "\n".join(wrong)


def test_writes_by_outsiders_are_refused_and_change_nothing(world) -> None:
    wrong = []
    for (name, persona), answer in world.posts.items():
        expected = POST_OUTSIDERS.get(name, {}).get(persona, EXPECTED[name][persona])
        if not _matches(answer, expected, world):
            wrong.append(f"{name} {persona}: got {_show(answer)}, expected {expected}")
    assert not wrong, "\n".join(wrong)
    assert not world.changed, world.changed
    assert world.control_changed, "the coordinator's own POST should have ended the parking"
    assert len(world.posts) > 550


# Whose names a persona never reads, on any page or in any answer: NAMES are the draft, the
# submitted, the approved (in the pool, offered pseudonymised) and the accepted client.
NEVER_NAMED: dict[str, tuple[str, ...]] = {
    "care_worker_b": NAMES,
    "municipality_user": NAMES,
    "administrator": NAMES,
    "other_coordinator": NAMES,
    "nobody": NAMES,
    "anonymous": NAMES,
    "police": NAMES,  # invited for one other case only
    "table_member": NAMES[:2],  # not (yet) on the table's agenda
    "corporation_user": NAMES[:3],  # the accepted client is named to the corporation
    "welfare_user": NAMES,  # none of them handed over
}


def test_no_personal_data_reaches_who_may_not_see_it(world) -> None:
    bsns = [bsn.encode() for bsn in world.bsns]
    assert len(bsns) > 10
    leaks = []
    for (name, persona), answer in {**world.answers, **world.posts}.items():
        if persona not in ("coordinator", "care_worker_a"):
            leaks += [f"BSN: {name} {persona}" for bsn in bsns if bsn in answer.body]
        leaks += [
            f"{surname}: {name} {persona}"
            for surname in NEVER_NAMED.get(persona, ())
            if surname.encode() in answer.body
        ]
    assert not leaks, "\n".join(leaks)


@pytest.mark.django_db
def test_configuration_sites(client, cast) -> None:
    """Django's site is the platform's (superusers); the regional site the administrators'."""
    for name, user in cast.personas().items():
        client.force_login(user)
        assert client.get("/admin/").status_code == 403, name
        status = client.get("/beheer/gegevens/").status_code
        assert status == (200 if name == "administrator" else 403), name
    cast.nobody.is_superuser = cast.nobody.is_staff = True
    cast.nobody.save()
    client.force_login(cast.nobody)
    assert client.get("/admin/").status_code == 200

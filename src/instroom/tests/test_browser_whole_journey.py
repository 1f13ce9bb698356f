"""One client's whole journey in a real browser, every role through its own pages: the care
worker applies, the service point checks and schedules, the table approves, the corporation
offers the home, care provider and client accept, the contract is signed, the warm handover is
held, the client moves in, the evaluations are held when they are due and the final evaluation
converts the contract. At the end nobody who took part has a task about this client left.

Only the world is made beforehand (organisations, people, a table with a planned session, a home);
every step after that is a click. The clock moves forward with `time_machine` (process-wide, so
the live server sees it too), never a step done early. Pages are found by URL and forms by their
action and field names, buttons by their Dutch names: the menus may change, the work does not.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

from instroom.accounts.constants import Role
from instroom.accounts.models import User
from instroom.applications.models import Application
from instroom.assessment import services as assessment_services
from instroom.conftest import PASSWORD, Cast, _server_errors, build_cast, make_user
from instroom.homes.tests.factories import make_home
from instroom.matching.models import Match
from instroom.regions.models import Region
from instroom.support.models import Contract, Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def nl(text: str) -> str:
    """The Dutch a user reads for an English msgid (the catalogue decides, not this test)."""
    with translation.override("nl"):
        return gettext(text)


def apply_from_youth_care(
    care: Any,
    *,
    name: tuple[str, str],
    bsn: str,
    born: date,
    origin: Any,
    support_provider: Any,
    income: str,
    motivation: str,
) -> None:
    """A youth care worker's whole application through the pages, a support plan included
    (regions that admit youth care and ask for the plan), up to submitting it."""
    care.fill("[name=first_name]", name[0])
    care.fill("[name=last_name]", name[1])
    care.fill("[name=bsn]", bsn)
    care.fill("[name=date_of_birth]", born.isoformat())
    care.select_option("[name=source]", "youth")  # admitted in these regions, not the template
    care.select_option("[name=municipality_of_origin]", str(origin.pk))
    care.select_option("[name=support_provider]", str(support_provider.pk))
    care.get_by_role("button", name=nl("Save draft and continue")).click()
    care.fill("[name=rooms_min]", "1")
    care.select_option("[name=preference_1]", str(origin.pk))
    care.get_by_role("button", name=nl("Save and continue")).click()
    care.fill("[name=yearly_income_eur]", income)
    care.select_option("[name=budget_management]", "voluntary")
    care.fill("[name=expected_support_months]", "24")
    care.get_by_role("button", name=nl("Save and continue")).click()
    care.select_option("[name=dossier_weight]", "light")
    care.get_by_role("button", name=nl("Save and continue")).click()
    care.fill("[name=motivation_text]", motivation)
    care.set_input_files(
        "[name=support_plan_file]",
        {
            "name": "ondersteuningsplan.pdf",
            "mimeType": "application/pdf",
            "buffer": f"%PDF-1.4\n% Ondersteuningsplan {name[0]}\n".encode(),
        },
    )
    care.get_by_role("button", name=nl("Save and continue")).click()
    care.check("[name=consent_given]")
    care.get_by_role("button", name=nl("Save"), exact=True).click()
    care.get_by_role("button", name=nl("Submit to the service point")).click()


class Desk:
    """One browser context per person, signed in again whenever the clock has moved on (a
    session expires after half an hour without a request)."""

    def __init__(self, browser: Any, url: str) -> None:
        self.browser = browser
        self.url = url
        self.epoch = 0
        self.pages: dict[int, Any] = {}
        self.signed_in_at: dict[int, int] = {}

    def clock_moved(self) -> None:
        self.epoch += 1

    def as_(self, user: User, path: str = "/") -> Any:
        """The person's browser tab, open at `path` (signing in on the way if needed)."""
        page = self.pages.get(user.pk)
        if page is None:
            page = self.browser.new_context(locale="nl-NL").new_page()
            self.pages[user.pk] = page
        if self.signed_in_at.get(user.pk) == self.epoch:
            page.goto(f"{self.url}{path}")
            return page
        page.goto(f"{self.url}/accounts/login/?{urlencode({'next': path})}")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.url}{path}")
        self.signed_in_at[user.pk] = self.epoch
        return page


class Leftover:
    """A task about the client still open for one role, as shown on one page."""

    def __init__(self, role: str, where: str, kind: str, title: str) -> None:
        self.role, self.where, self.kind, self.title = role, where, kind, title

    def __str__(self) -> str:
        return f"{self.role} ({self.where}): [{self.kind or 'free text'}] {self.title}"


@pytest.fixture
def clock() -> Iterator[Any]:
    """Nine o'clock this morning in Amsterdam, ticking; the test moves it forward."""
    start = datetime.combine(timezone.localdate(), time(9, 0), tzinfo=AMSTERDAM)
    with time_machine.travel(start, tick=True) as traveller:
        yield traveller


def test_one_client_from_application_to_conversion(
    browser: Any, live_server: Any, clock: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path  # the uploaded letter and the contract PDF
    url = live_server.url
    desk = Desk(browser, url)
    start = timezone.localdate()

    def travel(on: date, hour: int = 10) -> None:
        """Move the clock on; the daily job has run that morning, as its timer would."""
        clock.move_to(datetime.combine(on, time(hour, 0), tzinfo=AMSTERDAM))
        call_command("daily", stdout=StringIO())
        desk.clock_moved()

    # --- The world: the region's people, a table with a session in two weeks, an open home ---
    cast: Cast = build_cast()
    table = cast.region.tables.get()
    assessment_services.table_member_add(
        actor=None, table=table, user=cast.table_member, is_chair=True
    )
    session_day = start + timedelta(days=14)
    session = assessment_services.session_plan(
        actor=cast.coordinator,
        table=table,
        starts_at=datetime.combine(session_day, time(10, 0), tzinfo=AMSTERDAM),
    )
    origin = cast.region.municipalities.order_by("cbs_code").first()
    assert origin is not None
    home = make_home(
        cast.corporation_user,
        cast.corporation,
        street="Kennemerstraat",
        house_number=17,
        municipality=origin,
        available_from=start + timedelta(days=30),
    )
    address = "Kennemerstraat 17"

    # --- Day 0: the care worker writes the application with the client and submits it ---
    care = desk.as_(cast.care_worker_a, "/clients/new/")
    care.fill("[name=first_name]", "Noor")
    care.fill("[name=last_name]", "Doorloper")
    care.fill("[name=bsn]", "999990019")
    care.fill("[name=date_of_birth]", "1994-08-21")
    care.select_option("[name=source]", "bw")
    care.select_option("[name=municipality_of_origin]", str(origin.pk))
    care.select_option("[name=support_provider]", str(cast.care_b.pk))
    care.get_by_role("button", name=nl("Save draft and continue")).click()
    care.fill("[name=rooms_min]", "1")
    care.select_option("[name=preference_1]", str(origin.pk))
    care.get_by_role("button", name=nl("Save and continue")).click()
    care.fill("[name=yearly_income_eur]", "19500")
    care.select_option("[name=budget_management]", "none")
    care.fill("[name=expected_support_months]", "24")
    care.get_by_role("button", name=nl("Save and continue")).click()
    care.select_option("[name=dossier_weight]", "medium")
    care.get_by_role("button", name=nl("Save and continue")).click()
    # The client's own letter, uploaded as a PDF.
    care.set_input_files(
        "[name=motivation_file]",
        {
            "name": "motivatiebrief.pdf",
            "mimeType": "application/pdf",
            "buffer": b"%PDF-1.4\n% Ik wil graag zelfstandig wonen in de buurt van mijn zus.\n",
        },
    )
    care.get_by_role("button", name=nl("Save and continue")).click()
    care.check("[name=consent_given]")
    care.get_by_role("button", name=nl("Save"), exact=True).click()
    care.get_by_role("button", name=nl("Submit to the service point")).click()
    application = Application.objects.select_related("client").get(client__last_name="Doorloper")
    client = application.client
    assert application.state == "submitted"
    assert application.motivation_file_type == "pdf"

    # The service point finds it in the check queue, declares it complete and puts it on the
    # agenda of the table's next session, then sends the agenda.
    coordinator = desk.as_(cast.coordinator, "/clients/check/")
    coordinator.get_by_role("link", name=client.case_number).first.click()
    coordinator.click("form[action$='/complete/'] button")
    coordinator.goto(f"{url}/sessions/{session.pk}/")
    coordinator.select_option(
        "form[action$='/agenda/add/'] [name=application]", str(application.pk)
    )
    coordinator.click("form[action$='/agenda/add/'] button")
    coordinator.click("form[action$='/publish/'] button")
    application.refresh_from_db()
    assert application.state == "scheduled"

    # --- The session day: the chair records the approval ---
    travel(session_day, hour=11)
    chair = desk.as_(cast.table_member, f"/sessions/{session.pk}/")
    chair.locator("summary", has_text=nl("Record the decision")).click()
    decide = chair.locator("form[action$='/decide/']")
    decide.locator("input[name=outcome][value=approve]").check()
    decide.locator("[name=reasoning]").fill("Stabiel; woonbegeleiding door zorg B geregeld.")
    decide.locator("[name=contract_form]").select_option("three_party")
    decide.locator("[name=support_months]").fill("24")
    decide.locator("button").click()
    chair.get_by_role("button", name=nl("Close the session")).click()
    application.refresh_from_db()
    client.refresh_from_db()
    session.refresh_from_db()
    assert application.state == "approved" and session.status == "closed"
    coordinator = desk.as_(cast.coordinator, "/matching/pool/")
    assert client.candidate_number in coordinator.locator("main").inner_text()

    _from_offer_to_conversion(
        desk,
        url,
        travel,
        Team(
            care_worker=cast.care_worker_a,
            coordinator=cast.coordinator,
            corporation_user=cast.corporation_user,
            support_worker=cast.support_worker,
            welfare_user=cast.welfare_user,
            welfare_organisation=cast.region.organisations.get(slug="welzijn"),
            chair=cast.table_member,
        ),
        application=application,
        home=home,
        address=address,
        decided_on=session_day,
    )


def test_a_young_adult_in_lindewaard_where_the_service_point_decides(
    browser: Any, live_server: Any, clock: Any, settings: Any, tmp_path: Path
) -> None:
    """The same journey in the fictional region Lindewaard, whose rules differ: youth care is
    admitted, a support plan is required, no table sits (the service point decides on the case
    page) and the decision picks the region's third contract form, the youth home."""
    settings.MEDIA_ROOT = tmp_path
    url = live_server.url
    desk = Desk(browser, url)
    start = timezone.localdate()

    def travel(on: date, hour: int = 10) -> None:
        clock.move_to(datetime.combine(on, time(hour, 0), tzinfo=AMSTERDAM))
        call_command("daily", stdout=StringIO())
        desk.clock_moved()

    # --- The world: the region from its reference data, its people, an open home ---
    call_command("loaddata", "lindewaard", verbosity=0)
    region = Region.objects.get(slug="lindewaard")
    org = {o.slug: o for o in region.organisations.all()}
    team = Team(
        care_worker=make_user("care_linde", org["jeugdhuis-de-brug"], Role.APPLICANT_WORKER),
        coordinator=make_user("coordinator_linde", org["servicepunt"], Role.COORDINATOR),
        corporation_user=make_user(
            "corporation_linde", org["woonstichting-de-linde"], Role.CORPORATION_STAFF
        ),
        support_worker=make_user("support_linde", org["zorggroep-het-anker"], Role.SUPPORT_WORKER),
        welfare_user=make_user("welfare_linde", org["welzijn-lindewaard"], Role.WELFARE),
        welfare_organisation=org["welzijn-lindewaard"],
    )
    origin = region.municipalities.order_by("cbs_code").first()
    assert origin is not None
    home = make_home(
        team.corporation_user,
        org["woonstichting-de-linde"],
        street="Lindelaan",
        house_number=3,
        municipality=origin,
        available_from=start + timedelta(days=30),
    )
    born = date(start.year - 21, 3, 14)

    # --- Day 0: the youth care worker applies with the client, support plan included ---
    apply_from_youth_care(
        desk.as_(team.care_worker, "/clients/new/"),
        name=("Sem", "Lindeboom"),
        bsn="999990020",
        born=born,
        origin=origin,
        support_provider=org["zorggroep-het-anker"],
        income="16500",
        motivation="Ik wil op mezelf wonen, dicht bij mijn werk.",
    )
    application = Application.objects.select_related("client").get(client__last_name="Lindeboom")
    client = application.client
    assert application.state == "submitted"
    assert application.documents.get().kind == "support_plan"

    # --- The service point declares it complete and decides itself: no table in Lindewaard ---
    coordinator = desk.as_(team.coordinator, "/clients/check/")
    coordinator.get_by_role("link", name=client.case_number).first.click()
    coordinator.click("form[action$='/complete/'] button")
    application.refresh_from_db()
    assert application.state == "complete" and application.table is None
    assert coordinator.locator("form[action$='/schedule/']").count() == 0
    coordinator.locator("summary", has_text=nl("Record the decision of the service point")).click()
    decide = coordinator.locator("form[action$='/decide/']")
    decide.locator("input[name=outcome][value=approve]").check()
    decide.locator("[name=reasoning]").fill("Klaar voor een eigen plek; het Anker begeleidt.")
    decide.locator("[name=contract_form]").select_option("youth_home")
    decide.get_by_role("button", name=nl("Record decision")).click()
    application.refresh_from_db()
    assert application.state == "approved"
    decision = application.decisions.get()
    assert decision.contract_form == "youth_home" and decision.item is None
    assert decision.support_months == 24  # the youth home's own support length
    assert decision.rule_version is not None
    page = coordinator.locator("main").inner_text()
    assert "Jongerenwoning (Omslagroute)" in page
    with translation.override("nl"):
        assert decision.version_label in page
    coordinator = desk.as_(team.coordinator, "/matching/pool/")
    assert client.candidate_number in coordinator.locator("main").inner_text()

    _from_offer_to_conversion(
        desk,
        url,
        travel,
        team,
        application=application,
        home=home,
        address="Lindelaan 3",
        decided_on=start,
    )
    contract = Contract.objects.get(client=client)
    assert contract.form == "youth_home"


def test_a_young_adult_from_youth_care_in_overbetuwe_through_the_opstaptafel(
    browser: Any, live_server: Any, clock: Any, settings: Any, tmp_path: Path
) -> None:
    """The journey in the Opstapregeling Overbetuwe as its reference data has it: a young adult
    leaving youth care, applied by a Kubuszorg worker with a support plan, assessed by the
    Opstaptafel, matched (local tie) with a home of Woningstichting Heteren, the Opstapcontract
    signed, two years of support and the conversion to a regular lease."""
    settings.MEDIA_ROOT = tmp_path
    url = live_server.url
    desk = Desk(browser, url)
    start = timezone.localdate()

    def travel(on: date, hour: int = 10) -> None:
        clock.move_to(datetime.combine(on, time(hour, 0), tzinfo=AMSTERDAM))
        call_command("daily", stdout=StringIO())
        desk.clock_moved()

    # --- The world: the region from its reference data, its people, the table, a home ---
    call_command("loaddata", "overbetuwe", verbosity=0)
    region = Region.objects.get(slug="overbetuwe")
    org = {o.slug: o for o in region.organisations.all()}
    team = Team(
        care_worker=make_user("care_kubus", org["kubuszorg"], Role.APPLICANT_WORKER),
        coordinator=make_user("coordinator_opstap", org["servicepunt"], Role.COORDINATOR),
        corporation_user=make_user(
            "corporation_heteren", org["woningstichting-heteren"], Role.CORPORATION_STAFF
        ),
        support_worker=make_user("support_kubus", org["kubuszorg"], Role.SUPPORT_WORKER),
        welfare_user=make_user("welfare_overbetuwe", org["welzijn-overbetuwe"], Role.WELFARE),
        welfare_organisation=org["welzijn-overbetuwe"],
        chair=make_user("chair_opstap", org["gemeente-overbetuwe"], Role.TABLE_MEMBER),
    )
    assert team.chair is not None
    table = region.tables.get()
    assert table.name == "Opstaptafel Overbetuwe"
    assessment_services.table_member_add(actor=None, table=table, user=team.chair, is_chair=True)
    session_day = start + timedelta(days=14)
    session = assessment_services.session_plan(
        actor=team.coordinator,
        table=table,
        starts_at=datetime.combine(session_day, time(10, 0), tzinfo=AMSTERDAM),
    )
    origin = region.municipalities.get()  # one municipality: Overbetuwe
    home = make_home(
        team.corporation_user,
        org["woningstichting-heteren"],
        street="Opstapstraat",
        house_number=8,
        municipality=origin,
        available_from=start + timedelta(days=30),
    )
    born = date(start.year - 19, 5, 2)

    # --- Day 0: the Kubuszorg worker applies with the young adult, support plan included ---
    apply_from_youth_care(
        desk.as_(team.care_worker, "/clients/new/"),
        name=("Jesse", "Opstapper"),
        bsn="999990032",
        born=born,
        origin=origin,
        support_provider=org["kubuszorg"],
        income="15800",
        motivation="Ik wil in Elst blijven wonen, dicht bij mijn opleiding.",
    )
    application = Application.objects.select_related("client").get(client__last_name="Opstapper")
    client = application.client
    assert application.state == "submitted" and client.source == "youth"

    # The service point declares it complete and puts it on the Opstaptafel's agenda.
    coordinator = desk.as_(team.coordinator, "/clients/check/")
    coordinator.get_by_role("link", name=client.case_number).first.click()
    coordinator.click("form[action$='/complete/'] button")
    application.refresh_from_db()
    assert application.table == table
    coordinator.goto(f"{url}/sessions/{session.pk}/")
    coordinator.select_option(
        "form[action$='/agenda/add/'] [name=application]", str(application.pk)
    )
    coordinator.click("form[action$='/agenda/add/'] button")
    coordinator.click("form[action$='/publish/'] button")
    application.refresh_from_db()
    assert application.state == "scheduled"

    # --- The session day: the Opstaptafel approves, in the form of the Opstapcontract ---
    travel(session_day, hour=11)
    chair = desk.as_(team.chair, f"/sessions/{session.pk}/")
    chair.locator("summary", has_text=nl("Record the decision")).click()
    decide = chair.locator("form[action$='/decide/']")
    decide.locator("input[name=outcome][value=approve]").check()
    decide.locator("[name=reasoning]").fill("Klaar voor een eigen woning; Kubuszorg begeleidt.")
    decide.locator("[name=contract_form]").select_option("opstap")
    decide.locator("[name=support_months]").fill("24")
    decide.locator("button").click()
    chair.get_by_role("button", name=nl("Close the session")).click()
    application.refresh_from_db()
    assert application.state == "approved"
    assert application.decisions.get().contract_form == "opstap"

    _from_offer_to_conversion(
        desk,
        url,
        travel,
        team,
        application=application,
        home=home,
        address="Opstapstraat 8",
        decided_on=session_day,
    )
    contract = Contract.objects.get(client=client)
    assert contract.form == "opstap"
    support = desk.as_(team.support_worker, f"/support/contracts/{contract.pk}/")
    assert "Opstapcontract (driehoekscontract)" in support.locator("main").inner_text()


@dataclass
class Team:
    """The people around one client in a region (the chair: None where no table decides)."""

    care_worker: User
    coordinator: User
    corporation_user: User
    support_worker: User
    welfare_user: User
    welfare_organisation: Any
    chair: User | None = None


def _from_offer_to_conversion(
    desk: Desk,
    url: str,
    travel: Any,
    team: Team,
    *,
    application: Application,
    home: Any,
    address: str,
    decided_on: date,
) -> None:
    """From the approval on, every region alike: the corporation proposes the client, care
    provider and client accept, the contract is signed, the handover held, the client moves in,
    the meetings are held when due and the final evaluation converts the contract; at the end
    nobody who took part has a task about this client left."""
    client = application.client
    # --- The next day the corporation proposes the client for its home ---
    travel(decided_on + timedelta(days=1))
    corporation = desk.as_(team.corporation_user, f"/matching/homes/{home.pk}/ranking/")
    ranking = corporation.locator("main").inner_text()
    assert client.candidate_number in ranking and client.last_name not in ranking
    corporation.get_by_role(
        "button", name=nl("Propose %(number)s") % {"number": client.candidate_number}
    ).click()
    match = Match.objects.get(client=client, home=home)
    assert match.state == "proposed"

    # The care provider agrees; three days later, after the viewing, the client says yes.
    care = desk.as_(team.care_worker, f"/matching/{match.pk}/")
    care.check("[name=provider-answer][value=yes]")
    care.get_by_role("button", name=nl("Send the answer")).click()
    travel(decided_on + timedelta(days=4))
    care = desk.as_(team.care_worker, f"/matching/{match.pk}/")
    care.check("[name=client-answer][value=yes]")
    care.get_by_role("button", name=nl("Record the client's answer")).click()
    match.refresh_from_db()
    assert match.state == "accepted"

    # --- The corporation draws up the contract and downloads it for signing ---
    prepared_on = decided_on + timedelta(days=7)
    travel(prepared_on)
    corporation = desk.as_(team.corporation_user, "/support/")
    corporation.click(f"form[action='/support/matches/{match.pk}/prepare/'] button")
    contract = Contract.objects.get(match=match)
    with corporation.expect_download() as download:
        corporation.get_by_role("link", name=nl("Download the agreement (PDF)")).click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    # A week later all three have signed; the keys a week later, the move a week after that.
    signed_on = prepared_on + timedelta(days=7)
    move_on = signed_on + timedelta(days=14)
    travel(signed_on)
    corporation = desk.as_(team.corporation_user, f"/support/contracts/{contract.pk}/")
    corporation.fill("[name=sign-signed_on]", signed_on.isoformat())
    corporation.fill("[name=sign-key_handover_on]", (signed_on + timedelta(days=7)).isoformat())
    corporation.fill("[name=sign-planned_move_in_on]", move_on.isoformat())
    corporation.get_by_role("button", name=nl("Record the signing")).click()
    assert corporation.locator("[data-state=signed]").is_visible()

    # The support worker names themself and the district team, and plans the warm handover.
    support = desk.as_(team.support_worker, f"/support/contracts/{contract.pk}/")
    support.locator(
        "summary", has_text=nl("Name the support worker and the welfare contact")
    ).click()
    support.select_option("[name=assign-support_worker]", str(team.support_worker.pk))
    support.select_option(
        "[name=assign-welfare_organisation]",
        str(team.welfare_organisation.pk),
    )
    support.fill("[name=assign-welfare_contact]", "Wijkteam Oost, Sanne")
    support.click("form[action$='/people/'] button")
    # The district team finds the soft landing among its tasks and records the first
    # neighbourhood activity with the client.
    welfare = desk.as_(team.welfare_user)
    welfare.locator("[data-task-kind='contract.soft_landing'] a").click()
    welfare.locator("summary", has_text=nl("Add an orientation activity")).click()
    orientation = welfare.locator("form[action$='/orientation/']")
    orientation.locator("[name=orientation-on]").fill(signed_on.isoformat())
    orientation.locator("[name=orientation-description]").fill("Kennismaken met de buurtcoach")
    orientation.locator("[name=orientation-organised_by]").fill("Wijkteam Oost")
    orientation.get_by_role("button", name=nl("Add"), exact=True).click()
    assert "Kennismaken met de buurtcoach" in welfare.locator("main").inner_text()

    handover = contract.meetings.get(kind="handover")
    support.goto(f"{url}/support/meetings/{handover.pk}/")
    plan_meeting(support, on=handover.due_on)

    # The handover is held on its day, with everyone around the client.
    travel(handover.due_on, hour=12)
    support = desk.as_(team.support_worker, f"/support/meetings/{handover.pk}/")
    record_meeting(support, on=handover.due_on, attendees="Zorg A, woonbegeleider, corporatie")
    handover.refresh_from_db()
    assert handover.state == "held"

    # --- The move: the corporation records it on the day; the meetings are scheduled ---
    travel(move_on, hour=15)
    corporation = desk.as_(team.corporation_user, f"/support/contracts/{contract.pk}/")
    corporation.fill("[name=move-moved_in_on]", move_on.isoformat())
    corporation.get_by_role("button", name=nl("Record the move")).click()
    assert corporation.locator("[data-state=housed]").is_visible()
    contract.refresh_from_db()
    schedule = list(contract.meetings.exclude(kind="handover").order_by("due_on", "pk"))
    assert [m.kind for m in schedule] == ["introduction"] + ["evaluation"] * 4 + ["final"]
    assert schedule[-1].due_on == contract.support_ends_on

    # The support worker plans the introduction and the evaluations at once; the final
    # evaluation is left until the daily job reminds them, two weeks before it is due.
    *planned, last = schedule
    for meeting in planned:
        support = desk.as_(team.support_worker, f"/support/meetings/{meeting.pk}/")
        plan_meeting(support, on=meeting.due_on)

    # --- Every meeting held on the day it is due, the final one last ---
    for meeting in planned:
        travel(meeting.due_on, hour=16)
        support = desk.as_(team.support_worker, f"/support/meetings/{meeting.pk}/")
        record_meeting(support, on=meeting.due_on)
        meeting.refresh_from_db()
        assert meeting.state == "held", meeting.kind
    travel(last.due_on - timedelta(days=14))
    support = desk.as_(team.support_worker)
    support.locator(f"[data-task-kind] a[href='/support/meetings/{last.pk}/']").click()
    plan_meeting(support, on=last.due_on)
    travel(last.due_on, hour=16)
    support = desk.as_(team.support_worker, f"/support/meetings/{last.pk}/")
    record_meeting(support, on=last.due_on)
    last.refresh_from_db()
    assert last.state == "held"

    # The final evaluation decides: the contract becomes a regular lease.
    support = desk.as_(team.support_worker, f"/support/contracts/{contract.pk}/")
    final = support.locator("form[action$='/final/']")
    assert final.is_visible()  # opens by itself near the end of the support period
    final.locator("input[name='final-outcome'][value=convert]").check()
    final.locator("[name=final-note]").fill("Woont zelfstandig; omklap naar regulier huurcontract.")
    final.get_by_role("button", name=nl("Record the final evaluation")).click()
    assert support.locator("[data-state=converted]").is_visible()
    application.refresh_from_db()
    assert application.state == "completed"

    # --- Nobody who took part has a task about this client left open ---
    meetings = Meeting.objects.filter(contract=contract)
    about = Client(
        marks=(client.case_number, client.candidate_number, address),
        links=(
            f"/clients/{client.pk}/",
            f"/matching/{match.pk}/",
            f"/matching/homes/{home.pk}/ranking/",
            f"/support/contracts/{contract.pk}/",
            *(f"/support/meetings/{m.pk}/" for m in meetings),
        ),
    )
    people = {
        "care worker": team.care_worker,
        "service point": team.coordinator,
        "corporation": team.corporation_user,
        "support worker": team.support_worker,
        "welfare": team.welfare_user,
    }
    if team.chair is not None:
        people["table chair"] = team.chair
    left_open: list[Leftover] = []
    for role, user in people.items():
        page = desk.as_(user, "/accounts/tasks/")
        left_open += [Leftover(role, "tasks page", *row) for row in about.tasks_on(page)]
        page.goto(f"{url}/")
        left_open += [Leftover(role, "home page", *row) for row in about.tasks_on(page)]
    # Every task closed with the step that did its work; what asked nothing was a notice.
    assert left_open == [], "tasks about the client still open:\n" + "\n".join(
        str(row) for row in left_open
    )

    # The check can see them: the tasks that were closed by the next step are listed as such.
    for user in (team.care_worker, team.coordinator, team.corporation_user, team.support_worker):
        page = desk.as_(user, "/accounts/tasks/?state=closed")
        assert about.tasks_on(page), user.username

    # The conftest guard against server errors runs only after a test that did not raise.
    assert _server_errors == [], "\n".join(_server_errors)


def plan_meeting(page: Any, *, on: date) -> None:
    page.fill("[name=plan-planned_at]", f"{on.isoformat()}T10:00")
    page.fill("[name=plan-location]", "Bij de cliënt thuis")
    page.get_by_role("button", name=nl("Plan"), exact=True).click()
    assert page.locator("[data-state=planned]").is_visible()


def record_meeting(page: Any, *, on: date, attendees: str = "") -> None:
    """Fill in the meeting's record form: held today, every checklist question answered."""
    form = page.locator("form[action$='/record/']")
    form.locator("[name=record-held_on]").fill(on.isoformat())
    if attendees:
        form.locator("[name=record-attendees]").fill(attendees)
    form.locator("[name=record-notes]").fill("Goed gesprek; afspraken gemaakt.")
    good = form.locator("input[type=radio][value=good]")
    for i in range(good.count()):
        good.nth(i).check()
    form.get_by_role("button", name=nl("Save the meeting")).click()


class Client:
    """Recognises the tasks about one client: by the case number, candidate number or address
    in the title, or by a link to one of the client's pages."""

    def __init__(self, *, marks: tuple[str, ...], links: tuple[str, ...]) -> None:
        self.marks = marks
        self.links = set(links)

    def tasks_on(self, page: Any) -> list[tuple[str, str]]:
        """(kind, title) of the client's tasks on the page: rows of the task table, or the
        home page's list."""
        rows = page.eval_on_selector_all(
            "[data-task-kind]",
            """rows => rows.map(r => {
                const cell = r.cells ? r.cells[0] : r;
                const link = cell.querySelector('a');
                return [
                    r.dataset.taskKind,
                    (link || cell.firstChild).textContent.trim(),
                    link?.getAttribute('href') || '',
                ];
            })""",
        )
        return [
            (kind, title)
            for kind, title, href in rows
            if href in self.links or any(mark in title for mark in self.marks)
        ]

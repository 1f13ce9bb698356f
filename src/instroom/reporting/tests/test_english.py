"""The English interface shows no Dutch: each persona's home page, task list, client timeline
and forms, rendered in English, hold none of a list of tell-tale Dutch words. What people typed
(names, addresses, notes) and text marked lang="nl" (the region's own wording) do not count."""

import re
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from instroom.accounts.models import User
from instroom.applications import services as applications
from instroom.applications.models import Application, Client
from instroom.applications.tests.factories import make_application
from instroom.assessment import services as assessment
from instroom.conftest import PERSONAS
from instroom.homes.models import Home
from instroom.regions.models import AssessmentTable, Municipality, Organisation, Region
from instroom.support import services as support
from instroom.support.models import Meeting
from instroom.support.tests.factories import housed_contract

pytestmark = pytest.mark.django_db

# Words a Dutch sentence or label can hardly do without, and domain words of the Dutch UI.
DUTCH = re.compile(
    r"\b(de|het|een|van|voor|naar|niet|geen|wordt|zijn|jouw|uw|nieuwe?|plan de|"
    r"aanmelding\w*|cliënt\w*|woning\w*|gesprek\w*|dossiers|begeleid\w*|besluit\w*|"
    r"gemeente\w*|zorgaanbieder\w*|tafelzitting\w*|je taken|ingediend|uitgenodigd|wachten|"
    r"woonbegeleiding|hoogstens|uiterlijk|sinds|nederlands|servicepunt|gepland)\b",
    re.IGNORECASE,
)
SKIPPED_TAGS = {"script", "style", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
SHOWN_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")


class VisibleText(HTMLParser):
    """The text a reader gets, without the parts marked as Dutch (lang="nl")."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: is its content hidden?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        hidden = bool(self.stack and self.stack[-1])
        lang = values.get("lang") or ""
        hidden = hidden or tag in SKIPPED_TAGS or (lang.startswith("nl") and tag != "html")
        if not hidden:
            self.parts.extend(str(values[a]) for a in SHOWN_ATTRIBUTES if values.get(a))
        if tag not in VOID:
            self.stack.append(hidden)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def typed_by_people() -> list[str]:
    """Names, addresses and other text people entered: Dutch by nature, not the interface's."""
    values: set[str] = set()
    for client in Client.objects.all():
        values |= {client.first_name, client.last_name, client.full_name}
    for user in User.objects.all():
        values |= {user.first_name, user.last_name, str(user)}
    for home in Home.objects.all():
        values |= {home.street, home.address, str(home)}
    for model in (Organisation, Region, Municipality, AssessmentTable):
        values |= {str(o) for o in model.objects.all()}
        values |= {o.name for o in model.objects.all()}
    values |= set(Application.objects.values_list("motivation_text", flat=True))
    values |= set(Application.objects.values_list("return_reason", flat=True))
    for meeting in Meeting.objects.all():
        values |= {meeting.notes, meeting.attendees}
    return sorted((v for v in values if v and len(v) > 2), key=len, reverse=True)


def dutch_words(html: str, typed: list[str]) -> list[str]:
    text = visible_text(html)
    for value in typed:
        text = text.replace(value, " ")
    # Each word with its surroundings, so a failure says where to look.
    return sorted({text[max(m.start() - 40, 0) : m.end() + 40] for m in DUTCH.finditer(text)})


@pytest.fixture
def world(cast) -> dict[str, Any]:
    """A case at each stage, with the tasks the services give each persona."""
    today = timezone.localdate()
    contract = housed_contract(cast, on=today)
    support.contract_assign(
        actor=cast.support_worker,
        contract=contract,
        support_worker=cast.support_worker,
        welfare_organisation=cast.region.organisations.get(slug="welzijn"),
        welfare_contact="",
    )
    signal = support.signal_report(
        actor=cast.corporation_user,
        contract=contract,
        kind="nuisance",
        severity="high",
        description="Noise at night.",
    )
    submitted = make_application(cast.care_worker_a, cast.care_a)
    applications.application_submit(actor=cast.care_worker_a, application=submitted)
    returned = make_application(cast.care_worker_a, cast.care_a)
    applications.application_submit(actor=cast.care_worker_a, application=returned)
    applications.application_return(
        actor=cast.coordinator, application=returned, reason="Income missing."
    )
    draft = make_application(cast.care_worker_a, cast.care_a, complete=False)
    scheduled = make_application(cast.care_worker_a, cast.care_a)
    applications.application_submit(actor=cast.care_worker_a, application=scheduled)
    applications.application_mark_complete(actor=cast.coordinator, application=scheduled)
    table = cast.region.tables.get()
    assessment.table_member_add(actor=None, table=table, user=cast.table_member, is_chair=True)
    session = assessment.session_plan(
        actor=cast.coordinator, table=table, starts_at=timezone.now() + timedelta(days=3)
    )
    item = assessment.agenda_add(actor=cast.coordinator, session=session, application=scheduled)
    assessment.invite(actor=cast.coordinator, item=item, user=cast.police)
    assessment.agenda_publish(actor=cast.coordinator, session=session)
    meeting = contract.meetings.order_by("due_on", "pk").first()
    # A meeting with the region's checklist (its questions are the region's own Dutch words).
    checklist_meeting = next(
        m for m in contract.meetings.order_by("due_on", "pk") if support.checklist_for(m)
    )
    return {
        "contract": contract,
        "signal": signal,
        "draft": draft,
        "clients": [contract.client, submitted.client, returned.client, scheduled.client],
        "session": session,
        "item": item,
        "meeting": meeting,
        "checklist_meeting": checklist_meeting,
    }


def pages(world: dict[str, Any]) -> list[str]:
    contract, draft = world["contract"], world["draft"]
    urls = [
        reverse("home"),
        reverse("accounts:tasks"),
        reverse("accounts:tasks") + "?state=closed",
        *(reverse("applications:client", args=[c.pk]) for c in world["clients"]),
        reverse("applications:create"),
        *(
            reverse("applications:step", args=[draft.pk, step])
            for step in ("identity", "household", "support", "motivation", "consent")
        ),
        reverse("assessment:session", args=[world["session"].pk]),
        reverse("support:contract", args=[contract.pk]),
        # The contract page holds the forms to report a signal, start a time-out and record
        # the final evaluation; the meeting page the form to plan and record it.
        reverse("support:signal", args=[world["signal"].pk]),
        reverse("support:meeting", args=[world["meeting"].pk]),
        reverse("support:meeting", args=[world["checklist_meeting"].pk]),
        reverse("support:meetings"),
        reverse("support:case_table"),
    ]
    return urls


def test_the_checker_finds_dutch_outside_names_and_dutch_parts() -> None:
    html = (
        '<html lang="en"><body><p>Case of Jan de Vries</p><p lang="nl">Woning van de regio</p>'
        '<input placeholder="Zoek een cliënt"><script>var de = 1;</script></body></html>'
    )
    [found] = dutch_words(html, ["Jan de Vries"])
    assert "Zoek een cliënt" in found  # an attribute people read counts
    assert "Vries" not in found and "Woning" not in found and "var" not in found
    assert dutch_words("<p>Case of Jan de Vries</p>", ["Jan de Vries"]) == []


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "nobody"])
def test_the_english_interface_shows_no_dutch(client, cast, world, persona) -> None:
    client.force_login(getattr(cast, persona))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    typed = typed_by_people()
    found: dict[str, list[str]] = {}
    for url in pages(world):
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        assert 'lang="en"' in response.content.decode()[:300]
        words = dutch_words(response.content.decode(), typed)
        if words:
            found[url] = words
    assert found == {}

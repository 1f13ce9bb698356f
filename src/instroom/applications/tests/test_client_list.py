"""Issue 23, work lists: the client list searches (BSN only for those who may see it),
filters, counts per state in tabs, sorts and pages, at a constant number of queries."""

from datetime import date
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from instroom.applications.constants import CaseState
from instroom.applications.fictional import fictional_bsns
from instroom.applications.models import Application, Client
from instroom.applications.tests.factories import make_application
from instroom.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = reverse("applications:list")
_bsns = fictional_bsns(999_994_000)
_numbers = count(1)


def bulk_clients(cast, n: int, care_provider=None, state=CaseState.SUBMITTED) -> list[Client]:
    """`n` clients with an application each, straight into the database (fast, for volume)."""
    care = care_provider or cast.care_a
    municipality = cast.region.municipalities.order_by("cbs_code").first()
    clients = Client.objects.bulk_create(
        Client(
            region=cast.region,
            case_number=f"ZK-T-{(i := next(_numbers)):05d}",
            candidate_number=f"K-T{i:06d}",
            first_name="Volume",
            last_name=f"Client{i:05d}",
            bsn=next(_bsns),
            date_of_birth=date(1990, 1, 1),
            source="bw",
            care_provider=care,
            support_provider=cast.care_b,
            municipality_of_origin=municipality,
        )
        for _ in range(n)
    )
    Application.objects.bulk_create(Application(client=c, bsn=c.bsn, state=state) for c in clients)
    return clients


@pytest.fixture
def world(cast):
    """Two clients of care provider A (one supported by B), one of B; different states."""
    a1 = make_application(
        cast.care_worker_a, cast.care_a, complete=False, first_name="Anouk", last_name="Zwart"
    )
    a2 = make_application(
        cast.care_worker_a,
        cast.care_a,
        support_provider=cast.care_b,
        complete=False,
        first_name="Bram",
        last_name="Akkerman",
        source="mo",
    )
    b1 = make_application(
        cast.care_worker_b, cast.care_b, complete=False, first_name="Chris", last_name="Mulder"
    )
    Application.objects.filter(pk=a2.pk).update(state=CaseState.APPROVED)
    Application.objects.filter(pk=b1.pk).update(state=CaseState.APPROVED)
    return {"a1": a1, "a2": a2, "b1": b1}


def names(response) -> set[str]:
    html = response.content.decode()
    return {n for n in ("Zwart", "Akkerman", "Mulder") if n in html}


def get(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def test_coordinator_sees_the_region_care_worker_only_its_own(client, cast, world):
    assert names(get(client, cast.coordinator)) == {"Zwart", "Akkerman", "Mulder"}
    assert names(get(client, cast.care_worker_a)) == {"Zwart", "Akkerman"}
    assert names(get(client, cast.care_worker_b)) == {"Mulder"}


@pytest.mark.parametrize(
    ("term", "found"),
    [("akker", {"Akkerman"}), ("bram akkerman", {"Akkerman"}), ("zzz", set())],
)
def test_search_by_name(client, cast, world, term, found):
    assert names(get(client, cast.coordinator, q=term)) == found


def test_search_by_case_and_candidate_number(client, cast, world):
    b1 = world["b1"].client
    assert names(get(client, cast.coordinator, q=b1.case_number)) == {"Mulder"}
    assert names(get(client, cast.coordinator, q=b1.candidate_number)) == {"Mulder"}


def test_bsn_search_for_the_service_point_and_the_writer_only(client, cast, world):
    a2 = world["a2"].client  # written by A, supported by B
    assert names(get(client, cast.coordinator, q=a2.bsn)) == {"Akkerman"}
    assert names(get(client, cast.care_worker_a, q=a2.bsn)) == {"Akkerman"}
    # The support worker sees this client by name, but not its BSN: no match on it.
    assert "Akkerman" in names(get(client, cast.support_worker))
    assert names(get(client, cast.support_worker, q=a2.bsn)) == set()
    # Another care provider's worker neither.
    assert names(get(client, cast.care_worker_b, q=a2.bsn)) == set()


def test_filters(client, cast, world):
    c = cast.coordinator
    assert names(get(client, c, state="approved")) == {"Akkerman", "Mulder"}
    assert names(get(client, c, care_provider=cast.care_b.pk)) == {"Mulder"}
    assert names(get(client, c, source="mo")) == {"Akkerman"}
    municipality = cast.region.municipalities.order_by("cbs_code").first()
    assert names(get(client, c, municipality=municipality.pk)) == {"Zwart", "Akkerman", "Mulder"}


def test_tabs_count_per_state_and_keep_the_search(client, cast, world):
    approved = CaseState.APPROVED.label
    response = get(client, cast.coordinator)
    html = response.content.decode()
    assert f"{approved} (2)" in html
    assert f"{CaseState.DRAFT.label} (1)" in html
    # A search narrows the counts too, and the tab links keep it.
    html = get(client, cast.coordinator, q="mulder").content.decode()
    assert f"{approved} (1)" in html
    assert "q=mulder&amp;state=approved" in html


@pytest.mark.parametrize(
    "params",
    [
        {"state": "nonsense"},
        {"page": "abc"},
        {"page": "99999"},
        {"page": "-1"},
        {"care_provider": "abc"},
        {"municipality": "999999"},
        {"sort": "password"},
        {"table": "x"},
        {"q": "x" * 500},
    ],
)
def test_bad_input_never_a_server_error(client, cast, world, params):
    response = get(client, cast.coordinator, **params)
    assert names(response)  # the list still shows, the bad filter left out


def test_unknown_state_is_named(client, cast, world):
    response = get(client, cast.coordinator, state="nonsense")
    assert names(response) == {"Zwart", "Akkerman", "Mulder"}
    assert "utrecht-alert" in response.content.decode()


def test_sorting(client, cast, world):
    html = get(client, cast.coordinator, sort="name").content.decode()
    assert html.index("Akkerman") < html.index("Mulder") < html.index("Zwart")
    html = get(client, cast.coordinator, sort="-name").content.decode()
    assert html.index("Zwart") < html.index("Mulder") < html.index("Akkerman")
    html = get(client, cast.coordinator, sort="state").content.decode()
    assert html.index("Zwart") < html.index("Mulder")  # draft before approved


def test_candidate_number_beside_the_name(client, cast, world):
    b1 = world["b1"].client
    html = get(client, cast.coordinator).content.decode()
    assert f"({b1.candidate_number})" in html


def test_paging_50_per_page_keeps_the_filters(client, cast):
    bulk_clients(cast, 60)
    page1 = get(client, cast.coordinator, q="volume", sort="case").content.decode()
    assert page1.count("ZK-T-") == 50
    assert "q=volume&amp;sort=case&amp;page=2" in page1
    page2 = get(client, cast.coordinator, q="volume", sort="case", page=2).content.decode()
    assert page2.count("ZK-T-") == 10
    # Reads are logged: one event per client shown.
    assert AuditEvent.objects.filter(action="client.list").count() == 60


def related_clients(cast, persona: str, n: int) -> None:
    """`n` clients the persona may see: the corporation's through an accepted match on one of its
    homes, the welfare organisation's through a contract handed over to it."""
    from instroom.homes.models import Home
    from instroom.homes.tests.factories import home_fields
    from instroom.matching.models import Match
    from instroom.support.models import Contract

    clients = bulk_clients(cast, n, state=CaseState.CONTRACTED)
    if persona not in ("corporation_user", "welfare_user"):
        return
    applications = {a.client_id: a for a in Application.objects.filter(client__in=clients)}
    homes = Home.objects.bulk_create(
        Home(
            region=cast.region,
            corporation=cast.corporation,
            state="let",
            **home_fields(cast.corporation),
        )
        for _ in clients
    )
    matches = Match.objects.bulk_create(
        Match(
            home=home,
            application=applications[c.pk],
            client=c,
            region=cast.region,
            state="accepted",
            step_deadline=date(2027, 1, 1),
        )
        for home, c in zip(homes, clients, strict=True)
    )
    if persona == "welfare_user":
        welfare = cast.region.organisations.get(slug="welzijn")
        Contract.objects.bulk_create(
            Contract(
                match=m,
                application=m.application,
                client=m.client,
                home=m.home,
                region=cast.region,
                form="three_party",
                state="housed",
                support_months=24,
                welfare_organisation=welfare,
            )
            for m in matches
        )


@pytest.mark.parametrize(
    "persona",
    ["coordinator", "care_worker_a", "support_worker", "corporation_user", "welfare_user"],
)
def test_constant_queries(client, cast, persona):
    """10 or 40 clients on the page: the same number of queries, for every persona that has a
    client list (the corporation and the district team used to cost a query per row)."""
    user = getattr(cast, persona)
    client.force_login(user)
    client.get(URL)  # warm the session and caches

    def page() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, {"q": "volume"})
            assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode().count("ZK-T-")

    related_clients(cast, persona, 10)
    few, shown = page()
    assert shown == 10
    related_clients(cast, persona, 30)
    many, shown = page()
    assert shown == 40
    assert few == many

"""The register of time-out places (seed 001: "extra time-outmogelijkheden bij calamiteiten"):
the service point keeps it, a time-out books a place of it, a full place refuses, ending a
time-out frees its place, and the service point hears of the end the day before and after."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from instroom.accounts.models import Notification
from instroom.conftest import PERSONAS
from instroom.support import services
from instroom.support.constants import TimeOutPlaceKind, TimeOutState
from instroom.support.models import TimeOutPlace
from instroom.support.tests.factories import housed_contract

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MOVE = date(2026, 3, 2)


def at(day: date, hour: int = 6) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM)


def add_place(cast, name="Crisisbed Leger des Heils", capacity=1, **extra) -> TimeOutPlace:
    return services.timeout_place_create(
        actor=cast.coordinator,
        region=cast.region,
        name=name,
        kind=extra.pop("kind", TimeOutPlaceKind.CRISIS_BED),
        provider=cast.care_a,
        capacity=capacity,
        **extra,
    )


def book(cast, contract, place, start: date, days: int = 14):
    return services.timeout_start(
        actor=cast.support_worker,
        contract=contract,
        starts_on=start,
        ends_on=start + timedelta(days=days),
        place=place,
        return_plan="Terug na drie gesprekken met de buren",
    )


def post_timeout(client, contract, place, start: date, days: int = 14):
    return client.post(
        reverse("support:timeout_start", args=[contract.pk]),
        {
            "timeout-starts_on": start.isoformat(),
            "timeout-ends_on": (start + timedelta(days=days)).isoformat(),
            "timeout-place": place.pk if place else "",
            "timeout-stay": "",
            "timeout-return_plan": "Terug na drie gesprekken met de buren",
        },
        HTTP_ACCEPT_LANGUAGE="nl",
    )


def register_row(client, place) -> str:
    """The register's row of the place, as text."""
    page = client.get(reverse("support:timeout_places"), HTTP_ACCEPT_LANGUAGE="nl")
    assert page.status_code == 200
    html = page.content.decode()
    row = html[html.index(place.name) :]
    return row[: row.index("</tr>")]


def cells(row: str) -> list[str]:
    import re

    return re.findall(r'cell--numeric">(\d+)<', row)


def test_a_time_out_from_a_signal_books_the_place_and_the_register_shows_it_taken(
    cast, client
) -> None:
    today = timezone.localdate()
    contract = housed_contract(cast, on=today, last_name="Zwaluwstaart")
    signal = services.signal_report(
        actor=cast.corporation_user,
        contract=contract,
        kind="nuisance",
        severity="high",
        description="Ernstige overlast, buren bedreigd",
    )
    place = add_place(cast, capacity=2)
    client.force_login(cast.support_worker)
    response = post_timeout(client, contract, place, today)
    assert response.status_code == 302
    timeout = contract.timeouts.get()
    assert (timeout.place, timeout.signal) == (place, signal)
    page = client.get(reverse("support:contract", args=[contract.pk]))
    assert place.name in page.content.decode()
    # capacity, occupied today, free today, booked later
    assert cells(register_row(client, place)) == ["2", "1", "1", "0"]


def test_a_full_place_refuses_and_says_when_a_bed_frees_up(cast, client) -> None:
    today = timezone.localdate()
    place = add_place(cast, name="Time-outwoning Velsen", capacity=1)
    first = housed_contract(cast, on=today)
    book(cast, first, place, today, days=10)
    second = housed_contract(cast, on=today)
    client.force_login(cast.coordinator)
    response = post_timeout(client, second, place, today + timedelta(days=3))
    assert response.status_code == 400
    text = response.content.decode()
    frees = today + timedelta(days=11)
    assert "Time-outwoning Velsen is vol" in text
    assert f"{frees.day} " in text and str(frees.year) in text
    assert not second.timeouts.exists()
    # Booked after the first one ends: there is room.
    assert book(cast, second, place, frees).place == place


def test_a_booking_that_would_run_into_a_later_one_is_refused(cast) -> None:
    today = timezone.localdate()
    place = add_place(cast, capacity=1)
    book(cast, housed_contract(cast, on=today), place, today + timedelta(days=5), days=5)
    with pytest.raises(ValidationError) as refused:
        book(cast, housed_contract(cast, on=today), place, today, days=10)
    assert "place" in refused.value.message_dict


def test_ending_a_time_out_frees_its_place(cast, client) -> None:
    today = timezone.localdate()
    place = add_place(cast, capacity=1)
    contract = housed_contract(cast, on=today)
    timeout = book(cast, contract, place, today)
    other = housed_contract(cast, on=today)
    with pytest.raises(ValidationError):
        book(cast, other, place, today)
    services.timeout_end(actor=cast.support_worker, timeout=timeout, ended_on=today, returned=True)
    assert services.occupancy_on(place, today) == 0
    client.force_login(cast.coordinator)
    assert cells(register_row(client, place)) == ["1", "0", "1", "0"]
    assert book(cast, other, place, today).state == TimeOutState.ACTIVE


def test_a_tenancy_can_have_several_time_outs_in_its_two_years(cast) -> None:
    with time_machine.travel(at(MOVE, 10), tick=False):
        place = add_place(cast, capacity=1)
        contract = housed_contract(cast, on=MOVE)
        first = book(cast, contract, place, MOVE + timedelta(days=1))
    with time_machine.travel(at(MOVE + timedelta(days=10), 10), tick=False):
        services.timeout_end(
            actor=cast.support_worker,
            timeout=first,
            ended_on=MOVE + timedelta(days=10),
            returned=True,
        )
    later = MOVE + timedelta(days=400)
    with time_machine.travel(at(later, 10), tick=False):
        services.timeout_start(
            actor=cast.support_worker,
            contract=contract,
            starts_on=later,
            ends_on=later + timedelta(days=7),
            stay="Bij zijn zus in Zandvoort",
            return_plan="Terug na het gesprek met de corporatie",
        )
    assert [t.where for t in contract.timeouts.all()] == ["Bij zijn zus in Zandvoort", place.name]


def test_the_length_limit_and_the_return_plan_still_hold(cast) -> None:
    today = timezone.localdate()
    place = add_place(cast)
    contract = housed_contract(cast, on=today)
    with pytest.raises(ValidationError) as refused:
        services.timeout_start(
            actor=cast.support_worker,
            contract=contract,
            starts_on=today,
            ends_on=today + timedelta(days=400),
            place=place,
            return_plan="",
        )
    assert {"ends_on", "return_plan"} <= set(refused.value.message_dict)
    with pytest.raises(ValidationError) as nowhere:
        services.timeout_start(
            actor=cast.support_worker,
            contract=contract,
            starts_on=today,
            ends_on=today + timedelta(days=4),
            return_plan="Terug",
        )
    assert "place" in nowhere.value.message_dict


def test_the_service_point_hears_the_day_before_and_after_the_end_once_each(cast) -> None:
    with time_machine.travel(at(MOVE, 10), tick=False):
        place = add_place(cast, name="Crisisbed Haarlem", capacity=2)
        contract = housed_contract(cast, on=MOVE)
        book(cast, contract, place, MOVE, days=10)
    end = MOVE + timedelta(days=10)

    def subjects(kind: str) -> list[str]:
        return list(
            Notification.objects.filter(user=cast.coordinator, kind=kind).values_list(
                "subject", flat=True
            )
        )

    with time_machine.travel(at(end - timedelta(days=2)), tick=False):
        services.support_follow_up()
    assert subjects("timeout.ends_tomorrow") == []
    for hour in (6, 18):
        with time_machine.travel(at(end - timedelta(days=1), hour), tick=False):
            services.support_follow_up()
    tomorrow = subjects("timeout.ends_tomorrow")
    assert len(tomorrow) == 1 and "Crisisbed Haarlem" in tomorrow[0]
    assert subjects("timeout.overdue") == []
    for day in (end, end + timedelta(days=1), end + timedelta(days=2)):
        with time_machine.travel(at(day), tick=False):
            services.support_follow_up()
    late = subjects("timeout.overdue")
    assert len(late) == 1 and "Crisisbed Haarlem" in late[0]
    assert len(subjects("timeout.ends_tomorrow")) == 1


def test_the_service_point_keeps_the_register(cast, client) -> None:
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("support:timeout_place_add"),
        {
            "place-name": "Logeerplek netwerk (familie)",
            "place-kind": TimeOutPlaceKind.NETWORK,
            "place-provider": "",
            "place-provider_text": "Familie of netwerk van de cliënt",
            "place-capacity": "1",
            "place-conditions": "Alleen na overleg met de woonbegeleider",
        },
    )
    assert response.status_code == 302
    place = TimeOutPlace.objects.get(region=cast.region)
    assert place.provider_name == "Familie of netwerk van de cliënt"
    # The same name twice is refused, in Dutch, beside the field.
    again = client.post(
        reverse("support:timeout_place_add"),
        {
            "place-name": "logeerplek netwerk (familie)",
            "place-kind": "network",
            "place-capacity": 1,
        },
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert again.status_code == 400
    assert "heeft al een time-outplek met deze naam" in again.content.decode()
    # Taken out of the register: kept, no longer bookable.
    edit = reverse("support:timeout_place_edit", args=[place.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "place-name": place.name,
            "place-kind": place.kind,
            "place-provider_text": place.provider_text,
            "place-capacity": "1",
        },
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.active is False
    with pytest.raises(ValidationError):
        book(cast, housed_contract(cast, on=timezone.localdate()), place, timezone.localdate())


def test_a_place_cannot_shrink_below_the_clients_in_it(cast) -> None:
    today = timezone.localdate()
    place = add_place(cast, capacity=2)
    book(cast, housed_contract(cast, on=today), place, today)
    book(cast, housed_contract(cast, on=today), place, today)
    with pytest.raises(ValidationError) as refused:
        services.timeout_place_update(actor=cast.coordinator, place=place, capacity=1)
    assert "capacity" in refused.value.message_dict


def test_only_the_service_point_of_the_region_changes_the_register(cast) -> None:
    place = add_place(cast)
    for actor in (cast.support_worker, cast.other_coordinator, cast.administrator):
        with pytest.raises(PermissionDenied):
            services.timeout_place_update(actor=actor, place=place, capacity=3)
        with pytest.raises(PermissionDenied):
            services.timeout_place_create(
                actor=actor, region=cast.region, name="Nog een", kind="other", capacity=1
            )


# Who opens the register and its pages (GET); names of clients never appear on it.
REGISTER = {"coordinator": 200, "support_worker": 200, "other_coordinator": 200}
ADD = {"coordinator": 200, "other_coordinator": 200}
EDIT = {"coordinator": 200, "other_coordinator": 404}


@pytest.mark.parametrize("persona", PERSONAS)
def test_access_to_the_register_per_persona(cast, client, persona) -> None:
    today = timezone.localdate()
    place = add_place(cast)
    contract = housed_contract(cast, on=today, last_name="Zwaluwstaart")
    book(cast, contract, place, today)
    client.force_login(getattr(cast, persona))
    register = client.get(reverse("support:timeout_places"))
    assert register.status_code == REGISTER.get(persona, 403)
    if register.status_code == 200:
        text = register.content.decode()
        assert "Zwaluwstaart" not in text and contract.client.case_number not in text
        assert (place.name in text) == (persona != "other_coordinator")
    assert client.get(reverse("support:timeout_place_add")).status_code == ADD.get(persona, 403)
    edit = client.get(reverse("support:timeout_place_edit", args=[place.pk]))
    assert edit.status_code == EDIT.get(persona, 403)


@pytest.mark.django_db(transaction=True)
def test_time_outs_from_before_the_register_keep_where_the_client_stayed(cast) -> None:
    """Upgrading: a time-out recorded with free text keeps its text and has no place."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    today = timezone.localdate()
    timeout = services.timeout_start(
        actor=cast.support_worker,
        contract=housed_contract(cast, on=today),
        starts_on=today,
        ends_on=today + timedelta(days=5),
        stay="Time-outvoorziening Beverwijk",
        return_plan="Terug na evaluatie",
    )

    def migrate(target: str):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([("support", target)])
        return executor.loader.project_state(("support", target)).apps

    try:
        old = migrate("0003_support_method_from_the_rules")
        assert old.get_model("support", "TimeOut").objects.get(pk=timeout.pk).stay == (
            "Time-outvoorziening Beverwijk"
        )
        new = migrate("0004_timeout_places")
        upgraded = new.get_model("support", "TimeOut").objects.get(pk=timeout.pk)
        assert (upgraded.stay, upgraded.place_id) == ("Time-outvoorziening Beverwijk", None)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    timeout.refresh_from_db()
    assert timeout.where == "Time-outvoorziening Beverwijk"

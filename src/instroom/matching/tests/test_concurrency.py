"""One active match per home and per client, even when many people click at the same moment
(PostgreSQL: real concurrent transactions, row locks and partial unique indexes)."""

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from instroom.homes.tests.factories import make_home
from instroom.matching import services
from instroom.matching.models import Match
from instroom.matching.tests.factories import make_approved

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
N = 20


def race(calls: list[Callable[[], object]]) -> tuple[int, list[str]]:
    barrier = threading.Barrier(len(calls))
    wins: list[object] = []
    refusals: list[str] = []

    def run(call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            with translation.override("en"):
                wins.append(call())
        except ValidationError as exc:
            refusals.append(" ".join(exc.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(wins), refusals


def test_twenty_proposals_for_one_home_make_exactly_one_match(cast) -> None:
    applications = [make_approved(cast) for _ in range(N)]
    home = make_home(cast.corporation_user, cast.corporation)
    wins, refusals = race(
        [
            (
                lambda a=a: services.match_propose(
                    actor=cast.corporation_user, home=home, application=a
                )
            )
            for a in applications
        ]
    )
    assert wins == 1 and len(refusals) == N - 1
    assert Match.objects.filter(home=home).count() == 1
    assert all("no longer open" in r or "Somebody else" in r for r in refusals), refusals


def test_twenty_homes_for_one_client_make_exactly_one_match(cast) -> None:
    application = make_approved(cast)
    homes = [make_home(cast.corporation_user, cast.corporation) for _ in range(N)]
    wins, refusals = race(
        [
            (
                lambda h=h: services.match_propose(
                    actor=cast.corporation_user, home=h, application=application
                )
            )
            for h in homes
        ]
    )
    assert wins == 1 and len(refusals) == N - 1
    assert Match.objects.filter(client=application.client).count() == 1
    assert sum(h.state == "proposed" for h in (type(h).objects.get(pk=h.pk) for h in homes)) == 1

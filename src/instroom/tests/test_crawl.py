"""The crawl (issue 23): every demo persona signs in and follows every internal link from the
home page (bounded, `tests/crawler.py`); no link they are shown may end in a 4xx or 5xx.

The world is the demo data set (`instroom demo`): a client at every stage, five assessment
sessions with decisions, homes, offers, tenancies with meetings and signals. Built and walked
once for the module, inside a transaction that is rolled back afterwards."""

import re
from dataclasses import dataclass

import pytest
from django.db import transaction

from instroom.accounts.constants import Role
from instroom.accounts.models import User
from instroom.conftest import PASSWORD, make_user
from instroom.demo.data import DEMO_USERS
from instroom.regions.models import Organisation
from instroom.tests.crawler import Walk, build_demo, crawl, signed_in

pytestmark = pytest.mark.django_db


@dataclass
class Crawled:
    walks: dict[str, Walk]
    named_districts: dict[str, str]  # CBS code -> name


@pytest.fixture(scope="module")
def crawled(django_db_setup, django_db_blocker) -> Crawled:
    from instroom.homes.models import Home
    from instroom.regions.models import Neighbourhood

    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(PASSWORD)
        # The reference data has no district names (the administrator adds them): name the
        # districts of half the homes, so the pages must show those names.
        ids = sorted(
            set(Home.objects.exclude(neighbourhood=None).values_list("neighbourhood", flat=True))
        )
        named = {}
        for district in Neighbourhood.objects.filter(pk__in=ids[::2]):
            district.name = f"Wijknaam {district.cbs_code[-2:]}"
            district.save(update_fields=["name"])
            named[district.cbs_code] = district.name
        # Beside the demo's one user per role (conftest.PERSONAS' pattern): another region's
        # service point, who must find nothing of this one, and a user without a role.
        lindewaard = Organisation.objects.get(region__slug="lindewaard", slug="servicepunt")
        make_user("other_coordinator", lindewaard, Role.COORDINATOR)
        make_user("nobody", None, None)
        personas = [spec.username for spec in DEMO_USERS] + ["other_coordinator", "nobody"]
        walks = {
            name: crawl(signed_in(User.objects.get(username=name)), name, keep_pages=True)
            for name in personas
        }
        transaction.set_rollback(True)
    return Crawled(walks, named)


def test_every_link_a_persona_is_shown_opens(crawled) -> None:
    failures = [str(f) for walk in crawled.walks.values() for f in walk.failures]
    assert not failures, f"{len(failures)} broken link(s):\n" + "\n".join(failures)


def test_the_crawl_reaches_the_pages_of_every_role(crawled) -> None:
    """A crawl that stops at the home page would find nothing: each persona gets around."""
    visited = {name: set(walk.visited) for name, walk in crawled.walks.items()}
    assert all(len(urls) >= 5 for urls in visited.values()), {
        name: len(urls) for name, urls in visited.items()
    }
    client_page = re.compile(r"^/clients/\d+/$")
    for name in ("coordinator", "aanmelder", "woonbegeleider", "tafellid"):
        assert any(client_page.match(url) for url in visited[name]), name
    assert any(url.startswith("/support/meetings/") for url in visited["woonbegeleider"])
    assert any(url.startswith("/sessions/") for url in visited["tafellid"])
    assert any(url.startswith("/homes/") for url in visited["corporatie"])
    # Another region's service point reaches its own region's pages, and no case of this one.
    assert not any(client_page.match(url) for url in visited["other_coordinator"])
    assert any("lindewaard" in url for url in visited["other_coordinator"])


def test_districts_are_shown_by_name_where_they_have_one(crawled) -> None:
    shown_as_code = [
        f"{name}: {url} shows {code} without its name {crawled.named_districts[code]!r}"
        for name, walk in crawled.walks.items()
        for url, html in walk.pages.items()
        for code in re.findall(r"\bWK\d{6}\b", html)
        if code in crawled.named_districts and crawled.named_districts[code] not in html
    ]
    assert crawled.named_districts and not shown_as_code, "\n".join(sorted(set(shown_as_code)))
    homes = crawled.walks["corporatie"].pages.get("/homes/", "")
    assert any(name in homes for name in crawled.named_districts.values())

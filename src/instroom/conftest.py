"""The cast of the tests: one persona per role, in two organisations where it matters.

alice/bob pattern (Healthchecks' hc/test.py): every page and endpoint is tried by each of them.
"""

import os
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.signals import got_request_exception
from hypothesis import settings

from instroom.accounts.constants import Role
from instroom.accounts.models import Membership, User
from instroom.regions.models import Organisation, Region
from instroom.regions.tests.factories import build_region

PASSWORD = "correct horse battery staple"

# CI runs the property tests derandomised (repeatable on a clean checkout); locally they explore.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@dataclass
class Cast:
    region: Region
    other_region: Region
    care_a: Organisation
    care_b: Organisation
    corporation: Organisation
    coordinator: User
    care_worker_a: User
    care_worker_b: User
    support_worker: User
    table_member: User
    corporation_user: User
    welfare_user: User
    municipality_user: User
    police: User
    administrator: User
    other_coordinator: User
    nobody: User  # signed in, no role

    def personas(self) -> dict[str, User]:
        return {name: getattr(self, name) for name in PERSONAS}


# The signed-in personas, in the order the access tables list them (`nobody` has no role).
PERSONAS = (
    "coordinator",
    "care_worker_a",
    "care_worker_b",
    "support_worker",
    "table_member",
    "corporation_user",
    "welfare_user",
    "municipality_user",
    "police",
    "administrator",
    "other_coordinator",
    "nobody",
)


def make_user(
    username: str, organisation: Organisation | None, role: str | None, **extra: Any
) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name=username.split("_")[0].title(), **extra
    )
    if organisation is not None and role is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


def build_cast() -> Cast:
    """The cast, for fixtures that build their world once per module (database unblocked)."""
    region = build_region("testregio")
    other = build_region("andere-regio")
    org = {o.slug: o for o in region.organisations.all()}
    return Cast(
        region=region,
        other_region=other,
        care_a=org["zorg-a"],
        care_b=org["zorg-b"],
        corporation=org["corporatie"],
        coordinator=make_user("coordinator", org["servicepunt"], Role.COORDINATOR),
        care_worker_a=make_user("care_a", org["zorg-a"], Role.APPLICANT_WORKER),
        care_worker_b=make_user("care_b", org["zorg-b"], Role.APPLICANT_WORKER),
        support_worker=make_user("support", org["zorg-b"], Role.SUPPORT_WORKER),
        table_member=make_user("table", org["gemeente-a"], Role.TABLE_MEMBER),
        corporation_user=make_user("corporation", org["corporatie"], Role.CORPORATION_STAFF),
        welfare_user=make_user("welfare", org["welzijn"], Role.WELFARE),
        municipality_user=make_user("municipality", org["gemeente-a"], Role.MUNICIPALITY),
        police=make_user("police", org["politie"], Role.POLICE),
        administrator=make_user("admin", org["servicepunt"], Role.ADMINISTRATOR, is_staff=True),
        other_coordinator=make_user(
            "other_coordinator", other.organisations.get(slug="servicepunt"), Role.COORDINATOR
        ),
        nobody=make_user("nobody", None, None),
    )


# --- A server error in any view fails the test that caused it ---------------------------------
# Django's test client re-raises a view's exception, but a test may catch it, and a page opened by
# the browser tests (live server) or by the API fuzzer never raises in the test at all. Every
# unhandled exception goes through `got_request_exception`, whichever way the request came.

_server_errors: list[str] = []


def _record_server_error(sender: Any, request: Any = None, **kwargs: Any) -> None:
    path = getattr(request, "path", "?")
    method = getattr(request, "method", "?")
    _server_errors.append(f"{method} {path}\n{traceback.format_exc()}")


got_request_exception.connect(_record_server_error, dispatch_uid="instroom-tests-server-errors")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "allow_server_error: the test provokes an unhandled exception in a view on purpose",
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    _server_errors.clear()
    result = yield
    errors = list(_server_errors)
    _server_errors.clear()
    if errors and item.get_closest_marker("allow_server_error") is None:
        pytest.fail(
            f"{len(errors)} unhandled exception(s) in a view (a 500 for the user):\n\n"
            + "\n".join(errors),
            pytrace=False,
        )
    return result


@pytest.fixture(autouse=True)
def _postgres_only(request: pytest.FixtureRequest) -> None:
    """Tests marked `postgres` need PostgreSQL; in CI they must run, never be skipped."""
    if request.node.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI runs the tests against PostgreSQL: set DATABASE_URL")
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


# --- Browser tests: Debian's Chromium driven by Playwright ----------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def browser() -> Iterator[Any]:
    """A headless Chromium; in CI a missing Chromium fails instead of skipping."""
    import shutil

    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: make install puts it there (apt chromium)")
        pytest.skip("Chromium is not installed")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are
    # ordinary synchronous code, so Django's async-safety guard is switched off for them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def browser_login(browser: Any, live_server: Any, user: User, **context: Any) -> Any:
    """A fresh browser context (Dutch, as most users), signed in through the login form;
    returns its page."""
    context.setdefault("locale", "nl-NL")
    page = browser.new_context(**context).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page

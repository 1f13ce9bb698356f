"""Several people writing at once on the demo's SQLite database: nobody gets a server error.

The suite's own database is SQLite in memory (or PostgreSQL in CI), where these questions do not
arise; each test here makes its own SQLite file with the options of the settings (conf/base.py).
"""

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, connection, connections, transaction
from django.db.utils import load_backend
from django.test import Client
from django.utils import timezone

from instroom.applications.tests.factories import make_application
from instroom.conf import base
from instroom.middleware import is_database_busy, server_error


def _sqlite_options(**overrides: Any) -> dict[str, Any]:
    """The options the settings give an SQLite database (conf/base.py)."""
    return {**base.SQLITE_OPTIONS, **overrides}


def _wrapper(path: Path, alias: str, **options: Any) -> Any:
    settings_dict = {
        **connection.settings_dict,
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": _sqlite_options(**options),
        "TEST": {},
    }
    backend = load_backend("django.db.backends.sqlite3")
    return backend.DatabaseWrapper(settings_dict, alias)


@contextmanager
def default_database(path: Path, **options: Any) -> Iterator[Any]:
    """In this thread, the default database is the SQLite file at `path`."""
    previous = connections["default"]
    wrapper = _wrapper(path, "default", **options)
    connections["default"] = wrapper
    try:
        yield wrapper
    finally:
        wrapper.close()
        connections["default"] = previous


def _copy_of_the_test_database(path: Path) -> None:
    """The test's database (SQLite in memory, with the cast) into a file."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()


def _run_at_once(count: int, work: Any) -> list[BaseException]:
    """`work(n)` in `count` threads that start together; the exceptions they raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run(n: int) -> None:
        try:
            start.wait()
            work(n)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


WRITERS = 8
WRITES = 15


def test_concurrent_writers_through_the_orm_all_succeed(tmp_path, django_db_blocker) -> None:
    path = tmp_path / "demo.sqlite3"
    with django_db_blocker.unblock():
        with default_database(path), connection.schema_editor() as editor:
            editor.create_model(Session)

        def write(n: int) -> None:
            with default_database(path):
                for i in range(WRITES):
                    # Read, then write in one transaction: without IMMEDIATE two of these
                    # deadlock and one fails at once with "database is locked".
                    with transaction.atomic():
                        seen = Session.objects.count()
                        Session.objects.create(
                            session_key=f"{n}-{i}",
                            session_data=str(seen),
                            expire_date=timezone.now(),
                        )

        errors = _run_at_once(WRITERS, write)
        with default_database(path):
            assert errors == []
            assert Session.objects.count() == WRITERS * WRITES
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal"


@pytest.fixture
def sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("copies the SQLite test database into a file (PostgreSQL locks otherwise)")


@pytest.mark.django_db(transaction=True)  # committed, so that the copy sees the cast
def test_concurrent_requests_through_the_client_all_succeed(tmp_path, cast, sqlite_only) -> None:
    """Several care workers open a client file at once: each view logs the access and every
    request saves its session, all writes to the one SQLite file."""
    application = make_application(cast.care_worker_a, cast.care_a)
    path = tmp_path / "demo.sqlite3"
    _copy_of_the_test_database(path)
    statuses: list[int] = []

    def browse(n: int) -> None:
        with default_database(path):
            client = Client()
            client.force_login(cast.care_worker_a)
            for _i in range(5):
                statuses.append(client.get(f"/clients/{application.client_id}/").status_code)
                statuses.append(client.get("/api/v1/clients/").status_code)

    errors = _run_at_once(6, browse)
    assert errors == []
    assert statuses == [200] * 60


BUSY = "Het is even erg druk; probeer het over een paar seconden opnieuw."


@pytest.mark.django_db(transaction=True)
def test_a_database_that_stays_busy_answers_try_again(tmp_path, cast, sqlite_only) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    path = tmp_path / "demo.sqlite3"
    _copy_of_the_test_database(path)
    with default_database(path, timeout=0.2):
        client = Client()
        client.force_login(cast.care_worker_a)
        # Someone else holds the write lock for longer than a writer waits.
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            page = client.get(f"/clients/{application.client_id}/")
            api = client.get("/api/v1/clients/")
        finally:
            other.execute("ROLLBACK")
            other.close()
        after = client.get(f"/clients/{application.client_id}/")

    assert page.status_code == 503
    assert page["Retry-After"].isdigit()
    assert BUSY in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert api.status_code == 503
    assert api["Retry-After"].isdigit()
    assert api.json() == {"detail": BUSY}
    # Nothing was broken: once the lock is gone the same page opens.
    assert after.status_code == 200


class _PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("exc", "busy"),
    [
        (OperationalError("database is locked"), True),
        (OperationalError("database table is locked: x"), True),
        (OperationalError("no such table: x"), False),
        (RuntimeError("database is locked"), False),
    ],
)
def test_what_counts_as_a_busy_database(exc, busy) -> None:
    assert is_database_busy(exc) is busy


@pytest.mark.parametrize(
    ("sqlstate", "busy"), [("40001", True), ("40P01", True), ("55P03", True), ("23505", False)]
)
def test_postgres_conflicts_count_as_busy(sqlstate, busy) -> None:
    exc = OperationalError("could not serialize access")
    exc.__cause__ = _PgError(sqlstate)
    assert is_database_busy(exc) is busy


def test_a_busy_database_outside_a_view_is_a_503_too(rf) -> None:
    """A middleware that writes (the session) after the view: Django's handler500 sees it."""
    request = rf.get("/api/v1/clients/")
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        busy = server_error(request)
    try:
        raise ValueError("a real bug")
    except ValueError:
        bug = server_error(request)
    assert busy.status_code == 503 and busy["Retry-After"]
    assert bug.status_code == 500

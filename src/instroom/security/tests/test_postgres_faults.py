"""PostgreSQL under faults: a connection killed in the middle of a state transition leaves no
half-done state; a dump and restore of a populated database loses nothing."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import OperationalError, connection, connections

from instroom.applications import services as app_services
from instroom.applications.models import Application
from instroom.applications.tests.factories import make_application
from instroom.audit import services as audit_services
from instroom.audit.models import AuditEvent

pytestmark = [pytest.mark.security, pytest.mark.postgres]


def admin_url() -> str:
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgresql://{user}@{host}:{port}/postgres"


def _kill(pid: int) -> None:
    """Terminate a backend from a second connection, as a crash or failover would."""
    with psycopg.connect(admin_url(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("moment", ["after the case write", "after the audit write"])
def test_a_connection_killed_mid_transition_leaves_no_half_state(cast, monkeypatch, moment) -> None:
    """The backend dies between the two writes of `application_submit` (case row, then audit
    event), or after both but before the commit: neither may be left behind."""
    application = make_application(cast.care_worker_a, cast.care_a)
    before_events = AuditEvent.objects.count()
    pid = connection.connection.info.backend_pid
    real_record_change = audit_services.record_change

    def record_with_kill(**kwargs):
        if moment == "after the case write":
            _kill(pid)
            return real_record_change(**kwargs)  # its INSERT meets the dead connection
        result = real_record_change(**kwargs)
        _kill(pid)  # the next statement (the notification) or the COMMIT fails
        return result

    monkeypatch.setattr(audit_services, "record_change", record_with_kill)
    with pytest.raises(OperationalError):
        app_services.application_submit(actor=cast.care_worker_a, application=application)
    monkeypatch.setattr(audit_services, "record_change", real_record_change)
    connections.close_all()  # the next query opens a fresh connection
    assert connection.connection is None or connection.connection.info.backend_pid != pid

    fresh = Application.objects.get(pk=application.pk)
    assert fresh.state == "draft" and fresh.submitted_at is None
    assert AuditEvent.objects.count() == before_events
    assert not AuditEvent.objects.filter(action="application.submit").exists()
    # And the step still works once the database is back: both writes, together.
    app_services.application_submit(actor=cast.care_worker_a, application=fresh)
    assert Application.objects.get(pk=application.pk).state == "submitted"
    assert AuditEvent.objects.filter(action="application.submit").count() == 1


KEY_TABLES = [
    "applications_client",
    "applications_application",
    "assessment_decision",
    "audit_auditevent",
    "homes_home",
    "matching_match",
    "distribution_placement",
]


def _counts_and_checksums(url: str) -> tuple[dict[str, int], dict[str, str], dict[str, int]]:
    """Rows per table, a checksum of every row of the key tables, and where each sequence
    stands (so that the next insert after a restore does not collide)."""
    with psycopg.connect(url) as db:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        counts = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        sums = {
            t: db.execute(
                f"SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM \"{t}\" x"
            ).fetchone()[0]
            for t in KEY_TABLES
        }
        sequences = dict(
            db.execute("SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences").fetchall()
        )
    return counts, sums, sequences


def test_a_dump_and_restore_of_a_populated_database_loses_nothing(tmp_path: Path) -> None:
    base = admin_url().rsplit("/", 1)[0]
    source, target = (
        f"instroom_dump_{uuid.uuid4().hex[:8]}",
        f"instroom_restore_{uuid.uuid4().hex[:8]}",
    )
    with psycopg.connect(admin_url(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{source}"')
        admin.execute(f'CREATE DATABASE "{target}"')
    try:
        env = {
            **os.environ,
            "DATABASE_URL": f"{base}/{source}",
            "DJANGO_SETTINGS_MODULE": "instroom.conf.dev",
            "INSTROOM_DATA_DIR": str(tmp_path),
        }
        cli = Path(sys.executable).parent / "instroom"
        subprocess.run(
            [str(cli), "demo", "--no-serve"], env=env, check=True, capture_output=True, timeout=600
        )
        dump = tmp_path / "instroom.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", f"--file={dump}", f"{base}/{source}"],
            check=True,
            timeout=600,
        )
        subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={base}/{target}", str(dump)],
            check=True,
            timeout=600,
        )
        before = _counts_and_checksums(f"{base}/{source}")
        after = _counts_and_checksums(f"{base}/{target}")
        counts = before[0]
        assert len(counts) > 30 and counts["applications_client"] > 0
        assert counts["audit_auditevent"] > 100 and counts["matching_match"] > 0
        assert after == before
    finally:
        with psycopg.connect(admin_url(), autocommit=True) as admin:
            for name in (source, target):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

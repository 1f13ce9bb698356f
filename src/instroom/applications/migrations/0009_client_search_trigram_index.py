"""The client list's search at national scale (issue 23): on PostgreSQL, one trigram (pg_trgm)
GIN index over the searched columns, on the very expressions Django's `icontains`/`iexact` write
(`UPPER(col::text)`), so a name, case-number or candidate-number search reads the index instead
of every client; and a plain index on the BSN for the exact BSN search. Measured by
scripts/bench_clients.py. SQLite (tests, demo) has no pg_trgm: nothing to do there."""

from django.db import migrations

COLUMNS = ("first_name", "last_name", "case_number", "candidate_number")
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS applications_client_search_trgm ON applications_client "
    "USING gin (" + ", ".join(f"UPPER({c}::text) gin_trgm_ops" for c in COLUMNS) + ")",
    "CREATE INDEX IF NOT EXISTS applications_client_bsn ON applications_client (bsn)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS applications_client_search_trgm",
    "DROP INDEX IF EXISTS applications_client_bsn",
]


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_UP:
            schema_editor.execute(statement)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("applications", "0008_application_withdrawn_from")]
    operations = [migrations.RunPython(up, down, elidable=False)]

"""Carry the API tokens of Django REST framework's `authtoken` app (which kept each key in
clear) over as hashes, so issued tokens keep working, then drop its table.

The authtoken app is no longer installed, so its table is read only if it exists (a new
installation never had it). Safe to re-run: a key already carried over is skipped. The admin's
log entries about those tokens named each key in clear and go too."""

import hashlib
from datetime import UTC, datetime

from django.db import migrations
from django.utils.dateparse import parse_datetime

OLD_TABLE = "authtoken_token"


def _aware(value: datetime | str) -> datetime:
    # SQLite hands raw SQL results back as text (in UTC); PostgreSQL as aware datetimes.
    moment = parse_datetime(value) if isinstance(value, str) else value
    assert moment is not None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def carry_over(apps, schema_editor):
    connection = schema_editor.connection
    ApiToken = apps.get_model("accounts", "ApiToken")
    if OLD_TABLE in connection.introspection.table_names():
        table = schema_editor.quote_name(OLD_TABLE)
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT "key", user_id, created FROM {table}')  # noqa: S608
            rows = cursor.fetchall()
        for key, user_id, created in rows:
            ApiToken.objects.get_or_create(
                key_hash=hashlib.sha256(key.encode()).hexdigest(),
                defaults={"user_id": user_id, "prefix": key[:8], "created_at": _aware(created)},
            )
        schema_editor.execute(f"DROP TABLE {table}")
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    stale = ContentType.objects.filter(app_label="authtoken")
    LogEntry.objects.filter(content_type__in=stale).delete()
    stale.delete()  # and with them the permissions on tokens


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_api_tokens_hashed"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]

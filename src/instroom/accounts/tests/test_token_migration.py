"""Tokens issued by Django REST framework's authtoken app (key in clear) keep working after
the upgrade, stored as hashes; the old table with the clear keys is gone."""

from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from instroom.accounts.models import ApiToken
from instroom.api.authentication import ExpiringTokenAuthentication

BEFORE = [("accounts", "0003_api_tokens_hashed")]
AFTER = [("accounts", "0004_carry_over_drf_tokens")]
KEY = "0123456789abcdef0123456789abcdef01234567"  # the shape of a DRF key


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def user_at(targets, username: str):
    """A user made with the model as it was at `targets` (later fields are not there yet)."""
    executor = MigrationExecutor(connection)
    model = executor.loader.project_state(targets).apps.get_model("accounts", "User")
    return model.objects.create(username=username, password="x")


@pytest.fixture(autouse=True)
def back_to_the_latest_schema():
    """These tests move the schema back; the tests after them need every migration again."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_issued_drf_tokens_keep_working_as_hashes() -> None:
    issued = (timezone.now() - timedelta(days=3)).astimezone(UTC).replace(microsecond=0)
    migrate(BEFORE)
    user = user_at(BEFORE, "integratie")
    with connection.cursor() as cursor:
        cursor.execute(
            'CREATE TABLE authtoken_token ("key" varchar(40) PRIMARY KEY, '
            "created timestamp NOT NULL, user_id integer NOT NULL)"
        )
        cursor.execute(
            'INSERT INTO authtoken_token ("key", created, user_id) VALUES (%s, %s, %s)',
            [KEY, issued.strftime("%Y-%m-%d %H:%M:%S"), user.pk],
        )
    migrate(AFTER)
    token = ApiToken.objects.get(user_id=user.pk)
    assert token.prefix == KEY[:8] and token.key_hash == ApiToken.hash_key(KEY)
    assert token.created_at == issued  # the expiry still counts from when it was made
    assert "authtoken_token" not in connection.introspection.table_names()
    migrate(latest())  # the user model of today has later columns
    assert ExpiringTokenAuthentication().authenticate_credentials(KEY)[0].pk == user.pk
    migrate(BEFORE)
    migrate(AFTER)  # safe to run again (nothing left to carry over)
    assert ApiToken.objects.filter(user_id=user.pk).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_new_installation_has_nothing_to_carry_over() -> None:
    migrate(BEFORE)
    migrate(AFTER)
    assert not ApiToken.objects.exists()

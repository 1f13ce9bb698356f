"""Settings that guard personal data: a yes/no variable with a typo is refused, production
sends HSTS and secure cookies, the demo (plain http on 127.0.0.1) does not."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from instroom.conf.base import env_bool


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("true", True),
        (" Yes ", True),
        ("ON", True),
        ("0", False),
        ("false", False),
        ("no", False),
        ("Off", False),
    ],
)
def test_env_bool_reads_the_accepted_words(monkeypatch, value, expected) -> None:
    monkeypatch.setenv("INSTROOM_TEST_FLAG", value)
    assert env_bool("INSTROOM_TEST_FLAG", default=not expected) is expected


def test_env_bool_unset_or_empty_is_the_default(monkeypatch) -> None:
    monkeypatch.delenv("INSTROOM_TEST_FLAG", raising=False)
    assert env_bool("INSTROOM_TEST_FLAG", default=True) is True
    monkeypatch.setenv("INSTROOM_TEST_FLAG", "")
    assert env_bool("INSTROOM_TEST_FLAG", default=True) is True


@pytest.mark.parametrize("value", ["ture", "yes please", "2", "nee", "enabled"])
def test_env_bool_refuses_a_value_it_does_not_know(monkeypatch, value) -> None:
    # "ture" must not quietly switch the second factor off.
    monkeypatch.setenv("INSTROOM_2FA_REQUIRED", value)
    with pytest.raises(ImproperlyConfigured) as refused:
        env_bool("INSTROOM_2FA_REQUIRED", default=True)
    message = str(refused.value)
    assert "INSTROOM_2FA_REQUIRED" in message
    assert "true" in message and "false" in message and "off" in message


def _settings_in_subprocess(module: str, names: list[str], **environ: str) -> dict[str, str]:
    """Import a settings module in a fresh interpreter (settings are read once, at import)."""
    code = (
        f"import importlib; m = importlib.import_module({module!r}); "
        f"print(repr({{n: getattr(m, n, None) for n in {names!r}}}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "INSTROOM_"))}
    env.update(environ)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    import ast

    return ast.literal_eval(done.stdout.strip().splitlines()[-1])


HSTS = [
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
]


def test_production_sends_hsts_and_secure_cookies() -> None:
    production = _settings_in_subprocess(
        "instroom.conf.production", HSTS, DJANGO_SECRET_KEY="x" * 50
    )
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True


def test_production_refuses_a_typo_in_a_safeguard() -> None:
    code = "import instroom.conf.production"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "INSTROOM_"))}
    env.update(DJANGO_SECRET_KEY="x" * 50, INSTROOM_2FA_REQUIRED="ture")
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and "INSTROOM_2FA_REQUIRED" in done.stderr


def test_the_demo_sends_no_hsts(client) -> None:
    # The demo runs on plain http://127.0.0.1: HSTS there would lock browsers out of it.
    assert not settings.SECURE_HSTS_SECONDS
    assert not settings.SECURE_SSL_REDIRECT
    response = client.get("/accounts/login/")
    assert "Strict-Transport-Security" not in response


def test_sqlite_is_set_up_for_several_writers() -> None:
    demo = _settings_in_subprocess("instroom.conf.dev", ["DATABASES"], DATABASE_URL="")
    options = demo["DATABASES"]["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10
    assert "journal_mode=WAL" in options["init_command"]
    postgres = _settings_in_subprocess(
        "instroom.conf.dev", ["DATABASES"], DATABASE_URL="postgres://u@127.0.0.1:5432/x"
    )
    assert "transaction_mode" not in postgres["DATABASES"]["default"].get("OPTIONS", {})

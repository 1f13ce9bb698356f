"""The test suite: SQLite in memory unless DATABASE_URL points at PostgreSQL (as in CI)."""

from .dev import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
LANGUAGE_CODE = "nl"
# Lock-out and the second factor have their own tests, which switch them on.
AXES_ENABLED = False
INSTROOM_2FA_REQUIRED = False
# Background jobs run at once, inside the test.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

"""Local use and the demo: SQLite by default, a secret generated once into the data dir."""

import secrets

from .base import *  # noqa: F403
from .base import DATA_DIR, SECRET_KEY, env, env_bool

DATA_DIR.mkdir(parents=True, exist_ok=True)
if not SECRET_KEY:
    # Never in the repository: made once per checkout and kept beside the database.
    _secret_file = DATA_DIR / "secret_key"
    if not _secret_file.exists():
        _secret_file.write_text(secrets.token_urlsafe(50))
        _secret_file.chmod(0o600)
    SECRET_KEY = _secret_file.read_text().strip()

# Static files straight from the finders, so the demo needs no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The demo prints e-mail to the console unless a backend is chosen explicitly.
if not env("DJANGO_EMAIL_BACKEND"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
INSTROOM_DEMO_BANNER = env_bool("INSTROOM_DEMO_BANNER", True)
# The demo skips the second factor so people can look around at once; try it with
# INSTROOM_2FA_REQUIRED=1. Production always requires it (base.py default).
INSTROOM_2FA_REQUIRED = env_bool("INSTROOM_2FA_REQUIRED", False)

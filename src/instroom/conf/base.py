"""Every setting, read from the environment with a safe default.

Environment variables (all optional unless noted):
    DATABASE_URL          e.g. postgres://user@127.0.0.1:5432/instroom; unset: SQLite file
    INSTROOM_DATA_DIR     SQLite file, uploads and the generated secret (<checkout>/var)
    DJANGO_SECRET_KEY     required in production
    DJANGO_DEBUG          "1"/"true" to turn debugging on (off by default)
    DJANGO_ALLOWED_HOSTS  comma-separated host names (127.0.0.1,localhost)
    INSTROOM_SQLITE_TIMEOUT seconds a write waits for another on SQLite (20); then 503
    INSTROOM_NODE_MODULES where `npm ci` put the front-end packages (<checkout>/node_modules)
    EMAIL_URL-like settings follow in the issues that send e-mail.
"""

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/instroom


def env(name: str, default: str = "") -> str:
    import os

    return os.environ.get(name, default)


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no setting. A value it does not know is refused rather than read as "no": a typo
    such as "ture" must not quietly switch a safeguard (the second factor) off."""
    value = env(name).strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"{name}={env(name)!r} is not a yes/no value: use one of "
        f"{'/'.join(TRUE_WORDS)} or {'/'.join(FALSE_WORDS)}."
    )


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# A checkout (editable install) keeps var/ and node_modules/ at its root, wherever a command is
# run from; an installed package uses the working directory.
_CHECKOUT = PACKAGE_DIR.parent.parent
_HOME = _CHECKOUT if (_CHECKOUT / "pyproject.toml").exists() else Path.cwd()
DATA_DIR = Path(env("INSTROOM_DATA_DIR", str(_HOME / "var"))).resolve()
NODE_MODULES = Path(env("INSTROOM_NODE_MODULES", str(_HOME / "node_modules"))).resolve()

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Ground floor: knows no case.
    "instroom.regions",
    "instroom.accounts",
    "instroom.audit",
    "instroom.policy",
    # The journey, in order.
    "instroom.applications",
    "instroom.assessment",
    "instroom.distribution",
    "django_tasks_db",
    "instroom.homes",
    "instroom.matching",
    "instroom.support",
    # On top.
    "instroom.takeover",
    "instroom.reporting",
    "instroom.configuration",
    "instroom.forecast",
    "instroom.api",
    "instroom.privacy",
    "instroom.demo",
    # Django and third parties.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "drf_spectacular",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A database too busy to take a write: 503 "try again in a few seconds", not a 500.
    "instroom.middleware.DatabaseBusyMiddleware",
    # Last, so that it sees the authenticated user and the resolved URL.
    "instroom.policy.middleware.PolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "instroom.conf.urls"
# Forms render with the project's templates (NL Design System markup), not Django's defaults.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "instroom.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "instroom.policy.context_processors.policy",
                "instroom.context_processors.environment",
                "instroom.context_processors.navigation",
            ],
            # `|bdi`: user-entered text shown inline, isolated (no `{% load %}` needed).
            "builtins": ["instroom.text_direction"],
        },
    },
]

DATABASES = {
    # An empty DATABASE_URL counts as unset: the embedded SQLite file.
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'instroom.sqlite3'}",
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
# Several people (and the demo's worker) write to SQLite at once: readers never wait for the
# writer (WAL), a writer waits up to INSTROOM_SQLITE_TIMEOUT seconds for another instead of failing
# at once (then 503, instroom/middleware.py), and a transaction takes the write lock when it
# begins (IMMEDIATE), so two that read and then write cannot deadlock into "database is locked".
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "timeout": float(env("INSTROOM_SQLITE_TIMEOUT", "20")),
    "transaction_mode": "IMMEDIATE",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user/IP before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock-out after repeated failed logins (django-axes): per user name and address.
AXES_FAILURE_LIMIT = int(env("INSTROOM_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("INSTROOM_LOCKOUT_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# A failed attempt keeps the form it came with (shown in /admin/); never a code or password in
# it (the re-authentication form carries the authenticator or recovery code as `token`).
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "token", "csrfmiddlewaretoken"]
# Behind a reverse proxy that sets X-Real-IP (docs/production.md): count per real address.
INSTROOM_TRUSTED_PROXY = env_bool("INSTROOM_TRUSTED_PROXY", False)
AXES_CLIENT_IP_CALLABLE = "instroom.accounts.client_ip.client_ip"
# Two factors (TOTP + recovery codes) for every role that sees personal data.
INSTROOM_2FA_REQUIRED = env_bool("INSTROOM_2FA_REQUIRED", True)
OTP_TOTP_ISSUER = env("INSTROOM_OTP_ISSUER", "Instroom")
# Sensitive actions ask for the password again after this many seconds.
INSTROOM_REAUTH_SECONDS = int(env("INSTROOM_REAUTH_SECONDS", "300"))
# Optional single sign-on per organisation (OpenID Connect), off by default. See
# instroom/accounts/oidc.py and docs/production.md.
INSTROOM_OIDC_ENABLED = env_bool("INSTROOM_OIDC_ENABLED", False)
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT") or None
OIDC_RP_SCOPES = "openid email"
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
LOGIN_REDIRECT_URL_FAILURE = "accounts:login"
if INSTROOM_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("instroom.accounts.oidc.OrganisationOIDCBackend")

# Background work (batch matching) through Django's tasks framework. The database-backed queue
# needs no extra server: `instroom db_worker` runs the jobs (the demo starts one). Production
# may use a Redis-backed backend instead (docs/production.md).
TASKS = {"default": {"BACKEND": env("INSTROOM_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after inactivity (seconds); every request renews the clock.
SESSION_COOKIE_AGE = int(env("INSTROOM_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    # NL Design System and htmx come from npm (package-lock.json), never from the repository.
    ("vendor/utrecht", NODE_MODULES / "@utrecht" / "component-library-css" / "dist"),
    (
        "vendor/tokens",
        NODE_MODULES / "@nl-design-system-unstable" / "voorbeeld-design-tokens" / "dist",
    ),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

# Content-Security-Policy: no inline scripts or styles anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True

# An API token stops working this many days after it was made (a new one replaces it).
INSTROOM_API_TOKEN_DAYS = int(env("INSTROOM_API_TOKEN_DAYS", "90"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "instroom.api.authentication.ExpiringTokenAuthentication",
    ],
    "EXCEPTION_HANDLER": "instroom.api.exceptions.exception_handler",
    "DEFAULT_PERMISSION_CLASSES": ["instroom.policy.drf.PolicyPermission"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Instroom API",
    "DESCRIPTION": "REST API of Instroom, the platform for a regional uitstroomregeling.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["instroom.policy.drf.PolicyPermission"],
    # Several models have a `state`: name each choice set after its state table.
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "instroom.applications.constants.CaseState",
        "HomeStateEnum": "instroom.homes.constants.HomeState",
        "MatchStateEnum": "instroom.matching.constants.MatchState",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "instroom.api.schema.minimised_fields_are_optional",
    ],
}

# Real e-mail through SMTP by default; DJANGO_EMAIL_BACKEND picks another Django backend.
_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_email_backend = env("DJANGO_EMAIL_BACKEND", _SMTP)
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        "OPTIONS": {
            "host": env("DJANGO_EMAIL_HOST", "localhost"),
            "port": int(env("DJANGO_EMAIL_PORT", "25")),
            "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", False),
        }
        if _email_backend == _SMTP
        else {},
    }
}
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "instroom@localhost")
# The address of the site, for links in e-mail.
INSTROOM_BASE_URL = env("INSTROOM_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
}

# A banner on every page that says the data are fictional (on in the demo settings).
INSTROOM_DEMO_BANNER = env_bool("INSTROOM_DEMO_BANNER", False)

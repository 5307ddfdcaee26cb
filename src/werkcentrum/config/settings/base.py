"""Settings shared by every environment. Environment variables override the defaults.

Production values come from the environment (see ``production.py`` and docs/deployment.md);
the defaults give an embedded SQLite database so that ``make run`` needs nothing but Python.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # src/werkcentrum
_REPO_ROOT = PACKAGE_DIR.parents[1]


def _default_data_dir() -> Path:
    if (_REPO_ROOT / "pyproject.toml").exists():  # a checkout (editable install)
        return _REPO_ROOT / "var"
    return Path.home() / ".local" / "share" / "werkcentrum"


DATA_DIR = Path(os.environ.get("WERKCENTRUM_DATA_DIR", _default_data_dir()))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get(
    "SECRET_KEY", "dev-insecure-werkcentrum-key-change-me-in-production-0123456789"
)
# Key for encrypting sensitive fields (BSN) at rest; falls back to a key derived from SECRET_KEY.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")
DEBUG = env_bool("DEBUG", False)
# Staff (all roles but residents and employers) must log in with a second factor. On in
# production; off by default elsewhere so that the demo logins work without an authenticator app.
WERKCENTRUM_REQUIRE_STAFF_2FA = env_bool("WERKCENTRUM_REQUIRE_STAFF_2FA", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "mozilla_django_oidc",
    "werkcentrum.core",
    "werkcentrum.outbox",
    "werkcentrum.accounts",
    "werkcentrum.privacy",
    "werkcentrum.regions",
    "werkcentrum.frontdoor",
    "werkcentrum.employers",
    "werkcentrum.vacancies",
    "werkcentrum.candidates",
    "werkcentrum.portal",
    "werkcentrum.trajectories",
    "werkcentrum.appointments",
    "werkcentrum.training",
    "werkcentrum.orientation",
    "werkcentrum.residents",
    "werkcentrum.menu",
    "werkcentrum.vouchers",
    "werkcentrum.events",
    "werkcentrum.labourmarket",
    "werkcentrum.budget",
    "werkcentrum.monitoring",
    "werkcentrum.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Database unreachable: one retry for GET/HEAD, else a 503 page (config/dbfaults.py).
    "werkcentrum.config.dbfaults.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "werkcentrum.config.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "werkcentrum.accounts.middleware.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "werkcentrum.api.middleware.ApiVersionMiddleware",
    "werkcentrum.config.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "werkcentrum.config.urls"
WSGI_APPLICATION = "werkcentrum.config.wsgi.application"

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
                "werkcentrum.config.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'werkcentrum.sqlite3'}", conn_max_age=60
    )
}
# A persistent connection is checked before a request reuses it (a restarted server or a
# fail-over then costs no error page).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a concurrent writer instead of failing at once; WAL is set on connect.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Scale-out (docs/deployment.md): reports and dashboards read from a replica when one is set.
if os.environ.get("REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["REPLICA_DATABASE_URL"], conn_max_age=60
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["werkcentrum.config.routers.ReplicaRouter"]

# Several stateless app servers share the cache and the sessions through Redis (REDIS_URL).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "werkcentrum",
            "TIMEOUT": 300,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # Redis first, DB behind it

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Residents through DigiD (OIDC broker); does nothing unless WERKCENTRUM_DIGID_ENABLED.
    "werkcentrum.residents.oidc.ResidentOIDCBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): five failures lock the username+IP pair for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Werkcentrum <noreply@werkcentrum.example>"
)

# Task queue (Celery; werkcentrum/config/celery.py). E-mails go through it (werkcentrum.outbox).
# Without CELERY_BROKER_URL in the environment, tasks run in-process right away ("eager"), so
# `make run` and the tests need no broker. Production points it at RabbitMQ or Redis.
# "memory://localhost/": the in-process transport; the host only spares a warning from kombu.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://localhost/")
CELERY_TASK_ALWAYS_EAGER = env_bool(
    "CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_URL" not in os.environ
)
CELERY_TASK_ACKS_LATE = True  # a task is acknowledged after it ran: a crashed worker loses nothing
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # ... and its task goes back to the queue
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "60"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "90"))
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # nobody waits for a result: the outbox row is the result
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Keep Django's LOGGING in the worker: its handlers redact BSNs and secrets (Celery would
# otherwise replace the root logger's handlers with its own).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE


def _crontab(**fields):
    from celery.schedules import crontab

    return crontab(**fields)


CELERY_BEAT_SCHEDULE = {
    "appointment-reminders": {
        "task": "werkcentrum.appointments.tasks.send_appointment_reminders",
        "schedule": 15 * 60,  # seconds
    },
    "event-reminders": {
        "task": "werkcentrum.events.tasks.send_event_reminders",
        "schedule": 60 * 60,  # seconds; idempotent, reminds the day before
    },
    "retention": {  # nightly: delete or anonymise expired data (docs/privacy.md#retention)
        "task": "werkcentrum.privacy.tasks.run_retention",
        # A crontab made only when beat reads it: importing celery.schedules here would cost
        # every CLI call half a second.
        "schedule": SimpleLazyObject(lambda: _crontab(hour=3, minute=30)),
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-free meta tag instead
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated request then gets 401 with WWW-Authenticate.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "werkcentrum.api.pagination.Pagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "werkcentrum.api.errors.problem_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute"},
}
API_VERSION = "1.0.0"
SPECTACULAR_SETTINGS = {
    "TITLE": "Werkcentrum API",
    "DESCRIPTION": (
        "REST API of the Werkcentrum: contacts (klantcontacten), warm handovers, partners, "
        "walk-in points and triage. Errors are application/problem+json (RFC 9457) and list "
        "every invalid field. Follows the Logius API Design Rules where they apply. "
        "This service uses the ESCO classification of the European Commission."
    ),
    "VERSION": API_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # ReDoc served from our own static files: no CDN, works offline and under our CSP.
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "werkcentrum.privacy.logging.RedactSensitiveFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Werkcentrum settings
# The public address, for links in e-mails (surveys); production sets it to the real host.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WERKCENTRUM_DEFAULT_REGION = os.environ.get("WERKCENTRUM_DEFAULT_REGION", "twente")

# DigiD for residents through an OIDC broker (mozilla-django-oidc); see docs/digid-oidc.md.
# Empty by default: the app and `manage.py check` work without it, /oidc/ answers 404.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")  # checked against `iss` when set
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid")
OIDC_TOKEN_USE_BASIC_AUTH = env_bool("OIDC_TOKEN_USE_BASIC_AUTH", False)
OIDC_BSN_CLAIM = os.environ.get("OIDC_BSN_CLAIM", "bsn")  # e.g. "sub" for some brokers
OIDC_RESIDENT_REGION = os.environ.get("OIDC_RESIDENT_REGION", "")  # "": the default region
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ACCESS_TOKEN = False
OIDC_STORE_ID_TOKEN = False  # the ID token holds the BSN: never in the session
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATE_CLASS = "werkcentrum.residents.oidc.ResidentOIDCAuthenticationRequestView"
OIDC_CALLBACK_CLASS = "werkcentrum.residents.oidc.ResidentOIDCCallbackView"
OIDC_RESIDENT_LOGIN_REDIRECT_URL = "/mijn/"  # residents:home; staff keep LOGIN_REDIRECT_URL
OIDC_RESIDENT_LOGIN_FAILURE_URL = "residents:login"  # with the error message
# Templates show the "Log in with DigiD" button when this is True.
WERKCENTRUM_DIGID_ENABLED = all(
    (
        OIDC_RP_CLIENT_ID,
        OIDC_OP_AUTHORIZATION_ENDPOINT,
        OIDC_OP_TOKEN_ENDPOINT,
        OIDC_OP_USER_ENDPOINT,
        OIDC_OP_JWKS_ENDPOINT,
    )
)

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # also creates DATA_DIR
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )

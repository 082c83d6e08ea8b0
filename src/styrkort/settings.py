"""Django settings for Styrkort, read from environment variables (see .env.example)."""

import ipaddress
from datetime import timedelta
from pathlib import Path

import dj_database_url
from environs import Env
from whitenoise.compress import Compressor as _WhiteNoiseCompressor

from styrkort.mail import email_settings

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent

env = Env()
env.read_env(str(PROJECT_DIR / ".env"), recurse=False)

VAR_DIR = Path(env.str("STYRKORT_VAR_DIR", str(PROJECT_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The configured key, or one generated once per installation and kept in VAR_DIR."""
    configured = env.str("STYRKORT_SECRET_KEY", "")
    if configured:
        return configured
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        import os

        from django.core.management.utils import get_random_secret_key

        # Created once, atomically: the web server and the worker started together on a
        # fresh directory must end up with the same key (the worker's tasks are signed).
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as out:
                out.write(get_random_secret_key())
    for _attempt in range(50):
        key = key_file.read_text().strip()
        if key:
            return key
        import time

        time.sleep(0.05)  # the other process is writing it
    raise RuntimeError(f"{key_file} is empty")


SECRET_KEY = _secret_key()
DEBUG = env.bool("STYRKORT_DEBUG", False)
PRODUCTION = env.bool("STYRKORT_PRODUCTION", False)
#: `serve --production` refuses to start while the demo accounts keep their published
#: password, unless this says the installation is a demo server (the benchmarks' is)
STYRKORT_ALLOW_DEMO_ACCOUNTS = env.bool("STYRKORT_ALLOW_DEMO_ACCOUNTS", False)
# Identity providers at http:// or at loopback/private/link-local addresses (the tests'
# local providers, local trials); off: https and public addresses only (docs/identity.md).
STYRKORT_IDENTITY_ALLOW_LOCAL_HTTP = env.bool("STYRKORT_IDENTITY_ALLOW_LOCAL_HTTP", False)
ALLOWED_HOSTS = env.list(
    "STYRKORT_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("STYRKORT_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served by Styrkort itself (no CDN)
    "csp",
    "django_filters",
    "django_htmx",
    "simple_history",
    "treebeard",
    "axes",
    "django_q",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "styrkort.accounts",
    "styrkort.identity",
    "styrkort.jobs",
    "styrkort.organisation",
    "styrkort.planning",
    "styrkort.followup",
    "styrkort.risk",
    "styrkort.economy",
    "styrkort.rounds",
    "styrkort.comparisons",
    "styrkort.reports",
    "styrkort.io",
    "styrkort.api",
    "styrkort.web",
    "styrkort.demo",
    "styrkort.bench",
    "styrkort.search",
    "styrkort.backup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy headers (see the security section).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # A body above the limit is refused from its Content-Length, before it is read
    # (413: JSON under /api/, a Swedish page elsewhere).
    "styrkort.errors.RequestSizeMiddleware",
    # Domain tables are written only by services (styrkort.writes); on in the tests.
    "styrkort.writes.WriteGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Swedish unless the user picked English (cookie); Accept-Language is not used.
    "styrkort.web.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The second factor (TOTP or a recovery code) of local accounts that need one.
    "django_otp.middleware.OTPMiddleware",
    "styrkort.accounts.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A session ends after STYRKORT_SESSION_IDLE_MINUTES without a request, and at the
    # latest SESSION_COOKIE_AGE after sign-in (styrkort.security).
    "styrkort.security.SessionLimitsMiddleware",
    # A form's redirect to another site (single logout) as a page that goes there itself:
    # form-action 'self' would block the redirect (styrkort.security).
    "styrkort.security.LeaveSiteMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "styrkort.urls"
WSGI_APPLICATION = "styrkort.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env.str("STYRKORT_DATABASE_URL", f"sqlite:///{VAR_DIR / 'styrkort.sqlite3'}"),
        conn_max_age=env.int("STYRKORT_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "STYRKORT_DB_PREPARED_STATEMENTS", True
):
    # Parameters bound on the server, and a statement run twice on a connection is
    # prepared: PostgreSQL plans the same page queries once per connection instead of at
    # every request (a cached scorecard costs the server a quarter of the CPU). Switch off
    # behind a connection pooler that cannot keep prepared statements (PgBouncer older
    # than 1.21 in transaction mode).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 2}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time: a write waits up to 10 s for another's transaction (imports
    # write in one short one, docs/import.md), then the request gets 503 "try again"
    # (styrkort.errors), never a 500.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 10,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
        ),
    }
#: where `styrkort backup` and `restore` find pg_dump and pg_restore on PostgreSQL (same
#: version as the server or newer); empty: the newest of /usr/lib/postgresql/*/bin, or PATH
STYRKORT_PG_BIN = env.str("STYRKORT_PG_BIN", "")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # no password for the people of an organisation whose provider forbids it
    "styrkort.identity.backends.PasswordPolicyBackend",
    "styrkort.accounts.backends.UserBackend",
    # the sessions of accounts signed in through an identity provider (styrkort.identity)
    "styrkort.identity.oidc.OIDCBackend",
    "styrkort.identity.saml.SAMLBackend",
]
# Styrkort's key and certificate (PEM) as a SAML service provider, signing its requests;
# unset: a pair created once in STYRKORT_VAR_DIR/identity/ (docs/identity.md). Several
# servers behind one address must share one pair.
STYRKORT_SAML_KEY_FILE = env.str("STYRKORT_SAML_KEY_FILE", "")
STYRKORT_SAML_CERT_FILE = env.str("STYRKORT_SAML_CERT_FILE", "")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
#: the name an authenticator app shows for Styrkort's codes (accounts.second_factor)
OTP_TOTP_ISSUER = env.str("STYRKORT_OTP_ISSUER", "Styrkort")
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes, styrkort.accounts.throttling), for the login page and
# /api/token/ alike: a user name from one address is locked after
# STYRKORT_LOGIN_FAILURE_LIMIT failures, an address after STYRKORT_LOGIN_ADDRESS_FAILURE_LIMIT
# failures whatever the names, both for STYRKORT_LOGIN_COOLOFF_HOURS. The client address
# is REMOTE_ADDR, or X-Forwarded-For's nearest untrusted hop when REMOTE_ADDR is one of
# STYRKORT_TRUSTED_PROXIES (comma-separated addresses or CIDR blocks; empty: no proxy).
AXES_FAILURE_LIMIT = env.int("STYRKORT_LOGIN_FAILURE_LIMIT", 5)
STYRKORT_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("STYRKORT_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = env.float("STYRKORT_LOGIN_COOLOFF_HOURS", 0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("STYRKORT_LOGIN_THROTTLING", True)
AXES_HANDLER = "styrkort.accounts.throttling.LoginThrottle"
AXES_CLIENT_IP_CALLABLE = "styrkort.accounts.throttling.client_address"
AXES_USERNAME_CALLABLE = "styrkort.accounts.throttling.username_of"  # no personnummer kept
AXES_LOCKOUT_CALLABLE = "styrkort.web.views.auth.locked_out"  # Swedish, HTTP 429 (JSON in /api/)
STYRKORT_TRUSTED_PROXIES = env.list("STYRKORT_TRUSTED_PROXIES", [])
for _proxy in STYRKORT_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ValueError(
            f"STYRKORT_TRUSTED_PROXIES: {_proxy!r} is no address or CIDR block"
        ) from None
#: the accessibility feedback form: posts per address and hour (0: no limit)
STYRKORT_FEEDBACK_PER_HOUR = env.int("STYRKORT_FEEDBACK_PER_HOUR", 5)
#: single sign-on: sign-ins started per address and hour (0: no limit; docs/identity.md)
STYRKORT_SIGN_IN_STARTS_PER_HOUR = env.int("STYRKORT_SIGN_IN_STARTS_PER_HOUR", 300)

# API tokens (django-rest-knox): only a hash is stored; each expires after
# STYRKORT_API_TOKEN_DAYS and ends when its owner's password changes or the account is
# deactivated (styrkort.accounts.signals). Sent as `Authorization: Token <token>`.
STYRKORT_API_TOKEN_DAYS = env.float("STYRKORT_API_TOKEN_DAYS", 30)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=STYRKORT_API_TOKEN_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Source maps (Swagger UI's, 6 MB) are served but not compressed: compressing them would
# triple the time of the first `serve --production`'s collectstatic.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*_WhiteNoiseCompressor.SKIP_COMPRESS_EXTENSIONS, "map"]
MEDIA_ROOT = VAR_DIR / "media"

# Uploads: imports stream large files to disk. An upload above STYRKORT_IMPORT_MAX_BYTES
# and any other body above DATA_UPLOAD_MAX_MEMORY_SIZE (an API call of 50 000 rows fits)
# is refused from its Content-Length before it is read (styrkort.errors).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("STYRKORT_REQUEST_MAX_BYTES", 20 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
STYRKORT_IMPORT_MAX_BYTES = env.int("STYRKORT_IMPORT_MAX_BYTES", 200 * 1024 * 1024)
# A hostile file is refused before it costs much (styrkort.io.readers.Limits): rows and
# columns of any file; an XLSX package's unpacked size and compression ratio per part.
STYRKORT_IMPORT_MAX_ROWS = env.int("STYRKORT_IMPORT_MAX_ROWS", 2_000_000)
STYRKORT_IMPORT_MAX_COLUMNS = env.int("STYRKORT_IMPORT_MAX_COLUMNS", 1_000)
STYRKORT_IMPORT_MAX_UNPACKED_BYTES = env.int(
    "STYRKORT_IMPORT_MAX_UNPACKED_BYTES", 500 * 1024 * 1024
)
STYRKORT_IMPORT_MAX_RATIO = env.int("STYRKORT_IMPORT_MAX_RATIO", 100)
# Refuse writes to domain tables outside a service function during requests and imports
# (styrkort.writes). The test suite turns it on; a bypass then fails its tests.
STYRKORT_WRITE_GUARD = env.bool("STYRKORT_WRITE_GUARD", False)
# Background jobs (reports, imports, periodic tasks) are queued in the database and run by
# `styrkort worker` (django-q2 with its ORM broker: no other service needed). Inline runs
# them inside the request (tests, or an installation without a worker).
STYRKORT_JOBS_INLINE = env.bool("STYRKORT_JOBS_INLINE", False)
#: seconds a job may run before its worker process is stopped
STYRKORT_JOB_TIMEOUT = env.int("STYRKORT_JOB_TIMEOUT", 1800)
#: a job whose worker died is delivered again this many seconds after it was taken
STYRKORT_JOB_RETRY = env.int("STYRKORT_JOB_RETRY", STYRKORT_JOB_TIMEOUT + 60)
#: how many times a job is started before it is marked failed (its worker died each time)
STYRKORT_JOB_ATTEMPTS = env.int("STYRKORT_JOB_ATTEMPTS", 2)
#: jobs one person may have queued or running at once (0: no limit)
STYRKORT_JOBS_PER_PERSON = env.int("STYRKORT_JOBS_PER_PERSON", 3)
#: finished jobs, their documents and uploaded files are deleted after this many days
STYRKORT_JOBS_KEEP_DAYS = env.int("STYRKORT_JOBS_KEEP_DAYS", 7)
Q_CLUSTER = {
    "name": "styrkort",
    "orm": "default",
    # SQLite has one writer at a time (an import holds it for its transaction): one process.
    "workers": env.int(
        "STYRKORT_WORKER_PROCESSES", 1 if DATABASES["default"]["ENGINE"].endswith("sqlite3") else 2
    ),
    "timeout": STYRKORT_JOB_TIMEOUT,
    "retry": max(STYRKORT_JOB_RETRY, STYRKORT_JOB_TIMEOUT + 1),
    "max_attempts": STYRKORT_JOB_ATTEMPTS,
    "ack_failures": True,
    "catch_up": False,
    "save_limit": 1000,
    "poll": env.float("STYRKORT_WORKER_POLL_SECONDS", 0.5),
    "label": "Bakgrundsjobb",
}
#: the periodic tasks, the one place they are configured: name -> dotted function and
#: interval in minutes, or a local time of day ("daily_at": "07:00") for a daily task
#: (`styrkort worker` writes them into the queue's schedules)
STYRKORT_SCHEDULES = {
    "Återhämta avbrutna jobb": {"func": "styrkort.jobs.tasks.recover", "minutes": 5},
    "Rensa gamla jobb": {"func": "styrkort.jobs.tasks.prune", "minutes": 60},
    "Skicka påminnelser": {
        "func": "styrkort.rounds.tasks.send_reminders",
        "daily_at": env.str("STYRKORT_REMINDER_TIME", "07:00"),
    },
    "Hämta jämförelsevärden från Kolada": {
        "func": "styrkort.comparisons.tasks.fetch_kolada",
        "daily_at": env.str("STYRKORT_KOLADA_TIME", "05:30"),
    },
}

# Comparison values from Kolada (docs/comparisons.md): the v3 API, free and without a key.
STYRKORT_KOLADA_URL = env.str("STYRKORT_KOLADA_URL", "https://api.kolada.se/v3").rstrip("/")
#: seconds to wait for one answer; how many years back a fetch asks for
STYRKORT_KOLADA_TIMEOUT = env.float("STYRKORT_KOLADA_TIMEOUT", 20.0)
STYRKORT_KOLADA_YEARS = env.int("STYRKORT_KOLADA_YEARS", 10)

# E-mail (the reminders of the reporting rounds): one URL, `styrkort.mail` reads it
# (smtp://user:pass@host:port, smtp+tls://..., smtp+ssl://..., console://, file:///DIR).
# Without it messages are written to the log; production warns at start (rounds app).
STYRKORT_EMAIL_URL = env.str("STYRKORT_EMAIL_URL", "")
_email = email_settings(STYRKORT_EMAIL_URL, var_dir=VAR_DIR)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST, EMAIL_PORT = _email["EMAIL_HOST"], _email["EMAIL_PORT"]
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_USER"], _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS, EMAIL_USE_SSL = _email["EMAIL_USE_TLS"], _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"]
if _email.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"]
DEFAULT_FROM_EMAIL = env.str("STYRKORT_EMAIL_FROM", "Styrkort <styrkort@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
#: the address people open Styrkort at, for the links in e-mails
STYRKORT_BASE_URL = env.str("STYRKORT_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
#: reminders go this many days before a unit's deadline (a list: 10,5), on the day and
#: every day after it while the unit is not ready
STYRKORT_REMINDER_DAYS = env.list("STYRKORT_REMINDER_DAYS", [5], subcast=int)

# One machine (the default): sessions live in the database and are read through a cache
# that every worker process shares (files under the var directory): a signed-in page reads
# no session row, and a logout or a changed password ends the session in every worker at
# once. Pages rendered once and kept (the scorecard) use the default cache, one per process.
# Several servers (STYRKORT_CACHE_URL, redis://host:6379/0 for Redis or Valkey): both
# caches live there, and the sessions only there (no session row is read or written; a
# sign-out on one server ends the session on all of them), unless
# STYRKORT_SESSIONS_IN_DATABASE keeps them in the database too (read through Redis).
# Login throttling counts in the database (django-axes' database handler), shared anyway.
# docs/deployment.md.
STYRKORT_CACHE_URL = env.str("STYRKORT_CACHE_URL", "")
if STYRKORT_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": STYRKORT_CACHE_URL,
            "KEY_PREFIX": "styrkort",
        },
        "sessions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": STYRKORT_CACHE_URL,
            "KEY_PREFIX": "styrkort-session",
            "TIMEOUT": None,  # each session's own expiry is its timeout
        },
        # The default cache is already the one every worker and server shares: no second
        # copy of each rendered page (web/views/scorecard.py).
        "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    SESSION_ENGINE = (
        "django.contrib.sessions.backends.cached_db"
        if env.bool("STYRKORT_SESSIONS_IN_DATABASE", False)
        else "django.contrib.sessions.backends.cache"
    )
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "sessions": {
            "BACKEND": "styrkort.filecache.FileCache",
            "LOCATION": env.str("STYRKORT_SESSION_CACHE_DIR", str(VAR_DIR / "sessions")),
            "TIMEOUT": None,  # each session's own expiry is its timeout
            "OPTIONS": {"MAX_ENTRIES": env.int("STYRKORT_SESSION_CACHE_ENTRIES", 50_000)},
        },
        # Rendered pages every worker process of the server shares (web/views/scorecard.py):
        # a page one worker rendered is not rendered again by the others. Both file caches
        # cull without listing their directory on every write (styrkort.filecache).
        "pages": {
            "BACKEND": "styrkort.filecache.FileCache",
            "LOCATION": env.str("STYRKORT_PAGE_CACHE_DIR", str(VAR_DIR / "pages")),
            "OPTIONS": {"MAX_ENTRIES": env.int("STYRKORT_PAGE_CACHE_ENTRIES", 2_000)},
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = env.bool("STYRKORT_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env.bool("STYRKORT_SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env.bool("STYRKORT_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env.int("STYRKORT_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("STYRKORT_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts, styles, fonts and connections only from
# Styrkort itself; no inline script and no inline style (a page's scripts and styles are
# static files; htmx's indicator style is switched off in base.html). Images may also be
# data: URIs (Swagger UI's icons, the charts). STYRKORT_CSP_FORM_ACTION adds addresses a
# form may post to (an identity provider's, say). Docs: operations.md, "Security headers
# and sessions".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", *env.list("STYRKORT_CSP_FORM_ACTION", [])],
        "frame-ancestors": ["'none'"],
    }
}
# Permissions-Policy (django-permissions-policy): no page may use the camera, the
# microphone, the position or the other powerful features; none needs them.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
# Sessions (styrkort.security.SessionLimitsMiddleware): a session ends after
# STYRKORT_SESSION_IDLE_MINUTES without a request (default 8 hours) and at the latest
# STYRKORT_SESSION_MAX_HOURS after sign-in (default 12), whatever is done meanwhile.
STYRKORT_SESSION_IDLE_MINUTES = env.int("STYRKORT_SESSION_IDLE_MINUTES", 480)
SESSION_COOKIE_AGE = env.int("STYRKORT_SESSION_MAX_HOURS", 12) * 3600
if STYRKORT_SESSION_IDLE_MINUTES < 1 or SESSION_COOKIE_AGE < 3600:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "STYRKORT_SESSION_IDLE_MINUTES måste vara minst 1 och STYRKORT_SESSION_MAX_HOURS minst 1."
    )

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "styrkort.api.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Styrkort API",
    "DESCRIPTION": "Mål, indikatorer, utfall, aktiviteter, risker och ekonomi.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The documentation page (Swagger UI) and its init script come from Styrkort's own
    # static files (drf-spectacular-sidecar): no CDN, no inline script. No validator badge
    # (it would load an image from swagger.io).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True},
    "COMPONENT_SPLIT_REQUEST": True,
}

# Metrics (styrkort.metrics): Prometheus' text format at /metrics, to a scraper that sends
# `Authorization: Bearer STYRKORT_METRICS_TOKEN` and/or comes from one of
# STYRKORT_METRICS_ADDRESSES (addresses or CIDR blocks, comma-separated); with neither set
# there is no endpoint (404). Each server is scraped directly, over the internal network,
# as load balancers check /halsa/ and /halsa/redo/: those are not redirected to HTTPS.
# docs/deployment.md, "Metrics".
STYRKORT_METRICS_TOKEN = env.str("STYRKORT_METRICS_TOKEN", "")
STYRKORT_METRICS_ADDRESSES = env.list("STYRKORT_METRICS_ADDRESSES", [])


def _check_metrics_addresses(items: list[str]) -> None:
    from ipaddress import ip_network

    for item in items:
        try:
            ip_network(item, strict=False)
        except ValueError:
            raise ValueError(
                f"STYRKORT_METRICS_ADDRESSES: {item!r} is no address or CIDR block"
            ) from None


_check_metrics_addresses(STYRKORT_METRICS_ADDRESSES)
MIDDLEWARE = ["styrkort.metrics.RequestMetricsMiddleware", *MIDDLEWARE]
SECURE_REDIRECT_EXEMPT = [
    *globals().get("SECURE_REDIRECT_EXEMPT", []),
    r"^metrics$",
    r"^halsa/(redo/)?$",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("STYRKORT_LOG_LEVEL", "WARNING")},
}

# Evaluation defaults (DESIGN.md "Evaluation rules"); organisations and indicators override.
STYRKORT_DEFAULT_TOLERANCE_PCT = 10.0
STYRKORT_DEFAULT_TREND_EPSILON_PCT = 1.0

"""MotoVault settings: one module, driven by the environment (django-environ).

Every value has a zero-configuration local default (SQLite, in-memory cache), so
`make run` works on a fresh machine; production sets the variables listed in
`.env.example`.
"""

import os
from pathlib import Path
from typing import Any

import environ
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# ENV_FILE lets tests and tools read settings without a developer's local `.env`.
env.read_env(os.environ.get("ENV_FILE", BASE_DIR / ".env"))

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="django-insecure-dev-only-key-never-use-in-production")
else:
    # No default: a production instance must never run on a key from the repository.
    SECRET_KEY = env("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "axes",
    "motovault",
    "accounts",
    "vehicles",
    "fuellogs",
    "maintenance",
    "stations",
    "imports",
    "reminders",
    "recalls",
    "costs",
    "attachments",
    "demo",
    # The JSON API (api) and the library it is built on, whose templates and static files
    # (Swagger UI) are served from here, never from another host.
    "ninja",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "motovault.limits.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "motovault.database_outage.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.session_preferences.PreferencesMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "motovault.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Our field template (label without a colon, errors beside the label) for every form.
FORM_RENDERER = "motovault.forms.FormRenderer"

WSGI_APPLICATION = "motovault.wsgi.application"

# Database: embedded SQLite unless DATABASE_URL names a server.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    from psycopg_pool import ConnectionPool

    # The original system's pool: at most 10 connections, idle ones closed after 30 s.
    # With a pool, connections are returned after each request, so CONN_MAX_AGE stays 0.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=10),
        "max_idle": 30,
        # Give up quickly when PostgreSQL is down, so pages answer 503 instead of hanging.
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=5),
        # Drop connections that died while idle (a database restart), so the pool heals itself.
        "check": ConnectionPool.check_connection,
        # Replacing lost connections, the pool backs off 1, 2, 4 ... s, up to 64 s between
        # attempts, so after a long outage it took up to a minute to notice the database was
        # back. Give up after 3 s instead (at most 2 s apart); the next request that needs a
        # connection makes a fresh one at once.
        "reconnect_timeout": 3,
    }

# --- Connection pooler (issue 20): DATABASE_POOLER=pgbouncer for PgBouncer in transaction mode ---
# In transaction pooling each transaction may run on a different server connection, so nothing
# may outlive a transaction on the server side:
# - server-side cursors (QuerySet.iterator() outside atomic()) would be fetched from on another
#   connection; without them iterator() first reads all of a query's rows into memory (as
#   tuples; model instances are still made a chunk at a time), so an export or archive of a
#   heavy owner costs memory in proportion to its rows;
# - psycopg prepares a statement after 5 runs and reuses it by name, which another server
#   connection does not know (PgBouncer tracks prepared statements only from 1.21, with
#   max_prepared_statements; Debian 12 ships 1.18). Django binds parameters on the client,
#   which psycopg never prepares, unless OPTIONS sets server_side_binding; prepare_threshold=None
#   keeps it safe either way.
# Django's own session settings (time zone, client encoding) are safe: PgBouncer tracks those
# parameters per client and applies them to whichever server connection it hands out.
# The psycopg pool above stays: it pools this process's connections to PgBouncer, which saves
# a connect and authentication per request and keeps the 503-at-once behavior when the
# database (here, PgBouncer) is down; PgBouncer then multiplexes all processes' connections
# onto few server connections. Its max_client_conn must cover processes x DATABASE_POOL_MAX_SIZE.
DATABASE_POOLER = env.str("DATABASE_POOLER", default="")
if DATABASE_POOLER not in ("", "pgbouncer"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"DATABASE_POOLER must be empty or pgbouncer, not {DATABASE_POOLER!r}"
    )
if (
    DATABASE_POOLER == "pgbouncer"
    and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
# Read replica (motovault/replica.py): DATABASE_REPLICA_URL names a streaming standby that
# statistics, charts, exports, the calendar feed and recall lists read from. It takes default's
# settings (pool, pooler options) with its own address; a short connect timeout, so that an
# unreachable replica costs one short wait before the primary answers instead.
if replica_url := env("DATABASE_REPLICA_URL", default=""):
    _replica = env.db_url_config(replica_url)
    DATABASES["replica"] = {
        **DATABASES["default"],
        **_replica,
        "OPTIONS": {**DATABASES["default"].get("OPTIONS", {}), **_replica.get("OPTIONS", {})},
    }
    if "pool" in DATABASES["replica"]["OPTIONS"]:
        DATABASES["replica"]["OPTIONS"]["pool"] = {
            **DATABASES["replica"]["OPTIONS"]["pool"],
            "timeout": 2,
        }
    DATABASES["replica"]["OPTIONS"].setdefault("connect_timeout", 2)
DATABASE_ROUTERS = ["motovault.replica.ReplicaRouter"]
# Before the session middleware, so that it sees the session's own writes too.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "motovault.replica.ReadYourWritesMiddleware",
)
# After an owner's request wrote, their reads stay on the primary this long (replication lag).
READ_YOUR_WRITES_SECONDS = env.int("READ_YOUR_WRITES_SECONDS", default=5)
# How long a cached page is kept (motovault/pagecache.py); 0 turns the page cache off. A cached
# page is never stale, whatever this is: its key changes with every change to the owner's data.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=15 * 60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: django-redis when REDIS_URL is set, otherwise memory in this process.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis with a breaker: after one failed call, this process skips Redis for
            # a few seconds, so an outage costs a page at most one timeout (motovault/cache.py).
            "BACKEND": "motovault.cache.BreakerRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="motovault"),
            "OPTIONS": {
                # A Redis outage becomes cache misses, never an error page.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    # The breaker logs one line when an outage begins and one when it ends, not a traceback
    # for every call that missed.
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions live in the database so that a Redis outage logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling (accounts/signin.py). Five failures for one username from one address lock
# that pair for 15 minutes, so a stranger elsewhere cannot lock an owner out; twenty from one
# address, whatever the usernames, lock the address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
SIGN_IN_ADDRESS_FAILURE_LIMIT = env.int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "accounts.signin.SignInAttempts"
# One username guessed at from many addresses: after ten failures from other addresses in the
# cool-off time (more than one address can make before its lockout), an attempt must come ten
# seconds after the last of them. Not a lockout: the owner gets in, at worst ten seconds later.
SIGN_IN_USERNAME_FREE_FAILURES = 10
SIGN_IN_USERNAME_RETRY_SECONDS = 10
# Password reset mails: per address and per client, each hour (accounts/resets.py).
PASSWORD_RESET_EMAIL_LIMIT = 3
PASSWORD_RESET_CLIENT_LIMIT = 10
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.signin.attempt_username"
AXES_CLIENT_IP_CALLABLE = "accounts.signin.client_address"
# Behind a TLS proxy every request comes from the proxy: counting the proxies lets the lockout
# by address see each client's own (accounts/signin.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_VERBOSE = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
# Our own DATE_FORMAT (motovault/formats/en/formats.py) instead of Django's "N j, Y".
FORMAT_MODULE_PATH = ["motovault.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names in production; plain files while developing and testing.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

_email = env.email_url("EMAIL_URL", default="consolemail://")
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"]}}
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["default"]["OPTIONS"] = {
        "host": _email["EMAIL_HOST"],
        "port": _email["EMAIL_PORT"],
        "username": _email["EMAIL_HOST_USER"],
        "password": _email["EMAIL_HOST_PASSWORD"],
        "use_tls": _email.get("EMAIL_USE_TLS", False),
        "use_ssl": _email.get("EMAIL_USE_SSL", False),
        "timeout": 10,
    }
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="MotoVault <motovault@localhost>")

# Outside services. Tests and the browser suite's stub server stand in through the base URLs.
VPIC_BASE_URL = env("VPIC_BASE_URL", default="https://vpic.nhtsa.dot.gov/api")
PLACES_BASE_URL = env("PLACES_BASE_URL", default="https://places.googleapis.com/v1")
GOOGLE_MAPS_API_KEY = env("GOOGLE_MAPS_API_KEY", default="")
# OpenStreetMap's Overpass API: fuel stations near the owner, no key needed (stations.overpass).
# Used when GOOGLE_MAPS_API_KEY is empty; the public server asks for few requests, so the whole
# site asks it at most OVERPASS_REQUESTS_PER_MINUTE times a minute (searches are cached an hour).
OVERPASS_ENABLED = env.bool("OVERPASS_ENABLED", default=True)
OVERPASS_URL = env("OVERPASS_URL", default="https://overpass-api.de/api/interpreter")
OVERPASS_REQUESTS_PER_MINUTE = env.int("OVERPASS_REQUESTS_PER_MINUTE", default=6)
# NHTSA's recalls API (recalls.nhtsa; only `manage.py refresh_recalls` calls it).
RECALLS_BASE_URL = env("RECALLS_BASE_URL", default="https://api.nhtsa.gov")

# Maintenance "due soon" thresholds. The distance is in the vehicle's unit: miles or kilometers.
MAINTENANCE_DUE_SOON_DAYS = env.int("MAINTENANCE_DUE_SOON_DAYS", default=30)
MAINTENANCE_DUE_SOON_MILES = env.int("MAINTENANCE_DUE_SOON_MILES", default=500)
MAINTENANCE_DUE_SOON_KM = env.int("MAINTENANCE_DUE_SOON_KM", default=800)

# Reminders (reminders app). Links in e-mails and the calendar feed start with SITE_URL.
SITE_URL = env("SITE_URL", default="http://localhost:8000")
# Push notification URLs may not reach loopback, link-local or private addresses unless this
# allows it (a self-hosted ntfy or Gotify on the home network).
NOTIFY_ALLOW_PRIVATE_ADDRESSES = env.bool("NOTIFY_ALLOW_PRIVATE_ADDRESSES", default=False)
# Requests per hour to one calendar feed address, beyond which it answers 429.
CALENDAR_REQUESTS_PER_HOUR = env.int("CALENDAR_REQUESTS_PER_HOUR", default=60)

# Requests per minute one API token may make (api.auth); beyond it the API answers 429.
API_REQUESTS_PER_MINUTE = env.int("API_REQUESTS_PER_MINUTE", default=120)

# The largest file an owner may import at once (imports.reading refuses larger ones).
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
# Where uploaded files wait between an import's preview and its confirmation (a day at most).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# The one path that takes a file: its request may be as large as the file limit allows.
IMPORT_UPLOAD_PATH = "/import/"

# Attachments (receipts, invoices, photos) on vehicles and records: the largest file, the most
# files on one vehicle or record, and what one owner's files may take in all.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENTS_PER_RECORD = env.int("ATTACHMENTS_PER_RECORD", default=10)
ATTACHMENT_QUOTA_BYTES = env.int("ATTACHMENT_QUOTA_BYTES", default=500 * 1024 * 1024)
# Where uploads are posted: their requests may be as large as the file limit allows.
ATTACHMENT_UPLOAD_PATH = "/attachments/upload/"
# Attachments go through Django's storage API: MEDIA_ROOT by default; an S3-compatible bucket
# (AWS, MinIO, Backblaze B2, Cloudflare R2...) when S3_BUCKET is set, which several app
# servers need, since they share no disk. The bucket stays private: files are only ever
# served through the owner-checked view, never by a public or signed URL.
S3_BUCKET = env("S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,
            "access_key": env("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env("S3_REGION", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Security. Django 6's Content Security Policy: no inline script, nothing from another host.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Behind a TLS-terminating proxy, e.g. "HTTP_X_FORWARDED_PROTO,https".
if proxy_header := env.tuple("SECURE_PROXY_SSL_HEADER", default=()):
    SECURE_PROXY_SSL_HEADER = proxy_header
# The health check is probed over plain HTTP from inside the host or container network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Requests beyond these are refused (400), so a huge form post cannot exhaust a worker.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1_048_576
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
# And any body beyond this, files included (413, motovault/limits.py): the fields' limit plus
# room for multipart's boundaries and headers.
MAX_REQUEST_BODY_SIZE = 2 * DATA_UPLOAD_MAX_MEMORY_SIZE
# The import page's upload (IMPORT_UPLOAD_PATH) takes a file: up to the file limit, with room
# to spare, so that a file just over it is refused with a message rather than a bare 413.
MAX_UPLOAD_BODY_SIZE = IMPORT_MAX_BYTES + 2 * DATA_UPLOAD_MAX_MEMORY_SIZE
# Likewise for attachments' uploads (ATTACHMENT_UPLOAD_PATH).
MAX_ATTACHMENT_BODY_SIZE = ATTACHMENT_MAX_BYTES + 2 * DATA_UPLOAD_MAX_MEMORY_SIZE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    # Apprise's messages can quote an owner's notification URL, credentials and all; the
    # reminders app reads them (reminders.push) and logs what failed in its own words.
    "loggers": {"apprise": {"handlers": [], "propagate": False}},
}

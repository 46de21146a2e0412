"""One env-driven settings module (after healthchecks' hc/settings.py).

Embedded default: SQLite in WAL mode under var/, local-memory cache, database task backend.
Scale-out profile: DATABASE_URL=postgres://..., REDIS_URL=redis://... .
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_noop

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("JIANFU_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# A fixed key is only acceptable for the demo and tests; `jianfu serve` refuses to start with it.
INSECURE_DEFAULT_SECRET_KEY = "jianfu-insecure-development-key-change-me"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_DEFAULT_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Behind a reverse proxy (nginx, a cloud load balancer) that sets X-Forwarded-Proto and X-Real-IP:
# requests it forwarded as https are secure (cookies, redirects, CSRF's origin check), and the
# sign-in throttle counts failures per family's address, not per proxy. Only when every request
# comes through that proxy: otherwise a client could claim https or any address.
JIANFU_TRUST_PROXY_HEADERS = env_bool("TRUST_PROXY_HEADERS", False)
if JIANFU_TRUST_PROXY_HEADERS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    # For its bundled Swagger UI: installed, django-ninja's docs page at /api/v1/docs loads its scripts
    # and styles from this site (whitenoise) instead of a CDN, so it works offline and under the CSP.
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "jianfu.core",
    "jianfu.accounts",
    "jianfu.schools",
    "jianfu.policies",
    "jianfu.homework",
    "jianfu.feedback",
    "jianfu.exams",
    "jianfu.cases",
    "jianfu.afterschool",
    "jianfu.notifications",
    "jianfu.site",  # the menu and home page above the apps; listed so its catalogue is found
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jianfu.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "jianfu.core.textguard.TextGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "jianfu.accounts.middleware.auth.AuthenticationMiddleware",
    "jianfu.core.i18n.LanguageMiddleware",  # after authentication: the account's choice wins
    "django.contrib.messages.middleware.MessageMiddleware",
    "jianfu.accounts.middleware.SessionTimeoutMiddleware",  # after messages: it tells why
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Every page requires sign-in unless its view is marked login_not_required (tests/test_invariants.py
    # walks every URL to keep it so); the JSON API answers 401 itself (config/urls.py marks it).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "jianfu.accounts.middleware.TwoStepRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "jianfu.site.context_processors.navigation",
            ],
        },
    }
]

# --- database ---------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jianfu.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend; a process's writers take turns on a lock of their own before BEGIN
    # IMMEDIATE, woken as soon as the last one commits, instead of sleeping in SQLite's busy handler
    # (jianfu/core/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "jianfu.core.sqlite"
    # WAL lets readers proceed while one writer commits; IMMEDIATE transactions take the write lock
    # up front so concurrent writers queue on busy_timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            " PRAGMA foreign_keys=ON; PRAGMA cache_size=-20000;"
        ),
        # SQLite's busy timeout (seconds), and how long a writer waits for its turn
        # (jianfu/core/sqlite/base.py).
        "timeout": 10,
        "transaction_mode": "IMMEDIATE",
    }
    # A file, not ":memory:": tests that write from several threads need real SQLite locking (WAL + busy timeout).
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("JIANFU_TEST_DB") or str(VAR_DIR / "test-jianfu.sqlite3")
    }
else:
    # Django's PostgreSQL backend, health-checking a persistent connection only after it sat idle
    # (jianfu/core/pg/base.py).
    DATABASES["default"]["ENGINE"] = "jianfu.core.pg"
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Server-side parameters and prepared statements: PostgreSQL plans a repeated statement once per
    # connection instead of on every request (the public page's join spent 0.5 ms planning, 0.16 ms
    # running). Turn off behind a pooler in transaction mode (PgBouncer), which cannot keep them.
    if env_bool("JIANFU_PG_PREPARED_STATEMENTS", True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": 2}
        )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ------------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jianfu"}}

# The public class page keeps a pre-rendered copy per (class, day) in the cache (off only to measure).
JIANFU_PUBLIC_PAGE_CACHE = env_bool("JIANFU_PUBLIC_PAGE_CACHE", True)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Run by `jianfu worker` (started by `jianfu serve` and `jianfu demo`), once a day at the given
# Beijing time, once across all workers (jianfu/core/periodic.py).
JIANFU_PERIODIC_JOBS = {
    # Deadlines are whole days: at 00:10 the complaints due yesterday and not met go to the district.
    "complaints_escalate": {"call": "jianfu.cases.tasks.complaints_escalate_daily", "daily_at": "00:10"},
    # Families' reports for a day may come until noon the next day; then the class-days' figures are
    # computed once, shown, and alerts raised (decision 0035).
    "feedback_days_seal": {"call": "jianfu.feedback.services.class_days_seal", "daily_at": "12:00"},
    "login_failures_prune": {"call": "jianfu.accounts.services.login_failures_prune", "daily_at": "03:00"},
    # Previewed rosters never confirmed (学籍号, guardians' phones) go after a day (security.md L8).
    "roster_uploads_purge": {
        "call": "jianfu.schools.roster.services.roster_uploads_purge",
        "daily_at": "03:05",
    },
    "sessions_clear_expired": {"call": "jianfu.core.periodic.sessions_clear_expired", "daily_at": "03:10"},
    "task_results_prune": {"call": "jianfu.core.periodic.task_results_prune", "daily_at": "03:20"},
    # Handlers are told of complaints due today or tomorrow (decision 0050).
    "complaints_deadline_remind": {
        "call": "jianfu.cases.services.complaints_deadline_remind",
        "daily_at": "07:30",
    },
    # Today's checks for children not collected at their pickup time, each queued to run at that
    # time plus the grace (jianfu/afterschool/pickup/services.py).
    "afterschool_uncollected_checks": {
        "call": "jianfu.afterschool.pickup.services.uncollected_checks_queue",
        "daily_at": "06:00",
    },
    # What quiet hours (21:00–07:00) held back goes out at 07:00 (decision 0050).
    "notifications_release": {
        "call": "jianfu.notifications.services.deferred_release",
        "daily_at": "07:00",
    },
}
if env_bool("JIANFU_TASKS_IMMEDIATE", False):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- auth ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Django's model backend and database sessions, each with its per-request read made cheap
# (jianfu/accounts/backends.py, jianfu/accounts/sessions.py; docs/performance.md).
AUTHENTICATION_BACKENDS = ["jianfu.accounts.middleware.backends.PhoneModelBackend"]
SESSION_ENGINE = "jianfu.accounts.middleware.sessions"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["phone", "name"]},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env_bool("JIANFU_FAST_PASSWORD_HASHER", False):
    # Tests and the demo loader create thousands of accounts; PBKDF2 at full strength would dominate.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Login throttling: failures per phone and per client address within the window.
LOGIN_THROTTLE_WINDOW_SECONDS = 15 * 60
# Per (phone, address) pair: refused after this many (security.md M6: never per phone alone).
LOGIN_THROTTLE_MAX_FAILURES_PER_PHONE = 5
# Per address, and per phone across addresses: a human check (jianfu/accounts/challenge.py), not a lock.
LOGIN_THROTTLE_MAX_FAILURES_PER_IP = 30
LOGIN_CHALLENGE_AFTER_PHONE_FAILURES = 10
# Parent activation codes (security.md M3): requests per phone per hour and texts per phone per day
# (counted whether or not the phone is a guardian's), requests per address per hour before the human
# check, and texts per hour across the site (the gateway's bill).
ACTIVATION_PER_PHONE_PER_HOUR = 5
ACTIVATION_TEXTS_PER_PHONE_PER_DAY = 10
ACTIVATION_CHALLENGE_AFTER_PER_ADDRESS = 3
ACTIVATION_TEXTS_PER_HOUR = int(os.environ.get("JIANFU_ACTIVATION_TEXTS_PER_HOUR", "500"))
# Roles whose holders must sign in with two steps, checked on every request of a session that did not
# pass the second step (docs/decisions/0031-two-step-bound-to-the-session.md); e.g. add
# "inspector,principal". Set it to "" to oblige nobody: custodians still need it to unseal.
JIANFU_TWO_STEP_REQUIRED_ROLES = env_list("JIANFU_TWO_STEP_REQUIRED_ROLES", "custodian,bureau_staff")
# Family reports (with corrections and retries) per account per 10 minutes.
JIANFU_REPORT_RATE_LIMIT = int(os.environ.get("JIANFU_REPORT_RATE_LIMIT", "60"))
OTP_TTL_SECONDS = 10 * 60
OTP_MAX_ATTEMPTS = 5
# The SMS gateway is the one thing that leaves the machine; the default writes the code to the log.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "jianfu.accounts.tasks.LogSmsBackend")
# WeChat official-account template messages (jianfu.notifications.services.wechat; decision 0050):
# off unless WECHAT_APP_ID is set. WECHAT_TEMPLATES: JSON {kind: {"template_id", "fields"}}.
NOTIFY_WECHAT = {
    "APP_ID": os.environ.get("WECHAT_APP_ID", ""),
    "APP_SECRET": os.environ.get("WECHAT_APP_SECRET", ""),
    "API_BASE": os.environ.get("WECHAT_API_BASE", "https://api.weixin.qq.com"),
    "TEMPLATES": json.loads(os.environ.get("WECHAT_TEMPLATES", "") or "{}"),
    # The site's public address, for the link under a WeChat message (the message's page).
    "SITE_URL": os.environ.get("JIANFU_SITE_URL", "").rstrip("/"),
}

# Idle and absolute limits (jianfu.accounts.middleware.SessionTimeoutMiddleware; security.md L6).
SESSION_IDLE_SECONDS_STAFF = 30 * 60
SESSION_MAX_AGE_STAFF = 12 * 3600
SESSION_IDLE_SECONDS_FAMILY = 7 * 24 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# --- transport and content security (docs/decisions/0030-security-headers.md) --------------------
# Off by default so the demo and a first install answer on plain http; the documented production
# setup (README) turns both on. Behind a proxy, TRUST_PROXY_HEADERS=1 lets Django see its https.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# A load balancer's or monitor's health probe over plain http must not be answered with a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz"]
try:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
except ValueError as exc:
    raise ValueError("SECURE_HSTS_SECONDS must be a whole number of seconds") from exc
# Subdomains of jianfu's own host: none are expected to serve plain http.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading commits the whole registrable domain (a bureau's, usually) in browsers for months: only
# when its owners ask for it. Otherwise check --deploy's reminder (W021) is answered here.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Content-Security-Policy (jianfu/core/middleware.py). Scripts only from this site, an inline block
# only with the request's nonce, an inline handler only if listed below; styles may be inline (the
# templates' <style> blocks and style attributes, htmx's indicator style, ECharts' tooltips).
# CONTENT_SECURITY_POLICY replaces it ("" turns it off); CONTENT_SECURITY_POLICY_REPORT_ONLY=1 sends it
# as a report-only header while a deployment tries a stricter one.
JIANFU_CSP = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self' 'nonce-{nonce}' {handler_hashes};"
    " style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:;"
    " connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
JIANFU_CSP_REPORT_ONLY = env_bool("CONTENT_SECURITY_POLICY_REPORT_ONLY", False)
# The exact source of each inline event handler a deployment's own templates still need, allowed by
# its hash (add 'unsafe-hashes' to the policy with them). jianfu's templates use none: their selects
# and the print sheet use static scripts (static/js/); jianfu/core/tests/test_security_headers.py
# holds the templates to this list.
JIANFU_CSP_INLINE_HANDLERS: tuple[str, ...] = ()
# Nothing here uses the camera through the browser API (photos come through the file picker), the
# microphone, location or payment.
JIANFU_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# --- i18n: Chinese first ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# Names marked with gettext_noop, Django's idiom (settings load before translations can); the page
# header's switch names each language in itself.
LANGUAGES = [("zh-hans", gettext_noop("简体中文")), ("en", gettext_noop("English"))]
# Each app keeps its catalogue in jianfu/<app>/locale (found through INSTALLED_APPS); the project's
# templates/ and config/ use the one here. Chinese is the source language: msgids are Chinese, and
# the English catalogue must be complete (tests/test_i18n.py).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static -----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- logging: never a 学籍号 or a phone number (see jianfu.core.logging) ---------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "jianfu.core.logging.RedactPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # `jianfu worker` polls the queue in batches; its "no more tasks" line would repeat every second.
        "django_tasks_db": {"level": "WARNING"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

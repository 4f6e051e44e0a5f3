"""Django settings, read from typed environment variables (API.md, "Environment")."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from irontriangle import envconfig

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = envconfig.data_dir()

SECRET_KEY = envconfig.secret_key(DATA_DIR)
DEBUG = envconfig.env_bool("IRONTRIANGLE_DEBUG", False)
ALLOWED_HOSTS = envconfig.env_list("IRONTRIANGLE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envconfig.env_list("IRONTRIANGLE_CSRF_TRUSTED_ORIGINS", [])
# Behind a TLS-terminating proxy the deployment sets this; on the embedded default we serve plain HTTP.
SECURE_ENABLED = envconfig.env_bool("IRONTRIANGLE_HTTPS", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "irontriangle.common",
    "irontriangle.org",
    "irontriangle.accounts",
    "irontriangle.relationships",
    "irontriangle.pipeline",
    "irontriangle.collections",
    "irontriangle.resources",
    "irontriangle.notifications",
    "irontriangle.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "irontriangle.common.partner_gate.PartnerGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]
if envconfig.env_bool("IRONTRIANGLE_BENCH_TIMING", False):
    MIDDLEWARE.insert(0, "irontriangle.bench.timing.ServerTimingMiddleware")

ROOT_URLCONF = "irontriangle.urls"
WSGI_APPLICATION = "irontriangle.wsgi.application"
ASGI_APPLICATION = "irontriangle.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "irontriangle.web.context_processors.shell",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------------
_DEFAULT_SQLITE = f"sqlite:///{DATA_DIR / 'irontriangle.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        envconfig.env_str("DATABASE_URL") or _DEFAULT_SQLITE, conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on the busy timeout instead of failing with "database is locked" mid-transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;PRAGMA cache_size=-20000;"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation pays off for hour-long analytics, not for the reports here: it added about 150 ms
    # to a regional funnel at scale L that ran in well under a second without it. A list page with its
    # display joins spans about twelve tables, more than PostgreSQL reorders by default (8): the battle
    # map then joined all 1.2M milestones before keeping its 50 (docs/performance.md, decision 0013).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c jit=off -c join_collapse_limit=16 -c from_collapse_limit=16"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Brute-force lockout: five failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = envconfig.env_int("IRONTRIANGLE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envconfig.env_int("IRONTRIANGLE_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = SECURE_ENABLED
CSRF_COOKIE_SECURE = SECURE_ENABLED
SECURE_SSL_REDIRECT = SECURE_ENABLED
SECURE_HSTS_SECONDS = 31536000 if SECURE_ENABLED else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_ENABLED
SECURE_HSTS_PRELOAD = SECURE_ENABLED
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_ENABLED else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- i18n ------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
FORMAT_MODULE_PATH = ["irontriangle.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = envconfig.env_str("IRONTRIANGLE_TIME_ZONE", "Asia/Shanghai")

# --- static ----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": DATA_DIR / "media"}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Evidence files (contracts, delivery notes, invoices) live outside the web root, under random names,
# and are served only through an access-checked view.
EVIDENCE_ROOT = DATA_DIR / "evidence"
EVIDENCE_MAX_BYTES = envconfig.env_int("IRONTRIANGLE_EVIDENCE_MAX_MB", 20) * 1024 * 1024

# --- background work -------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- e-mail ----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = "IronTriangle <noreply@localhost>"
for _name, _value in envconfig.email_settings(envconfig.env_str("IRONTRIANGLE_EMAIL_URL")).items():
    globals()[_name] = _value

# --- product -------------------------------------------------------------------------------------
IRONTRIANGLE_WEBHOOK_TIMEOUT = envconfig.env_int("IRONTRIANGLE_WEBHOOK_TIMEOUT", 10)
IRONTRIANGLE_WEBHOOK_MAX_ATTEMPTS = envconfig.env_int("IRONTRIANGLE_WEBHOOK_MAX_ATTEMPTS", 8)
IRONTRIANGLE_BASE_URL = envconfig.env_str("IRONTRIANGLE_BASE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envconfig.env_str("IRONTRIANGLE_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

"""Settings shared by every environment.

Safe for production by default: DEBUG is off and nothing secret lives here.
`dev.py` and `test.py` loosen it; `production.py` tightens it and requires secrets.
Every value that differs between deployments comes from the environment.
"""

import hashlib
from pathlib import Path

import dj_database_url
import dj_email_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Our apps, lowest layer first (portal <- partecipazione <- eventi <- home).
    "portal.core",
    "portal.accounts",
    "portal.taxonomy",
    "partecipazione",
    "eventi",
    "home",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Background tasks, design system
    "django_tasks",
    "django_tasks_db",
    "bootstrap_italia_template",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER (TemplatesSetting)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A NUL character in the path, the query string or a form: a 400 page (PostgreSQL
    # refuses NUL in any string, so no view or query needs its own guard).
    "portal.core.input_guard.RejectNulCharactersMiddleware",
    # Anonymous full-page cache and per-request memo of generation-keyed values: after
    # session, auth and messages (it needs to know who asks), before CSRF (a page that sets
    # the CSRF cookie is never stored, so no visitor gets another's token).
    "portal.core.middleware.PageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff, editors and moderators need two-factor authentication before entering /admin/.
    "portal.accounts.middleware.RequireStaffMFAMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

# Public forms render the Bootstrap Italia way: templates/forms/form.html and field.html.
FORM_RENDERER = "portal.core.forms.BootstrapItaliaFormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.core.context_processors.portal",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite file in the repository by default; PostgreSQL with postgres://user@host/db
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait for the lock instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------
# One cache shared by every worker, so that an invalidation (portal.core.cache) reaches them
# all at once: Redis when REDIS_URL is set (shared by every app server too); otherwise
# Django's file-based cache in CACHE_DIR, shared by the workers of one machine (several
# machines need Redis: `check --deploy` says so, portal/core/checks.py).
REDIS_URL = env_str("REDIS_URL", "")
CACHE_DIR = env_str("CACHE_DIR", str(BASE_DIR / "var" / "cache"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cdp",
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR,
            "TIMEOUT": 300,
            # One folder may serve several databases (a developer's, the benchmarks'): their
            # entries never meet.
            "KEY_PREFIX": hashlib.sha256(
                str(DATABASES["default"].get("NAME", "")).encode()
            ).hexdigest()[:12],
            # Culling lists the folder: keep it rare (pages, feeds, sessions, frame values).
            "OPTIONS": {"MAX_ENTRIES": 20000, "CULL_FREQUENCY": 4},
        }
    }

# Logged-out HTML pages are served from the cache for this many seconds (0 disables);
# publishing or saving content makes them stale at once (portal.core.cache).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# Of those, the most recently served are also kept in each worker's memory (10-75 KiB
# each), so a hit does not read the page from the shared cache; 0 turns the local copy off.
PAGE_CACHE_LOCAL_ENTRIES = env_int("PAGE_CACHE_LOCAL_ENTRIES", 256)

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Flash messages live in the session: no extra "messages" cookie (only technically
# necessary cookies: sessionid, csrftoken, django_language).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Città della Pace] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_ADAPTER = "portal.accounts.adapter.AccountAdapter"
# Real name (private), public name and the privacy notice acceptance, on top of allauth's fields.
ACCOUNT_SIGNUP_FORM_CLASS = "portal.accounts.forms.SignupForm"
# Changing the e-mail address keeps the old one until the new one is verified.
ACCOUNT_CHANGE_EMAIL = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Città della Pace"
# Version recorded with each consent when no privacy page is chosen in the portal settings
# (otherwise the live revision of that page is recorded).
PRIVACY_NOTICE_VERSION = env_str("PRIVACY_NOTICE_VERSION", "2026-01")

# Wagtail's admin and front-end (private page) logins go through allauth.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "/account/login/"
# Password resets go through allauth's rate-limited form only (portal/urls.py redirects there).
WAGTAIL_PASSWORD_RESET_ENABLED = False

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italiano")), ("en", _("English"))]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

# --- Static and media files ----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "static_collected")))
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# S3-compatible object storage for uploads, so several app servers share media.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL", None)
    AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME", None)
    AWS_QUERYSTRING_AUTH = False
    AWS_S3_FILE_OVERWRITE = False

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Email --------------------------------------------------------------------
# EMAIL_URL like smtp://user:password@host:587/?tls=True ; console in development.
_email = dj_email_url.parse(env_str("EMAIL_URL", "smtp://localhost:25"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Città della Pace <pace@comune.cremona.it>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks (django-tasks, also used by Wagtail 8) -----------------------
# Database-backed queue in production (run `manage.py db_worker`); immediate elsewhere.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Wagtail ------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Città della Pace"
# ASCII slugs: feed and page URLs stay easy to paste into calendar apps and e-mails.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "italian",
    }
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "png", "gif": "png"}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_USER_CUSTOM_FIELDS = ["display_name"]
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Security headers (tightened further in production.py) --------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Content Security Policy: the site's own pages use no inline script. The Wagtail admin
# needs inline styles and scripts, so its URLs are exempted.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF, "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.security.DisallowedHost": {"handlers": ["console"], "level": "ERROR"},
        "django_tasks": {"level": env_str("TASKS_LOG_LEVEL", "WARNING")},
        "wagtail": {"level": env_str("WAGTAIL_LOG_LEVEL", "WARNING")},
    },
}

# Participation rules that operators may tune.
PORTAL_COMMENT_RATE_LIMIT = env_str("PORTAL_COMMENT_RATE_LIMIT", "5/m")
# Messages a visitor (by address) may send through the site's forms ("Segnala disservizio",
# contacts) per hour.
PORTAL_FORM_RATE_LIMIT = env_str("PORTAL_FORM_RATE_LIMIT", "5/h")
PORTAL_REPORTS_TO_HIDE = env_int("PORTAL_REPORTS_TO_HIDE", 3)

# Calendars synchronised from a URL (eventi.sync): how often, how long, how big.
EVENTI_SYNC_INTERVAL_MINUTES = env_int("EVENTI_SYNC_INTERVAL_MINUTES", 60)
EVENTI_SYNC_CONNECT_TIMEOUT = env_int("EVENTI_SYNC_CONNECT_TIMEOUT", 5)
EVENTI_SYNC_READ_TIMEOUT = env_int("EVENTI_SYNC_READ_TIMEOUT", 20)
EVENTI_SYNC_TOTAL_SECONDS = env_int("EVENTI_SYNC_TOTAL_SECONDS", 60)
EVENTI_SYNC_MAX_BYTES = env_int("EVENTI_SYNC_MAX_BYTES", 5 * 1024 * 1024)
# Only for development and tests: fetch calendars from private or loopback addresses too.
EVENTI_SYNC_ALLOW_PRIVATE_ADDRESSES = False

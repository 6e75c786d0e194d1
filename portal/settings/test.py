"""Tests: fast hashing, in-memory email, immediate tasks, SQLite unless DATABASE_URL is set."""

import dj_database_url

from .base import *
from .env import env_str

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SITE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = SITE_URL
DATABASES = {
    "default": dj_database_url.parse(env_str("DATABASE_URL", "sqlite:///:memory:"), conn_max_age=0)
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "tests",
    }
}
MEDIA_ROOT = BASE_DIR / ".venv" / "test-media"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

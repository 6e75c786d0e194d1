"""Settings come from the environment, with safe defaults and loud failures in production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings import env

ROOT = Path(__file__).resolve().parents[2]


def test_env_bool_parses_common_spellings(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env.env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "0")
    assert env.env_bool("FLAG", True) is False
    monkeypatch.delenv("FLAG")
    assert env.env_bool("FLAG", True) is True


def test_env_bool_rejects_nonsense(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env.env_bool("FLAG")


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example , b.example,, ")
    assert env.env_list("HOSTS") == ["a.example", "b.example"]


def test_env_int_rejects_text(monkeypatch):
    monkeypatch.setenv("N", "dieci")
    with pytest.raises(ImproperlyConfigured, match="integer"):
        env.env_int("N", 1)


def _settings_value(module, expression, **environ):
    """Import a settings module in a clean interpreter and print one expression."""
    clean_env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "EMAIL_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    clean_env.update(environ)
    code = f"import {module} as s; print({expression})"
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=clean_env, capture_output=True, text=True
    )


def test_production_requires_secret_key():
    result = _settings_value("portal.settings.production", "s.DEBUG", ALLOWED_HOSTS="pace.example")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_reads_database_and_redis_urls():
    result = _settings_value(
        "portal.settings.production",
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], "
        "s.CACHES['default']['BACKEND'], s.ALLOWED_HOSTS, s.DEBUG",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="pace.comune.cremona.it",
        DATABASE_URL="postgres://pace@db.example:5432/pace",
        REDIS_URL="redis://127.0.0.1:6379/1",
    )
    assert result.returncode == 0, result.stderr
    assert "django.db.backends.postgresql" in result.stdout
    assert " pace " in result.stdout
    assert "RedisCache" in result.stdout
    assert "['pace.comune.cremona.it'] False" in result.stdout


def test_dev_defaults_to_sqlite_the_shared_file_cache_and_console_email():
    result = _settings_value(
        "portal.settings.dev",
        "s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.EMAIL_BACKEND",
    )
    assert result.returncode == 0, result.stderr
    assert "sqlite3" in result.stdout
    assert "FileBasedCache" in result.stdout
    assert "console.EmailBackend" in result.stdout


def test_email_url_configures_smtp():
    result = _settings_value(
        "portal.settings.production",
        "s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_HOST_USER",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="pace.example",
        EMAIL_URL="submission://mailer:segreto@smtp.example:587",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "smtp.example 587 True mailer"


def test_italian_first_in_rome(settings):
    assert settings.LANGUAGE_CODE == "it"
    assert settings.TIME_ZONE == "Europe/Rome"
    assert settings.USE_TZ is True
    assert [code for code, _ in settings.LANGUAGES] == ["it", "en"]


def check_deploy(**env) -> subprocess.CompletedProcess:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright: never a deployment's.
    ignored = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "SITE_URL"}
    clean_env = {k: v for k, v in os.environ.items() if k not in ignored}
    clean_env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="a-long-random-secret-key-for-the-deploy-check-0123456789abcdef",
        ALLOWED_HOSTS="pace.comune.cremona.it",
        SITE_URL="https://pace.comune.cremona.it",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    clean_env.update(env)
    clean_env = {k: v for k, v in clean_env.items() if v is not None}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_in_production():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_on_the_development_site_url():
    result = check_deploy(SITE_URL="http://127.0.0.1:8000")
    assert result.returncode != 0
    assert "portal.E001" in result.stdout + result.stderr


def test_check_deploy_warns_that_the_file_cache_is_one_machine_only():
    result = check_deploy(REDIS_URL=None)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "portal.W001" in output and "portal.E00" not in output

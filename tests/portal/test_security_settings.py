"""Production security settings (read in a clean interpreter, like test_settings.py)."""

import ast

from tests.portal.test_settings import _settings_value

PRODUCTION_ENV = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "pace.comune.cremona.it"}


def _values(*names):
    result = _settings_value(
        "portal.settings.production",
        "repr([" + ", ".join(f"s.{name}" for name in names) + "])",
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    return dict(zip(names, ast.literal_eval(result.stdout.strip()), strict=True))


def test_https_only_with_hsts():
    values = _values(
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_PROXY_SSL_HEADER",
    )
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_cookies_are_secure_httponly_samesite():
    values = _values(
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SAMESITE",
        "LANGUAGE_COOKIE_SECURE",
        "LANGUAGE_COOKIE_HTTPONLY",
        "LANGUAGE_COOKIE_SAMESITE",
    )
    for name, value in values.items():
        assert value in (True, "Lax"), name


def test_headers_and_password_policy():
    values = _values(
        "X_FRAME_OPTIONS",
        "SECURE_REFERRER_POLICY",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "AUTH_PASSWORD_VALIDATORS",
        "ACCOUNT_EMAIL_VERIFICATION",
        "MESSAGE_STORAGE",
    )
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_REFERRER_POLICY"] == "strict-origin-when-cross-origin"
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert len(values["AUTH_PASSWORD_VALIDATORS"]) == 4
    assert values["ACCOUNT_EMAIL_VERIFICATION"] == "mandatory"
    assert values["MESSAGE_STORAGE"].endswith("SessionStorage")


def test_passwords_use_djangos_default_pbkdf2():
    """argon2-cffi is not installed, so production keeps Django's default hashers (PBKDF2)."""
    result = _settings_value(
        "portal.settings.production", "'PASSWORD_HASHERS' in dir(s)", **PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
    from django.conf import global_settings

    assert global_settings.PASSWORD_HASHERS[0].endswith("PBKDF2PasswordHasher")

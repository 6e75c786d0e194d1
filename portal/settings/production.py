"""Production: secrets are required, HTTPS everywhere, static files through whitenoise."""

from .base import *
from .env import env_bool, env_int, env_list, env_required

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    ALLOWED_HOSTS = [env_required("ALLOWED_HOSTS")]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# Cookies: secure (HTTPS only), HttpOnly (no script reads them: forms carry the CSRF token),
# SameSite=Lax (base.py). Only first-party, technically necessary cookies exist.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Behind the TLS-terminating proxy: how many proxies append to X-Forwarded-For, so that
# allauth's rate limits and the login history see the client's address, not the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Passwords: Django's PBKDF2 default (argon2-cffi is not installed; with it, put
# "django.contrib.auth.hashers.Argon2PasswordHasher" first in PASSWORD_HASHERS).

# HTML compressed by the app (a proxy may do it instead): first in the chain, so it sees the
# final response; responses that are compressed already (the iCalendar feeds) are left alone.
# Django's GZipMiddleware pads its output at random (Heal The Breach) against BREACH.
MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *MIDDLEWARE]

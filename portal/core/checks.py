"""Deployment checks (`manage.py check --deploy`): what must not reach production."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

DEVELOPMENT_HOSTS = frozenset({"127.0.0.1", "localhost", "0.0.0.0", "testserver", "::1"})  # noqa: S104


@register(Tags.security, deploy=True)
def check_site_url(app_configs=None, **kwargs):
    host = urlsplit(getattr(settings, "SITE_URL", "")).hostname or ""
    if host in DEVELOPMENT_HOSTS:
        return [
            Error(
                f"SITE_URL is left at its development value ({settings.SITE_URL}): feeds, "
                "e-mails, the sitemap and canonical links would point there.",
                hint="Set SITE_URL to the public address, e.g. https://pace.comune.cremona.it.",
                id="portal.E001",
            )
        ]
    return []


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    """Invalidation (portal.core.cache) needs one cache shared by every worker."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("locmem.LocMemCache", "dummy.DummyCache")):
        return [
            Error(
                "The default cache is per process: with several workers a page unpublished in "
                "one of them would still be served by the others.",
                hint="Set REDIS_URL, or leave it empty to use the shared file cache (CACHE_DIR).",
                id="portal.E002",
            )
        ]
    if backend.endswith("filebased.FileBasedCache"):
        return [
            Warning(
                "The cache is a folder (CACHE_DIR) shared by the workers of this machine only.",
                hint="Running more than one app server? Set REDIS_URL so they share one cache.",
                id="portal.W001",
            )
        ]
    return []

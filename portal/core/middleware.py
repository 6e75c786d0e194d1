"""The anonymous full-page cache, and the per-request memo of what every page looks up.

`PageCacheMiddleware` sits after the session, CSRF, authentication and message middleware
(see `MIDDLEWARE` in the settings). For every request it:

1. opens a per-request memo (`portal.core.cache`);
2. for a logged-out GET/HEAD with no session data, looks the page up by scheme, host,
   language, path and sorted query string in the current generation, and returns it
   (`X-Cache: HIT`, no database query);
3. otherwise resolves the Wagtail `Site` of the host from the generation-keyed cache (so
   neither Wagtail's routing nor the site settings query the database for it), lets the
   view run, and stores an HTML `200` response that is safe to share: no cookies set, no
   `Cache-Control: private/no-store/no-cache`, no `Vary` it cannot key, no session written,
   no content change while it was built (`X-Cache: MISS`).

Hits are served from a small process-local memo of recent entries (`LocalPages`) before the
shared cache is asked: the key carries the content generation, read from the shared cache on
every request, so a publish in one worker makes every worker's memo miss at once; only the
transfer and unpickling of the page from Redis is saved (a hit under wrk, 10,000 events:
3 ms down to about 1.5 ms).

CSRF: a page whose form carries a CSRF token is stored with the token replaced by a
placeholder; each hit puts in a token made from the visitor's own CSRF cookie (the CSRF
middleware then sets that cookie as usual), so no visitor ever receives another's token. If
a token appears anywhere else in the page, the page is not stored.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils.cache import cc_delim_re, patch_vary_headers
from django.utils.translation import get_language

from portal.core import cache as portal_cache

CSRF_PLACEHOLDER = "__portal_csrf_token__"
_CSRF_INPUT_RE = re.compile(r'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]{64})(")')
_TOKEN_LIKE_RE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
# Vary headers the key already covers (the language comes from the URL prefix).
_KEYABLE_VARY = frozenset({"accept-language", "accept-encoding"})
_UNCACHEABLE_CACHE_CONTROL = frozenset({"private", "no-store", "no-cache"})
# Headers recomputed on every response by the middleware above this one, or per visitor.
_SKIPPED_HEADERS = frozenset({"set-cookie", "vary", "content-length", "x-cache"})


def _excluded_prefixes() -> tuple[str, ...]:
    prefixes = getattr(
        settings, "PAGE_CACHE_EXCLUDED_PREFIXES", ("/admin/", "/django-admin/", "/account/")
    )
    languages = [code for code, _name in settings.LANGUAGES]
    return tuple(prefixes) + tuple(f"/{lang}{prefix}" for lang in languages for prefix in prefixes)


def _site_for_request(request):
    """Wagtail's `Site` for the host, from the cache (with its root page already specific)."""
    host = request._get_raw_host()
    port = request.get_port()

    def build():
        site = _find_site(request)
        if site is not None:
            site.root_page = site.root_page.specific
        return site

    return portal_cache.cached(("site", host, port), build, timeout=3600)


def _find_site(request):
    """Wagtail's `Site._find_for_request`, fetching with the same query what every page needs.

    Besides the site and its root page, the one query brings the active language's locale,
    whether any page is view-restricted and the site's portal settings (with their footer
    pages); these prime the entries `Locale.objects.get_for_language`, the view-restriction
    shortcut and `PortalSettings.for_request` read (portal.core.cache), which would otherwise
    cost a query each on a cold cache. The site choice is Wagtail's `get_site_for_hostname`.
    """
    from django.db.models import Case, Exists, IntegerField, Q, Subquery, When
    from django.http.request import split_domain_port
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, PageViewRestriction, Site
    from wagtail.models.sites import (
        MATCH_DEFAULT,
        MATCH_HOSTNAME,
        MATCH_HOSTNAME_DEFAULT,
        MATCH_HOSTNAME_PORT,
    )

    from portal.core.models import PortalSettings

    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    language = get_language()
    try:
        content_language = get_supported_content_language_variant(language) if language else None
    except LookupError:
        content_language = None
    settings_relation = PortalSettings._meta.get_field("site").remote_field.get_accessor_name()
    sites = list(
        Site.objects.annotate(
            match=Case(
                When(hostname=hostname, port=port, then=MATCH_HOSTNAME_PORT),
                When(hostname=hostname, is_default_site=True, then=MATCH_HOSTNAME_DEFAULT),
                When(is_default_site=True, then=MATCH_DEFAULT),
                default=MATCH_HOSTNAME,
                output_field=IntegerField(),
            ),
            portal_locale_id=Subquery(
                Locale.objects.filter(language_code=content_language).values("pk")[:1]
            ),
            portal_any_restriction=Exists(PageViewRestriction.objects.all()),
        )
        .filter(Q(hostname=hostname) | Q(is_default_site=True))
        .order_by("match")
        .select_related(
            "root_page",
            settings_relation,
            *(f"{settings_relation}__{name}" for name in PortalSettings.select_related),
        )
    )
    site = None
    if sites:
        if len(sites) == 1 or sites[0].match in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
            site = sites[0]
        elif sites[0].match == MATCH_DEFAULT:
            site = sites[len(sites) == 2]
    if site is None:
        return None
    portal_cache.prime(portal_cache.ANY_VIEW_RESTRICTION, site.portal_any_restriction, 3600)
    if language and site.portal_locale_id is not None:
        locale = Locale(pk=site.portal_locale_id, language_code=content_language)
        portal_cache.prime(("locale", language), locale, 3600)
    portal_settings = getattr(site, settings_relation, None)
    if portal_settings is not None:
        portal_cache.prime(("portal-settings", site.pk), portal_settings)
    return site


class LocalPages:
    """A bounded, thread-safe LRU of page entries of this process, each with its expiry.

    Only ever holds entries under generation-bearing keys (see `PageCacheMiddleware._key`),
    so an entry can be stale only for a generation nobody asks for any more.
    """

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict[str, tuple[float, dict]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        with self._lock:
            item = self._entries.get(key)
            if item is None:
                return None
            expires, entry = item
            if expires <= time.time():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry

    def set(self, key: str, entry: dict) -> None:
        """Keep `entry` until the moment the shared cache drops it (`entry["expires"]`)."""
        if self.size <= 0 or entry.get("expires", 0) <= time.time():
            return
        with self._lock:
            self._entries[key] = (entry["expires"], entry)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.excluded = _excluded_prefixes()
        self.local = LocalPages(int(getattr(settings, "PAGE_CACHE_LOCAL_ENTRIES", 0) or 0))

    def __call__(self, request):
        if not getattr(settings, "PORTAL_FRAME_CACHE", True):
            return self._respond(request)
        token = portal_cache.begin_request()
        try:
            return self._respond(request)
        finally:
            portal_cache.end_request(token)

    def _render(self, request):
        if portal_cache.in_request() and not hasattr(request, "_wagtail_site"):
            request._wagtail_site = _site_for_request(request)
        return self.get_response(request)

    # --- decisions -----------------------------------------------------------------

    def _seconds(self) -> int:
        return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)

    def _request_is_cacheable(self, request) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        if request.path.startswith(self.excluded):
            return False
        # A visitor with a session: logged in, messages pending, a passed page password,
        # a sign-up in progress... only an empty anonymous session is served from cache.
        has_session = settings.SESSION_COOKIE_NAME in request.COOKIES
        return not (has_session and (request.user.is_authenticated or request.session.keys()))

    def _response_is_cacheable(self, request, response) -> bool:
        if response.status_code != 200 or request.method != "GET":
            return False
        if getattr(response, "streaming", False):
            return False
        if not response.get("Content-Type", "").startswith("text/html"):
            return False
        if response.cookies:
            return False
        cache_control = {
            part.split("=")[0].strip().lower()
            for part in cc_delim_re.split(response.get("Cache-Control", ""))
            if part.strip()
        }
        if cache_control & _UNCACHEABLE_CACHE_CONTROL:
            return False
        vary = {
            header.strip().lower()
            for header in cc_delim_re.split(response.get("Vary", ""))
            if header.strip()
        }
        if vary - _KEYABLE_VARY:
            return False
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return False
        # Not logged in by the view itself.
        return not (getattr(request, "user", None) is not None and request.user.is_authenticated)

    def _key(self, request) -> str:
        query = urlencode(sorted(request.GET.lists()), doseq=True)
        return portal_cache.key(
            "page",
            request.scheme,
            request.get_host(),
            get_language(),
            request.path,
            query,
        )

    # --- serving and storing ------------------------------------------------------------

    def _respond(self, request):
        seconds = self._seconds()
        if seconds <= 0 or not self._request_is_cacheable(request):
            return self._render(request)
        generation = portal_cache.get_generation()
        cache_key = self._key(request)
        entry = self.local.get(cache_key)
        if entry is None:
            entry = cache.get(cache_key)
            if entry is not None:
                self.local.set(cache_key, entry)
        if entry is not None:
            return self._from_entry(request, entry)
        response = self._render(request)
        if (
            self._response_is_cacheable(request, response)
            # Content changed while the page was built: it may already be stale.
            and portal_cache.get_generation() == generation
        ):
            entry = self._to_entry(request, response, seconds)
            if entry is not None:
                cache.set(cache_key, entry, seconds)
                self.local.set(cache_key, entry)
                response["X-Cache"] = "MISS"
        return response

    def _to_entry(self, request, response, seconds: int) -> dict | None:
        content = response.content
        uses_csrf = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        if uses_csrf:
            secret = request.META.get("CSRF_COOKIE")
            text = content.decode(response.charset or "utf-8")
            text = _CSRF_INPUT_RE.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<3>", text)
            content = text.encode(response.charset or "utf-8")
            if secret and _contains_token_for(content, secret):
                return None  # the token is somewhere we cannot replace it
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in _SKIPPED_HEADERS
        ]
        return {
            "content": content,
            "headers": headers,
            "charset": response.charset,
            "csrf": uses_csrf,
            "expires": time.time() + seconds,
        }

    def _from_entry(self, request, entry) -> HttpResponse:
        content = entry["content"]
        if entry["csrf"]:
            token = get_token(request)  # this visitor's own; the CSRF middleware sets the cookie
            content = content.replace(CSRF_PLACEHOLDER.encode(), token.encode())
        response = HttpResponse(content)
        for name, value in entry["headers"]:
            response[name] = value
        # What a freshly rendered page would say: it depends on the session cookie.
        patch_vary_headers(response, ("Cookie",))
        response["X-Cache"] = "HIT"
        return response


def _contains_token_for(content: bytes, secret: str) -> bool:
    for match in _TOKEN_LIKE_RE.finditer(content):
        candidate = match.group().decode()
        if candidate == secret or _unmask_cipher_token(candidate) == secret:
            return True
    return False

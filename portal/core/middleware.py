"""The anonymous full-page cache, and the per-request memo of generation-keyed values.

Why our own middleware: Wagtail's `frontend_cache` needs a proxy or CDN in front (we support
one, but `make run` and a single server have none), and `wagtail-cache` has no release for
Wagtail 8. This one uses only public Django and Wagtail APIs.

`PageCacheMiddleware` sits after the session, authentication and message middleware and
*before* the CSRF middleware (see `MIDDLEWARE` in the settings). For every request it:

1. opens a per-request memo (`portal.core.cache`), so each generation is read once;
2. for a logged-out GET/HEAD with no session data, looks the page up by scheme, host,
   language, path and sorted query string in the current content generation, and returns it
   (`X-Cache: HIT`, no database query);
3. otherwise lets the view run, and stores an HTML `200` response that is safe to share: no
   cookie set (a page whose form used a CSRF token sets the CSRF cookie, so it is never
   stored: every visitor gets their own token), no `Cache-Control: private/no-store/no-cache`,
   no `Vary` it cannot key, no session written, no content change while it was built
   (`X-Cache: MISS`).

Hits are served from a small process-local memo of recent entries (`LocalPages`) before the
shared cache is asked: the key carries the content generation, read from the shared cache on
every request, so a publish in one worker makes every worker's memo miss at once.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, patch_vary_headers
from django.utils.translation import get_language

from portal.core import cache as portal_cache

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
        token = portal_cache.begin_request()
        try:
            return self._respond(request)
        finally:
            portal_cache.end_request(token)

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
            return False  # the CSRF cookie of a page with a form, among others
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
            return self.get_response(request)
        generation = portal_cache.get_generation()
        cache_key = self._key(request)
        entry = self.local.get(cache_key)
        if entry is None:
            entry = cache.get(cache_key)
            if entry is not None:
                self.local.set(cache_key, entry)
        if entry is not None:
            return self._from_entry(entry)
        response = self.get_response(request)
        if (
            self._response_is_cacheable(request, response)
            # Content changed (in any worker) while the page was built: it may be stale.
            and portal_cache.current_generation() == generation
        ):
            entry = self._to_entry(response, seconds)
            cache.set(cache_key, entry, seconds)
            self.local.set(cache_key, entry)
            response["X-Cache"] = "MISS"
        return response

    def _to_entry(self, response, seconds: int) -> dict:
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in _SKIPPED_HEADERS
        ]
        return {
            "content": response.content,
            "headers": headers,
            "expires": time.time() + seconds,
        }

    def _from_entry(self, entry) -> HttpResponse:
        response = HttpResponse(entry["content"])
        for name, value in entry["headers"]:
            response[name] = value
        # What a freshly rendered page would say: it depends on the session cookie.
        patch_vary_headers(response, ("Cookie",))
        response["X-Cache"] = "HIT"
        return response

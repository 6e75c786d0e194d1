"""HTTP side of the iCalendar feeds: caching, ETag/Last-Modified, 304 answers.

Built feeds are cached under the feeds generation (portal.core.cache), which eventi.signals
bump whenever an event is published, unpublished, moved or deleted, so a change shows up at
once in every worker.

Each cached feed is kept twice: as built and gzip-compressed once (an iCalendar text shrinks
to about a tenth), served to the clients that accept it, as every calendar application
does. The two representations have their own ETags, and responses vary on Accept-Encoding.
"""

import gzip
import hashlib
import re
import threading
from collections import OrderedDict
from datetime import UTC, datetime

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from portal.core import cache as portal_cache

CONTENT_TYPE = "text/calendar; charset=utf-8"
CACHE_TIMEOUT = 60 * 60 * 6


def generation() -> int:
    return portal_cache.get_generation(portal_cache.FEEDS)


def invalidate_related() -> None:
    """A venue, event type, topic or association changed: forget every cached feed.

    (The stored VEVENTs that show its name are dropped by eventi.signals.)
    """
    invalidate()


def invalidate() -> None:
    """Forget every cached feed (and every open-data export), in every worker."""
    portal_cache.bump(portal_cache.FEEDS)


def cache_key(kind: str, *parts: str) -> str:
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    return f"eventi:{kind}:{generation()}:{digest}"


# "gzip;q=0" (or q=0.0, q=0.000) in Accept-Encoding refuses gzip.
_GZIP_REFUSED = re.compile(r"(?:^|,)\s*gzip\s*;\s*q\s*=\s*0(?:\.0{0,3})?\s*(?:,|$)")
_GZIP_NAMED = re.compile(r"(?:^|,)\s*(?:x-)?gzip\s*(?:[;,]|$)")


def accepts_gzip(request) -> bool:
    header = request.META.get("HTTP_ACCEPT_ENCODING", "").lower()
    return bool(_GZIP_NAMED.search(header)) and not _GZIP_REFUSED.search(header)


class Entry:
    """A built feed: its ETag, when it was built, and its two representations.

    A cached entry is stored as three cache values: the small description (ETag, time) and
    each representation on its own, so a conditional request answered with 304 reads only
    the description, and a client is sent only the representation it takes (a full feed
    of 10,000 events is 7.5 MB as built, 0.5 MB compressed).
    """

    REPRESENTATIONS = ("plain", "gzip")

    def __init__(self, etag: str, last_modified: float, bodies: dict, key=None, build=None):
        self.etag, self.last_modified, self.bodies = etag, last_modified, bodies
        self.key, self.build = key, build

    @classmethod
    def from_body(cls, body, compress: bool = True, last_modified=None) -> "Entry":
        """An entry for `body`; `compress=False` for one served once and not cached (the
        gzip copy is then made only if the client takes it).

        `body` may be what a build returns, `(body, last_modified)`: Last-Modified then
        comes from the content (the latest change of its events, ical.feed_document), the
        same in every worker and after a restart; without it, the time of building.
        """
        if isinstance(body, tuple):
            body, last_modified = body
        if last_modified is None:
            last_modified = datetime.now(UTC)
        return cls(
            etag=f'"{hashlib.sha256(body).hexdigest()[:40]}"',
            last_modified=float(int(last_modified.timestamp())),
            bodies={"plain": body, **({"gzip": _compressed(body)} if compress else {})},
        )

    def tag(self, compressed: bool) -> str:
        """The ETag of one representation (each must have its own)."""
        return f'{self.etag[:-1]}-gzip"' if compressed else self.etag

    def body(self, compressed: bool) -> bytes:
        name = "gzip" if compressed else "plain"
        if name in self.bodies:
            return self.bodies[name]
        if self.key is None:  # not cached: compressed only now that a client takes it
            self.bodies[name] = _compressed(self.bodies["plain"])
        elif (value := recent_bodies.get((self.key, name, self.etag))) is not None:
            self.bodies[name] = value
        elif (value := cache.get(f"{self.key}:{name}")) is not None:
            self.bodies[name] = value
            recent_bodies.put((self.key, name, self.etag), value)
        else:  # evicted on its own: build again (a new ETag if the content changed)
            fresh = _store(self.key, Entry.from_body(self.build()))
            self.etag, self.last_modified, self.bodies = (
                fresh.etag,
                fresh.last_modified,
                fresh.bodies,
            )
        return self.bodies[name]


class RecentBodies:
    """The bodies this worker served last, in memory, up to `limit` bytes.

    Keyed by cache key, representation and ETag, and consulted only after the shared cache
    has given the entry's current ETag, so a body kept here is never stale: a warm feed is
    then one small cache read instead of reading (and unpickling) megabytes from it.
    """

    def __init__(self, limit: int):
        self.limit, self.size, self.items = limit, 0, OrderedDict()
        self.lock = threading.Lock()

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = 0

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key, value: bytes) -> None:
        if len(value) > self.limit // 4:
            return
        with self.lock:
            if key in self.items:
                return
            self.items[key] = value
            self.size += len(value)
            while self.size > self.limit:
                _old, dropped = self.items.popitem(last=False)
                self.size -= len(dropped)


recent_bodies = RecentBodies(limit=64 * 1024 * 1024)


def _compressed(body: bytes) -> bytes:
    # mtime=0: the same body always compresses to the same bytes.
    return gzip.compress(body, compresslevel=6, mtime=0)


def _store(key: str, entry: Entry) -> Entry:
    values = {f"{key}:{name}": entry.bodies[name] for name in Entry.REPRESENTATIONS}
    for name in Entry.REPRESENTATIONS:
        recent_bodies.put((key, name, entry.etag), entry.bodies[name])
    values[key] = {"etag": entry.etag, "last_modified": entry.last_modified}
    cache.set_many(values, CACHE_TIMEOUT)
    return entry


def cached_entry(key: str, build) -> Entry:
    """The cached feed for `key`, built by `build()` when missing (returning the body, or
    the body and when its content last changed)."""
    meta = cache.get(key)
    if meta is None:
        return _store(key, Entry.from_body(build()))
    return Entry(meta["etag"], meta["last_modified"], {}, key=key, build=build)


def respond(
    request, entry: Entry, filename: str, private: bool = False, content_type: str = CONTENT_TYPE
):
    """A 200 with the body (gzip-compressed when the client accepts it), or a 304 when the
    client's copy is current."""
    compressed = accepts_gzip(request)
    not_modified = get_conditional_response(
        request, etag=entry.tag(compressed), last_modified=int(entry.last_modified)
    )
    if not_modified is not None:
        response = not_modified
    else:
        # Read before the headers: a body evicted from the cache is built again.
        response = HttpResponse(entry.body(compressed), content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        if compressed:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = entry.tag(compressed)
    response["Last-Modified"] = http_date(int(entry.last_modified))
    patch_vary_headers(response, ("Accept-Encoding",))
    if private:
        patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
    else:
        patch_cache_control(response, public=True, max_age=900)
    return response

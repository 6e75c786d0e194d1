"""HTTP side of the iCalendar feeds: caching, ETag/Last-Modified, 304 answers.

Built feeds are cached under a generation number that signals bump whenever an event is
published, unpublished, moved or deleted (see eventi.signals), so a change shows up at once.
"""

import hashlib
from datetime import UTC, datetime

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

CONTENT_TYPE = "text/calendar; charset=utf-8"
GENERATION_KEY = "eventi:feeds:generation"
CACHE_TIMEOUT = 60 * 60 * 6


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = 1
        cache.add(GENERATION_KEY, value, None)
    return value


def invalidate_related() -> None:
    """A venue, event type, topic or association changed: forget every cached feed.

    (The stored VEVENTs that show its name are dropped by eventi.signals.)
    """
    invalidate()


def invalidate() -> None:
    """Forget every cached feed (and every open-data export)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def cache_key(kind: str, *parts: str) -> str:
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    return f"eventi:{kind}:{generation()}:{digest}"


def build_entry(body: bytes) -> dict:
    return {
        "body": body,
        "etag": f'"{hashlib.sha256(body).hexdigest()[:40]}"',
        "last_modified": datetime.now(UTC).replace(microsecond=0).timestamp(),
    }


def cached_entry(key: str, build) -> dict:
    """The cached {body, etag, last_modified} for `key`, built by `build()` when missing."""
    entry = cache.get(key)
    if entry is None:
        entry = build_entry(build())
        cache.set(key, entry, CACHE_TIMEOUT)
    return entry


def respond(
    request, entry: dict, filename: str, private: bool = False, content_type: str = CONTENT_TYPE
):
    """A 200 with the body, or a 304 when the client's copy is current."""
    last_modified = int(entry["last_modified"])
    not_modified = get_conditional_response(
        request, etag=entry["etag"], last_modified=last_modified
    )
    if not_modified is not None:
        response = not_modified
    else:
        response = HttpResponse(entry["body"], content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(last_modified)
    if private:
        patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
    else:
        patch_cache_control(response, public=True, max_age=900)
    return response

"""The one invalidation module: generation counters for everything the public site caches.

Every cached value that depends on content is keyed with a *generation*; a change bumps the
generation, so every such value is stale at once (old entries simply expire). Nothing is
deleted key by key. Three generations:

- *content*: whole anonymous pages (portal.core.middleware). Moved by publishing, moving or
  deleting a page and by saving or deleting any record of the content apps (a comment, a
  support, an event, a topic...).
- *structure*: what every page's frame looks up (the portal settings, menus). Moved only by
  pages, sites, locales, view restrictions and the portal settings, so a new comment does
  not make the frame cold.
- *feeds*: built iCalendar feeds and open-data exports (eventi.feeds), moved by eventi's
  signals when an event, venue, type, topic or organiser changes.

Correct across processes: the generations live in the Django cache, which is shared by every
worker and app server. With `REDIS_URL` that is Redis; without it production and development
use Django's file-based cache in `CACHE_DIR` (portal.settings.base), shared by every worker
of one machine, so a page unpublished in one gunicorn worker is gone from the others at once
(tests/portal/test_cache_workers.py runs two real workers). Several machines need Redis.

Generations are read at most once per request (memoised on the request by the middleware),
so a cached page costs one cache read for its generation plus the page itself.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import time
from collections.abc import Iterator

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

CONTENT = "content"
STRUCTURE = "structure"
FEEDS = "feeds"
GENERATION_KEYS = {
    CONTENT: "portal:generation",
    STRUCTURE: "portal:generation:structure",
    FEEDS: "portal:generation:feeds",
}

# App labels whose records appear on public pages: any save or delete bumps the content
# generation (whole cached pages).
CONTENT_APP_LABELS = frozenset({"partecipazione", "eventi", "home", "taxonomy", "core"})
# Records every page's frame depends on (the page tree, sites, locales, private sections,
# the portal settings): they bump the *structure* generation too. A new comment or topic
# leaves the frame warm. Revisions, log entries and renditions are left out on purpose: they
# are written while editing drafts or while rendering pages.
STRUCTURE_MODELS = frozenset(
    {
        ("wagtailcore", "page"),
        ("wagtailcore", "site"),
        ("wagtailcore", "locale"),
        ("wagtailcore", "pageviewrestriction"),
        ("core", "portalsettings"),
    }
)
CONTENT_MODELS = STRUCTURE_MODELS | {("wagtailimages", "image"), ("wagtaildocs", "document")}
# User fields shown on public pages (names next to proposals and comments). Logging in only
# updates `last_login`, which must not empty the cache.
USER_FIELDS_IGNORED = frozenset({"last_login", "password"})

# Per-request memo of generation-keyed values (opened by the middleware for the request).
_request_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "portal_request_memo", default=None
)


def _fresh_generation(previous: int | None = None) -> int:
    """A new generation: the time in nanoseconds, always above the previous one.

    Two bumps in two processes never write the same value (no lost bump on a cache without
    an atomic increment, such as the file-based one), and a generation evicted from the cache
    never comes back with an old value.
    """
    now = time.time_ns()
    return now if previous is None or now > previous else previous + 1


def get_generation(scope: str = CONTENT) -> int:
    memo = _request_memo.get()
    memo_key = ("generation", scope)
    if memo is not None and memo_key in memo:
        return memo[memo_key]
    cache_key = GENERATION_KEYS[scope]
    generation = cache.get(cache_key)
    if generation is None:
        generation = _fresh_generation()
        if not cache.add(cache_key, generation, timeout=None):
            generation = cache.get(cache_key, generation)
    if memo is not None:
        memo[memo_key] = generation
    return generation


def current_generation(scope: str = CONTENT) -> int | None:
    """The generation as the shared cache has it now (not the request's memoised one)."""
    return cache.get(GENERATION_KEYS[scope])


def _bump(scopes) -> None:
    for scope in scopes:
        cache_key = GENERATION_KEYS[scope]
        cache.set(cache_key, _fresh_generation(cache.get(cache_key)), timeout=None)
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()


#: Scopes bumped inside `batched()`, bumped once when it ends (None: not batching).
_batched: contextvars.ContextVar[set | None] = contextvars.ContextVar("cache_batched", default=None)


@contextlib.contextmanager
def batched() -> Iterator[None]:
    """Every bump inside the block is made once, when it ends (and again on commit).

    For bulk work (an import of thousands of pages): one bump per scope instead of a cache
    write and an on-commit callback per saved record.
    """
    if _batched.get() is not None:  # nested: the outer block bumps
        yield
        return
    scopes: set = set()
    token = _batched.set(scopes)
    try:
        yield
    finally:
        _batched.reset(token)
        if scopes:
            bump(*sorted(scopes))


def bump(*scopes: str) -> None:
    """Make the values of `scopes` stale: now, and again when the transaction commits.

    The second bump covers a request that re-cached the old content between the change and
    its commit. Inside `batched()`, once at its end.
    """
    pending = _batched.get()
    if pending is not None:
        pending.update(scopes)
        return
    _bump(scopes)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(scopes))


def bump_generation(structure: bool = False) -> None:
    """The content generation moves; the structure one too when `structure` is true."""
    bump(*((CONTENT, STRUCTURE) if structure else (CONTENT,)))


def key(*parts, scope: str = CONTENT) -> str:
    """A cache key for `parts` in the current generation of `scope`."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()
    return f"portal:{scope}:{get_generation(scope)}:{digest}"


_MISSING = object()


def cached(parts: tuple, build, timeout: int | None = 300, scope: str = STRUCTURE):
    """The value of `build()` for `parts` in the current generation of `scope`.

    Memoised on the request first, then in the Django cache (shared by every worker).
    `None` is a valid, cached value. Outside a request `build()` runs every time.
    """
    memo = _request_memo.get()
    if memo is None:
        return build()
    cache_key = key(*parts, scope=scope)
    if cache_key in memo:
        return memo[cache_key]
    value = cache.get(cache_key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(cache_key, value, timeout)
    memo[cache_key] = value
    return value


def begin_request() -> contextvars.Token:
    return _request_memo.set({})


def end_request(token: contextvars.Token) -> None:
    _request_memo.reset(token)


# --- what bumps what ----------------------------------------------------------------------


def _label(sender) -> tuple[str, str] | None:
    meta = getattr(sender, "_meta", None)
    return None if meta is None else (meta.app_label, meta.model_name)


def _is_page(sender) -> bool:

    return isinstance(sender, type) and issubclass(sender, Page)


def _changed(sender) -> None:
    """Bump what a change to a `sender` record makes stale (nothing for other models)."""
    label = _label(sender)
    if label is None:
        return
    if label in STRUCTURE_MODELS or _is_page(sender):
        bump_generation(structure=True)
    elif label[0] in CONTENT_APP_LABELS or label in CONTENT_MODELS:
        bump_generation()


def on_model_saved(sender, instance=None, created=False, update_fields=None, raw=False, **kwargs):
    if raw:
        return  # fixtures loading
    if _label(sender) == ("accounts", "user"):
        # A new account has nothing public yet; a login only touches `last_login`.
        if not created and not (update_fields and set(update_fields) <= USER_FIELDS_IGNORED):
            bump_generation()
        return
    if created and _label(sender) == ("core", "portalsettings"):
        return  # created with the defaults every page already showed (on first access)
    _changed(sender)


def on_model_deleted(sender, **kwargs):
    if _label(sender) == ("accounts", "user"):
        bump_generation()
        return
    _changed(sender)


def on_m2m_changed(sender, instance=None, action="", **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        _changed(type(instance))


def on_page_changed(sender=None, **kwargs):
    bump_generation(structure=True)


def connect_signals() -> None:

    post_save.connect(on_model_saved, dispatch_uid="portal_cache_post_save")
    post_delete.connect(on_model_deleted, dispatch_uid="portal_cache_post_delete")
    m2m_changed.connect(on_m2m_changed, dispatch_uid="portal_cache_m2m")
    page_published.connect(on_page_changed, dispatch_uid="portal_cache_page_published")
    page_unpublished.connect(on_page_changed, dispatch_uid="portal_cache_page_unpublished")
    post_page_move.connect(on_page_changed, dispatch_uid="portal_cache_page_moved")

"""One generation counter for everything the public site caches, and the values built on it.

Every cached value that depends on content (whole anonymous pages, the site of a host name,
locales, the portal settings, menus) is keyed with the current *generation*. Publishing,
moving or deleting a page, and saving or deleting any record of the content apps bumps the
generation, so every such value is stale at once (old entries simply expire). Nothing is
deleted key by key, which works the same on the local-memory cache and on Redis shared by
several app servers.

The generation is read at most once per request (memoised on the request, see
`portal.core.middleware`), so a cached page costs one cache read for the generation and one
for the page.
"""

from __future__ import annotations

import contextvars
import hashlib
import time

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "portal:generation"

# App labels whose records appear on public pages: any save or delete bumps the generation.
CONTENT_APP_LABELS = frozenset({"partecipazione", "eventi", "home", "taxonomy", "core"})
# Wagtail records that change what every page shows (site routing, locales, private sections,
# the page tree itself). Revisions, log entries and renditions are left out on purpose: they
# are written while editing drafts or while rendering pages.
CONTENT_MODELS = frozenset(
    {
        ("wagtailcore", "page"),
        ("wagtailcore", "site"),
        ("wagtailcore", "locale"),
        ("wagtailcore", "pageviewrestriction"),
        ("wagtailimages", "image"),
        ("wagtaildocs", "document"),
    }
)
# User fields shown on public pages (names next to proposals and comments). Logging in only
# updates `last_login`, which must not empty the cache.
USER_FIELDS_IGNORED = frozenset({"last_login", "password"})

# Per-request memo of generation-keyed values (set by the middleware for the request's life).
_request_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "portal_request_memo", default=None
)


def _fresh_generation() -> int:
    # Time-based, so a generation evicted from the cache never comes back with an old value.
    return int(time.time() * 1000)


def get_generation() -> int:
    memo = _request_memo.get()
    if memo is not None and "generation" in memo:
        return memo["generation"]
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = _fresh_generation()
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY, generation)
    if memo is not None:
        memo["generation"] = generation
    return generation


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # missing (never set, evicted or expired)
        cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()


def bump_generation() -> None:
    """Make every generation-keyed value stale: now, and again when the transaction commits.

    The second bump covers a request that re-cached the old content between the change and
    its commit.
    """
    _bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        transaction.on_commit(_bump)


def key(*parts) -> str:
    """A cache key for `parts` in the current generation."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()
    return f"portal:{get_generation()}:{digest}"


_MISSING = object()


def cached(parts: tuple, build, timeout: int | None = 300):
    """The value of `build()` for `parts` in the current generation.

    Memoised on the request first, then in the Django cache (shared by every app server
    when Redis is configured). `None` is a valid, cached value.
    """
    cache_key = key(*parts)
    memo = _request_memo.get()
    if memo is not None and cache_key in memo:
        return memo[cache_key]
    value = cache.get(cache_key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(cache_key, value, timeout)
    if memo is not None:
        memo[cache_key] = value
    return value


def begin_request() -> contextvars.Token:
    return _request_memo.set({})


def end_request(token: contextvars.Token) -> None:
    _request_memo.reset(token)


def _is_content_model(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    if meta is None:
        return False
    return meta.app_label in CONTENT_APP_LABELS or (meta.app_label, meta.model_name) in (
        CONTENT_MODELS
    )


def on_model_saved(sender, instance=None, created=False, update_fields=None, raw=False, **kwargs):
    if raw:
        return  # fixtures loading
    meta = getattr(sender, "_meta", None)
    if meta is not None and (meta.app_label, meta.model_name) == ("accounts", "user"):
        # A new account has nothing public yet; a login only touches `last_login`.
        if created or (update_fields and set(update_fields) <= USER_FIELDS_IGNORED):
            return
        bump_generation()
        return
    if _is_content_model(sender):
        bump_generation()


def on_model_deleted(sender, **kwargs):
    meta = getattr(sender, "_meta", None)
    if _is_content_model(sender) or (
        meta is not None and (meta.app_label, meta.model_name) == ("accounts", "user")
    ):
        bump_generation()


def on_page_changed(sender=None, **kwargs):
    bump_generation()


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_save.connect(on_model_saved, dispatch_uid="portal_cache_post_save")
    post_delete.connect(on_model_deleted, dispatch_uid="portal_cache_post_delete")
    m2m_changed.connect(on_m2m_changed, dispatch_uid="portal_cache_m2m")
    page_published.connect(on_page_changed, dispatch_uid="portal_cache_page_published")
    page_unpublished.connect(on_page_changed, dispatch_uid="portal_cache_page_unpublished")
    post_page_move.connect(on_page_changed, dispatch_uid="portal_cache_page_moved")


def on_m2m_changed(sender, instance=None, action="", **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and _is_content_model(type(instance)):
        bump_generation()


def install_locale_memo() -> None:
    """Serve `Locale.objects.get_for_language` from the generation-keyed cache inside requests.

    Wagtail looks the active locale up with a query each time a page is localised (routing,
    menus, search): two or three identical queries per page. Outside a request (shell,
    commands, tests calling models directly) the original method runs unchanged.
    """
    from wagtail.models.i18n import LocaleManager

    original = LocaleManager.get_for_language
    if getattr(original, "portal_cached", False):
        return

    def get_for_language(self, language_code):
        if _request_memo.get() is None:
            return original(self, language_code)
        return cached(
            ("locale", language_code), lambda: original(self, language_code), timeout=3600
        )

    get_for_language.portal_cached = True
    get_for_language.__doc__ = original.__doc__
    LocaleManager.get_for_language = get_for_language


def install_view_restriction_shortcut() -> None:
    """Skip Wagtail's two view-restriction queries per page while no page is restricted.

    Inside a request, `Page.get_view_restrictions()` first asks the generation-keyed cache
    whether any `PageViewRestriction` exists at all; creating or deleting one bumps the
    generation, so the answer is never stale. With restrictions present, Wagtail's own
    method runs unchanged.
    """
    from wagtail.models import Page, PageViewRestriction

    original = Page.get_view_restrictions
    if getattr(original, "portal_cached", False):
        return

    def get_view_restrictions(self):
        if _request_memo.get() is not None and not cached(
            ("any-view-restriction",), PageViewRestriction.objects.exists, timeout=3600
        ):
            return PageViewRestriction.objects.none()
        return original(self)

    get_view_restrictions.portal_cached = True
    get_view_restrictions.__doc__ = original.__doc__
    Page.get_view_restrictions = get_view_restrictions

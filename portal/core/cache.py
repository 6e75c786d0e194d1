"""Generation counters for everything the public site caches, and the values built on them.

Every cached value that depends on content is keyed with a *generation*; a change bumps the
generation, so every such value is stale at once (old entries simply expire). Nothing is
deleted key by key, which works the same on the local-memory cache and on Redis shared by
several app servers. Two generations:

- *content*: whole anonymous pages (portal.core.middleware). Moved by publishing, moving or
  deleting a page and by saving or deleting any record of the content apps (a comment, a
  support, an event, a topic...).
- *structure*: what every page's frame looks up (the site of a host name, locales, the portal
  settings, whether any page is private, menus). Moved only by pages, sites, locales, view
  restrictions and the portal settings, so a new comment does not make the frame cold.

Generations are read at most once per request (memoised on the request, see
`portal.core.middleware`), so a cached page costs two cache reads: the generation and the
page.
"""

from __future__ import annotations

import contextvars
import hashlib
import time

from django.core.cache import cache
from django.db import transaction

CONTENT = "content"
STRUCTURE = "structure"
GENERATION_KEYS = {CONTENT: "portal:generation", STRUCTURE: "portal:generation:structure"}

# App labels whose records appear on public pages: any save or delete bumps the content
# generation (whole cached pages).
CONTENT_APP_LABELS = frozenset({"partecipazione", "eventi", "home", "taxonomy", "core"})
# Records every page's frame depends on (site routing, locales, private sections, the portal
# settings, the page tree): they bump the *structure* generation too, which keys the cached
# site, locale, settings and menu lookups. A new comment or topic leaves those warm.
# Revisions, log entries and renditions are left out on purpose: they are written while
# editing drafts or while rendering pages.
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

# Per-request memo of generation-keyed values (set by the middleware for the request's life).
_request_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "portal_request_memo", default=None
)


def _fresh_generation() -> int:
    # Time-based, so a generation evicted from the cache never comes back with an old value.
    return int(time.time() * 1000)


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


def _bump(scopes) -> None:
    for scope in scopes:
        try:
            cache.incr(GENERATION_KEYS[scope])
        except ValueError:  # missing (never set, evicted or expired)
            cache.set(GENERATION_KEYS[scope], _fresh_generation(), timeout=None)
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()


def bump_generation(structure: bool = False) -> None:
    """Make generation-keyed values stale: now, and again when the transaction commits.

    The content generation always moves; the structure one too when `structure` is true.
    The second bump covers a request that re-cached the old content between the change and
    its commit.
    """
    scopes = (CONTENT, STRUCTURE) if structure else (CONTENT,)
    _bump(scopes)
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _bump(scopes))


def key(*parts, scope: str = CONTENT) -> str:
    """A cache key for `parts` in the current generation of `scope`."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()
    return f"portal:{scope}:{get_generation(scope)}:{digest}"


_MISSING = object()


def cached(parts: tuple, build, timeout: int | None = 300, scope: str = STRUCTURE):
    """The value of `build()` for `parts` in the current generation of `scope`.

    Memoised on the request first, then in the Django cache (shared by every app server
    when Redis is configured). `None` is a valid, cached value. Outside a request (or with
    `PORTAL_FRAME_CACHE` off, see the middleware) `build()` runs every time.
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


def in_request() -> bool:
    return _request_memo.get() is not None


def _label(sender) -> tuple[str, str] | None:
    meta = getattr(sender, "_meta", None)
    return None if meta is None else (meta.app_label, meta.model_name)


def _is_page(sender) -> bool:
    from wagtail.models import Page

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
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_save.connect(on_model_saved, dispatch_uid="portal_cache_post_save")
    post_delete.connect(on_model_deleted, dispatch_uid="portal_cache_post_delete")
    m2m_changed.connect(on_m2m_changed, dispatch_uid="portal_cache_m2m")
    page_published.connect(on_page_changed, dispatch_uid="portal_cache_page_published")
    page_unpublished.connect(on_page_changed, dispatch_uid="portal_cache_page_unpublished")
    post_page_move.connect(on_page_changed, dispatch_uid="portal_cache_page_moved")


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


def prime(parts: tuple, value, timeout: int | None = 300, scope: str = STRUCTURE) -> None:
    """Store `value` as what `cached(parts, ...)` would build (inside a request only).

    Lets one query that fetched several frame values at once (see the middleware's site
    lookup) fill the entries that would otherwise cost a query each.
    """
    memo = _request_memo.get()
    if memo is None:
        return
    cache_key = key(*parts, scope=scope)
    cache.set(cache_key, value, timeout)
    memo[cache_key] = value


ANY_VIEW_RESTRICTION = ("any-view-restriction",)
VIEW_RESTRICTION_PATHS = ("view-restriction-paths",)


def any_view_restriction() -> bool:
    """Whether any page is view-restricted (cached; primed by the middleware's site lookup)."""
    from wagtail.models import PageViewRestriction

    return cached(ANY_VIEW_RESTRICTION, PageViewRestriction.objects.exists, timeout=3600)


def view_restriction_paths() -> list[str]:
    """Tree paths of the view-restricted pages (cached; asked only when some exist)."""
    from wagtail.models import PageViewRestriction

    if not any_view_restriction():
        return []
    return cached(
        VIEW_RESTRICTION_PATHS,
        lambda: sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True))),
        timeout=3600,
    )


def install_view_restriction_shortcut() -> None:
    """Serve Wagtail's view-restriction look-ups from the generation-keyed cache in requests.

    - `Page.get_view_restrictions()` (two queries on every served page) first asks whether
      any `PageViewRestriction` exists at all, and returns none without a query if not;
    - `PageQuerySet.private_q()` (behind `.public()`, one query per call) is built from the
      cached tree paths of the restricted pages.

    Creating or deleting a restriction (or moving a page) bumps the structure generation, so
    neither answer is ever stale. Outside a request Wagtail's own methods run unchanged.
    """
    from django.db.models import Q
    from wagtail.models import Page, PageViewRestriction
    from wagtail.query import PageQuerySet

    original = Page.get_view_restrictions
    if getattr(original, "portal_cached", False):
        return

    def get_view_restrictions(self):
        if _request_memo.get() is not None and not any_view_restriction():
            return PageViewRestriction.objects.none()
        return original(self)

    get_view_restrictions.portal_cached = True
    get_view_restrictions.__doc__ = original.__doc__
    Page.get_view_restrictions = get_view_restrictions

    original_private_q = PageQuerySet.private_q

    def private_q(self):
        if _request_memo.get() is None:
            return original_private_q(self)
        q = Q()
        # A restricted page's path is a prefix of its own and of its descendants' paths
        # (what Wagtail's `descendant_of_q(page, inclusive=True)` tests).
        for path in view_restriction_paths():
            q |= Q(path__startswith=path)
        return q if q else Q(pk__in=[])

    private_q.portal_cached = True
    private_q.__doc__ = original_private_q.__doc__
    PageQuerySet.private_q = private_q

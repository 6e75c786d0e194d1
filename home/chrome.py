"""What every page's frame shows (menu, breadcrumbs, translations), read from Wagtail's tree API.

`page_chrome` returns a `Chrome` whose parts are Wagtail's own look-ups, run only when a
template asks for them: the breadcrumbs are `page.get_ancestors()`, the language links
`page.get_translations()`, the menu the home page's `get_children().live().in_menu()`.
base.html renders the frame inside Wagtail's fragment cache tags (`{% wagtailpagecache %}`,
`{% wagtailcache %}`) keyed by `frame_key` (the *structure* generation of portal.core.cache and
the site) and the language, so while those fragments are warm none of these queries runs;
a cold fragment costs a fixed number of queries whatever the size of the site. Private
sections are left out inside the same query (`portal.core.pages.public`).

The menu of a translated tree (English, under `/en/`) lists every section of the default
language's tree (Italian): a section's translation when it has a live one, the Italian page
otherwise, linked under `/en/` where `HomePage.route` serves it from the Italian tree.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import cached_property
from django.utils.translation import get_language
from wagtail.models import Page, Site

from portal.core import cache as portal_cache
from portal.core.pages import in_private_section, public  # noqa: F401 (home's listings)


def page_chrome(request, page) -> Chrome:
    """The frame of `page` (None for the views that are not Wagtail pages), once per request."""
    memo = getattr(request, "_home_chrome", None) if request is not None else None
    key = getattr(page, "pk", None)
    if memo is not None and memo[0] == key:
        return memo[1]
    chrome = Chrome(request, page if key else None)
    if request is not None:
        request._home_chrome = (key, chrome)
    return chrome


def frame_key(request) -> str:
    """What every cached frame fragment varies on besides the language and the page."""
    site = Site.find_for_request(request) if request is not None else None
    generation = portal_cache.get_generation(portal_cache.STRUCTURE)
    return f"{generation}.{site.pk if site else 0}"


def localized_root(request):
    """The site's home page in the active language (the Italian one if untranslated).

    Cached with the frame (structure generation): Wagtail's `localized` costs a query for
    any language but the site root's.
    """
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return None
    return portal_cache.cached(
        ("localized-root", site.pk, get_language()), lambda: site.root_page.localized
    )


def _is_default_language() -> bool:
    return (get_language() or settings.LANGUAGE_CODE) == settings.LANGUAGE_CODE


class Chrome:
    """The frame of one page: each part is looked up the first time a template reads it."""

    def __init__(self, request, page: Page | None):
        self.request = request
        self.page = page
        self.site = Site.find_for_request(request) if request is not None else None

    @property
    def cache_key(self) -> str:
        """What a frame fragment varies on besides `frame_key` and the language.

        Wagtail's `page.cache_key` for a page (what `{% wagtailpagecache %}` adds), the path
        for the other views (whose `page` may be a paginator's page, which that tag refuses).
        """
        if self.page is not None:
            return self.page.cache_key
        return getattr(self.request, "path", "")

    @cached_property
    def _tree_ancestors(self) -> list[Page]:
        """The page's ancestors below the tree root (its language's home page first)."""
        if self.page is None:
            return []
        return list(self.page.get_ancestors().filter(depth__gt=1))

    @cached_property
    def _menu_home(self) -> Page | None:
        """The active language's home when the page is in the default tree but served in
        another language (an untranslated section under /en/, see `HomePage.route`)."""
        if self.site is None or _is_default_language():
            return None
        page_home = self._page_home
        if page_home is not None and page_home.path != self.site.root_page.path:
            return None  # a page of a translated tree: its own home
        home = localized_root(self.request)
        if home is None or home.path == self.site.root_page.path:
            return None
        return home

    @cached_property
    def _page_home(self) -> Page | None:
        if self.page is None:
            return None
        if self.page.depth == 2:
            return self.page
        return next((p for p in self._tree_ancestors if p.depth == 2), None)

    @cached_property
    def root(self) -> Page | None:
        """The home page the brand links to and whose sections make the menu."""
        if self.page is None:
            if self.site is None:
                return None
            return self.site.root_page if _is_default_language() else localized_root(self.request)
        return self._menu_home or self._page_home

    @cached_property
    def ancestors(self) -> list[Page]:
        ancestors = self._tree_ancestors
        if self._menu_home is not None and ancestors:
            # An Italian page under /en/: the breadcrumbs' "Home" is this language's home.
            return [self._menu_home, *ancestors[1:]]
        return ancestors

    @cached_property
    def translations(self) -> list[Page]:
        """The page's live, public translations (the page itself too), by locale."""
        if self.page is None or not self.page.translation_key:
            return []
        translations = list(
            public(self.page.get_translations(inclusive=True).live()).select_related("locale")
        )
        if not any(p.pk == self.page.pk for p in translations):
            translations.append(self.page)  # a draft being previewed
        return sorted(translations, key=lambda p: p.locale_id)

    @cached_property
    def menu(self) -> list[Page]:
        """The root's public sections shown in menus (and, in a translated tree, the default
        tree's: see the module's docstring)."""
        root = self.root
        if root is None:
            return []
        default_home = self.site.root_page if self.site is not None else None
        if (
            default_home is None
            or root.path == default_home.path
            or root.translation_key != default_home.translation_key
        ):
            return list(public(root.get_children().live().in_menu()))
        return self._translated_menu(root, default_home)

    def _translated_menu(self, root: Page, default_home: Page) -> list[Page]:
        # Every live section of this tree (hidden ones too, to honour their menu flag).
        own = {p.translation_key: p for p in public(root.get_children().live())}
        root_url = root.get_url(self.request)
        menu = []
        for section in public(default_home.get_children().live().in_menu()):
            translation = own.pop(section.translation_key, None)
            if translation is not None:
                if translation.show_in_menus:
                    menu.append(translation)
            elif root_url:
                # Untranslated: the Italian page, at its path under this language's home.
                section.menu_url = root_url + section.slug + "/"
                menu.append(section)
        # Sections that exist only in this language, after the translated ones.
        menu.extend(p for p in own.values() if p.show_in_menus)
        return menu

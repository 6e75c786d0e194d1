"""What every page's frame needs (menu, breadcrumbs, translations), in few queries.

`page_chrome` loads the page's ancestors, the main menu of its language tree and its live
translations with ONE query, and the private sections once per request, so the frame costs
the same whatever the size of the site. Private sections are excluded inside the same SQL
query (a correlated EXISTS), never with an extra query.

The menu of a translated tree (English, under `/en/`) lists every section of the default
language's tree (Italian): a section's translation when it has a live one, the Italian page
otherwise, linked under `/en/` where `HomePage.route` serves it from the Italian tree. Both
trees' sections come from the same single query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils.translation import get_language
from wagtail.models import Page, Site

from portal.core import cache as portal_cache
from portal.core.pages import in_private_section, public  # noqa: F401 (home's listings)


@dataclass
class Chrome:
    root: Page | None = None
    menu: list = field(default_factory=list)
    ancestors: list = field(default_factory=list)
    translations: list = field(default_factory=list)


def page_chrome(request, page) -> Chrome:
    memo = getattr(request, "_home_chrome", None) if request is not None else None
    key = getattr(page, "pk", None)
    if memo is not None and memo[0] == key:
        return memo[1]
    chrome = _page_chrome(request, page) if key else _site_chrome(request)
    if request is not None:
        request._home_chrome = (key, chrome)
    return chrome


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


def _menu_roots(request, page_root_path: str):
    """(menu root page if not the page's own tree root, menu tree path, default tree path).

    The default tree path (the site root's, Italian) is given only for another tree, whose
    menu then lists the default tree's sections too. The menu follows the active language:
    a page of the Italian tree served under /en/ (an untranslated section, see
    `HomePage.route`) shows the English menu. No query unless that is the case.
    """
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return None, page_root_path, None
    default_root_path = site.root_page.path
    if page_root_path != default_root_path:
        # A translated tree (checked against the site root after the query) or, in an
        # admin preview, another site's tree.
        return None, page_root_path, default_root_path
    if _is_default_language():
        return None, page_root_path, None
    root = localized_root(request)
    if root is None or root.path == default_root_path:
        return None, page_root_path, None
    return root, root.path, default_root_path


def _same_tree_family(request, root) -> bool:
    """Whether `root` is a translation of the site's root page (or the root itself)."""
    site = Site.find_for_request(request) if request is not None else None
    return (
        site is not None
        and root is not None
        and root.translation_key == site.root_page.translation_key
    )


def _is_default_language() -> bool:

    return (get_language() or settings.LANGUAGE_CODE) == settings.LANGUAGE_CODE


def _menu_query(root_path: str, default_root_path: str | None) -> Q:
    """Top-level sections of this tree (and of the default tree for a translated tree)."""
    if default_root_path is None:
        return Q(depth=3, path__startswith=root_path, live=True, show_in_menus=True)
    # A translated tree: its live sections (hidden ones too, to honour their menu flag) and
    # the default tree's menu sections.
    return Q(depth=3, path__startswith=root_path, live=True) | Q(
        depth=3, path__startswith=default_root_path, live=True, show_in_menus=True
    )


def _menu(request, rows, root, root_path: str, default_root_path: str | None) -> list:
    """The menu sections out of `rows` (annotated with `is_private`), in tree order."""
    own = [
        row
        for row in rows
        if row.depth == 3 and row.path.startswith(root_path) and row.live and not row.is_private
    ]
    if default_root_path is None:
        return [row for row in own if row.show_in_menus]
    translated = {row.translation_key: row for row in own}
    root_url = root.get_url(request) if root is not None else None
    menu = []
    for row in rows:
        if not (
            row.depth == 3
            and row.path.startswith(default_root_path)
            and row.live
            and row.show_in_menus
        ):
            continue
        translation = translated.pop(row.translation_key, None)
        if translation is not None:
            if translation.show_in_menus:
                menu.append(translation)
        elif not row.is_private and root_url:
            # Untranslated: the Italian page, at its path under this language's home.
            row.menu_url = root_url + row.slug + "/"
            menu.append(row)
    # Sections that exist only in this language, after the translated ones.
    menu.extend(row for row in translated.values() if row.show_in_menus)
    return menu


def _page_chrome(request, page) -> Chrome:
    steplen = page.steplen
    page_root_path = page.path[: steplen * 2]
    menu_root, root_path, default_root_path = _menu_roots(request, page_root_path)
    ancestor_paths = [page.path[:end] for end in range(steplen * 2, len(page.path), steplen)]
    query = Q(path__in=ancestor_paths) | _menu_query(root_path, default_root_path)
    if page.translation_key:
        query |= Q(translation_key=page.translation_key, live=True)
    rows = list(
        Page.objects.filter(query)
        .annotate(is_private=in_private_section())
        .select_related("locale")
        .order_by("path")
    )
    chrome = Chrome()
    chrome.ancestors = [row for row in rows if row.path in ancestor_paths]
    chrome.root = menu_root or (
        page
        if page.path == page_root_path
        else next((row for row in chrome.ancestors if row.path == page_root_path), None)
    )
    if menu_root is not None and chrome.ancestors:
        # An Italian page under /en/: the breadcrumbs' "Home" is this language's home.
        chrome.ancestors = [menu_root, *chrome.ancestors[1:]]
    if default_root_path is not None and not _same_tree_family(request, chrome.root):
        default_root_path = None  # another site's tree: its own sections only
    chrome.menu = _menu(request, rows, chrome.root, root_path, default_root_path)
    translations = [
        row
        for row in rows
        if page.translation_key
        and row.translation_key == page.translation_key
        and not row.is_private
    ]
    if not any(row.pk == page.pk for row in translations):
        translations.append(page)  # a draft being previewed
    chrome.translations = sorted(translations, key=lambda p: p.locale_id)
    return chrome


def _site_chrome(request) -> Chrome:
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return Chrome()
    root = site.root_page if _is_default_language() else localized_root(request)
    default_root_path = site.root_page.path if site.root_page.path != root.path else None
    rows = list(
        Page.objects.filter(_menu_query(root.path, default_root_path))
        .annotate(is_private=in_private_section())
        .order_by("path")
    )
    menu = _menu(request, rows, root, root.path, default_root_path)
    return Chrome(root=root, menu=menu, ancestors=[], translations=[])

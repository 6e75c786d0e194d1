"""What every page's frame needs (menu, breadcrumbs, translations), in few queries.

`page_chrome` loads the page's ancestors, the main menu of its language tree and its live
translations with ONE query, and the private sections once per request, so the frame costs
the same whatever the size of the site. Private sections are excluded inside the same SQL
query (a correlated EXISTS), never with an extra query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from wagtail.models import Page, Site

from portal.core.pages import in_private_section


def public(queryset, request=None):
    """Like `PageQuerySet.public()`, but inside the same SQL query (no extra query)."""
    return queryset.exclude(in_private_section())


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


def _page_chrome(request, page) -> Chrome:
    steplen = page.steplen
    root_path = page.path[: steplen * 2]
    ancestor_paths = [page.path[:end] for end in range(steplen * 2, len(page.path), steplen)]
    query = Q(path__in=ancestor_paths) | Q(
        depth=3, path__startswith=root_path, live=True, show_in_menus=True
    )
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
    chrome.root = (
        page
        if page.path == root_path
        else next((row for row in chrome.ancestors if row.path == root_path), None)
    )
    chrome.menu = [
        row
        for row in rows
        if row.depth == 3
        and row.path.startswith(root_path)
        and row.live
        and row.show_in_menus
        and not row.is_private
    ]
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
    root = site.root_page.localized
    menu = public(root.get_children().live().in_menu(), request)
    return Chrome(root=root, menu=list(menu), ancestors=[], translations=[])

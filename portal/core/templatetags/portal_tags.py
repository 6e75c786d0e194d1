"""Template tags shared by every page: navigation and sanitised user text."""

from django import template
from django.conf import settings
from django.utils.translation import get_language
from wagtail.models import Page, Site

from portal.core import cache as portal_cache
from portal.core import sanitize

register = template.Library()


@register.filter
def clean_comment(value):
    return sanitize.clean_comment(value)


@register.filter
def clean_rich_text(value):
    return sanitize.clean_rich_text(value)


@register.filter
def plain_text(value):
    return sanitize.to_plain_text(value)


def _site_root(request):
    site = Site.find_for_request(request) if request else None
    return site.root_page if site else None


def _localized_root(request):
    """The site's home page in the active language (no query in the default language)."""
    root = _site_root(request)
    if root is None or get_language() == settings.LANGUAGE_CODE:
        return root
    return root.localized


@register.simple_tag(takes_context=True)
def main_menu_pages(context):
    """Live, public pages directly under the home page that are marked 'show in menus'.

    Cached per site and language in the current content generation (portal.core.cache),
    and memoised on the request whatever the number of includes.
    """
    request = context.get("request")
    cached = getattr(request, "_portal_main_menu", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request) if request else None
    if site is None:
        pages = []
    else:

        def build():
            root = _localized_root(request)
            return list(root.get_children().live().public().in_menu())

        pages = portal_cache.cached(("main-menu", site.pk, get_language()), build)
    if request is not None:
        request._portal_main_menu = pages
    return pages


@register.simple_tag(takes_context=True)
def site_root_url(context):
    request = context.get("request")
    root = _localized_root(request)
    return root.get_url(request) if root else "/"


@register.simple_tag(takes_context=True)
def is_active_section(context, page):
    """True when the current page is `page` or one of its descendants."""
    current = context.get("page") or context.get("self")
    if not isinstance(current, Page):
        path = getattr(context.get("request"), "path", "")
        url = page.get_url(context.get("request")) or ""
        return bool(url and url != "/" and path.startswith(url))
    return current.path.startswith(page.path)


@register.simple_tag(takes_context=True)
def translated_url(context, language_code):
    """The current URL in `language_code` (app pages), for a language switcher made of links.

    Links need no CSRF token, unlike Django's `set_language` form, so the page stays
    shareable by the anonymous page cache without per-visitor work.
    """
    from django.urls import translate_url

    request = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), language_code)

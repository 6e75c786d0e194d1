"""Template tags shared by every page: navigation helpers and sanitised user text.

The menu, breadcrumbs and translations of the page frame come from `home.chrome`."""

from django import template
from django.urls import translate_url
from wagtail.models import Page

from portal.core import sanitize

register = template.Library()


@register.filter
def clean_comment(value):
    return sanitize.clean_comment(value)


@register.filter
def clean_rich_text(value):
    return sanitize.clean_rich_text(value)


@register.filter
def markdown_comment(value):
    return sanitize.render_markdown_comment(value)


@register.filter
def markdown_rich_text(value):
    return sanitize.render_markdown_rich_text(value)


@register.filter
def plain_text(value):
    return sanitize.to_plain_text(value)


@register.simple_tag(takes_context=True)
def is_active_section(context, page):
    """True when the current page is `page` or one of its descendants."""
    current = context.get("page") or context.get("self")
    if not isinstance(current, Page):
        path = getattr(context.get("request"), "path", "")
        # A menu section may link elsewhere than its own URL (see home.chrome).
        url = getattr(page, "menu_url", None) or page.get_url(context.get("request")) or ""
        return bool(url and url != "/" and path.startswith(url))
    return current.path.startswith(page.path)


@register.simple_tag(takes_context=True)
def translated_url(context, language_code):
    """The current URL in `language_code` (app pages), for a language switcher made of links.

    Links need no CSRF token, unlike Django's `set_language` form, so the page stays
    shareable by the anonymous page cache without per-visitor work.
    """

    request = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), language_code)

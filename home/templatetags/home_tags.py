"""Template helpers of the content pages: rating form, translations, SEO."""

from django import template
from wagtail.models import Page

from home.chrome import frame_key as chrome_frame_key
from home.chrome import page_chrome
from home.forms import PageFeedbackForm
from home.models import NewsIndexPage, TopicIndexPage
from home.views import RATED_PAGE_TYPES

register = template.Library()


@register.simple_tag(takes_context=True)
def page_feedback_form(context):
    """The rating form bound to the submitted data after an error, an empty one otherwise."""

    return context.get("feedback_form") or PageFeedbackForm()


@register.filter
def is_rated_page(page) -> bool:
    """Whether the page shows the 'how clear is this page?' rating (see home.views)."""
    return isinstance(page, RATED_PAGE_TYPES)


@register.simple_tag(takes_context=True)
def chrome(context):
    """Menu, breadcrumbs and translations of the current page (see home.chrome)."""

    page = context.get("page")
    return page_chrome(context.get("request"), page if isinstance(page, Page) else None)


@register.simple_tag(takes_context=True)
def frame_key(context):
    """The structure generation and the site: what the cached frame fragments vary on."""
    return chrome_frame_key(context.get("request"))


@register.filter
def is_page(value):
    return isinstance(value, Page)


@register.filter
def menu_data_element(page) -> str:
    """The municipal model's `data-element` of a main-menu section (read by AGID's validator).

    The news section is the model's "Novità", the topics index its "Argomenti" list; every
    other section is one of the site's own first-level sections ("custom-submenu").
    """
    cls = getattr(page, "specific_class", None) or type(page)
    if issubclass(cls, NewsIndexPage):
        return "news"
    if issubclass(cls, TopicIndexPage):
        return "all-topics"
    return "custom-submenu"

"""Template helpers of the content pages: rating form, translations, SEO."""

from django import template
from wagtail.models import Page

from home.chrome import page_chrome
from home.forms import PageFeedbackForm

register = template.Library()


@register.simple_tag(takes_context=True)
def page_feedback_form(context):
    """The rating form bound to the submitted data after an error, an empty one otherwise."""

    return context.get("feedback_form") or PageFeedbackForm()


@register.simple_tag(takes_context=True)
def chrome(context):
    """Menu, breadcrumbs and translations of the current page (see home.chrome)."""

    page = context.get("page")
    return page_chrome(context.get("request"), page if isinstance(page, Page) else None)


@register.filter
def is_page(value):
    return isinstance(value, Page)

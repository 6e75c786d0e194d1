"""``{% load comment_tags %}{% comments_for obj %}``: the thread and the form, on any page."""

from django import template

from partecipazione.comments import thread_context

register = template.Library()


@register.inclusion_tag("partecipazione/includes/comments.html", takes_context=True)
def comments_for(context, obj, form=None):
    request = context.get("request")
    return thread_context(request, obj, form=form)

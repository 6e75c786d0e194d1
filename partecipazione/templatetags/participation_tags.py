"""Template side of the permission module: ``{% can "support" proposal as may_support %}``."""

from django import template

from partecipazione import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action, obj=None):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return permissions.can(user, action, obj)


@register.filter
def is_participation_moderator(user):
    return permissions.is_moderator(user)

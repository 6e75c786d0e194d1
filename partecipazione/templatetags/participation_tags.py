"""Template side of the permission module: ``{% can "support" proposal as may_support %}``."""

from django import template

from partecipazione import permissions
from partecipazione.models import Notification

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action, obj=None):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return permissions.can(user, action, obj)


@register.filter
def is_participation_moderator(user):
    return permissions.is_moderator(user)


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """Unread on-site notifications of the signed-in user (one query; 0 and none for others).

    Only for signed-in users, who are never served from the anonymous page cache.
    """

    request = context.get("request")
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

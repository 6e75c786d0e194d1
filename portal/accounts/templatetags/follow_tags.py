"""``{% follow_button obj %}``: the accessible follow/unfollow button for any followable object."""

from django import template

from portal.accounts import follows

register = template.Library()


@register.inclusion_tag("accounts/includes/follow_button.html", takes_context=True)
def follow_button(context, obj, following=None, label=None):
    """Render a follow toggle for `obj`.

    At most one query (an ``exists()``); pass ``following=True/False`` when the caller already
    knows (e.g. from ``follows.followed_ids`` on a listing) to make it zero.
    """
    request = context.get("request")
    if not follows.is_followable(obj):  # not registered (or a non-specific Wagtail page)
        return {"followable": False}
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    if authenticated and following is None:
        following = follows.is_following(user, obj)
    return {
        "followable": True,
        "request": request,
        "obj": obj,
        "name": label or str(obj),
        "authenticated": authenticated,
        "following": bool(following),
        "ct_id": follows.content_type_id(obj),
        "next": request.get_full_path() if request else "/",
    }

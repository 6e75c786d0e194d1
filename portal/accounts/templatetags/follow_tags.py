"""``{% follow_button obj %}``: the accessible follow/unfollow button for any followable object."""

from django import template

from portal.accounts import follows

register = template.Library()

# After "Accedi per seguire" the login brings the person back with this parameter: the page
# then shows the button highlighted with a hint (following itself always takes a POST).
ASK_PARAM = "segui"


def _login_next(request) -> str:
    """The current page with ``?segui=1``: where the login brings the person back."""
    if request is None:
        return "/"
    query = request.GET.copy()
    query[ASK_PARAM] = "1"
    return f"{request.path}?{query.urlencode()}"


@register.inclusion_tag("accounts/includes/follow_button.html", takes_context=True)
def follow_button(context, obj, following=None, label=None):
    """Render a follow toggle for `obj`.

    At most one query (an ``exists()``); pass ``following=True/False`` when the caller already
    knows (e.g. from ``follows.followed_ids`` on a listing) to make it zero. Anonymous
    visitors get a login link that carries no user data (the page may be cached for them).
    """
    request = context.get("request")
    if obj is None or not follows.is_followable(obj):  # not registered (or a generic Page)
        return {"followable": False}
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    if authenticated and following is None:
        following = follows.is_following(user, obj)
    asked = bool(authenticated and not following and request and request.GET.get(ASK_PARAM) == "1")
    return {
        "followable": True,
        "request": request,
        "obj": obj,
        "name": label or str(obj),
        "authenticated": authenticated,
        "following": bool(following),
        "asked": asked,
        "ct_id": follows.content_type_id(obj),
        "next": request.get_full_path() if request else "/",
        "login_next": _login_next(request) if not authenticated else "",
    }

"""Building a comment thread for display (one query for the whole thread)."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from partecipazione import permissions
from partecipazione.forms import CommentForm
from partecipazione.models import Comment
from portal.accounts.names import staff_badge_annotation


def target_url(obj) -> str:
    if hasattr(obj, "get_url"):
        return obj.get_url() or "/"
    if hasattr(obj, "get_absolute_url"):
        return obj.get_absolute_url()
    return "/"


def build_thread(comments, viewer=None):
    """Nest a flat, chronological list: returns the top-level comments, each with `.children`."""
    by_id = {}
    roots = []
    viewer_id = getattr(viewer, "pk", None)
    for c in comments:
        if c.is_pending and (viewer_id is None or c.author_id != viewer_id):
            continue  # waiting for approval: only its author sees it
        c.children = []
        by_id[c.pk] = c
    for c in by_id.values():
        parent = by_id.get(c.parent_id) if c.parent_id else None
        if parent is not None:
            parent.children.append(c)
        elif c.parent_id is None:
            roots.append(c)
    return roots


def thread_context(request, obj, form=None):
    user = getattr(request, "user", None)
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    comments = list(
        Comment.objects.filter(content_type=ct, object_id=obj.pk)
        .select_related("author")
        .annotate(author_badge=staff_badge_annotation())
        .order_by("created_at", "pk")
    )
    roots = build_thread(comments, user)
    for c in comments:
        c.may_edit = permissions.can(user, "edit_comment", c)
        c.may_delete = permissions.can(user, "delete_comment", c)
        c.may_report = permissions.can(user, "report", c) and not c.is_removed
        c.may_reply = c.depth < Comment.MAX_DEPTH
    next_url = request.get_full_path() if request is not None else target_url(obj)
    return {
        "request": request,
        "target": obj,
        "comments": roots,
        "comment_total": sum(1 for c in comments if c.is_visible and not c.is_removed),
        "may_comment": permissions.can(user, "comment", obj),
        "is_authenticated": getattr(user, "is_authenticated", False),
        "form": form or CommentForm(initial={"next": next_url}),
        "post_url": reverse(
            "partecipazione:comment_post", kwargs={"ct_id": ct.pk, "object_id": obj.pk}
        ),
        "next_url": next_url,
        "comment_ct_id": ContentType.objects.get_for_model(Comment).pk,
    }

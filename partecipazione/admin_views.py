"""The reports overview: the one moderation screen that is not a viewset.

The proposal and comment queues and their actions (moderate, hide, restore) and the
associations to verify are Wagtail viewsets in ``admin_viewsets``; suspensions and the
moderation log in ``admin_suspensions``. This page gathers flagged content of both kinds
with its pending reports; its buttons post to the viewsets' actions.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render

from partecipazione import permissions
from partecipazione.forms import ReasonForm
from partecipazione.models import (
    Comment,
    Proposal,
    Report,
)


def moderator_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not permissions.can(request.user, "moderate"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@moderator_required
def reports(request):
    """Flagged or hidden content, and comments waiting for pre-moderation."""
    comments = list(
        Comment.objects.filter(Q(report_count__gt=0) | Q(is_hidden=True) | Q(is_pending=True))
        .filter(is_removed=False)
        .select_related("author", "content_type")
        .order_by("-report_count", "-created_at")[:100]
    )
    proposals = list(
        Proposal.objects.filter(Q(report_count__gt=0) | Q(is_hidden=True))
        .select_related("author")
        .order_by("-report_count", "-updated_at")[:100]
    )
    pending = Report.objects.filter(status=Report.Status.PENDING).select_related(
        "reporter", "content_type"
    )
    by_object: dict = {}
    for r in pending:
        by_object.setdefault((r.content_type.model, r.object_id), []).append(r)
    for c in comments:
        c.pending_reports = by_object.get(("comment", c.pk), [])
    for p in proposals:
        p.pending_reports = by_object.get(("proposal", p.pk), [])
    return render(
        request,
        "partecipazione/admin/reports.html",
        {"comments": comments, "proposals": proposals, "reason_form": ReasonForm()},
    )

"""Moderation screens inside the Wagtail admin that are not viewsets yet.

The proposal and comment queues and their actions (moderate, hide, restore)
and the associations to verify are Wagtail viewsets in ``admin_viewsets``; the reports overview,
suspensions and the log stay here.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partecipazione import permissions, services
from partecipazione.forms import ReasonForm
from partecipazione.models import (
    Comment,
    ModerationLog,
    Proposal,
    Report,
    Suspension,
)
from portal.accounts.models import User


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


@moderator_required
def suspensions(request):
    form = ReasonForm(request.POST or None)
    email = (request.POST.get("email") or "").strip()
    if request.method == "POST":
        target = User.objects.filter(email__iexact=email).first() if email else None
        if target is None:
            messages.error(request, _("Nessun utente con questo indirizzo e-mail."))
        elif target == request.user or target.is_superuser:
            messages.error(request, _("Non puoi sospendere questo utente."))
        elif form.is_valid():
            services.suspend(target, request.user, form.cleaned_data["reason"])
            messages.success(request, _("%(name)s è sospeso.") % {"name": target.public_name})
            return redirect("partecipazione_admin:suspensions")
    active = Suspension.objects.filter(lifted_at__isnull=True).select_related("user", "created_by")
    return render(
        request,
        "partecipazione/admin/suspensions.html",
        {"form": form, "email": email, "active": active},
    )


@moderator_required
@require_POST
def lift_suspension(request, user_id):
    user = get_object_or_404(User, pk=user_id)
    services.unsuspend(user, request.user, (request.POST.get("reason") or "")[:2000])
    messages.success(request, _("Sospensione revocata."))
    return redirect("partecipazione_admin:suspensions")


@moderator_required
def log(request):
    entries = ModerationLog.objects.select_related("actor", "content_type")
    page = Paginator(entries, 50).get_page(request.GET.get("p"))
    return render(request, "partecipazione/admin/log.html", {"page_obj": page})

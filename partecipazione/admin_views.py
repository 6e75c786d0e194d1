"""Moderation screens inside the Wagtail admin (for the "Participation moderators" group)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partecipazione import permissions, services
from partecipazione.forms import ModerationForm, ReasonForm
from partecipazione.models import (
    Association,
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
def proposal_queue(request):
    proposals = Proposal.objects.in_review().select_related("author", "association", "topic")
    page = Paginator(proposals.order_by("submitted_at", "pk"), 25).get_page(request.GET.get("p"))
    for p in page.object_list:
        allowed = services.MODERATOR_TRANSITIONS.get(services.S(p.state), set())
        form = ModerationForm(prefix=f"p{p.pk}")
        form.fields["state"].choices = [c for c in form.fields["state"].choices if c[0] in allowed]
        p.moderation_form = form
    return render(request, "partecipazione/admin/proposal_queue.html", {"page_obj": page})


@moderator_required
@require_POST
def proposal_moderate(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk)
    form = ModerationForm(request.POST, prefix=f"p{pk}")
    if not form.is_valid():
        messages.error(request, _("Scegli uno stato valido."))
        return redirect("partecipazione_admin:queue")
    try:
        services.moderate_transition(
            proposal, form.cleaned_data["state"], request.user, form.cleaned_data["note"]
        )
    except services.TransitionError as exc:
        messages.error(request, f"«{proposal.title}»: {exc}")
    else:
        messages.success(
            request,
            _("«%(title)s» ora è: %(state)s. L'autore è stato avvisato.")
            % {"title": proposal.title, "state": proposal.get_state_display()},
        )
    return redirect(request.POST.get("next") or "partecipazione_admin:queue")


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


def _moderated_object(kind, pk):
    model = {"comment": Comment, "proposal": Proposal}.get(kind)
    if model is None:
        raise PermissionDenied
    return get_object_or_404(model, pk=pk)


@moderator_required
@require_POST
def moderate_content(request, kind, pk, action):
    obj = _moderated_object(kind, pk)
    reason = (request.POST.get("reason") or "").strip()[:2000]
    if action == "hide":
        if not reason:
            messages.error(request, _("Indica il motivo per nascondere il contenuto."))
            return redirect("partecipazione_admin:reports")
        services.hide(obj, request.user, reason)
        messages.success(request, _("Contenuto nascosto."))
    elif action == "restore":
        services.restore(obj, request.user, reason)
        messages.success(request, _("Contenuto visibile di nuovo."))
    else:
        raise PermissionDenied
    return redirect("partecipazione_admin:reports")


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
def associations(request):
    queue = Association.objects.filter(is_verified=False).select_related("created_by")
    return render(request, "partecipazione/admin/associations.html", {"queue": queue})


@moderator_required
@require_POST
def verify_association(request, pk):
    association = get_object_or_404(Association, pk=pk)
    number = (request.POST.get("register_number") or "").strip()[:40]
    services.verify_association(association, request.user, number)
    messages.success(request, _("«%(name)s» è verificata.") % {"name": association.name})
    return redirect("partecipazione_admin:associations")


@moderator_required
def log(request):
    entries = ModerationLog.objects.select_related("actor", "content_type")
    page = Paginator(entries, 50).get_page(request.GET.get("p"))
    return render(request, "partecipazione/admin/log.html", {"page_obj": page})

"""Public views of the participation area (proposals, comments, reports, notifications)."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from partecipazione import appeals, permissions, services
from partecipazione.comments import target_url
from partecipazione.forms import (
    CommentEditForm,
    CommentForm,
    ProposalFilterForm,
    ProposalForm,
    ReportForm,
    WithdrawForm,
    comment_parent,
)
from partecipazione.models import (
    PUBLIC_STATES,
    WITH_EVENTS_STATES,
    Association,
    Comment,
    Notification,
    Proposal,
    ProposalAttachment,
    ProposalState,
    ProposalVersion,
    Support,
    Suspension,
)
from partecipazione.queries import filter_proposals, linked_event_pages, public_proposals
from portal.accounts import follows
from portal.accounts.models import Follow
from portal.accounts.names import staff_badge_annotation
from portal.core.pagination import paginate
from portal.taxonomy.models import Topic

PAGE_SIZE = 12
PREVIEW = "anteprima"  # name of the preview button of the proposal and comment forms


def _deny(request, message=None):
    """Anonymous users go to the login page; others get a translated 403 page that says why
    and what they can do: a suspension (reason, end, how to ask a review), an e-mail to
    confirm, or the message of the refusal (e.g. how to join an association)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    suspension = _suspension_in_force(request.user)
    return render(
        request,
        "partecipazione/denied.html",
        {
            "message": message or _("Non hai i permessi per questa azione."),
            "suspension": suspension,
            "unverified": suspension is None and not permissions.has_verified_email(request.user),
        },
        status=403,
    )


def _suspension_in_force(user):
    if not permissions.is_suspended(user):
        return None
    return Suspension.objects.filter(user=user).active().order_by("-created_at").first()


@login_required
def my_suspension(request):
    """The suspended user's page: why, until when, how to ask a review (linked from the
    notification); someone not suspended reads that they can take part."""
    return render(
        request,
        "partecipazione/suspension.html",
        {
            "suspension": _suspension_in_force(request.user),
        },
    )


def _safe_next(request, fallback):
    nxt = request.POST.get("next") or request.GET.get("next")
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return fallback


def _posting_refused_message(user):
    if permissions.is_suspended(user):
        return _("Il tuo account è sospeso: non puoi pubblicare contenuti.")
    return _("Per partecipare devi confermare il tuo indirizzo e-mail.")


# --- proposals ------------------------------------------------------------------------------


def proposal_list(request):
    topics = list(Topic.objects.order_by("name"))
    associations = list(
        Association.objects.filter(proposals__isnull=False).distinct().order_by("name")
    )
    form = ProposalFilterForm(request.GET or None, topics=topics, associations=associations)
    data = {}
    if request.GET:
        if form.is_valid():
            data = form.cleaned_data
        else:
            data = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
            messages.warning(request, _("Alcuni filtri non erano validi e sono stati ignorati."))
    qs = filter_proposals(public_proposals(), data)
    page = paginate(request, qs, PAGE_SIZE)
    return render(
        request,
        "partecipazione/proposal_list.html",
        {"form": form, "page_obj": page, "proposals": page.object_list},
    )


def _get_visible_proposal(request, slug):
    proposal = get_object_or_404(
        Proposal.objects.select_related("topic", "author", "association"), slug=slug
    )
    if not permissions.can(request.user, "view", proposal):
        raise Http404
    return proposal


def proposal_detail(request, slug):
    user = request.user
    qs = Proposal.objects.select_related("topic", "author", "association").annotate(
        version_count=Count("versions", distinct=True), author_badge=staff_badge_annotation()
    )
    if user.is_authenticated:
        qs = qs.annotate(
            supported=Exists(Support.objects.filter(proposal=OuterRef("pk"), user=user)),
            following=Exists(
                Follow.objects.filter(
                    user=user,
                    content_type=ContentType.objects.get_for_model(Proposal),
                    object_id=OuterRef("pk"),
                )
            ),
        )
    proposal = get_object_or_404(qs, slug=slug)
    if not permissions.can(user, "view", proposal):
        raise Http404
    events = list(proposal.events.select_related("actor"))
    attachments = list(proposal.attachments.all())
    event_pages = []
    if proposal.state in WITH_EVENTS_STATES:
        event_pages = list(linked_event_pages(proposal.event_pages))
    return render(
        request,
        "partecipazione/proposal.html",
        {
            "proposal": proposal,
            "events": events,
            "versions": range(1, proposal.version_count + 1),
            "attachments": attachments,
            "event_pages": event_pages,
            "supported": getattr(proposal, "supported", False),
            "following": getattr(proposal, "following", False),
            "withdraw_form": WithdrawForm(),
            "proposal_ct_id": ContentType.objects.get_for_model(Proposal).pk,
        },
    )


def proposal_version(request, slug, number):
    proposal = _get_visible_proposal(request, slug)
    version = get_object_or_404(ProposalVersion, proposal=proposal, number=number)
    return render(
        request,
        "partecipazione/proposal_version.html",
        {"proposal": proposal, "version": version},
    )


def proposal_attachment(request, slug, pk):
    """Stream an attachment to whoever may see its proposal; 404 for everyone else.

    Attachments of drafts and hidden proposals must not leak: pages link here, never to the
    raw media URL.
    """
    attachment = get_object_or_404(
        ProposalAttachment.objects.select_related("proposal"), pk=pk, proposal__slug=slug
    )
    proposal = attachment.proposal
    if not permissions.can(request.user, "view", proposal):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=os.path.basename(attachment.file.name)
    )
    public = proposal.state in PUBLIC_STATES and not proposal.is_hidden
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _save_attachment(form, proposal):
    upload = form.cleaned_data.get("attachment")
    if upload:
        ProposalAttachment.objects.create(
            proposal=proposal,
            file=upload,
            title=form.cleaned_data.get("attachment_title") or upload.name[:200],
            size=upload.size,
        )


def proposal_create(request):
    if not permissions.can(request.user, "propose"):
        return _deny(request, _posting_refused_message(request.user))
    form = ProposalForm(request.POST or None, request.FILES or None, user=request.user)
    if PREVIEW in request.POST:
        return _render_proposal_form(request, form, None)
    if request.method == "POST" and form.is_valid():
        association = form.cleaned_data.get("association")
        if association and not permissions.can(request.user, "propose_for", association):
            form.add_error("association", _("Non sei socio attivo di questa associazione."))
        else:
            proposal = form.save(commit=False)
            services.create_proposal(proposal, request.user, submit="submit" in request.POST)
            _save_attachment(form, proposal)
            follows.follow(request.user, proposal)
            messages.success(
                request,
                _("Proposta inviata: la redazione la esaminerà.")
                if proposal.state == ProposalState.SUBMITTED
                else _("Bozza salvata: potrai inviarla quando è pronta."),
            )
            return redirect(proposal)
    return _render_proposal_form(request, form, None)


def proposal_edit(request, slug):
    proposal = get_object_or_404(Proposal, slug=slug)
    if not permissions.can(request.user, "edit", proposal):
        if permissions.can(request.user, "view", proposal) and request.user.is_authenticated:
            messages.error(
                request, _("Puoi modificare solo le tue proposte in bozza o appena inviate.")
            )
            return redirect(proposal)
        return _deny(request) if not request.user.is_authenticated else _raise404()
    form = ProposalForm(
        request.POST or None, request.FILES or None, instance=proposal, user=request.user
    )
    if PREVIEW in request.POST:
        return _render_proposal_form(request, form, proposal)
    if request.method == "POST" and form.is_valid():
        association = form.cleaned_data.get("association")
        if association and not permissions.can(request.user, "propose_for", association):
            form.add_error("association", _("Non sei socio attivo di questa associazione."))
        else:
            proposal = form.save(commit=False)
            services.update_proposal(proposal, request.user, form.changed_data)
            _save_attachment(form, proposal)
            if "submit" in request.POST and permissions.can(request.user, "submit", proposal):
                services.submit_proposal(proposal, request.user)
            messages.success(
                request, _("Modifiche salvate: la versione precedente resta leggibile.")
            )
            return redirect(proposal)
    return _render_proposal_form(request, form, proposal)


def _render_proposal_form(request, form, proposal):
    """The form; after "Anteprima", the text as it will be published above it (nothing saved)."""
    preview = None
    if PREVIEW in request.POST and form.is_valid():
        preview = {
            "title": form.cleaned_data["title"],
            "summary": form.cleaned_data["summary"],
            "body": form.cleaned_data["body"],
            "attachment_dropped": bool(form.cleaned_data.get("attachment")),
        }
    return render(
        request,
        "partecipazione/proposal_form.html",
        {"form": form, "proposal": proposal, "preview": preview},
    )


def _raise404():
    raise Http404


@require_POST
def proposal_submit(request, slug):
    proposal = get_object_or_404(Proposal, slug=slug)
    if not permissions.can(request.user, "submit", proposal):
        return _deny(request)
    services.submit_proposal(proposal, request.user)
    messages.success(request, _("Proposta inviata: la redazione la esaminerà."))
    return redirect(proposal)


@require_POST
def proposal_withdraw(request, slug):
    proposal = get_object_or_404(Proposal, slug=slug)
    if not permissions.can(request.user, "withdraw", proposal):
        return _deny(request)
    form = WithdrawForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.withdraw_proposal(proposal, request.user, note)
    messages.success(request, _("Hai ritirato la proposta."))
    return redirect(proposal)


SUPPORT_ACTIONS = {"sostieni": True, "ritira": False}


@require_POST
def proposal_support(request, slug):
    proposal = _get_visible_proposal(request, slug)
    if not permissions.can(request.user, "support", proposal):
        if request.user.is_authenticated:
            messages.error(request, _("Non puoi sostenere questa proposta."))
            return redirect(proposal)
        return _deny(request)
    # The button says what the user wants, so a form sent twice does not undo itself.
    action = request.POST.get("azione")
    if action in SUPPORT_ACTIONS:
        supported = SUPPORT_ACTIONS[action]
        services.set_support(proposal, request.user, supported)
    else:
        supported = services.toggle_support(proposal, request.user)
    messages.success(
        request,
        _("Grazie: sostieni questa proposta.") if supported else _("Hai tolto il tuo sostegno."),
    )
    return redirect(proposal)


@require_POST
def proposal_follow(request, slug):
    proposal = _get_visible_proposal(request, slug)
    if not permissions.can(request.user, "follow", proposal):
        return _deny(request)
    following = follows.toggle(request.user, proposal)
    messages.success(
        request,
        _("Ora segui questa proposta.") if following else _("Non segui più questa proposta."),
    )
    return redirect(proposal)


# --- comments -------------------------------------------------------------------------------

COMMENTABLE_MODELS_CHECK = "partecipazione.proposal"


def _comment_target(ct_id, object_id):
    try:
        ct = ContentType.objects.get_for_id(ct_id)
    except ContentType.DoesNotExist:
        raise Http404 from None
    model = ct.model_class()
    if model is None or not (model is Proposal or issubclass(model, Page)):
        raise Http404
    target = model._default_manager.filter(pk=object_id).first()
    if target is None:
        raise Http404
    return ct, target


def _comment_form_page(request, target, form, status, parent=None, preview=None):
    return render(
        request,
        "partecipazione/comment_form_page.html",
        {
            "target": target,
            "form": form,
            "parent": parent,
            "target_url": target_url(target),
            "preview": preview,
        },
        status=status,
    )


@require_POST
def comment_post(request, ct_id, object_id):
    ct, target = _comment_target(ct_id, object_id)
    # Unknown and invisible (unpublished, view-restricted, draft...) get the same answer.
    if not permissions.can(request.user, "view", target):
        raise Http404
    if not request.user.is_authenticated:
        return _deny(request)
    form = CommentForm(request.POST)
    if not permissions.can(request.user, "comment", target):
        form.is_valid()
        form.add_error(None, _posting_refused_message(request.user))
        return _comment_form_page(request, target, form, 403)
    if not form.is_valid():
        return _comment_form_page(request, target, form, 400)
    parent = comment_parent(form, ct, target.pk)
    if PREVIEW in request.POST:  # "Anteprima": the comment as it will read, nothing posted
        return _comment_form_page(request, target, form, 200, parent, form.cleaned_data["body"])
    try:
        services.check_comment_rate(request.user)
    except services.RateLimited:
        form.add_error(
            None,
            _(
                "Stai scrivendo troppi commenti in poco tempo. Attendi un minuto e riprova: "
                "il tuo testo è qui sotto."
            ),
        )
        return _comment_form_page(request, target, form, 429, parent)
    comment = services.post_comment(
        target, request.user, form.cleaned_data["body"], parent, request=request
    )
    if comment.is_pending:
        messages.info(request, _("Grazie! Il tuo commento sarà pubblicato dopo l'approvazione."))
    else:
        messages.success(request, _("Commento pubblicato."))
    nxt = _safe_next(request, target_url(target))
    return HttpResponseRedirect(f"{nxt.split('#')[0]}#commento-{comment.pk}")


def comment_edit(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("author"), pk=pk)
    target = comment.get_target()
    if not permissions.can(request.user, "edit_comment", comment):
        if not request.user.is_authenticated:
            return _deny(request)
        messages.error(request, _("Un commento si può modificare solo entro 15 minuti."))
        return HttpResponseRedirect(target_url(target))
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        services.edit_comment(comment, form.cleaned_data["body"])
        messages.success(request, _("Commento modificato."))
        return HttpResponseRedirect(f"{target_url(target)}#commento-{comment.pk}")
    return render(
        request,
        "partecipazione/comment_edit.html",
        {"form": form, "comment": comment, "target": target, "target_url": target_url(target)},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def comment_delete(request, pk):
    comment = get_object_or_404(Comment, pk=pk)
    if not permissions.can(request.user, "delete_comment", comment):
        return _deny(request)
    services.remove_comment(comment)
    messages.success(request, _("Commento eliminato."))
    return HttpResponseRedirect(target_url(comment.get_target()))


# --- reports --------------------------------------------------------------------------------


def report(request, ct_id, object_id):
    try:
        ct = ContentType.objects.get_for_id(ct_id)
    except ContentType.DoesNotExist:
        raise Http404 from None
    if ct.model_class() not in (Comment, Proposal):
        raise Http404
    obj = ct.model_class().objects.filter(pk=object_id).first()
    # Unknown and invisible (draft, withdrawn, hidden...) get the same answer.
    if obj is None or not permissions.can(request.user, "view", obj):
        raise Http404
    back = target_url(obj.get_target() if isinstance(obj, Comment) else obj)
    if not permissions.can(request.user, "report", obj):
        if not request.user.is_authenticated:
            return _deny(request)
        messages.error(request, _("Non puoi segnalare questo contenuto."))
        return HttpResponseRedirect(back)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = services.report(
            obj, request.user, form.cleaned_data["reason"], form.cleaned_data["note"]
        )
        messages.success(
            request,
            _("Grazie: la segnalazione è arrivata ai moderatori.")
            if created
            else _("Avevi già segnalato questo contenuto."),
        )
        return HttpResponseRedirect(back)
    return render(
        request,
        "partecipazione/report_form.html",
        {"form": form, "obj": obj, "back": back},
        status=400 if request.method == "POST" else 200,
    )


# --- notifications --------------------------------------------------------------------------


@login_required
def notification_list(request):
    if request.method == "POST":
        Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        messages.success(request, _("Tutte le notifiche sono segnate come lette."))
        return redirect("partecipazione:notifications")
    qs = Notification.objects.filter(recipient=request.user)
    page = paginate(request, qs, 20)
    unread = qs.filter(read_at__isnull=True).count()
    return render(
        request,
        "partecipazione/notification_list.html",
        {"page_obj": page, "unread_count": unread},
    )


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one of the user's own notifications as read (someone else's answers 404)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
    messages.success(request, _("Notifica segnata come letta."))
    url = reverse("partecipazione:notifications")
    page = request.POST.get("pagina", "")
    return redirect(f"{url}?pagina={page}" if page.isdigit() else url)


@login_required
def my_proposals(request):
    """The author's own proposals, drafts and withdrawn ones included."""
    proposals = Proposal.objects.filter(author=request.user).select_related(
        "topic", "author", "association"
    )
    page = paginate(request, proposals.order_by("-updated_at", "-pk"), PAGE_SIZE)
    return render(
        request,
        "partecipazione/my_proposals.html",
        {"page_obj": page, "proposals": page.object_list},
    )


# --- appeals --------------------------------------------------------------------------------


@login_required
def appeal_create(request, kind, pk):
    """ "Chiedi una revisione": the author of a hidden item, or a suspended user, writes to the
    moderators; what cannot be appealed (someone else's, not hidden, over) answers 404."""
    subject = appeals.subject_for(request.user, kind, pk)
    if subject is None:
        raise Http404
    pending = appeals.pending_for(subject)
    form = appeals.AppealForm(request.POST or None)
    if request.method == "POST" and pending is None and form.is_valid():
        appeals.request_review(request.user, subject, form.cleaned_data["message"])
        messages.success(
            request, _("Richiesta inviata: i moderatori la esamineranno e ti daranno risposta.")
        )
        return redirect("partecipazione:notifications")
    return render(
        request,
        "partecipazione/appeal_form.html",
        {"form": form, "subject": subject, "kind": kind, "pending": pending},
    )

"""Proposal → event: accepted proposals become draft event pages, prefilled and linked.

Who may, and from which proposals, is one rule: ``permissions.can(user, CREATE_EVENT, proposal)``
(the same rule shows the button on the proposal's page).
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eventi.models import EventIndexPage, EventPage, Venue
from partecipazione import permissions
from partecipazione.models import Proposal


def events_index():
    return EventIndexPage.objects.order_by("path").first()


def can_create_events(user) -> bool:
    """Editors: whoever may add event pages under the events index."""
    index = events_index()
    return bool(
        index and user.is_authenticated and index.permissions_for_user(user).can_add_subpage()
    )


def _check(request):
    if not can_create_events(request.user):
        raise PermissionDenied


def accepted_proposals(request):
    if not permissions.can(request.user, permissions.Action.CREATE_EVENT):
        raise PermissionDenied
    proposals = (
        Proposal.objects.eventable()
        .select_related("association", "topic")
        .prefetch_related("event_pages")
        .order_by("-updated_at", "pk")
    )
    page = Paginator(proposals, 25).get_page(request.GET.get("p"))
    return render(request, "eventi/admin/accepted_proposals.html", {"page_obj": page})


def build_event(proposal: Proposal, index) -> EventPage:
    """A draft event prefilled from `proposal` (the date is a placeholder to confirm)."""
    page = EventPage(
        title=proposal.title,
        slug=_unique_slug(index, proposal.title),
        summary=proposal.summary[:300],
        start_date=timezone.localdate() + timedelta(days=30),
        live=False,
        source_proposal=proposal,
        organised_by_city=proposal.association_id is None,
    )
    if proposal.place:
        page.venue = Venue.objects.filter(name__iexact=proposal.place.strip()).first()
        if page.venue is None:
            page.accessibility_notes = _("Luogo indicato nella proposta: %(place)s") % {
                "place": proposal.place
            }
    if proposal.topic_id:
        page.topics = [proposal.topic]
    if proposal.association_id:
        page.organisers = [proposal.association]
    return page


def _unique_slug(index, title):
    base = slugify(title)[:60] or "evento"
    taken = set(index.get_children().values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


@require_POST
def create_event_from_proposal(request, pk):
    if not permissions.can(request.user, permissions.Action.CREATE_EVENT):
        raise PermissionDenied
    proposal = get_object_or_404(Proposal, pk=pk)
    if not permissions.can(request.user, permissions.Action.CREATE_EVENT, proposal):
        messages.error(request, _("Solo le proposte accolte diventano eventi."))
        return redirect("eventi_admin:accepted_proposals")
    index = events_index()
    if index is None:
        messages.error(request, _("Crea prima la pagina del calendario degli eventi."))
        return redirect("eventi_admin:accepted_proposals")
    with transaction.atomic():
        page = build_event(proposal, index)
        page.owner = request.user
        index.add_child(instance=page)
        page.save_revision(user=request.user, log_action=True)
    messages.success(
        request,
        _("Bozza dell'evento «%(title)s» creata: controlla la data e pubblica.")
        % {"title": page.title},
    )
    return redirect("wagtailadmin_pages:edit", page.pk)

"""The association's page for its synchronised calendars: register, edit, remove, sync now.

Only association admins (and moderators) reach it: `can(user, "manage_calendar", association)`.
Fetching never happens in the request: "Sincronizza ora" enqueues eventi.tasks.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from eventi.models import CalendarSource, EventPage
from eventi.source_forms import CalendarSourceForm
from eventi.tasks import sync_calendar_source
from partecipazione import permissions
from partecipazione.models import Association
from portal.core.pagination import paginate

EVENTS_PER_PAGE = 20
#: "Sincronizza ora" again within this time does nothing (the last answer is that fresh).
SYNC_NOW_PAUSE = timedelta(minutes=1)


def _association(request, slug) -> Association:
    association = get_object_or_404(Association, slug=slug)
    if not permissions.can(request.user, permissions.Action.MANAGE_CALENDAR, association):
        raise PermissionDenied(
            _("Solo gli amministratori dell'associazione gestiscono il calendario collegato.")
        )
    return association


def _enqueue(source: CalendarSource) -> None:
    transaction.on_commit(lambda: sync_calendar_source.enqueue(source.pk))


@login_required
def association_calendar(request, slug):
    association = _association(request, slug)
    sources = list(association.calendar_sources.order_by("pk"))
    form = CalendarSourceForm(
        request.POST if request.POST.get("action") == "add" else None, association=association
    )
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "add":
            if form.is_valid():
                source = form.save(commit=False)
                source.created_by = request.user
                source.save()
                _enqueue(source)
                messages.success(
                    request,
                    _("Calendario collegato: il primo aggiornamento è in corso."),
                )
                return redirect("eventi:association_calendar", slug=slug)
        else:
            source = _source(association, request.POST.get("source"))
            if action == "sync":
                _sync_now(request, source)
            elif action == "remove":
                source.delete()
                messages.success(
                    request,
                    _(
                        "Calendario scollegato: non sarà più aggiornato. Gli eventi già "
                        "importati restano."
                    ),
                )
            else:
                messages.error(request, _("Azione sconosciuta."))
            return redirect("eventi:association_calendar", slug=slug)
    events = (
        EventPage.objects.filter(calendar_source__association=association)
        .select_related("calendar_source")
        .only(
            "title",
            "live",
            "url_path",
            "start_date",
            "start_time",
            "withdrawn_from_source_at",
            "calendar_source__name",
            "calendar_source__url",
        )
        .order_by("-start_date", "title", "pk")
    )
    return render(
        request,
        "eventi/association_calendar.html",
        {
            "association": association,
            "sources": sources,
            "form": form,
            "events": paginate(request, events, EVENTS_PER_PAGE),
        },
    )


def _source(association, pk) -> CalendarSource:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    return get_object_or_404(CalendarSource, association=association, pk=pk)


def _sync_now(request, source: CalendarSource) -> None:
    if not source.enabled:
        messages.error(request, _("Il calendario è disattivato: attivalo per aggiornarlo."))
        return
    if source.last_fetch_at and timezone.now() - source.last_fetch_at < SYNC_NOW_PAUSE:
        messages.info(request, _("Il calendario è stato aggiornato meno di un minuto fa."))
        return
    _enqueue(source)
    messages.success(
        request, _("Aggiornamento avviato: l'esito compare qui sotto tra qualche istante.")
    )


@login_required
def edit_calendar_source(request, slug, pk):
    association = _association(request, slug)
    source = _source(association, pk)
    form = CalendarSourceForm(
        request.POST if request.method == "POST" else None,
        instance=source,
        association=association,
    )
    if request.method == "POST" and form.is_valid():
        url_changed = "url" in form.changed_data
        source = form.save(commit=False)
        if url_changed:  # another calendar: nothing of the old answer applies
            source.etag = source.last_modified_header = source.content_sha256 = ""
        source.save()
        if url_changed and source.enabled:
            _enqueue(source)
        messages.success(request, _("Calendario collegato aggiornato."))
        return redirect("eventi:association_calendar", slug=slug)
    return render(
        request,
        "eventi/calendar_source_form.html",
        {"association": association, "source": source, "form": form},
    )

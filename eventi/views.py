"""The file endpoints of eventi.urls: iCalendar feeds and open data (JSON, CSV).

The pages' own views (listings, the event page) are in eventi.listing, used by the page
routes of eventi.models.
"""

import io
from urllib.parse import urlencode

from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from eventi import feeds, ical, listing, queries, recurrence
from eventi.forms import EventFilterForm
from eventi.models import EventIndexPage, EventPage, Venue
from partecipazione.models import Association, Proposal
from portal.accounts import follows
from portal.accounts.models import Follow
from portal.core.csv import SafeDictWriter
from portal.core.pages import public
from portal.core.pagination import paginate
from portal.taxonomy.models import Topic

OPEN_DATA_PER_PAGE = 500


def find_index():
    """The live public events index of the active language (else any): 404 without one."""
    language = (get_language() or "it").split("-")[0]
    qs = public(EventIndexPage.objects.live())
    index = qs.filter(locale__language_code=language).first() or qs.first()
    if index is None:
        raise Http404
    return index


# --- Feeds ----------------------------------------------------------------------------


def bad_request(form) -> HttpResponse:
    message = (
        _("Filtri non validi. Correggi l'indirizzo del calendario:") + "\n" + form.error_text()
    )
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def index_feed(request):
    index = find_index()
    form = EventFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return bad_request(form)
    if not request.GET:
        form.is_valid()
    query = form.query_string()
    language = get_language() or "it"

    def build() -> bytes:
        data = form.values()
        date_from = listing.local_day_bounds(data["dal"])[0] if data.get("dal") else None
        date_to = listing.local_day_bounds(data["al"])[1] if data.get("al") else None
        events = queries.feed_queryset(
            index,
            form.event_q() if form.has_event_filters() else None,
            date_from,
            date_to,
        )
        name = _("Città della Pace – Eventi")
        if query:
            name = f"{name} ({form.describe() or query})"
        url = ical.site_url() + ical.page_path(index)
        description = _("Gli eventi del programma Città della Pace del Comune di Cremona")
        return ical.feed_document(events, index, name, description, url)

    key = feeds.cache_key("feed", str(index.pk), language, query)
    entry = feeds.cached_entry(key, build)
    return feeds.respond(request, entry, "calendario.ics")


def event_feed(request, slug):
    index = find_index()
    page = get_object_or_404(public(EventPage.objects.live()).descendant_of(index), slug=slug)
    language = get_language() or "it"

    def build() -> bytes:
        events = queries.with_feed_data(EventPage.objects.filter(pk=page.pk))
        cal = ical.build_calendar(
            events, page.title, page.summary, ical.site_url() + ical.page_path(page)
        )
        return ical.to_bytes(cal), events[0].modified_at if events else None

    entry = feeds.cached_entry(feeds.cache_key("event", str(page.pk), language), build)
    response = feeds.respond(request, entry, f"{page.slug}.ics")
    if response.status_code == 200:
        response["Content-Disposition"] = f'attachment; filename="{page.slug}.ics"'
    return response


def personal_feed(request, token):
    """A user's private calendar: the events they follow, directly or through a topic,
    an association (as organiser), a venue or a proposal (the events born from it). The
    body carries no personal data.

    Cached per user: the key holds what the user follows (one query reads it) and the
    feeds generation, which every change of an event, venue, type, topic or association
    moves; so following something new or a change to one of its events builds it again,
    and otherwise it is served from the cache (or answered 304 from its ETag and
    Last-Modified, which come from its content).
    """
    user = follows.user_for_calendar_token(token)
    if user is None:
        raise Http404
    followed = sorted(Follow.objects.filter(user=user).values_list("content_type_id", "object_id"))
    language = get_language() or "it"
    key = feeds.cache_key("personal", str(user.pk), language, repr(followed))
    entry = feeds.cached_entry(key, lambda: _personal_document(user))
    response = feeds.respond(request, entry, "personale.ics", private=True)
    response["X-Robots-Tag"] = "noindex"
    return response


def _personal_document(user):
    q = Q(pk__in=follows.followed_ids(user, EventPage))
    q |= Q(topics__in=follows.followed_ids(user, Topic))
    q |= Q(organisers__in=follows.followed_ids(user, Association))
    q |= Q(venue__in=follows.followed_ids(user, Venue))
    q |= Q(source_proposal__in=follows.followed_ids(user, Proposal))
    event_ids = EventPage.objects.filter(q).values("pk")
    index = find_index()
    events = queries.feed_queryset(index, event_q=Q(pk__in=event_ids))
    return ical.feed_document(events, index, _("Città della Pace – I miei eventi"))


# --- Open data ------------------------------------------------------------------------

OPEN_DATA_FIELDS = [
    "uid",
    "titolo",
    "sommario",
    "url",
    "inizio",
    "fine",
    "tutto_il_giorno",
    "stato",
    "annullato",
    "tipo",
    "argomenti",
    "organizzatori",
    "luogo",
    "indirizzo",
    "latitudine",
    "longitudine",
    "online",
    "gratuito",
    "costo",
    "accesso_senza_barriere",
    "interprete_lis",
    "anello_induzione",
    "accessibilita",
]


def _open_data_rows(index, request, form):
    qs = index.filtered_occurrences(form, fields=None)
    if not form.values().get("dal"):
        qs = qs.upcoming()
    page_obj = paginate(request, qs, OPEN_DATA_PER_PAGE)
    occurrences = list(page_obj.object_list)
    pages = {occ.page_id: occ.page for occ in occurrences}
    queries.attach_related(list(pages.values()))
    slugs = dict(
        EventPage.topics.through.objects.filter(eventpage_id__in=list(pages)).values_list(
            "topic__name", "topic__slug"
        )
    )
    base = ical.site_url()
    rows = []
    for occ in occurrences:
        page = pages[occ.page_id]
        venue = page.venue
        start, end = recurrence.to_local(occ.start), recurrence.to_local(occ.end)
        rows.append(
            {
                "uid": page.ical_uid,
                "titolo": page.title,
                "sommario": page.summary,
                "url": base + ical.page_path(page),
                "inizio": start.date().isoformat() if occ.all_day else start.isoformat(),
                "fine": occ.last_day.isoformat() if occ.all_day else end.isoformat(),
                "tutto_il_giorno": occ.all_day,
                "stato": page.status,
                "annullato": occ.cancelled,
                "tipo": page.event_type.name if page.event_type_id else "",
                "argomenti": [slugs[name] for name in page.topic_names],
                "organizzatori": page.organiser_names,
                "luogo": venue.name if venue else "",
                "indirizzo": venue.full_address if venue else "",
                "latitudine": float(venue.latitude) if venue and venue.has_coordinates else None,
                "longitudine": float(venue.longitude) if venue and venue.has_coordinates else None,
                "online": page.online_url,
                "gratuito": page.is_free,
                "costo": page.cost,
                "accesso_senza_barriere": page.step_free_access,
                "interprete_lis": page.sign_language,
                "anello_induzione": page.induction_loop,
                "accessibilita": page.accessibility_notes,
            }
        )
    return rows, page_obj


def open_data_json(request):
    index = find_index()
    form = EventFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return JsonResponse({"errori": form.errors.get_json_data()}, status=400)
    form.is_valid()
    rows, page_obj = _open_data_rows(index, request, form)
    query = form.query_string()
    base = ical.site_url() + reverse("eventi:open_data_json") + "?"

    def link(number):
        return base + (f"{query}&" if query else "") + urlencode({"pagina": number})

    payload = {
        "licenza": "CC BY 4.0 – Comune di Cremona",
        "totale": page_obj.paginator.count,
        "pagina": page_obj.number,
        "successiva": link(page_obj.next_page_number()) if page_obj.has_next() else None,
        "precedente": link(page_obj.previous_page_number()) if page_obj.has_previous() else None,
        "eventi": rows,
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def open_data_csv(request):
    index = find_index()
    form = EventFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return bad_request(form)
    form.is_valid()
    rows, _page = _open_data_rows(index, request, form)
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, fieldnames=OPEN_DATA_FIELDS)
    writer.writeheader()
    for row in rows:
        row = dict(row)
        row["argomenti"] = ";".join(row["argomenti"])
        row["organizzatori"] = ";".join(row["organizzatori"])
        writer.writerow(row)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="eventi.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response

"""Views of the events app: thin functions called by the page routes and eventi.urls."""

import calendar as pycalendar
import io
from datetime import date, timedelta
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from eventi import feeds, ical, links, queries, recurrence
from eventi.forms import MAX_YEAR, MIN_YEAR, EventFilterForm
from eventi.models import EventIndexPage, EventPage, Venue, local_day_bounds
from portal.core.csv import SafeDictWriter
from portal.core.pages import public
from portal.core.pagination import paginate

PER_PAGE = 20
MONTH_PER_PAGE = 100
OPEN_DATA_PER_PAGE = 500
# Lazy: the labels are built once at import and must follow each request's language.
MONTHS = [
    "",
    gettext_lazy("gennaio"),
    gettext_lazy("febbraio"),
    gettext_lazy("marzo"),
    gettext_lazy("aprile"),
    gettext_lazy("maggio"),
    gettext_lazy("giugno"),
    gettext_lazy("luglio"),
    gettext_lazy("agosto"),
    gettext_lazy("settembre"),
    gettext_lazy("ottobre"),
    gettext_lazy("novembre"),
    gettext_lazy("dicembre"),
]


def find_index():
    """The live public events index of the active language (else any): 404 without one."""
    language = (get_language() or "it").split("-")[0]
    qs = public(EventIndexPage.objects.live())
    index = qs.filter(locale__language_code=language).first() or qs.first()
    if index is None:
        raise Http404
    return index


# --- Listings -------------------------------------------------------------------------


def _filtered_occurrences(index, form, fields=queries.LISTING_FIELDS):
    qs = queries.occurrences(fields).filter(page__path__startswith=index.path)
    if form.has_event_filters():
        qs = qs.filter(page__in=EventPage.objects.filter(form.event_q()).values("pk"))
    data = form.values()
    if data.get("dal"):
        qs = qs.filter(end__gt=local_day_bounds(data["dal"])[0])
    if data.get("al"):
        qs = qs.filter(start__lt=local_day_bounds(data["al"])[1])
    return qs


class CachedCountPaginator(Paginator):
    """Counting thousands of occurrences is the slowest query of a listing: cache it briefly
    (the key follows the feeds generation, so publishing anything refreshes it at once)."""

    def __init__(self, *args, count_key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        value = cache.get(self.count_key)
        if value is None:
            value = super().count
            cache.set(self.count_key, value, 120)
        return value


def _listing_context(index, request, form, qs, per_page=PER_PAGE, cache_parts=()):
    count_key = feeds.cache_key("count", str(index.pk), str(qs.query), *cache_parts)
    page_obj = paginate(
        request, qs, per_page, paginator_class=CachedCountPaginator, count_key=count_key
    )
    query = form.query_string()
    suffix = f"?{query}" if query else ""
    feed_path = reverse("eventi:feed") + suffix
    feed_url = ical.site_url() + feed_path
    # Event pages are children of the index: their URLs without asking Wagtail for each
    # (a cache read per page for the site's root paths: 100 on a month page).
    index_url = index.get_url(request) or ""
    occurrences = list(page_obj.object_list)
    for occ in occurrences:
        occ.page_url = f"{index_url}{occ.page.slug}/"
    return {
        "filter_form": form,
        "page_obj": page_obj,
        "occurrences": occurrences,
        "filter_query": query,
        "feed_path": feed_path,
        "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
        "feed_title": _("Calendario degli eventi") + (f" · {form.describe()}" if query else ""),
        "json_path": reverse("eventi:open_data_json") + suffix,
        "csv_path": reverse("eventi:open_data_csv") + suffix,
        "now": timezone.now(),
    }


def event_index(index, request):
    form = EventFilterForm(request.GET or None)
    form.is_valid()
    qs = _filtered_occurrences(index, form).upcoming()
    context = _listing_context(index, request, form, qs)
    context["mode"] = "upcoming"
    today = timezone.localdate()
    context["month_path"] = f"{index.url}mese/{today.year}/{today.month}/"
    return index.render(request, context_overrides=context)


def event_month(index, request, year=None, month=None):
    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    if not (1 <= month <= 12 and MIN_YEAR <= year <= MAX_YEAR):
        raise Http404
    first = date(year, month, 1)
    last = date(year, month, pycalendar.monthrange(year, month)[1])
    form = EventFilterForm(request.GET or None)
    form.is_valid()
    qs = _filtered_occurrences(index, form).filter(
        end__gt=local_day_bounds(first)[0], start__lt=local_day_bounds(last)[1]
    )
    context = _listing_context(index, request, form, qs, MONTH_PER_PAGE)
    previous = first - timedelta(days=1)
    following = last + timedelta(days=1)
    query = f"?{form.query_string()}" if form.query_string() else ""
    context.update(
        {
            "mode": "month",
            "month_label": f"{MONTHS[month]} {year}",
            "previous_month_path": f"{index.url}mese/{previous.year}/{previous.month}/{query}",
            "next_month_path": f"{index.url}mese/{following.year}/{following.month}/{query}",
            "previous_month_label": f"{MONTHS[previous.month]} {previous.year}",
            "next_month_label": f"{MONTHS[following.month]} {following.year}",
        }
    )
    return index.render(request, context_overrides=context)


def event_archive(index, request):
    form = EventFilterForm(request.GET or None)
    form.is_valid()
    # Newest first, both columns reversed so that the (start, page) index is read backwards.
    qs = _filtered_occurrences(index, form).past().order_by("-start", "-page_id")
    context = _listing_context(index, request, form, qs)
    context["mode"] = "archive"
    return index.render(request, context_overrides=context)


def venue_detail(index, request, slug):
    venue = get_object_or_404(Venue, slug=slug)
    form = EventFilterForm({"luogo": venue.slug})
    form.is_valid()
    qs = _filtered_occurrences(index, form).upcoming()
    context = _listing_context(index, request, form, qs)
    context.update({"mode": "venue", "venue": venue})
    return index.render(request, context_overrides=context)


# --- Event page -----------------------------------------------------------------------


def _index_url(page, page_path: str) -> str:
    """The events index's URL: the event's own URL without its last segment (an event
    page is always a direct child of the index), so no query for the parent page."""
    if page.pk and page_path.endswith(f"/{page.slug}/"):
        return page_path[: -len(page.slug) - 1]
    parent = page.get_parent()  # an unsaved preview, or a path we cannot read
    return (parent.url if parent else None) or "/"


def event_page_context(page, request) -> dict:
    """Dates (computed in memory, so previews are right too), links, JSON-LD.

    Everything the page and its template read is loaded first, once
    (`queries.prepare_event_page`), so the page costs the same few queries for any event.
    """
    queries.prepare_event_page(page, request)
    slots = recurrence.expand(page.schedule())
    now = timezone.now()
    upcoming = [s for s in slots if s.end >= now]
    featured = upcoming[0] if upcoming else (slots[-1] if slots else None)
    page_path = ical.page_path(page) if page.pk else "/"
    index_url = _index_url(page, page_path)
    page_url = ical.site_url() + page_path
    ics_url = ical.site_url() + (
        reverse("eventi:event_feed", kwargs={"slug": page.slug}) if page.pk else "/"
    )
    overrides_notes = {o.original_date: o.note for o in page.occurrence_overrides.all()}
    context = {
        "dates": [
            {"slot": s, "note": overrides_notes.get(recurrence.to_local(s.original_start).date())}
            for s in (upcoming or slots)[:50]
        ],
        "more_dates": max(len(upcoming or slots) - 50, 0),
        "featured_slot": featured,
        "ics_path": reverse("eventi:event_feed", kwargs={"slug": page.slug}) if page.pk else "",
        "webcal_url": "webcal://" + ics_url.split("://", 1)[1],
        "feed_title": _("%(title)s (iCalendar)") % {"title": page.title},
        "index_url": index_url,
    }
    if featured:
        context["calendar_links"] = links.calendar_links(page, featured, page_url)
        context["json_ld"] = links.json_ld(page, featured, page_url)
    return context


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
        date_from = local_day_bounds(data["dal"])[0] if data.get("dal") else None
        date_to = local_day_bounds(data["al"])[1] if data.get("al") else None
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
        return ical.feed_bytes(events, index, name, description, url)

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
        return ical.to_bytes(cal)

    entry = feeds.cached_entry(feeds.cache_key("event", str(page.pk), language), build)
    response = feeds.respond(request, entry, f"{page.slug}.ics")
    if response.status_code == 200:
        response["Content-Disposition"] = f'attachment; filename="{page.slug}.ics"'
    return response


def personal_feed(request, token):
    """A user's private calendar: the events they follow, directly or through a topic,
    an association (as organiser), a venue or a proposal (the events born from it). The
    body carries no personal data."""
    from partecipazione.models import Association, Proposal
    from portal.accounts import follows
    from portal.taxonomy.models import Topic

    user = follows.user_for_calendar_token(token)
    if user is None:
        raise Http404
    q = Q(pk__in=follows.followed_ids(user, EventPage))
    q |= Q(topics__in=follows.followed_ids(user, Topic))
    q |= Q(organisers__in=follows.followed_ids(user, Association))
    q |= Q(venue__in=follows.followed_ids(user, Venue))
    q |= Q(source_proposal__in=follows.followed_ids(user, Proposal))
    event_ids = EventPage.objects.filter(q).values("pk")
    index = find_index()
    events = queries.feed_queryset(index, event_q=Q(pk__in=event_ids))
    body = ical.feed_bytes(events, index, _("Città della Pace – I miei eventi"))
    entry = feeds.Entry.from_body(body, compress=False)  # built for this request only
    response = feeds.respond(request, entry, "personale.ics", private=True)
    response["X-Robots-Tag"] = "noindex"
    return response


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
]


def _open_data_rows(index, request, form):
    qs = _filtered_occurrences(index, form, fields=None)
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

"""The views of the events pages, called by their routes (eventi.models): the calendar's
listings (upcoming, month, archive, venue) and the event page's dates and links.

It imports no page model (they import it): what it reads comes from the page it is given
and its methods, so the models can import it at the top.
"""

import calendar as pycalendar
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eventi import describe, feeds, links, recurrence
from eventi.forms import MAX_YEAR, MIN_YEAR, EventFilterForm
from eventi.snippets import Venue
from partecipazione.models import Proposal
from portal.core.pagination import paginate

PER_PAGE = 20
FIRST_DATES = 3  # the event page lists the next few dates, the rest folded in a <details>
MAX_DATES = 50
MONTH_PER_PAGE = 100
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
    feed_url = links.site_url() + feed_path
    feed_title = _("Calendario degli eventi") + (f" · {form.describe()}" if query else "")
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
        "feed_title": feed_title,
        "subscribe": links.subscribe_links(feed_url, feed_title),
        "json_path": reverse("eventi:open_data_json") + suffix,
        "csv_path": reverse("eventi:open_data_csv") + suffix,
        "now": timezone.now(),
    }


def event_index(index, request):
    form = EventFilterForm(request.GET or None)
    form.is_valid()
    qs = index.filtered_occurrences(form).upcoming()
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
    qs = index.filtered_occurrences(form).filter(
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
            "weeks": month_grid(first, context["occurrences"], today),
            "weekday_headings": WEEKDAY_HEADINGS,
            "previous_month_path": f"{index.url}mese/{previous.year}/{previous.month}/{query}",
            "next_month_path": f"{index.url}mese/{following.year}/{following.month}/{query}",
            "previous_month_label": f"{MONTHS[previous.month]} {previous.year}",
            "next_month_label": f"{MONTHS[following.month]} {following.year}",
        }
    )
    return index.render(request, context_overrides=context)


MAX_PER_CELL = 3
WEEKDAY_HEADINGS = [
    (gettext_lazy("lun"), gettext_lazy("lunedì")),
    (gettext_lazy("mar"), gettext_lazy("martedì")),
    (gettext_lazy("mer"), gettext_lazy("mercoledì")),
    (gettext_lazy("gio"), gettext_lazy("giovedì")),
    (gettext_lazy("ven"), gettext_lazy("venerdì")),
    (gettext_lazy("sab"), gettext_lazy("sabato")),
    (gettext_lazy("dom"), gettext_lazy("domenica")),
]


def month_grid(first: date, occurrences, today: date) -> list[list[dict]]:
    """Weeks (Monday first) of day cells for the month of `first`, each with the dates of
    `occurrences` that fall on it (a multi-day date on each of its days), from the same
    rows as the list: the grid costs no query."""
    last = date(first.year, first.month, pycalendar.monthrange(first.year, first.month)[1])
    by_day: dict[date, list] = {}
    for occ in occurrences:
        start_day = occ.local_start.date()
        day, end_day = max(start_day, first), min(occ.last_day, last)
        while day <= end_day:
            by_day.setdefault(day, []).append(occ)
            day += timedelta(days=1)
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        cells = []
        for day in week:
            items = by_day.get(day, []) if day.month == first.month else []
            cells.append(
                {
                    "day": day,
                    "in_month": day.month == first.month,
                    "is_today": day == today,
                    "items": items[:MAX_PER_CELL],
                    "more": max(len(items) - MAX_PER_CELL, 0),
                }
            )
        weeks.append(cells)
    return weeks


def event_archive(index, request):
    form = EventFilterForm(request.GET or None)
    form.is_valid()
    # Newest first, both columns reversed so that the (start, page) index is read backwards.
    qs = index.filtered_occurrences(form).past().order_by("-start", "-page_id")
    context = _listing_context(index, request, form, qs)
    context["mode"] = "archive"
    return index.render(request, context_overrides=context)


def venue_detail(index, request, slug):
    venue = get_object_or_404(Venue, slug=slug)
    form = EventFilterForm({"luogo": venue.slug})
    form.is_valid()
    qs = index.filtered_occurrences(form).upcoming()
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


def page_index(page) -> list[tuple[str, str]]:
    """The "Indice della pagina": (anchor, title) of each section the event page shows,
    in the order of Designers Italia's event page."""
    venue = page.venue if page.venue_id else None
    sections = [
        ("cos-e", _("Cos'è"), True),
        ("luogo", _("Luogo"), bool(venue or page.online_url)),
        ("date-e-orari", _("Date e orari"), True),
        ("costi", _("Costi"), True),
        ("iscrizione", _("Iscrizione"), bool(page.registration_info or page.registration_url)),
        (
            "accessibilita",
            _("Accessibilità"),
            bool(
                page.accessibility_facts()
                or page.accessibility_notes
                or (venue and venue.access_notes)
            ),
        ),
        ("documenti", _("Documenti"), bool(page.attachments.all())),
        ("contatti", _("Contatti"), True),
        (
            "ulteriori-informazioni",
            _("Ulteriori informazioni"),
            bool(page.further_info or page.patronage or page.sponsors),
        ),
    ]
    return [(anchor, title) for anchor, title, shown in sections if shown]


def event_page_context(page, request) -> dict:
    """Dates (computed in memory, so previews are right too), links, JSON-LD.

    Everything the page and its template read is loaded first, once
    (`EventPage.prepare_for_display`), so the page costs the same few queries for any event.
    """
    page.prepare_for_display(request)
    slots = recurrence.expand(page.schedule())
    now = timezone.now()
    upcoming = [s for s in slots if s.end >= now]
    featured = upcoming[0] if upcoming else (slots[-1] if slots else None)
    page_path = links.page_path(page) if page.pk else "/"
    index_url = _index_url(page, page_path)
    page_url = links.site_url() + page_path
    ics_url = links.site_url() + (
        reverse("eventi:event_feed", kwargs={"slug": page.slug}) if page.pk else "/"
    )
    overrides_notes = {o.original_date: o.note for o in page.occurrence_overrides.all()}
    dates = [
        {"slot": s, "note": overrides_notes.get(recurrence.to_local(s.original_start).date())}
        for s in (upcoming or slots)[:MAX_DATES]
    ]
    context = {
        "dates": dates[:FIRST_DATES],
        "folded_dates": dates[FIRST_DATES:],
        "more_dates": max(len(upcoming or slots) - MAX_DATES, 0),
        "past_only": bool(slots) and not upcoming,
        "recurrence_text": describe.describe(page.schedule(), timezone.localdate()),
        "accessibility": page.accessibility_facts(),
        "page_index": page_index(page),
        "featured_slot": featured,
        "ics_path": reverse("eventi:event_feed", kwargs={"slug": page.slug}) if page.pk else "",
        "webcal_url": "webcal://" + ics_url.split("://", 1)[1],
        "feed_title": _("%(title)s (iCalendar)") % {"title": page.title},
        "index_url": index_url,
        # The proposal the event came from (one query, only for linked events; public only).
        "source_proposal": (
            Proposal.objects.public().filter(pk=page.source_proposal_id).first()
            if page.source_proposal_id
            else None
        ),
    }
    if page.pk:
        context["subscribe"] = links.subscribe_links(ics_url, page.title)
    if featured:
        context["calendar_links"] = links.calendar_links(
            page, featured, page_url, ics_url if page.pk else ""
        )
        context["json_ld"] = links.json_ld(page, featured, page_url)
    return context


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first instant of `day` and of the next day, in the local time zone."""
    start = recurrence.make_aware(datetime.combine(day, time.min))
    return start, recurrence.make_aware(datetime.combine(day + timedelta(days=1), time.min))

"""Read-side queries of the events app (used by pages, feeds and other apps).

`upcoming_occurrences` is the public API other apps use (home page, topic pages).
"""

from datetime import timedelta

from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.base import DEFERRED
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Site

from eventi import recurrence
from eventi.models import (
    EventExcludedDate,
    EventOccurrence,
    EventOccurrenceOverride,
    EventPage,
    this_minute,
)

#: Events stay in feeds this long after their last date (cancelled ones included), so
#: subscribed calendars see the change: at least the 30 days the standard asks for.
FEED_PAST_DAYS = 90

#: What listings (event index, month view, venue pages, home and topic pages) show of each
#: date's event, and what its URL needs: loading only these halves the time spent building
#: a month page's 100 rows (an event page row has some 60 columns).
LISTING_FIELDS = (
    "start",
    "end",
    "all_day",
    "cancelled",
    "is_override",
    "original_start",
    "page__title",
    "page__slug",
    "page__url_path",
    "page__path",
    "page__depth",
    "page__locale_id",
    "page__content_type_id",
    "page__live",
    "page__summary",
    "page__status",
    "page__online_url",
    "page__start_date",
    "page__start_time",
    "page__event_type__name",
    "page__event_type__slug",
    "page__venue__name",
    "page__venue__slug",
)


def occurrences(fields=LISTING_FIELDS):
    """Occurrences of live public events with what listings show (venue, type).

    `fields=None` loads the whole event (open data lists every field).
    """
    qs = (
        EventOccurrence.objects.visible()
        .select_related("page", "page__venue", "page__event_type")
        .order_by("start", "page_id")
    )
    return qs.only(*fields) if fields else qs.defer("page__body")


def upcoming_occurrences(limit: int = 3, topic=None) -> list[EventOccurrence]:
    """The next `limit` occurrences (ongoing ones included), optionally of one topic.

    Each item has `.page` (EventPage), `.start`, `.end`, `.all_day`, `.cancelled`.
    Only events under the active language's site roots (Wagtail's cached list of them);
    two queries whatever the data size.

    Written so that both databases walk the (start, page) index in order and stop after
    `limit` dates: the roots as URL path prefixes rather than a join on the locale, and the
    end compared through an expression no index serves. With the plain columns SQLite starts
    from every page of the language (or every future end) and sorts all their dates: 10 ms
    against 1.5 ms at 10,000 events; PostgreSQL 3.5 against 2.5 ms.
    """
    language = (get_language() or "it").split("-")[0]
    in_trees = Q(pk__in=[])
    for root in Site.get_site_root_paths():
        if root.language_code.split("-")[0] == language:
            in_trees |= Q(page__url_path__startswith=root.root_path)
    qs = occurrences().alias(ends=Coalesce("end", "end")).filter(in_trees, ends__gte=this_minute())
    if topic is not None:
        qs = qs.filter(page__in=EventPage.objects.filter(topics=topic).values("pk"))
    return list(qs[:limit])


def event_dates_and_summaries(page_ids) -> dict[int, dict]:
    """For each event: its summary and its next date (the last one once all are past), as
    {"summary", "start", "end", "all_day"}; one query for a page of search results."""
    now = timezone.now()
    upcoming = EventOccurrence.objects.filter(page=OuterRef("pk"), end__gte=now).order_by(
        "start", "pk"
    )
    past = EventOccurrence.objects.filter(page=OuterRef("pk"), end__lt=now).order_by(
        "-start", "-pk"
    )

    def first(field, output):
        return Coalesce(
            Subquery(upcoming.values(field)[:1]),
            Subquery(past.values(field)[:1]),
            output_field=output,
        )

    rows = (
        EventPage.objects.filter(pk__in=list(page_ids))
        .annotate(
            date_start=first("start", DateTimeField()),
            date_end=first("end", DateTimeField()),
            date_all_day=first("all_day", BooleanField()),
        )
        .values_list("pk", "summary", "date_start", "date_end", "date_all_day")
    )
    return {
        pk: {"summary": summary, "start": start, "end": end, "all_day": bool(all_day)}
        for pk, summary, start, end, all_day in rows
    }


FEED_FIELDS = (
    "title",
    "slug",
    "url_path",
    "path",
    "depth",
    "locale_id",
    "content_type_id",
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
    "live",
    "summary",
    "event_type",
    "start_date",
    "start_time",
    "end_date",
    "end_time",
    "venue",
    "online_url",
    "organised_by_city",
    "is_free",
    "cost",
    "registration_url",
    "contact_email",
    "status",
    "status_reason",
    "frequency",
    "interval",
    "weekdays",
    "until",
    "count",
    "nth_weekdays",
    "month_days",
    "months",
    "set_positions",
    "extra_dates",
    "uid",
    "sequence",
)


def feed_queryset(index=None, event_q=None, date_from=None, date_to=None, now=None):
    """Live public events for a feed: those with a date from FEED_PAST_DAYS ago onwards."""
    now = now or timezone.now()
    occ = EventOccurrence.objects.filter(end__gte=now - timedelta(days=FEED_PAST_DAYS))
    if date_from is not None:
        occ = occ.filter(end__gte=date_from)
    if date_to is not None:
        occ = occ.filter(start__lt=date_to)
    qs = EventPage.objects.live().public().filter(pk__in=occ.values("page_id"))
    if index is not None:
        qs = qs.descendant_of(index)
    if event_q is not None:
        qs = qs.filter(pk__in=EventPage.objects.filter(event_q).values("pk"))
    return qs


def feed_events(*args, **kwargs) -> list[EventPage]:
    """`feed_queryset` loaded with `feed_data` attached: seven queries whatever the size."""
    return with_feed_data(feed_queryset(*args, **kwargs))


def with_feed_data(qs) -> list[EventPage]:
    """Load the pages with only what feeds use, and their relations in four bulk queries."""
    pages = list(
        qs.select_related("venue", "event_type", "locale")
        .only(
            *FEED_FIELDS,
            "locale__language_code",
            "venue__name",
            "venue__address",
            "venue__postcode",
            "venue__city",
            "venue__latitude",
            "venue__longitude",
            "event_type__name",
        )
        .order_by("start_date", "pk")
    )
    attach_related(pages, qs.values("pk"))
    return pages


def attach_related(pages, ids=None) -> None:
    """Give each page its topics, organisers, excluded dates and overrides (4 queries)."""
    if ids is None:
        ids = [p.pk for p in pages]
    data = {
        p.pk: {"topics": [], "organisers": [], "excluded": set(), "overrides": []} for p in pages
    }
    topics = EventPage.topics.through.objects.filter(eventpage_id__in=ids).order_by(
        "topic__sort_order", "topic__name"
    )
    for page_id, name in topics.values_list("eventpage_id", "topic__name"):
        data[page_id]["topics"].append(name)
    organisers = EventPage.organisers.through.objects.filter(eventpage_id__in=ids).order_by(
        "association__name"
    )
    for page_id, name in organisers.values_list("eventpage_id", "association__name"):
        data[page_id]["organisers"].append(name)
    for page_id, day in EventExcludedDate.objects.filter(page_id__in=ids).values_list(
        "page_id", "date"
    ):
        data[page_id]["excluded"].add(day)
    for row in EventOccurrenceOverride.objects.filter(page_id__in=ids).values_list(
        "page_id", "original_date", "cancelled", "new_start", "new_end"
    ):
        data[row[0]]["overrides"].append(recurrence.Override(*row[1:]))
    for page in pages:
        page.feed_data = data[page.pk]


# --- Event page -----------------------------------------------------------------------


def prepare_event_page(page) -> None:
    """Load what an event page, its schedule and its template read, in four queries
    whatever the event: topics and organisers together, excluded dates and overrides
    together, attachments with their documents, venue, event type and image together.

    The results go where the page's own relations look first (Django's prefetch cache),
    so `page.topics.all()`, `page.schedule()`, `page.organiser_names`... use them.
    Relations held in memory (a preview, a page built from a revision) are left alone:
    modelcluster serves them without queries, and they must win over the database.
    """
    from django.db.models import Prefetch, prefetch_related_objects

    from eventi.models import EventAttachment

    if page.pk is None:
        return
    in_memory = getattr(page, "_cluster_related_objects", {})
    missing = [name for name in RELATIONS if name not in in_memory]
    if {"topics", "organisers"} & set(missing):
        _load_names(page, [name for name in ("topics", "organisers") if name in missing])
    if {"excluded_dates", "occurrence_overrides"} & set(missing):
        _load_exceptions(
            page, [name for name in ("excluded_dates", "occurrence_overrides") if name in missing]
        )
    if "attachments" in missing:
        prefetch_related_objects(
            [page],
            Prefetch("attachments", queryset=EventAttachment.objects.select_related("document")),
        )
    _load_foreign_keys(page)


RELATIONS = ("topics", "organisers", "excluded_dates", "occurrence_overrides", "attachments")


def _instance(model, db, **values):
    """A model instance as the database gave it; fields not given are deferred."""
    names = [f.attname for f in model._meta.concrete_fields]
    return model.from_db(db, names, [values.get(name, DEFERRED) for name in names])


def _set_prefetched(page, name, objects) -> None:
    """Store `objects` as if `prefetch_related(name)` had loaded them."""
    queryset = getattr(page, name).get_live_queryset()  # lazy: no query
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    if not hasattr(page, "_prefetched_objects_cache"):
        page._prefetched_objects_cache = {}
    page._prefetched_objects_cache[name] = queryset


def _load_names(page, relations) -> None:
    """Topics and organisers of the page in one query (a UNION of the two)."""
    topic_model = EventPage._meta.get_field("topics").related_model
    association_model = EventPage._meta.get_field("organisers").related_model
    parts = {
        "topics": topic_model.objects.filter(events=page.pk).annotate(
            kind=Value("t"), sort=F("sort_order"), english=F("name_en")
        ),
        "organisers": association_model.objects.filter(events=page.pk).annotate(
            kind=Value("o"), sort=Value(0), english=Value("")
        ),
    }
    querysets = [
        parts[name].order_by().values_list("kind", "pk", "name", "english", "slug", "sort")
        for name in relations
    ]
    rows = querysets[0].union(*querysets[1:], all=True).order_by("kind", "sort", "name")
    db = rows.db
    loaded = {"topics": [], "organisers": []}
    for kind, pk, name, english, slug, sort in rows:
        if kind == "t":
            loaded["topics"].append(
                _instance(
                    topic_model, db, id=pk, name=name, name_en=english, slug=slug, sort_order=sort
                )
            )
        else:
            loaded["organisers"].append(
                _instance(association_model, db, id=pk, name=name, slug=slug)
            )
    for name in relations:
        _set_prefetched(page, name, loaded[name])


def _load_exceptions(page, relations) -> None:
    """Excluded dates and moved or cancelled dates in one query (a UNION of the two)."""
    parts = {
        "occurrence_overrides": EventOccurrenceOverride.objects.filter(page_id=page.pk)
        .annotate(kind=Value("o"))
        .values_list(
            "kind", "pk", "sort_order", "original_date", "cancelled", "new_start", "new_end", "note"
        ),
        "excluded_dates": EventExcludedDate.objects.filter(page_id=page.pk)
        .annotate(
            kind=Value("x"),
            no_cancelled=Value(False, output_field=BooleanField()),
            no_start=Value(None, output_field=DateTimeField()),
            no_end=Value(None, output_field=DateTimeField()),
            no_note=Value("", output_field=CharField()),
        )
        .values_list(
            "kind", "pk", "sort_order", "date", "no_cancelled", "no_start", "no_end", "no_note"
        ),
    }
    # Overrides first: their real columns give every row its type (datetimes on SQLite).
    ordered = [name for name in ("occurrence_overrides", "excluded_dates") if name in relations]
    querysets = [parts[name].order_by() for name in ordered]
    rows = querysets[0].union(*querysets[1:], all=True).order_by("kind", "sort_order", "pk")
    db = rows.db
    loaded = {"excluded_dates": [], "occurrence_overrides": []}
    for kind, pk, sort_order, day, cancelled, new_start, new_end, note in rows:
        if kind == "x":
            loaded["excluded_dates"].append(
                _instance(
                    EventExcludedDate, db, id=pk, sort_order=sort_order, page_id=page.pk, date=day
                )
            )
        else:
            loaded["occurrence_overrides"].append(
                _instance(
                    EventOccurrenceOverride,
                    db,
                    id=pk,
                    sort_order=sort_order,
                    page_id=page.pk,
                    original_date=day,
                    cancelled=cancelled,
                    new_start=new_start,
                    new_end=new_end,
                    note=note,
                )
            )
    for name in relations:
        _set_prefetched(page, name, loaded[name])


def _load_foreign_keys(page) -> None:
    """The venue, the event type and the image in one query (a join through the page row)."""
    wanted = [
        name
        for name in ("venue", "event_type", "image")
        if getattr(page, f"{name}_id") is not None
        and not EventPage._meta.get_field(name).is_cached(page)
    ]
    if not wanted:
        return
    row = (
        EventPage.objects.filter(pk=page.pk)
        .select_related(*wanted)
        .only(*wanted)
        .order_by()
        .first()
    )
    for name in wanted:
        # A preview may point elsewhere than the saved row: then it loads its own.
        if row is not None and getattr(row, f"{name}_id") == getattr(page, f"{name}_id"):
            setattr(page, name, getattr(row, name))

"""Read-side queries of the events app (used by pages, feeds and other apps).

`upcoming_occurrences` is the public API other apps use (home page, topic pages).
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import get_language

from eventi import recurrence
from eventi.models import (
    EventExcludedDate,
    EventOccurrence,
    EventOccurrenceOverride,
    EventPage,
)

#: Events stay in feeds this long after their last date (cancelled ones included), so
#: subscribed calendars see the change: at least the 30 days the standard asks for.
FEED_PAST_DAYS = 90

OCCURRENCE_PAGE_FIELDS = (
    "page__title",
    "page__slug",
    "page__url_path",
    "page__summary",
    "page__status",
    "page__start_time",
    "page__venue__name",
)


def occurrences():
    """Occurrences of live public events with what listings show (venue, type)."""
    return (
        EventOccurrence.objects.visible()
        .select_related("page", "page__venue", "page__event_type")
        .defer("page__body")
        .order_by("start", "page_id")
    )


def upcoming_occurrences(limit: int = 3, topic=None) -> list[EventOccurrence]:
    """The next `limit` occurrences (ongoing ones included), optionally of one topic.

    Each item has `.page` (EventPage), `.start`, `.end`, `.all_day`, `.cancelled`.
    Only events in the active language's tree; two queries whatever the data size.
    """
    language = (get_language() or "it").split("-")[0]
    qs = occurrences().upcoming().filter(page__locale__language_code=language)
    if topic is not None:
        qs = qs.filter(page__in=EventPage.objects.filter(topics=topic).values("pk"))
    return list(qs[:limit])


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

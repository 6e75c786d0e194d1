"""Every public page of the events app runs a fixed number of queries (at most 20).

Measured in the steady state and cold (every cache cleared first), with the page frame's
cache off (the test default) and on (production), before and after the data grows: more
events, topics, organisers, venues, and more of everything on the event page itself.

Before issue 7 (demo data, 100 events, cold/warm): event page 25/16, index 17/5,
month view 18/6. The events' own share of the event page is now four queries
(eventi.queries.prepare_event_page); filter choices are one (eventi.forms).
"""

from datetime import datetime, time, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model

from eventi.models import EventAttachment, EventPage, EventType
from portal.taxonomy.models import Topic
from tests.eventi.factories import VenueFactory, make_event
from tests.partecipazione.factories import AssociationFactory
from tests.queries import assert_at_most, assert_counts, request_queries

# Query counts must not depend on when the minute turns (see the fixture).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("minute_held")]


@pytest.fixture(autouse=True)
def _views_run(settings):
    """Measure what the views cost: a page-cache hit would answer with no query at all."""
    settings.PAGE_CACHE_SECONDS = 0


MAX_QUERIES = 20
# With every cache empty the frame's fragments run Wagtail's own look-ups (get_ancestors,
# get_translations, get_children: 3 queries where a hand-written one did it in 1), once per
# page and structure generation; warm, the frame costs no query at all (one fewer than before).
COLD_MAX_QUERIES = 22

# {page: (steady state, cold)}, the view running (page cache off).
EXPECTED = {
    "event page": (16, 22),
    "event index": (9, 17),
    "event index filtered": (9, 17),
    "month view": (9, 17),
    "archive": (9, 17),
    "venue": (10, 18),
    "feed": (1, 5),
    "feed filtered": (1, 5),
    "event feed": (2, 9),
}


def document(title):
    return get_document_model().objects.create(
        title=title, file=ContentFile(b"%PDF-1.4 programma", name=f"{title}.pdf")
    )


def soon(days):
    return timezone.localdate() + timedelta(days=days)


def enrich(page, n, offset=0):
    """Give the event `n` more topics' worth of everything its page shows."""
    page = EventPage.objects.get(pk=page.pk)
    current = list(page.topics.all())
    page.topics = current + list(Topic.objects.exclude(pk__in=[t.pk for t in current])[:n])
    page.organisers = list(page.organisers.all()) + [AssociationFactory() for _ in range(n)]
    for i in range(n):
        day = page.start_date + timedelta(weeks=offset + i + 1)
        page.excluded_dates.add(page.excluded_dates.model(date=day))
        moved = page.start_date + timedelta(weeks=offset + i + 20)
        page.occurrence_overrides.add(
            page.occurrence_overrides.model(
                original_date=moved,
                new_start=timezone.make_aware(datetime.combine(moved, time(21, 0))),
                note=f"Spostato {offset + i}",
            )
        )
        page.attachments.add(
            EventAttachment(document=document(f"Programma {offset + i}"), title="")
        )
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


def grow(events_index, n):
    """`n` more events, each with its own venue, type, topics and organisers."""
    topics = list(Topic.objects.order_by("pk"))
    for i in range(n):
        make_event(
            events_index,
            title=f"Evento in più {i}",
            start_date=soon(1 + i),
            frequency="weekly",
            count=10,
            venue=VenueFactory(),
            event_type=EventType.objects.create(name=f"Tipo {i}", slug=f"tipo-{i}"),
            topics=[topics[i % len(topics)]],
            organisers=[AssociationFactory()],
        )
        make_event(events_index, title=f"Passato in più {i}", start_date=soon(-30 - i))


@pytest.fixture
def urls(events_index):
    venue = VenueFactory(slug="sala-dei-quadri")
    event = make_event(
        events_index,
        title="Tavolo per la pace",
        start_date=soon(2),
        frequency="weekly",
        count=40,
        venue=venue,
        event_type=EventType.objects.order_by("pk").first(),
        topics=[Topic.objects.get(slug="pace")],
        organisers=[AssociationFactory()],
        organised_by_city=True,
    )
    event = enrich(event, 1)
    make_event(events_index, title="Incontro passato", start_date=soon(-20), venue=venue)
    return {
        "event page": event.url,
        "event index": "/eventi/",
        "event index filtered": "/eventi/?argomento=pace",
        "month view": "/eventi/mese/",
        "archive": "/eventi/archivio/",
        "venue": f"/eventi/luoghi/{venue.slug}/",
        "feed": reverse("eventi:feed"),
        "feed filtered": reverse("eventi:feed") + "?argomento=pace",
        "event feed": reverse("eventi:event_feed", kwargs={"slug": event.slug}),
    }


def measure(client, urls):
    return (
        {name: request_queries(client, url) for name, url in urls.items()},
        {name: request_queries(client, url, cold=True) for name, url in urls.items()},
    )


def test_events_pages_run_a_fixed_number_of_queries(client, events_index, urls):
    warm, cold = measure(client, urls)

    grow(events_index, 8)
    enrich(EventPage.objects.get(title="Tavolo per la pace"), 3, offset=10)
    warm_after, cold_after = measure(client, urls)

    assert_counts(warm_after, warm)
    assert_counts(cold_after, cold)  # fixed even when every cache is empty
    assert_at_most(warm, MAX_QUERIES)
    assert_at_most(cold, COLD_MAX_QUERIES)  # even with every cache empty
    assert_counts(warm, {name: steady for name, (steady, _) in EXPECTED.items()})
    assert_counts(cold, {name: empty for name, (_, empty) in EXPECTED.items()})


def test_event_page_shows_everything_it_loads_at_once(client, events_index, urls):
    response = client.get(urls["event page"])
    html = response.content.decode()
    page = response.context["page"]
    assert [t.slug for t in page.topics.all()][0] == "pace"  # sort order, then name
    assert 'href="/eventi/?argomento=pace"' in html
    assert 'href="/eventi/luoghi/sala-dei-quadri/"' in html
    assert "Comune di Cremona" in html
    assert page.organisers.all()[0].name in html
    assert "Programma 0" in html and "(PDF)" in html
    assert "Spostato 0" in html
    excluded = page.excluded_dates.all()[0].date
    assert excluded not in [item["slot"].start.date() for item in response.context["dates"]]
    assert response.context["index_url"] == "/eventi/"


def test_preview_uses_the_draft_relations_not_the_saved_ones(events_index, urls):
    """A page built from a revision keeps its own topics, dates and venue in memory."""
    from django.test import RequestFactory

    live = EventPage.objects.get(title="Tavolo per la pace")
    draft = EventPage.objects.get(pk=live.pk)
    draft.topics = [Topic.objects.exclude(slug="pace").first()]
    draft.excluded_dates.add(draft.excluded_dates.model(date=live.start_date))
    draft.venue = VenueFactory(name="Sala nuova", slug="sala-nuova")
    revision = draft.save_revision()
    preview = revision.as_object()

    request = RequestFactory().get("/")
    context = preview.get_context(request)
    assert [t.pk for t in preview.topics.all()] == [draft.topics.all()[0].pk]
    assert preview.venue.name == "Sala nuova"
    assert live.start_date not in [
        item["slot"].start.date() for item in context["dates"]
    ]  # the draft's new excluded date
    assert preview.topic_names == [draft.topics.all()[0].name]


def test_listings_show_the_same_events_as_before(client, events_index, urls):
    """The join on the live page (EventOccurrence.visible) still hides drafts and
    private events."""
    from wagtail.models import PageViewRestriction

    draft = make_event(events_index, title="Bozza", start_date=soon(1), publish=False)
    private = make_event(events_index, title="Riservato", start_date=soon(1))
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    response = client.get("/eventi/")
    titles = {o.page.title for o in response.context["occurrences"]}
    assert f'href="{urls["event page"]}"' in response.content.decode()  # built, not asked
    assert "Tavolo per la pace" in titles
    assert draft.title not in titles
    assert private.title not in titles
    past = [o.page.title for o in client.get("/eventi/archivio/").context["occurrences"]]
    assert past == ["Incontro passato"]


def test_listing_cache_reads_do_not_grow_with_the_events(client, settings, events_index, urls):
    """With Redis every cache read is a round trip: a listing must not make one per event
    (Wagtail's `page.url` reads the site root paths from the cache each time it is used)."""
    from django.core.cache.backends.locmem import LocMemCache

    reads = []
    real_get = LocMemCache.get

    def counting_get(self, key, *args, **kwargs):
        reads.append(key)
        return real_get(self, key, *args, **kwargs)

    def count(url):
        client.get(url)
        reads.clear()
        LocMemCache.get = counting_get
        try:
            assert client.get(url).status_code == 200
        finally:
            LocMemCache.get = real_get
        return len(reads)

    listing_urls = [urls[name] for name in ("event index", "month view", "venue")]
    before = [count(url) for url in listing_urls]
    grow(events_index, 8)
    assert [count(url) for url in listing_urls] == before

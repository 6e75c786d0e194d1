"""The demo loader: idempotent, believable, and the bulk path keeps a valid page tree."""

import io
import time

import pytest
from wagtail.models import Page

from bench import bulk_data
from eventi import demo
from eventi.models import EventIndexPage, EventOccurrence, EventPage, Venue
from portal.core.demo import DemoContext

pytestmark = pytest.mark.django_db


def context(home_page, **options):
    return DemoContext(stdout=io.StringIO(), options=options, pages={"home": home_page})


def test_demo_is_idempotent_and_covers_the_interesting_cases(home_page):
    demo.load(context(home_page))
    counts = (EventPage.objects.count(), Venue.objects.count(), EventOccurrence.objects.count())
    demo.load(context(home_page))
    assert (
        EventPage.objects.count(),
        Venue.objects.count(),
        EventOccurrence.objects.count(),
    ) == counts
    index = EventIndexPage.objects.get()
    assert index.slug == "eventi" and index.show_in_menus and index.live
    assert counts[0] >= 15
    assert EventPage.objects.filter(status="cancelled").exclude(status_reason="").exists()
    assert EventPage.objects.filter(status="postponed").exists()
    assert EventPage.objects.filter(start_time__isnull=True, end_date__isnull=False).exists()
    assert EventPage.objects.exclude(online_url="").filter(venue__isnull=True).exists()
    weekly = EventPage.objects.get(slug="tavolo-interreligioso")
    offsets = {o.local_start.utcoffset() for o in weekly.occurrences.all()}
    assert len(offsets) == 2  # it spans a daylight-saving change
    assert {o.local_start.hour for o in weekly.occurrences.filter(is_override=False)} == {18}


def test_bulk_events_are_fast_and_keep_the_tree_valid(home_page, client):
    demo.load(context(home_page))
    existing = EventPage.objects.count()
    started = time.perf_counter()
    bulk_data.ensure(events=existing + 300)
    elapsed = time.perf_counter() - started
    assert EventPage.objects.count() == existing + 300
    assert elapsed < 30
    index = EventIndexPage.objects.get()
    assert index.numchild == existing + 300 == index.get_children().count()
    assert Page.find_problems() == ([], [], [], [], [])
    bulk = EventPage.objects.filter(slug__startswith="evento-").first()
    assert bulk.live and bulk.occurrences.exists() and bulk.url.startswith("/eventi/")
    assert client.get(bulk.url).status_code == 200
    # a normal page can still be added after the bulk insert
    new = index.add_child(
        instance=EventPage(title="Dopo", slug="dopo", summary="s", start_date=bulk.start_date)
    )
    assert new.path > bulk.path

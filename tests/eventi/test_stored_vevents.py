"""Feeds built from the VEVENTs stored at publication (EventFeedComponent).

The stored text must give the same calendar as a fresh build with `ical.build_calendar`,
be refreshed whenever what it shows changes, and never let a hidden page through.
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import recurring_ical_events
import vobject
from django.core.cache import cache
from django.core.management import call_command
from icalendar import Calendar
from wagtail.models import PageViewRestriction

from eventi import ical, queries, recurrence
from eventi.models import EventFeedComponent, EventPage, EventType
from partecipazione.models import Association
from portal.taxonomy.models import Topic
from tests.eventi.factories import VenueFactory, edit_and_publish, make_event
from tests.factories import ON_CALENDAR_NOW
from tests.queries import capture

pytestmark = [pytest.mark.django_db, ON_CALENDAR_NOW]

FEED = "/eventi/calendario.ics"


def _variety(index):
    """Events that exercise every part of a VEVENT."""
    venue = VenueFactory(name="Sala Puerari", slug="sala-puerari")
    association = Association.objects.create(name="Amici della Pace", slug="amici-della-pace")
    moved = recurrence.make_aware(datetime(2030, 3, 20, 21, 0))
    events = [
        make_event(
            index,
            slug="ricorrente",
            title="Cerchio di dialogo",
            start_date=date(2030, 3, 5),
            frequency="weekly",
            count=8,
            venue=venue,
            topics=[Topic.objects.get(slug="pace")],
            organisers=[association],
            event_type=EventType.objects.get(slug="conferenza"),
            excluded_dates=[date(2030, 3, 12)],
            overrides=[
                {"original_date": date(2030, 3, 19), "new_start": moved},
                {"original_date": date(2030, 3, 26), "cancelled": True},
            ],
        ),
        make_event(
            index,
            slug="festival",
            title="Festival dei popoli; «pace» e virgole, lunghissimo " * 3,
            start_date=date(2030, 6, 12),
            end_date=date(2030, 6, 14),
            start_time=None,
            end_time=None,
            summary="Tre giorni di incontri: àèìòù " * 10,
        ),
        make_event(
            index,
            slug="online",
            online_url="https://meet.example.org/pace",
            is_free=False,
            cost="5 euro",
            registration_url="https://example.org/iscrizioni",
        ),
    ]
    cancelled = make_event(index, slug="annullato", venue=venue, start_date=date(2030, 3, 5))
    events.append(edit_and_publish(cancelled, status="cancelled", status_reason="Maltempo"))
    return events


def _fresh(index) -> bytes:
    """The same feed built from scratch by icalendar (no stored text)."""
    pages = queries.feed_events(index)
    return ical.to_bytes(ical.build_calendar(pages, "x", index=index))


def _components(cal) -> list[bytes]:
    return sorted(c.to_ical() for c in cal.walk("VEVENT"))


def test_stored_feed_equals_a_fresh_build_in_three_parsers(client, events_index):
    _variety(events_index)
    stored = client.get(FEED).content
    assert EventFeedComponent.objects.count() == 4
    fresh = _fresh(events_index)
    # CRLF only, every line folded at 75 octets
    assert stored.count(b"\n") == stored.count(b"\r\n")
    assert max(len(line) for line in stored.split(b"\r\n")) <= 75
    stored_cal, fresh_cal = Calendar.from_ical(stored), Calendar.from_ical(fresh)
    assert _components(stored_cal) == _components(fresh_cal)
    assert len(stored_cal.walk("VEVENT")) == 6  # 4 masters, 2 overrides
    assert len(stored_cal.walk("VTIMEZONE")) == 1
    window = (datetime(2030, 1, 1, tzinfo=UTC), datetime(2031, 1, 1, tzinfo=UTC))

    def occurrences(cal):
        return sorted(
            (str(o["UID"]), o["DTSTART"].dt.isoformat(), str(o.get("STATUS")))
            for o in recurring_ical_events.of(cal).between(*window)
        )

    assert occurrences(stored_cal) == occurrences(fresh_cal)
    assert len(occurrences(stored_cal)) >= 9

    def vobject_events(body):
        parsed = vobject.readOne(body.decode())
        return sorted(
            (e.uid.value, str(e.dtstart.value), e.summary.value, e.description.value)
            for e in parsed.vevent_list
        )

    assert vobject_events(stored) == vobject_events(fresh)


def test_cold_feed_reads_the_stored_text_in_one_query(client, events_index, monkeypatch):
    _variety(events_index)  # their VEVENTs are stored when they are published
    cache.clear()

    def fail(*args, **kwargs):
        raise AssertionError("VEVENTs rebuilt although they are stored")

    monkeypatch.setattr(ical, "event_components", fail)
    assert b"Cerchio di dialogo" in client.get(FEED).content
    cache.clear()
    with capture() as queries:
        body = client.get(FEED).content
    assert len(Calendar.from_ical(body).walk("VEVENT")) == 6
    feed_selects = [sql for sql in queries.sql if "eventi_eventfeedcomponent" in sql]
    assert len(feed_selects) == 1, queries.listing()
    assert not any(sql.startswith(("INSERT", "UPDATE")) for sql in queries.sql), queries.listing()


def test_missing_or_outdated_text_is_rebuilt_and_saved(client, events_index):
    event = make_event(events_index)
    EventFeedComponent.objects.all().delete()
    assert event.ical_uid.encode() in client.get(FEED).content
    assert EventFeedComponent.objects.filter(page=event).exists()
    # a changed text with an outdated version is replaced, a current one is trusted
    EventFeedComponent.objects.filter(page=event).update(ics="garbage", version="old")
    cache.clear()
    body = client.get(FEED).content
    assert b"garbage" not in body and event.ical_uid.encode() in body
    Calendar.from_ical(body)


def test_publication_stores_the_new_version_and_drafts_do_not(client, events_index):
    event = make_event(events_index, title="Prima versione", start_date=date(2030, 3, 5))
    assert "Prima versione" in EventFeedComponent.objects.get(page=event).ics
    draft = EventPage.objects.get(pk=event.pk)
    draft.title = "Bozza non pubblicata"
    draft.save_revision()
    assert "Bozza" not in EventFeedComponent.objects.get(page=event).ics
    assert b"Bozza" not in client.get(FEED).content
    edit_and_publish(event, title="Seconda versione", start_date=date(2030, 3, 6))
    stored = EventFeedComponent.objects.get(page=event).ics
    assert "Seconda versione" in stored and "SEQUENCE:1" in stored
    assert b"20300306T180000" in client.get(FEED).content


def test_hidden_pages_never_leak_even_with_stored_text(client, events_index):
    public = make_event(events_index, slug="pubblico")
    private = make_event(events_index, slug="privato")
    unpublished = make_event(events_index, slug="ritirato")
    assert EventFeedComponent.objects.filter(page__in=[private, unpublished]).count() == 2
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    EventPage.objects.get(pk=unpublished.pk).unpublish()
    body = client.get(FEED).content
    assert public.ical_uid.encode() in body
    assert private.ical_uid.encode() not in body
    assert unpublished.ical_uid.encode() not in body


def test_url_change_without_publication_rebuilds(client, events_index):
    event = make_event(events_index)
    client.get(FEED)
    events_index.slug = "calendario"
    events_index.save_revision().publish()  # descendants' url_path change in SQL
    body = client.get(FEED).content.replace(b"\r\n ", b"")
    assert b"/calendario/" + event.slug.encode() + b"/" in body


def test_related_changes_drop_only_the_affected_text(client, events_index):
    venue = VenueFactory(slug="auditorium")
    association = Association.objects.create(name="Donne in nero", slug="donne-in-nero")
    at_venue = make_event(events_index, slug="a", venue=venue)
    organised = make_event(events_index, slug="b", organisers=[association])
    other = make_event(events_index, slug="c")
    venue.name = "Auditorium rinnovato"
    venue.save()
    assert set(EventFeedComponent.objects.values_list("page_id", flat=True)) == {
        organised.pk,
        other.pk,
    }
    association.name = "Donne per la pace"
    association.save()
    assert list(EventFeedComponent.objects.values_list("page_id", flat=True)) == [other.pk]
    body = client.get(FEED).content.replace(b"\r\n ", b"")
    assert b"Auditorium rinnovato" in body and b"Donne per la pace" in body
    assert EventFeedComponent.objects.count() == 3
    assert at_venue.ical_uid.encode() in body


def test_build_event_ical_command_backfills(events_index):
    make_event(events_index, slug="uno")
    make_event(events_index, slug="due")
    EventFeedComponent.objects.all().delete()
    call_command("build_event_ical", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert EventFeedComponent.objects.count() == 2


def test_weekly_stored_event_keeps_local_time(client, events_index):
    make_event(
        events_index,
        start_date=date.today() + timedelta(days=1),
        frequency="weekly",
        count=30,
        start_time=time(18, 0),
        end_time=time(19, 0),
    )
    cache.clear()
    cal = Calendar.from_ical(client.get(FEED).content)
    found = recurring_ical_events.of(cal).between(
        datetime.now(UTC), datetime.now(UTC) + timedelta(days=400)
    )
    assert {o["DTSTART"].dt.astimezone(recurrence.LOCAL).time() for o in found} == {time(18, 0)}


def test_bulk_demo_loader_stores_the_vevents(client, events_index, monkeypatch):
    from django.utils import timezone

    from bench import bulk_data

    venues = {"v": VenueFactory(slug="v")}
    types = {t.slug: t for t in EventType.objects.all()}
    topics = {t.slug: t for t in Topic.objects.all()}
    bulk_data.bulk_events(events_index, 30, venues, types, topics, timezone.localdate())
    assert EventFeedComponent.objects.count() == 30
    cache.clear()

    def fail(*args, **kwargs):
        raise AssertionError("VEVENTs rebuilt although they are stored")

    monkeypatch.setattr(ical, "event_components", fail)
    cal = Calendar.from_ical(client.get(FEED).content)
    assert len(cal.walk("VEVENT")) >= 20  # those not yet past the grace period

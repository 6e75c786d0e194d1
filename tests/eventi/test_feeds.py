"""iCalendar feeds: content, parsed back by three parsers, HTTP caching, privacy, bad input."""

import gzip
from datetime import UTC, date, datetime, time, timedelta

import pytest
import recurring_ical_events
import vobject
from django.core.cache import cache
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import PageViewRestriction

from bench import bulk_data
from eventi import feeds, recurrence
from eventi.models import EventPage, EventType, Venue
from portal.accounts import follows
from portal.taxonomy.models import Topic
from tests.eventi.factories import VenueFactory, edit_and_publish, make_event
from tests.factories import ON_CALENDAR_NOW, UserFactory
from tests.queries import Queries, assert_fixed, capture

pytestmark = [pytest.mark.django_db, ON_CALENDAR_NOW]

FEED = "/eventi/calendario.ics"


def get_calendar(client, url=FEED, **headers) -> Calendar:
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def vevents(cal, uid=None):
    events = cal.walk("VEVENT")
    return [e for e in events if uid is None or str(e["UID"]) == uid]


def test_calendar_properties_and_empty_calendar_is_valid(client, events_index):
    response = client.get(FEED)
    body = response.content
    assert b"\r\n" in body and body.count(b"\n") == body.count(b"\r\n")  # CRLF only
    cal = Calendar.from_ical(body)
    assert vevents(cal) == []
    assert cal["VERSION"] == "2.0"
    assert "Città della Pace" in str(cal["PRODID"])
    assert cal["CALSCALE"] == "GREGORIAN"
    assert cal["METHOD"] == "PUBLISH"
    assert str(cal["NAME"]) == str(cal["X-WR-CALNAME"])
    assert cal["X-WR-TIMEZONE"] == "Europe/Rome"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H" in body
    assert b"X-PUBLISHED-TTL:PT6H" in body
    (tz,) = cal.walk("VTIMEZONE")
    assert tz["TZID"] == "Europe/Rome"
    vobject.readOne(body.decode())  # an independent parser accepts it too


def test_timed_event_with_venue_organiser_and_categories(client, events_index, django_db_setup):
    venue = VenueFactory(name="Sala Puerari", slug="sala-puerari")
    topic = Topic.objects.get(slug="pace")
    event = make_event(
        events_index,
        title="Incontro per la pace",
        start_date=date(2030, 3, 5),
        venue=venue,
        topics=[topic],
        event_type=EventType.objects.get(slug="conferenza"),
        online_url="https://meet.example.org/pace",
    )
    body = client.get(FEED).content
    assert b"DTSTART;TZID=Europe/Rome:20300305T180000" in body
    assert b"DTEND;TZID=Europe/Rome:20300305T200000" in body
    (vevent,) = vevents(Calendar.from_ical(body), event.ical_uid)
    assert vevent["SUMMARY"] == "Incontro per la pace"
    assert vevent["STATUS"] == "CONFIRMED"
    assert vevent["SEQUENCE"] == 0
    assert "Sala Puerari" in vevent["LOCATION"]
    assert vevent["GEO"].latitude == pytest.approx(45.1335)
    assert vevent["URL"].endswith("/eventi/incontro-per-la-pace/")
    assert vevent["URL"] in vevent["DESCRIPTION"]
    assert vevent["ORGANIZER"].params["CN"] == "Comune di Cremona"
    assert {"conferenza", topic.name} <= set(vevent["CATEGORIES"].cats)
    assert vevent["CONFERENCE"] == "https://meet.example.org/pace"
    for name in ("DTSTAMP", "CREATED", "LAST-MODIFIED"):
        assert vevent[name].dt.tzinfo is not None
    # vobject reads the same event with the right local time
    parsed = vobject.readOne(body.decode())
    start = parsed.vevent.dtstart.value
    assert start.utcoffset() == timedelta(hours=1) and (start.hour, start.minute) == (18, 0)


def test_weekly_event_across_dst_is_18_00_in_every_parser(client, events_index):
    make_event(
        events_index,
        start_date=date.today() + timedelta(days=1),
        frequency="weekly",
        count=60,
        start_time=time(18, 0),
        end_time=time(19, 0),
    )
    body = client.get(FEED).content
    cal = Calendar.from_ical(body)
    (vevent,) = vevents(cal)
    assert vevent["RRULE"]["FREQ"] == ["WEEKLY"] and vevent["RRULE"]["COUNT"] == [60]
    occurrences = recurring_ical_events.of(cal).between(
        datetime.now(UTC), datetime.now(UTC) + timedelta(days=420)
    )
    assert len(occurrences) == 60
    local_times = {o["DTSTART"].dt.astimezone(recurrence.LOCAL).time() for o in occurrences}
    assert local_times == {time(18, 0)}
    offsets = {o["DTSTART"].dt.astimezone(recurrence.LOCAL).utcoffset() for o in occurrences}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}  # both sides of a DST change
    # vobject expands the rule the same way
    parsed = vobject.readOne(body.decode())
    starts = list(parsed.vevent.getrruleset())
    assert len(starts) == 60
    assert {s.astimezone(recurrence.LOCAL).time() for s in starts} == {time(18, 0)}


def test_excluded_dates_and_overrides_share_the_uid(client, events_index):
    moved = recurrence.make_aware(datetime(2030, 3, 20, 21, 0))
    event = make_event(
        events_index,
        start_date=date(2030, 3, 5),
        frequency="weekly",
        count=5,
        excluded_dates=[date(2030, 3, 12)],
        overrides=[
            {"original_date": date(2030, 3, 19), "new_start": moved},
            {"original_date": date(2030, 3, 26), "cancelled": True},
        ],
    )
    body = client.get(FEED).content
    assert b"EXDATE;TZID=Europe/Rome:20300312T180000" in body
    assert b"RECURRENCE-ID;TZID=Europe/Rome:20300319T180000" in body
    cal = Calendar.from_ical(body)
    components = vevents(cal, event.ical_uid)
    assert len(components) == 3
    overrides = {c["RECURRENCE-ID"].dt.date(): c for c in components if "RECURRENCE-ID" in c}
    assert overrides[date(2030, 3, 26)]["STATUS"] == "CANCELLED"
    assert overrides[date(2030, 3, 19)]["DTSTART"].dt == moved
    found = recurring_ical_events.of(cal).between(datetime(2030, 3, 1), datetime(2030, 4, 30))
    starts = sorted(
        o["DTSTART"].dt.astimezone(recurrence.LOCAL).replace(tzinfo=None)
        for o in found
        if o.get("STATUS") != "CANCELLED"
    )
    assert starts == [
        datetime(2030, 3, 5, 18, 0),
        datetime(2030, 3, 20, 21, 0),
        datetime(2030, 4, 2, 18, 0),
    ]


def test_all_day_multi_day_event_uses_value_date_with_exclusive_end(client, events_index):
    make_event(
        events_index,
        start_date=date(2030, 6, 12),
        end_date=date(2030, 6, 14),
        start_time=None,
        end_time=None,
    )
    body = client.get(FEED).content
    assert b"DTSTART;VALUE=DATE:20300612" in body
    assert b"DTEND;VALUE=DATE:20300615" in body
    parsed = vobject.readOne(body.decode())
    assert parsed.vevent.dtstart.value == date(2030, 6, 12)


def test_cancelled_event_stays_in_the_feed_as_cancelled(client, events_index):
    event = make_event(events_index)
    edit_and_publish(event, status="cancelled", status_reason="Maltempo")
    (vevent,) = vevents(get_calendar(client), event.ical_uid)
    assert vevent["STATUS"] == "CANCELLED"
    assert vevent["SEQUENCE"] == 1
    assert "Maltempo" in vevent["DESCRIPTION"]


def test_past_events_stay_for_the_grace_period_then_leave(client, events_index):
    today = timezone.localdate()
    recent = make_event(events_index, slug="recente", start_date=today - timedelta(days=35))
    old = make_event(events_index, slug="vecchio", start_date=today - timedelta(days=200))
    uids = {str(e["UID"]) for e in vevents(get_calendar(client))}
    assert recent.ical_uid in uids
    assert old.ical_uid not in uids


def test_drafts_unpublished_and_private_events_never_appear(client, events_index):
    public = make_event(events_index, slug="pubblico")
    draft = make_event(events_index, slug="bozza", publish=False)
    unpublished = make_event(events_index, slug="ritirato")
    unpublished.unpublish()
    private = make_event(events_index, slug="privato")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    uids = {str(e["UID"]) for e in vevents(get_calendar(client))}
    assert uids == {public.ical_uid}
    assert draft.ical_uid not in uids
    for page in (draft, unpublished, private):
        assert client.get(f"/eventi/{page.slug}/evento.ics").status_code == 404


def test_single_event_feed(client, events_index):
    event = make_event(events_index)
    other = make_event(events_index, slug="altro")
    response = client.get(f"/eventi/{event.slug}/evento.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    cal = Calendar.from_ical(response.content)
    assert [str(e["UID"]) for e in vevents(cal)] == [event.ical_uid]
    assert other.ical_uid.encode() not in response.content


def test_filtered_feeds(client, events_index):
    pace = Topic.objects.get(slug="pace")
    venue = VenueFactory(slug="auditorium")
    with_topic = make_event(events_index, slug="a", topics=[pace])
    at_venue = make_event(events_index, slug="b", venue=venue, organised_by_city=False)
    both = make_event(events_index, slug="c", venue=venue, topics=[pace])

    def uids(url):
        return {str(e["UID"]) for e in vevents(get_calendar(client, url))}

    assert uids(FEED + "?argomento=pace") == {with_topic.ical_uid, both.ical_uid}
    assert uids(FEED + "?luogo=auditorium") == {at_venue.ical_uid, both.ical_uid}
    assert uids(FEED + "?argomento=pace&luogo=auditorium") == {both.ical_uid}
    assert uids(FEED + "?organizzatore=comune") == {with_topic.ical_uid, both.ical_uid}
    cal = get_calendar(client, FEED + "?argomento=pace")
    assert pace.name in str(cal["X-WR-CALNAME"])


@pytest.mark.parametrize(
    "query",
    [
        "argomento=nessuno",
        "luogo=nessuno",
        "tipo=x",
        "organizzatore=x",
        "dal=2030-02-31",
        "dal=2030-05-01&al=2030-01-01",
    ],
)
def test_bad_filters_give_a_clear_400(client, events_index, query):
    response = client.get(f"{FEED}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "Filtri non validi" in response.content.decode()


def test_etag_last_modified_and_304(client, events_index):
    make_event(events_index)
    first = client.get(FEED)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag and last_modified
    again = client.get(FEED, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    since = client.get(FEED, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert since.status_code == 304
    stale = client.get(FEED, HTTP_IF_NONE_MATCH='"something-else"')
    assert stale.status_code == 200
    # the ETag depends on the content only, so an evicted cache gives the same one
    cache.clear()
    assert client.get(FEED)["ETag"] == etag


@pytest.mark.parametrize("url", [FEED, "/eventi/incontro-per-la-pace/evento.ics"])
def test_feeds_are_sent_gzip_compressed_to_clients_that_accept_it(client, events_index, url):
    make_event(events_index, slug="incontro-per-la-pace", frequency="weekly", count=20)
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in plain["Vary"] and "Accept-Encoding" in packed["Vary"]
    body = gzip.decompress(packed.content)
    assert body == plain.content and len(packed.content) < len(body) * 0.6
    # Both representations parse back to the same calendar in two independent parsers.
    assert Calendar.from_ical(body).to_ical() == Calendar.from_ical(plain.content).to_ical()
    assert len(vobject.readOne(body.decode()).vevent_list) == 1
    # Each representation has its own ETag: a 304 only for the copy the client holds.
    assert packed["ETag"] != plain["ETag"]
    assert (
        client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"]).status_code
        == 304
    )
    assert client.get(url, HTTP_IF_NONE_MATCH=packed["ETag"]).status_code == 200
    refused = client.get(url, HTTP_ACCEPT_ENCODING="gzip;q=0, identity")
    assert "Content-Encoding" not in refused and refused.content == plain.content


def test_a_304_reads_no_body_and_an_evicted_body_is_built_again(client, events_index, monkeypatch):
    make_event(events_index)
    first = client.get(FEED, HTTP_ACCEPT_ENCODING="gzip")
    read = []
    original_get = cache.get

    def spy(key, *args, **kwargs):
        read.append(key)
        return original_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", spy)
    again = client.get(FEED, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert not [key for key in read if key.endswith((":plain", ":gzip"))]
    # Only the compressed copy is read for a client that takes it (by a worker that does not
    # hold it in memory yet: feeds.recent_bodies).
    read.clear()
    feeds.recent_bodies.clear()
    assert client.get(FEED, HTTP_ACCEPT_ENCODING="gzip").content == first.content
    assert [key for key in read if key.endswith((":plain", ":gzip"))][-1].endswith(":gzip")
    # A representation dropped by the cache on its own is built again, unchanged.
    feed_keys = [key for key in read if key.endswith(":gzip")]
    cache.delete(feed_keys[-1].removesuffix(":gzip") + ":plain")
    plain = client.get(FEED)
    assert plain.status_code == 200 and gzip.decompress(first.content) == plain.content
    assert plain["ETag"] == first["ETag"].replace('-gzip"', '"')


def test_personal_feed_is_compressed_too(client, events_index):
    user = UserFactory()
    page = make_event(events_index, slug="seguito")
    follows.follow(user, EventPage.objects.get(pk=page.pk))
    url = f"/eventi/calendario/personale/{follows.calendar_token(user)}.ics"
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert packed.status_code == 200 and packed["Content-Encoding"] == "gzip"
    assert "private" in packed["Cache-Control"]
    assert len(vevents(Calendar.from_ical(gzip.decompress(packed.content)))) == 1


def test_cache_is_invalidated_on_publish_unpublish_move_and_delete(client, events_index):
    event = make_event(events_index)
    etag = client.get(FEED)["ETag"]
    assert client.get(FEED, HTTP_IF_NONE_MATCH=etag).status_code == 304
    edit_and_publish(event, title="Titolo cambiato")
    response = client.get(FEED, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and b"Titolo cambiato" in response.content
    EventPage.objects.get(pk=event.pk).unpublish()
    assert event.ical_uid.encode() not in client.get(FEED).content
    second = make_event(events_index, slug="secondo")
    assert second.ical_uid.encode() in client.get(FEED).content
    EventPage.objects.get(pk=second.pk).delete()
    assert second.ical_uid.encode() not in client.get(FEED).content


def test_venue_edit_refreshes_feeds(client, events_index):
    venue = VenueFactory()
    make_event(events_index, venue=venue)
    client.get(FEED)
    Venue.objects.filter(pk=venue.pk).update()  # no signal: nothing changes
    venue.name = "Sala rinnovata"
    venue.save()
    assert b"Sala rinnovata" in client.get(FEED).content


def test_personal_feed_reflects_follows_without_personal_data(client, events_index):
    user = UserFactory(first_name="Giulia", last_name="Segreta")
    pace = Topic.objects.get(slug="pace")
    venue = VenueFactory(slug="centro")
    by_topic = make_event(events_index, slug="argomento", topics=[pace])
    by_venue = make_event(events_index, slug="luogo", venue=venue)
    followed = make_event(events_index, slug="seguito")
    unrelated = make_event(events_index, slug="altro")
    follows.follow(user, pace)
    follows.follow(user, venue)
    follows.follow(user, EventPage.objects.get(pk=followed.pk))
    token = follows.calendar_token(user)
    url = f"/eventi/calendario/personale/{token}.ics"
    response = client.get(url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    uids = {str(e["UID"]) for e in vevents(Calendar.from_ical(response.content))}
    assert uids == {by_topic.ical_uid, by_venue.ical_uid, followed.ical_uid}
    assert unrelated.ical_uid not in uids
    text = response.content.decode()
    for personal in ("Giulia", "Segreta", user.email, token):
        assert personal not in text
    # following something new shows up at once
    follows.follow(user, EventPage.objects.get(pk=unrelated.pk))
    assert unrelated.ical_uid.encode() in client.get(url).content
    # a regenerated token kills the old URL
    new_token = follows.regenerate_calendar_token(user)
    assert client.get(url).status_code == 404
    assert client.get(f"/eventi/calendario/personale/{new_token}.ics").status_code == 200
    assert client.get("/eventi/calendario/personale/sconosciuto.ics").status_code == 404


def _bulk(index, n):
    venues = {v.slug: v for v in [VenueFactory(slug="v1"), VenueFactory(slug="v2")]}
    types = {t.slug: t for t in EventType.objects.all()}
    topics = {t.slug: t for t in Topic.objects.all()}
    bulk_data.bulk_events(index, n, venues, types, topics, timezone.localdate())


def _feed_queries(client, url=FEED) -> Queries:
    client.get(url)  # warm the site's shared caches (site, locales...)
    feeds.invalidate_related()  # forget every cached feed: a cold build from stored VEVENTs
    with capture() as queries:
        assert client.get(url).status_code == 200
    return queries


def test_feed_query_count_is_fixed(client, events_index):
    _bulk(events_index, 10)
    make_event(
        events_index,
        slug="con-eccezioni",
        start_date=date(2030, 3, 5),
        frequency="weekly",
        count=3,
        excluded_dates=[date(2030, 3, 12)],
    )
    small = _feed_queries(client)
    small_filtered = _feed_queries(client, FEED + "?argomento=pace&luogo=v1")
    _bulk(events_index, 490)
    large = _feed_queries(client)
    large_filtered = _feed_queries(client, FEED + "?argomento=pace&luogo=v1")
    assert_fixed(small, large, at_most=15)
    assert_fixed(small_filtered, large_filtered, at_most=15)
    assert len(vevents(get_calendar(client))) >= 450


def test_vtimezone_matches_zoneinfo_in_an_independent_parser():
    from eventi import ical

    cal = ical.new_calendar("prova")
    parsed = vobject.readOne(cal.to_ical().decode())
    tzinfo = parsed.vtimezone.gettzinfo()
    day = datetime(2026, 1, 1, 12, 0)
    while day.year < 2036:
        expected = day.replace(tzinfo=recurrence.LOCAL).utcoffset()
        assert day.replace(tzinfo=tzinfo).utcoffset() == expected, day
        day += timedelta(days=5)


def test_after_a_publication_only_the_changed_event_is_rebuilt(client, events_index, monkeypatch):
    from eventi import ical

    events = [make_event(events_index, slug=f"e{i}") for i in range(3)]
    client.get(FEED)
    built = []
    original = ical.event_components

    def counting(page, *args, **kwargs):
        built.append(page.pk)
        return original(page, *args, **kwargs)

    monkeypatch.setattr(ical, "event_components", counting)
    edit_and_publish(events[1], title="Cambiato")
    body = client.get(FEED).content
    assert built == [events[1].pk]
    assert b"Cambiato" in body and events[0].ical_uid.encode() in body
    # renaming a topic shows in every event: all are rebuilt
    built.clear()
    topic = Topic.objects.get(slug="pace")
    topic.name = "Pace e nonviolenza"
    topic.save()
    client.get(FEED)
    assert sorted(built) == sorted(e.pk for e in events)

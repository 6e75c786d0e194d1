"""The importer's work does not grow per event where it need not (issue 14).

Re-importing an unchanged calendar reads what it needs once (slugs, pages by UID, their
drafts, venues) whatever the number of events; a whole import bumps the cache generations once.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from eventi import sync
from eventi.importer import import_calendar
from eventi.models import CalendarSource, EventPage, PublishMode, Venue
from partecipazione.models import Association
from portal.core import cache as portal_cache
from tests.queries import assert_fixed, capture

pytestmark = pytest.mark.django_db


def calendar(count: int, prefix: str = "ev") -> bytes:
    """`count` events: single, weekly with an EXDATE, monthly by ordinal weekday, all-day."""
    today = timezone.localdate()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//IT"]
    for n in range(count):
        day = today + timedelta(days=n + 3)
        lines += ["BEGIN:VEVENT", f"UID:{prefix}-{n}@example.org", "DTSTAMP:20260101T000000Z"]
        lines += [f"SUMMARY:Incontro {n % 3}", "LOCATION:Sala Alfa, Cremona"]
        if n % 4 == 3:
            lines.append(f"DTSTART;VALUE=DATE:{day:%Y%m%d}")
        else:
            lines.append(f"DTSTART;TZID=Europe/Rome:{day:%Y%m%d}T180000")
            lines.append(f"DTEND;TZID=Europe/Rome:{day:%Y%m%d}T200000")
        if n % 4 == 1:
            lines.append("RRULE:FREQ=WEEKLY;COUNT=5")
            lines.append(f"EXDATE;TZID=Europe/Rome:{day + timedelta(days=7):%Y%m%d}T180000")
        elif n % 4 == 2:
            code = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][day.weekday()]
            lines.append(f"RRULE:FREQ=MONTHLY;BYDAY=2{code};COUNT=4")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def reimport_queries(index, count: int, prefix: str, source=None, organiser=None):
    data = calendar(count, prefix)
    first = import_calendar(data, index, organiser=organiser, source=source)
    assert len(first.created) == count
    with capture() as queries:
        again = import_calendar(data, index, organiser=organiser, source=source)
    assert len(again.skipped) == count and not again.created and not again.updated
    return queries


def test_an_unchanged_reimport_runs_the_same_queries_for_10_or_40_events(events_index):
    Venue.objects.create(name="Sala Alfa", slug="sala-alfa")
    few = reimport_queries(events_index, 10, "few")
    many = reimport_queries(events_index, 40, "many")
    assert_fixed(few, many, at_most=15)
    # same titles: every slug is still unique under the calendar
    slugs = list(EventPage.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 50


def test_an_unchanged_reimport_of_a_synchronised_calendar_is_constant_too(events_index):
    association = Association.objects.create(name="Amici", slug="amici")
    one = CalendarSource.objects.create(association=association, url="https://a.example/1.ics")
    two = CalendarSource.objects.create(association=association, url="https://a.example/2.ics")
    few = reimport_queries(events_index, 10, "few", source=one, organiser=association)
    many = reimport_queries(events_index, 40, "many", source=two, organiser=association)
    assert_fixed(few, many, at_most=15)


def test_a_published_calendar_reimport_stays_constant(events_index, calendar_server, settings):
    """Live pages (a source that publishes directly) are compared with their live rows."""
    settings.EVENTI_SYNC_ALLOW_PRIVATE_ADDRESSES = True
    association = Association.objects.create(
        name="Verificata", slug="verificata", is_verified=True, verified_at=timezone.now()
    )
    measured = []
    for count in (10, 40):
        url = calendar_server.serve(f"/c{count}.ics", calendar(count, f"live{count}"))
        source = CalendarSource.objects.create(
            association=association, url=url, publish_mode=PublishMode.PUBLISH
        )
        sync.sync_source(source)
        assert EventPage.objects.filter(calendar_source=source, live=True).count() == count
        CalendarSource.objects.filter(pk=source.pk).update(content_sha256="")
        source.refresh_from_db()
        with capture() as queries:
            sync.sync_source(source)
        source.refresh_from_db()
        assert source.last_status == "ok", source.last_message
        assert source.updated_count == source.created_count == 0
        measured.append(queries)
    assert_fixed(*measured)


def test_a_whole_import_bumps_the_cache_generations_once(events_index, monkeypatch):
    bumps = []
    real = portal_cache._bump
    monkeypatch.setattr(portal_cache, "_bump", lambda scopes: bumps.append(scopes) or real(scopes))
    report = import_calendar(calendar(12), events_index)
    assert len(report.created) == 12
    # once when the import ends (and once more when its transaction commits: not in a test);
    # drafts are in no feed
    assert len(bumps) == 1
    assert set(bumps[0]) == {portal_cache.CONTENT, portal_cache.STRUCTURE}

"""Exports as Google Calendar, Outlook and Thunderbird write them: imported, listed, re-exported.

For each sample the occurrences the site lists for the imported (then published) events equal
those `recurring-ical-events` reads from the source file, instant for instant; and the event's
own feed (/eventi/<slug>/evento.ics) reads back to the same occurrences. Dates are built from
next year, with the weekday rules (second Saturday, last Friday...) computed for that year.
"""

from datetime import date, datetime, time, timedelta
from pathlib import Path
from string import Template

import pytest
import recurring_ical_events
from icalendar import Calendar

from eventi import recurrence
from eventi.importer import import_calendar
from eventi.models import EventOccurrence, EventPage

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
LONG_URL = "https://example.org/iscrizioni?" + "&".join(f"campo{n}=valore{n}" for n in range(30))


def nth_weekday(year, month, weekday, n) -> date:
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = (date(year, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def last_workday(year, month) -> date:
    return max(nth_weekday(year, month, day, -1) for day in range(5))


def sample(name: str, encoding="utf-8") -> bytes:
    year = date.today().year + 1

    def stamp(day):
        return day.strftime("%Y%m%d")

    values = {
        "Y": str(year),
        "JAN2SA": stamp(nth_weekday(year, 1, 5, 2)),
        "MAR2SA": stamp(nth_weekday(year, 3, 5, 2)),
        "APR2SA": stamp(nth_weekday(year, 4, 5, 2)),
        "MAY2SA": stamp(nth_weekday(year, 5, 5, 2)),
        "FEBTUE": stamp(nth_weekday(year, 2, 1, 1)),
        "MARTUE": stamp(nth_weekday(year, 3, 1, 1)),
        "JANLASTFR": stamp(nth_weekday(year, 1, 4, -1)),
        "JANLASTWD": stamp(last_workday(year, 1)),
        "LONG_URL": LONG_URL,
    }
    text = Template((SAMPLES / name).read_text(encoding="utf-8")).substitute(values)
    return text.replace("\n", "\r\n").encode(encoding)


def window():
    year = date.today().year + 1
    return date(year, 1, 1), date(year + 1, 1, 1)


def _instant(value):
    if isinstance(value, datetime):
        return value if value.tzinfo else recurrence.make_aware(value)
    return recurrence.make_aware(datetime.combine(value, time.min))


def source_occurrences(data: bytes) -> dict[str, list[tuple]]:
    """{UID: [(start, end, cancelled)]} as recurring-ical-events expands the file."""
    calendar = Calendar.from_ical(data.decode("utf-8", errors="replace"))
    start, end = window()
    found: dict[str, list[tuple]] = {}
    for event in recurring_ical_events.of(calendar).between(start, end):
        begin = _instant(event["DTSTART"].dt)
        finish = _instant(event["DTEND"].dt) if "DTEND" in event else begin
        cancelled = str(event.get("STATUS", "")).upper() == "CANCELLED"
        found.setdefault(str(event["UID"]), []).append((begin, finish, cancelled))
    return {uid: sorted(rows) for uid, rows in found.items()}


def site_occurrences(page) -> list[tuple]:
    start, end = (_instant(day) for day in window())
    rows = EventOccurrence.objects.visible().filter(page=page, start__lt=end, end__gt=start)
    return sorted((o.start, o.end, o.cancelled) for o in rows)


@pytest.mark.parametrize(
    ("name", "encoding", "count"),
    [("google.ics", "utf-8", 4), ("outlook.ics", "cp1252", 3), ("thunderbird.ics", "utf-8", 4)],
)
def test_sample_imports_occurrence_for_occurrence_and_reexports_alike(
    client, events_index, name, encoding, count
):
    data = sample(name, encoding)
    report = import_calendar(data, events_index)
    assert len(report.created) == count, report
    expected = source_occurrences(sample(name))
    assert len(expected) == count
    for page in EventPage.objects.all():
        page.get_latest_revision().publish()
        page.refresh_from_db()
        listed = site_occurrences(page)
        assert listed == expected[page.external_uid], page.title
        feed = client.get(f"/eventi/{page.slug}/evento.ics")
        assert feed.status_code == 200
        again = source_occurrences(feed.content)
        assert list(again.values()) == [listed], page.title


def test_google_sample_details(events_index):
    report = import_calendar(sample("google.ics"), events_index)
    tavola = EventPage.objects.get(external_uid="2sa-tavola@google.com")
    assert tavola.frequency == "monthly" and tavola.nth_weekdays == [[2, 5]]
    assert tavola.count == 8
    overrides = list(tavola.occurrence_overrides.all())
    assert sorted(o.cancelled for o in overrides) == [False, True]
    body = str(tavola.body[0].value)
    assert 'href="https://example.org/programma"' in body and "<b>" not in tavola.summary
    festa = EventPage.objects.get(external_uid="festa-3-giorni@google.com")
    assert festa.start_time is None and (festa.end_date - festa.start_date).days == 2
    yearly = EventPage.objects.get(external_uid="giornata-pace@google.com")
    assert yearly.frequency == "yearly"
    assert report.notes == []
    # the same file again: no new revision (LAST-MODIFIED without Z does not crash)
    revisions = {p.pk: p.revisions.count() for p in EventPage.objects.all()}
    again = import_calendar(sample("google.ics"), events_index)
    assert again.created == [] and again.updated == [] and len(again.skipped) == 4
    assert {p.pk: p.revisions.count() for p in EventPage.objects.all()} == revisions


def test_outlook_sample_in_windows_1252_keeps_text_links_and_long_urls(events_index):
    import_calendar(sample("outlook.ics", "cp1252"), events_index)
    meeting = EventPage.objects.get(title="Assemblea dell'ultimo venerdì")
    assert meeting.nth_weekdays == [[-1, 4]]
    assert meeting.registration_url == LONG_URL and len(LONG_URL) > 200
    body = str(meeting.body[0].value)
    assert "Città" in body and 'href="https://example.org/verbali"' in body
    assert "script" not in body and "alert" not in body and "margin" not in body
    sportello = EventPage.objects.get(title="Sportello di fine mese")
    assert sportello.set_positions == [-1] and sportello.weekdays == [0, 1, 2, 3, 4]


def test_thunderbird_sample_reports_what_the_model_cannot_hold(events_index):
    report = import_calendar(sample("thunderbird.ics"), events_index)
    notes = dict(report.notes)
    assert "regola non supportata" in notes["Turni di ascolto"]
    assert "BYHOUR" in notes["Turni di ascolto"]
    choir = EventPage.objects.get(title="Prove del coro")
    # DTSTART (a Tuesday) off the Wednesday rule: kept as an extra date
    assert choir.start_date.weekday() == 2 and len(choir.extra_dates) == 1


def test_undecodable_file_is_a_clear_error_and_changes_nothing(events_index):
    from eventi.importer import ImportErrorMessage

    with pytest.raises(ImportErrorMessage, match="UTF-8"):
        import_calendar(b"BEGIN:VCALENDAR\r\n\x81\x00\x90\r\nEND:VCALENDAR\r\n", events_index)
    assert not EventPage.objects.exists()


def test_admin_upload_lists_what_could_not_be_imported(client, events_index):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.eventi.test_proposals import editor, login_admin

    login_admin(client, editor())
    upload = SimpleUploadedFile("tb.ics", sample("thunderbird.ics"), content_type="text/calendar")
    response = client.post("/admin/eventi/importa/", {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Turni di ascolto: regola non supportata" in html and "BYHOUR" in html
    assert EventPage.objects.count() == 4

    garbage = SimpleUploadedFile("x.ics", b"BEGIN:VCALENDAR\r\n\x81\x00\x90\r\n")
    refused = client.post("/admin/eventi/importa/", {"file": garbage})
    assert "UTF-8" in " ".join(refused.context["form"].errors["file"])
    assert EventPage.objects.count() == 4


def test_a_time_in_the_clock_change_is_reported(events_index):
    year = date.today().year + 1
    spring = nth_weekday(year, 3, 6, -1)
    data = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:notte@example\r\n"
        f"SUMMARY:Veglia di primavera\r\nDTSTART:{spring:%Y%m%d}T023000\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    report = import_calendar(data, events_index)
    assert report.created == ["Veglia di primavera"]
    assert "cade nel cambio dell'ora" in dict(report.notes)["Veglia di primavera"]

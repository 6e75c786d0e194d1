"""Calendar sources kept in step with their URL (eventi.sync), through a real local server."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from wagtail.models import Revision

from eventi import sync
from eventi.models import CalendarSource, EventPage, SyncStatus
from tests.eventi.test_import_samples import sample
from tests.partecipazione.factories import AssociationFactory


def ics(*events) -> bytes:
    """A calendar of (uid, title, days from today, modified minutes ago) events."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Sync//IT"]
    now = datetime.now(UTC)
    for uid, title, days, minutes_ago in events:
        day = date.today() + timedelta(days=days)
        stamp = (now - timedelta(minutes=minutes_ago)).strftime("%Y%m%dT%H%M%SZ")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"SUMMARY:{title}",
            f"DTSTART;TZID=Europe/Rome:{day:%Y%m%d}T180000",
            f"DTEND;TZID=Europe/Rome:{day:%Y%m%d}T200000",
            f"LAST-MODIFIED:{stamp}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def source_for(url, association=None, **values) -> CalendarSource:
    association = association or AssociationFactory()
    return CalendarSource.objects.create(association=association, url=url, **values)


def latest_title(page) -> str:
    return page.get_latest_revision_as_object().title


def test_first_fetch_imports_drafts_and_the_second_is_a_304(events_index, calendar_server):
    url = calendar_server.serve("/google.ics", sample("google.ics"), etag='"v1"')
    source = source_for(url)

    sync.sync_source(source)
    source.refresh_from_db()
    assert source.last_status == SyncStatus.OK, source.last_message
    assert source.etag == '"v1"'
    assert source.event_count == 4 == source.created_count
    pages = EventPage.objects.filter(calendar_source=source)
    assert pages.count() == 4
    assert not pages.filter(live=True).exists()  # drafts: the default mode, whoever the owner
    revisions = Revision.objects.count()

    sync.sync_source(source)
    source.refresh_from_db()
    assert calendar_server.requests[-1]["If-None-Match"] == '"v1"'
    assert source.last_status == SyncStatus.UNCHANGED
    assert source.event_count == 4
    assert Revision.objects.count() == revisions


def test_same_file_without_etag_changes_nothing(events_index, calendar_server):
    url = calendar_server.serve("/a.ics", ics(("a@x", "Assemblea", 5, 10)))
    source = source_for(url)
    sync.sync_source(source)
    revisions = Revision.objects.count()
    sync.sync_source(source)
    source.refresh_from_db()
    assert source.last_status == SyncStatus.UNCHANGED
    assert Revision.objects.count() == revisions


def test_a_changed_file_updates_the_event(events_index, calendar_server):
    url = calendar_server.serve("/a.ics", ics(("a@x", "Assemblea", 5, 60)), etag='"1"')
    source = source_for(url)
    sync.sync_source(source)
    page = EventPage.objects.get(external_uid="a@x")

    calendar_server.serve("/a.ics", ics(("a@x", "Assemblea aperta", 6, 1)), etag='"2"')
    sync.sync_source(source)
    source.refresh_from_db()
    assert source.last_status == SyncStatus.OK
    assert (source.created_count, source.updated_count) == (0, 1)
    page.refresh_from_db()
    assert latest_title(page) == "Assemblea aperta"
    assert page.get_latest_revision_as_object().start_date == date.today() + timedelta(days=6)
    assert EventPage.objects.filter(external_uid="a@x").count() == 1


def test_a_removed_uid_is_withdrawn_not_deleted_and_comes_back(events_index, calendar_server):
    both = ics(("a@x", "Assemblea", 5, 10), ("b@x", "Marcia", 7, 10))
    url = calendar_server.serve("/a.ics", both)
    association = AssociationFactory(is_verified=True)
    source = source_for(url, association, publish_mode="publish")
    sync.sync_source(source)
    assert EventPage.objects.filter(calendar_source=source, live=True).count() == 2

    calendar_server.serve("/a.ics", ics(("a@x", "Assemblea", 5, 10)))
    sync.sync_source(source)
    source.refresh_from_db()
    gone = EventPage.objects.get(external_uid="b@x")
    assert not gone.live and gone.withdrawn_from_source_at is not None
    assert (source.withdrawn_count, source.event_count) == (1, 1)
    assert EventPage.objects.get(external_uid="a@x").live

    calendar_server.serve("/a.ics", both + b"\r\n")  # a different file with both again
    sync.sync_source(source)
    gone.refresh_from_db()
    assert gone.live and gone.withdrawn_from_source_at is None


def test_publishing_directly_needs_a_verified_association(events_index, calendar_server):
    url = calendar_server.serve("/a.ics", ics(("a@x", "Assemblea", 5, 10)))
    source = source_for(url, AssociationFactory(is_verified=False), publish_mode="publish")
    sync.sync_source(source)
    assert not EventPage.objects.get(external_uid="a@x").live


def test_another_calendar_cannot_take_over_events_by_their_uid(events_index, calendar_server):
    url = calendar_server.serve("/a.ics", ics(("a@x", "Assemblea", 5, 10)))
    mine = source_for(url)
    sync.sync_source(mine)
    other_url = calendar_server.serve("/b.ics", ics(("a@x", "Dirottato", 5, 1)))
    other = source_for(other_url)
    sync.sync_source(other)
    assert latest_title(EventPage.objects.get(calendar_source=mine)) == "Assemblea"
    assert EventPage.objects.filter(calendar_source=other).count() == 1


def test_a_timeout_is_reported_and_changes_nothing(events_index, calendar_server, settings):
    url = calendar_server.serve("/a.ics", ics(("a@x", "Assemblea", 5, 10)))
    source = source_for(url)
    sync.sync_source(source)
    settings.EVENTI_SYNC_READ_TIMEOUT = 0.2
    calendar_server.serve("/a.ics", ics(("b@x", "Altro", 5, 10)), delay=1)
    sync.sync_source(source)
    source.refresh_from_db()
    assert source.last_status == SyncStatus.ERROR
    assert "non ha risposto in tempo" in source.last_message
    assert source.last_success_at < source.last_fetch_at
    assert list(EventPage.objects.values_list("external_uid", "withdrawn_from_source_at")) == [
        ("a@x", None)
    ]


def test_an_oversized_calendar_is_refused(events_index, calendar_server, settings):
    settings.EVENTI_SYNC_MAX_BYTES = 300
    url = calendar_server.serve("/big.ics", ics(*[(f"{n}@x", "Evento", n, 1) for n in range(9)]))
    source = source_for(url)
    sync.sync_source(source)
    source.refresh_from_db()
    assert source.last_status == SyncStatus.ERROR
    assert "supera 300" in source.last_message
    assert not EventPage.objects.exists()


def test_a_streamed_body_over_the_cap_is_cut(settings):
    """A server that sends no length (or lies about it): the cap holds while reading."""
    settings.EVENTI_SYNC_MAX_BYTES = 300
    body = ics(*[(f"{n}@x", "Evento", n, 1) for n in range(9)])
    with pytest.raises(sync.SyncError, match="supera"):
        sync._read(_FakeResponse(body), "host", deadline=float("inf"))


class _FakeResponse:
    headers: dict = {}

    def __init__(self, body):
        self.body = body

    def iter_content(self, size):
        for start in range(0, len(self.body), 100):
            yield self.body[start : start + 100]


def test_server_errors_and_bad_files_are_reported(events_index, calendar_server):
    url = calendar_server.serve("/a.ics", b"oops", status=500)
    source = source_for(url)
    sync.sync_source(source)
    source.refresh_from_db()
    assert source.last_status == SyncStatus.ERROR
    assert "codice 500" in source.last_message

    calendar_server.serve("/a.ics", b"<html>not a calendar</html>")
    sync.sync_source(source)
    source.refresh_from_db()
    assert source.failed and "iCalendar" in source.last_message


def test_an_empty_calendar_withdraws_nothing(events_index, calendar_server):
    url = calendar_server.serve("/a.ics", ics(("a@x", "Assemblea", 5, 10)))
    source = source_for(url)
    sync.sync_source(source)
    calendar_server.serve("/a.ics", ics())
    sync.sync_source(source)
    source.refresh_from_db()
    assert source.failed and "non contiene eventi" in source.last_message
    assert EventPage.objects.get(external_uid="a@x").withdrawn_from_source_at is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/cal.ics",
        "http://10.1.2.3/cal.ics",
        "http://192.168.1.1/cal.ics",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/cal.ics",
        "http://[::ffff:127.0.0.1]/cal.ics",
        "http://0.0.0.0/cal.ics",
    ],
)
def test_private_and_local_addresses_are_refused(url):
    with pytest.raises(sync.SyncError, match="rete privata o locale"):
        sync.check_url(url)


@pytest.mark.parametrize("url", ["ftp://example.org/a.ics", "file:///etc/passwd", "example"])
def test_other_schemes_are_refused(url):
    with pytest.raises(sync.SyncError, match="https://"):
        sync.check_url(url)


def test_webcal_is_read_as_https(settings):
    settings.EVENTI_SYNC_ALLOW_PRIVATE_ADDRESSES = True
    assert sync.check_url(" webcal://example.org/a.ics ") == "https://example.org/a.ics"


def test_a_redirect_is_checked_again(events_index, calendar_server, monkeypatch):
    target = calendar_server.serve("/real.ics", ics(("a@x", "Assemblea", 5, 10)))
    url = calendar_server.serve("/old.ics", b"", status=302, headers={"Location": "/real.ics"})
    checked = []
    real_check = sync.check_url
    monkeypatch.setattr(sync, "check_url", lambda u: checked.append(u) or real_check(u))
    source = source_for(url)
    sync.sync_source(source)
    source.refresh_from_db()
    assert source.last_status == SyncStatus.OK, source.last_message
    assert checked == [url, target]


def test_command_syncs_what_is_due(events_index, calendar_server):
    url = calendar_server.serve("/a.ics", ics(("a@x", "Assemblea", 5, 10)), etag='"1"')
    source = source_for(url)
    source_for(url, enabled=False)
    call_command("sync_calendars")
    assert len(calendar_server.requests) == 1
    source.refresh_from_db()
    assert source.last_status == SyncStatus.OK
    call_command("sync_calendars")  # not due again within the interval
    assert len(calendar_server.requests) == 1
    call_command("sync_calendars", "--all")
    assert len(calendar_server.requests) == 2


def test_an_unexpected_failure_is_a_status_not_a_crash(events_index, calendar_server, monkeypatch):
    url = calendar_server.serve("/a.ics", ics(("a@x", "Assemblea", 5, 10)))
    source = source_for(url)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(sync, "import_calendar", broken)
    sync.sync_source(source)
    source.refresh_from_db()
    assert source.failed and "Errore imprevisto" in source.last_message

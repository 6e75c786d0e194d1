import pytest

from eventi.models import EventIndexPage


@pytest.fixture
def events_index(home_page):
    index = EventIndexPage(title="Eventi", slug="eventi", show_in_menus=True)
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return EventIndexPage.objects.get(pk=index.pk)


@pytest.fixture
def minute_held(monkeypatch):
    """Listings read "now" to the minute, and their cached date count is keyed with it: a
    test that counts queries across a minute boundary would see one count query more. Hold
    the minute where it was when the test began."""
    from eventi import models

    minute = models.this_minute()
    monkeypatch.setattr(models, "this_minute", lambda: minute)
    return minute


@pytest.fixture
def calendar_server(settings):
    """A local HTTP server for calendar URLs (loopback allowed for it, as in development)."""
    from tests.eventi.calendar_server import CalendarServer

    settings.EVENTI_SYNC_ALLOW_PRIVATE_ADDRESSES = True
    settings.EVENTI_SYNC_READ_TIMEOUT = 2
    with CalendarServer() as server:
        yield server

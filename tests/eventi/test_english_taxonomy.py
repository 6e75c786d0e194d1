"""The English site names event types and topics in English (filters, listing, event page)."""

import re

import pytest

from eventi.models import EventType
from portal.taxonomy.models import Topic
from tests.eventi.factories import event_type, make_event
from tests.factories import next_weekday

pytestmark = pytest.mark.django_db


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


def test_english_filters_read_english(client, events_index):
    english = client.get("/en/eventi/").content.decode()
    types = _options(english, "tipo")
    assert "conference" in types
    assert "school workshop" in types
    assert "conferenza" not in types
    assert "Peace" in _options(english, "argomento")
    italian = client.get("/eventi/").content.decode()
    assert "conferenza" in _options(italian, "tipo")
    assert "Pace" in _options(italian, "argomento")


def test_a_type_without_an_english_name_keeps_the_italian_one(client, events_index):
    EventType.objects.create(name="presentazione", slug="presentazione", sort_order=20)
    assert "presentazione" in _options(client.get("/en/eventi/").content.decode(), "tipo")


def test_event_listing_and_page_show_the_english_type(client, events_index):
    page = make_event(
        events_index,
        title="Convegno",
        event_type=event_type("conferenza"),
        start_date=next_weekday(2),
    )
    page.topics.add(Topic.objects.get(slug="pace"))
    listing = client.get("/en/eventi/").content.decode()
    assert "<span>conference</span>" in listing
    detail = client.get(page.url).content.decode()
    assert "conferenza" in detail

"""Hostile input on the listings, feeds and open data: clear 400s and form errors, never a 500;
text that goes into iCalendar is safe; CSV cells cannot start a formula."""

import csv
import io
from datetime import timedelta

import icalendar
import pytest
import vobject
from django.utils import timezone

from partecipazione.models import Association
from tests.eventi.factories import make_event
from tests.partecipazione.factories import AssociationFactory

pytestmark = pytest.mark.django_db


def soon(days=3):
    return timezone.localdate() + timedelta(days=days)


FEEDS = ["/eventi/calendario.ics", "/eventi/dati.json", "/eventi/dati.csv"]
OUT_OF_RANGE = [
    {"al": "9999-12-31"},
    {"dal": "9999-12-31"},
    {"dal": "0001-01-01"},
    {"dal": "0001-01-01", "al": "0001-01-02"},
    {"dal": "9999-12-30", "al": "9999-12-31"},
    {"dal": "1899-12-31"},
    {"al": "2101-01-01"},
]


@pytest.mark.parametrize("params", OUT_OF_RANGE)
@pytest.mark.parametrize("url", FEEDS)
def test_feeds_and_open_data_answer_400_to_dates_out_of_range(client, events_index, url, params):
    make_event(events_index, start_date=soon())
    response = client.get(url, params)
    assert response.status_code == 400
    assert "Scegli una data tra il 1900-01-01 e il 2100-12-31." in response.content.decode()


@pytest.mark.parametrize("params", OUT_OF_RANGE)
def test_listings_show_a_form_error_for_dates_out_of_range(client, events_index, params):
    make_event(events_index, title="Incontro", start_date=soon())
    today = timezone.localdate()
    for url in (events_index.url, events_index.url + f"mese/{today.year}/{today.month}/"):
        response = client.get(url, params)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Scegli una data tra il 1900-01-01 e il 2100-12-31." in body
        for value in params.values():
            assert f'value="{value}"' in body  # what was typed is kept
        assert "Incontro" in body  # the other filters still apply


def test_dates_at_the_bounds_are_accepted(client, events_index):
    make_event(events_index, title="Incontro", start_date=soon())
    params = {"dal": "1900-01-01", "al": "1902-01-01"}
    for url in FEEDS:
        assert client.get(url, params).status_code == 200
    assert client.get(events_index.url + "mese/2100/12/").status_code == 200
    assert client.get(events_index.url + "mese/2101/1/").status_code == 404


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/eventi/calendario.ics", {"q": "pace\x00"}),
        ("/eventi/dati.json", {"argomento": "\x00"}),
        ("/eventi/dati.csv", {"dal": "2030-01-01\x00"}),
        ("/eventi/", {"q": "\x00"}),
        ("/eventi/", {"luogo\x00": "x"}),
        ("/cerca/", {"q": "pace\x00"}),
    ],
)
def test_nul_characters_in_query_values_are_a_400(client, events_index, url, params):
    response = client.get(url, params)
    assert response.status_code == 400
    assert "carattere non ammesso" in response.content.decode()


def test_nul_character_in_the_personal_feed_token_is_a_400(client, events_index):
    response = client.get("/eventi/calendario/personale/abc%00def.ics")
    assert response.status_code == 400
    assert "carattere non ammesso" in response.content.decode()


def test_nul_character_in_a_posted_form_is_a_400(client, events_index):
    event = make_event(events_index, start_date=soon())
    response = client.post("/account/login/", {"login": "a\x00@example.org", "password": "x"})
    assert response.status_code == 400
    assert client.get(event.url).status_code == 200


HOSTILE_NAME = 'Pace\r\nBEGIN:VEVENT\nSUMMARY:"finto"\x07;X=1\x0b,'


def parse_both(body: bytes):
    cal = icalendar.Calendar.from_ical(body)
    parsed = vobject.readOne(body.decode())
    return cal, parsed


def test_control_characters_in_an_association_name_keep_the_organiser_feed_valid(
    client, events_index
):
    association = AssociationFactory(name="Amici")
    Association.objects.filter(pk=association.pk).update(name=HOSTILE_NAME)  # not through a form
    make_event(
        events_index, title="Titolo\r\ncon\x01a capo", start_date=soon(), organisers=[association]
    )
    response = client.get("/eventi/calendario.ics", {"organizzatore": association.slug})
    assert response.status_code == 200
    body = response.content
    assert b"\x07" not in body and b"\x0b" not in body and b"\x01" not in body
    cal, parsed = parse_both(body)
    (event,) = cal.walk("VEVENT")
    assert len(parsed.vevent_list) == 1
    assert event["summary"] == "Titolo\ncona capo"
    cn = event["organizer"].params["CN"]
    assert "\n" not in cn and "\r" not in cn and '"' not in cn
    assert cn.endswith("Pace BEGIN:VEVENT SUMMARY:'finto';X=1,")
    assert parsed.vevent.summary.value == "Titolo\ncona capo"
    assert "Pace BEGIN:VEVENT" in str(cal["x-wr-calname"])  # text in the name, not a line


def test_control_characters_in_an_event_title_keep_its_ics_valid(client, events_index):
    event = make_event(events_index, title="Prima", start_date=soon())
    type(event).objects.filter(pk=event.pk).update(title="Riga\r\nEND:VCALENDAR\x1b")
    event.refresh_from_db()
    event.save_revision().publish()
    response = client.get(f"/eventi/{event.slug}/evento.ics")
    assert response.status_code == 200
    assert b"\x1b" not in response.content
    cal, parsed = parse_both(response.content)
    assert str(cal["x-wr-calname"]) == "Riga END:VCALENDAR"  # a name is one line
    assert len(parsed.vevent_list) == 1


def test_open_data_csv_cells_cannot_start_a_formula(client, events_index):
    make_event(
        events_index, title='=HYPERLINK("http://evil.example")', summary="+1", start_date=soon()
    )
    response = client.get("/eventi/dati.csv")
    (row,) = csv.DictReader(io.StringIO(response.content.decode()))
    assert row["titolo"] == '\'=HYPERLINK("http://evil.example")'
    assert row["sommario"] == "'+1"

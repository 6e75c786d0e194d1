"""The event page as Designers Italia's model lays it out, read as a visitor reads it."""

import re
from datetime import time

import pytest

from tests.eventi.factories import VenueFactory, edit_and_publish, make_event
from tests.factories import next_weekday

pytestmark = pytest.mark.django_db

SECTIONS = ["cos-e", "luogo", "date-e-orari", "costi", "contatti"]


def index_anchors(html):
    block = re.search(r'data-element="page-index">(.*?)</ul>', html, re.S).group(1)
    return re.findall(r'href="#([a-z-]+)"', block)


def test_weekly_event_has_index_sections_sentence_and_folded_dates(client, events_index):
    thursday = next_weekday(3)
    event = make_event(
        events_index,
        title="Laboratorio di pace",
        start_date=thursday,
        start_time=time(18),
        end_time=time(19, 30),
        frequency="weekly",
        weekdays=[3],
        count=10,
        venue=VenueFactory(name="Sala Puerari", access_notes="Ingresso con rampa da via Ugolani."),
    )
    html = client.get(event.url).content.decode()
    assert "Indice della pagina" in html
    anchors = index_anchors(html)
    assert anchors[:3] == SECTIONS[:3] and "accessibilita" in anchors
    for anchor in anchors:
        assert f'<section id="{anchor}"' in html
    assert "Ogni giovedì, 18:00–19:30, dal " in html and "10 volte" in html
    visible, folded = html.split("<details", 1)
    assert visible.count('<time datetime="') == 3
    assert "Mostra altre 7 date" in folded
    assert folded.split("</details>")[0].count("<time datetime=") == 7
    # Accessibility: only what is known; the venue's own notes, never a "non garantito" default.
    assert "non garantito" not in html
    assert "Accesso senza barriere" not in html
    assert "Ingresso con rampa da via Ugolani." in html


def test_postponed_event_does_not_offer_its_old_dates_as_valid(client, events_index):
    event = make_event(events_index, start_date=next_weekday(2), frequency="weekly", count=3)
    event = edit_and_publish(event, status="postponed", status_reason="Lavori in sala")
    html = client.get(event.url).content.decode()
    assert "Evento rinviato: la nuova data non è ancora stata fissata." in html
    assert "Lavori in sala" in html and "Nuova data da definire." in html
    section = html.split('<section id="date-e-orari"', 1)[1].split("</section>", 1)[0]
    assert "Date previste prima del rinvio (non più valide):" in section
    assert section.count("<del>") == 3
    assert "Prossime date" not in section
    assert 'id="rinvio-calendari"' in html  # calendars get the dates as "da confermare"
    assert "Ogni " not in section


def test_online_event_says_nothing_physical(client, events_index):
    event = make_event(
        events_index,
        start_date=next_weekday(4),
        online_url="https://meet.example.org/pace",
        sign_language=True,
    )
    html = client.get(event.url).content.decode()
    assert "Evento online." in html
    section = html.split('<section id="accessibilita"', 1)[1].split("</section>", 1)[0]
    assert "Interprete LIS: sì" in section
    assert "Accesso senza barriere" not in html and "Anello a induzione" not in html
    assert "non garantito" not in html
    assert 'href="#luogo"' in html


def test_unknown_accessibility_has_no_section_and_no_json_ld_claims(client, events_index):
    event = make_event(events_index, start_date=next_weekday(4), venue=VenueFactory())
    html = client.get(event.url).content.decode()
    assert 'id="accessibilita"' not in html and "amenityFeature" not in html


def test_further_information_patronage_and_opening_hours(client, events_index):
    event = make_event(
        events_index,
        start_date=next_weekday(1),
        start_time=None,
        end_time=None,
        end_date=next_weekday(1, weeks=3),
        opening_hours="Da martedì a domenica, 10–19",
        patronage="Regione Lombardia",
        sponsors="Fondazione Comunitaria",
        further_info="Visite guidate su prenotazione.",
    )
    html = client.get(event.url).content.decode()
    assert "ulteriori-informazioni" in index_anchors(html)
    for text in [
        "Orari di apertura",
        "Da martedì a domenica, 10–19",
        "Patrocinato da",
        "Regione Lombardia",
        "Sponsor",
        "Fondazione Comunitaria",
    ]:
        assert text in html


def test_month_view_has_an_accessible_grid_beside_the_list(client, events_index):
    from django.utils import timezone

    today = timezone.localdate()
    day = today.replace(day=15)
    make_event(events_index, title="Assemblea di metà mese", start_date=day)
    html = client.get(f"{events_index.url}mese/{day.year}/{day.month}/").content.decode()
    grid = html.split("<table", 1)[1].split("</table>", 1)[0]
    assert "data-month-grid" in grid and "<caption" in grid
    assert grid.count('<th scope="col">') == 7
    cell = grid.split(f'data-day="{day.isoformat()}"', 1)[1].split("</td>", 1)[0]
    assert "Assemblea di metà mese" in cell and "18:00" in cell
    assert grid.count("data-day=") == __import__("calendar").monthrange(day.year, day.month)[1]
    # The list is still there (phones read it; the grid is hidden below the lg breakpoint).
    assert "d-none d-lg-table" in html
    assert html.split("</table>", 1)[1].count("Assemblea di metà mese") == 1

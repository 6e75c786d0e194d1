"""Listing, filters, month view, archive, event page, open data; fixed query counts."""

import csv
import io
import json
import re
from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from bench import bulk_data
from eventi.models import EventType
from eventi.queries import upcoming_occurrences
from partecipazione.models import Association
from portal.taxonomy.models import Topic
from tests.eventi.factories import VenueFactory, make_event
from tests.factories import ON_CALENDAR_NOW
from tests.queries import Queries, assert_at_most, assert_counts, assert_fixed, capture

pytestmark = [pytest.mark.django_db, ON_CALENDAR_NOW]


def soon(days=3):
    return timezone.localdate() + timedelta(days=days)


def titles(response):
    return [o.page.title for o in response.context["occurrences"]]


def test_index_lists_upcoming_occurrences_with_recurrences_expanded(client, events_index):
    make_event(events_index, title="Settimanale", start_date=soon(1), frequency="weekly", count=3)
    make_event(events_index, title="Passato", start_date=soon(-10))
    response = client.get("/eventi/")
    assert response.status_code == 200
    assert titles(response) == ["Settimanale"] * 3
    html = response.content.decode()
    assert '<link rel="alternate" type="text/calendar"' in html
    assert 'href="/eventi/calendario.ics"' in html
    assert "webcal://" in html


def test_filters_combine_and_are_reflected_in_links(client, events_index):
    pace = Topic.objects.get(slug="pace")
    venue = VenueFactory(slug="auditorium")
    association = Association.objects.create(name="Amici della pace", slug="amici")
    festival = EventType.objects.get(slug="festival")
    make_event(events_index, title="Con argomento", start_date=soon(), topics=[pace])
    make_event(
        events_index,
        title="Al chiuso",
        start_date=soon(),
        venue=venue,
        organisers=[association],
        organised_by_city=False,
    )
    make_event(
        events_index, title="Festa grande", start_date=soon(40), venue=venue, event_type=festival
    )
    assert titles(client.get("/eventi/?argomento=pace")) == ["Con argomento"]
    assert titles(client.get("/eventi/?luogo=auditorium")) == ["Al chiuso", "Festa grande"]
    assert titles(client.get("/eventi/?organizzatore=amici")) == ["Al chiuso"]
    assert titles(client.get("/eventi/?organizzatore=comune")) == ["Con argomento", "Festa grande"]
    assert titles(client.get("/eventi/?tipo=festival")) == ["Festa grande"]
    assert titles(client.get("/eventi/?q=festa")) == ["Festa grande"]
    end = soon(10).isoformat()
    assert titles(client.get(f"/eventi/?luogo=auditorium&al={end}")) == ["Al chiuso"]
    response = client.get(f"/eventi/?dal={soon(20).isoformat()}")
    assert titles(response) == ["Festa grande"]
    html = client.get("/eventi/?argomento=pace&luogo=auditorium").content.decode()
    assert 'href="/eventi/calendario.ics?argomento=pace&amp;luogo=auditorium"' in html


@pytest.mark.parametrize(
    "query, field",
    [("argomento=non-esiste", "argomento"), ("dal=31-12-2030", "dal"), ("pagina=abc", None)],
)
def test_bad_filters_show_errors_not_500(client, events_index, query, field):
    make_event(events_index, start_date=soon())
    response = client.get(f"/eventi/?{query}")
    assert response.status_code == 200
    if field:
        assert field in response.context["filter_form"].errors
        assert "alert-danger" in response.content.decode()
        assert 'aria-invalid="true"' in response.content.decode()
    assert len(response.context["occurrences"]) == 1  # invalid filters are ignored


def test_month_view_and_archive(client, events_index):
    make_event(events_index, title="A marzo", start_date=date(2030, 3, 5))
    make_event(events_index, title="Passato", start_date=soon(-30))
    response = client.get("/eventi/mese/2030/3/")
    assert response.status_code == 200
    assert titles(response) == ["A marzo"]
    assert "marzo 2030" in response.content.decode().lower()
    assert client.get("/eventi/mese/2030/13/").status_code == 404
    assert titles(client.get("/eventi/archivio/")) == ["Passato"]


def test_month_view_gives_times_under_each_day_and_the_index_full_dates(client, events_index):
    make_event(events_index, title="A marzo", start_date=date(2030, 3, 5))
    month = client.get("/eventi/mese/2030/3/").content.decode()
    assert "Martedì 5 marzo 2030</h2>" in month
    assert '<time datetime="2030-03-05T18:00:00+01:00">18:00–20:00</time>' in month
    index = client.get("/eventi/").content.decode()
    assert "Martedì 5 marzo 2030, 18:00–20:00</time>" in index


def test_month_view_names_the_months_in_the_visitor_language(client, events_index):
    make_event(events_index, title="A marzo", start_date=date(2030, 3, 5))
    italian = client.get("/eventi/mese/2030/3/")
    english = client.get("/en/eventi/mese/2030/3/")
    assert italian.context["month_label"] == "marzo 2030"
    assert english.status_code == 200
    assert english.context["month_label"] == "March 2030"
    assert english.context["previous_month_label"] == "February 2030"
    assert english.context["next_month_label"] == "April 2030"
    assert "March 2030" in english.content.decode()
    # The Italian page, asked again afterwards, is not left in English (nor cached so).
    assert "marzo 2030" in client.get("/eventi/mese/2030/3/").content.decode()


def test_venue_page(client, events_index):
    venue = VenueFactory(slug="sala", name="Sala Grande")
    make_event(events_index, title="Qui", venue=venue, start_date=soon())
    make_event(events_index, title="Altrove", start_date=soon())
    response = client.get("/eventi/luoghi/sala/")
    assert response.status_code == 200
    assert titles(response) == ["Qui"]
    assert "openstreetmap.org" in response.content.decode()
    assert client.get("/eventi/luoghi/nessuna/").status_code == 404


def test_event_page_dates_banners_links_and_json_ld(client, events_index):
    venue = VenueFactory(name="Sala Puerari")
    event = make_event(
        events_index,
        start_date=soon(2),
        frequency="weekly",
        count=3,
        venue=venue,
        step_free_access=True,
    )
    html = client.get(event.url).content.decode()
    assert html.count("<time datetime=") == 3
    assert "calendar.google.com/calendar/render" in html and "RRULE" in html
    assert "outlook.live.com" in html
    assert f'href="/eventi/{event.slug}/evento.ics"' in html
    assert "webcal://" in html
    assert "openstreetmap.org/?mlat=" in html
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(match.group(1))
    assert data["@type"] == "Event"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"]["name"] == "Sala Puerari"
    assert data["location"]["amenityFeature"] == [
        {"@type": "LocationFeatureSpecification", "name": "Accesso senza barriere", "value": True}
    ]
    assert data["organizer"][0]["name"] == "Comune di Cremona"
    assert data["isAccessibleForFree"] is True
    assert "<script" not in match.group(1).replace("\\u003C", "")


def test_json_ld_cannot_break_out_of_its_script(client, events_index):
    event = make_event(events_index, title="</script><script>alert(1)</script>", start_date=soon())
    html = client.get(event.url).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block
    assert json.loads(block)["name"] == "</script><script>alert(1)</script>"


def test_cancelled_event_banner(client, events_index):
    event = make_event(events_index, start_date=soon(), status="cancelled", status_reason="Neve")
    html = client.get(event.url).content.decode()
    assert "Evento annullato." in html and "Neve" in html


def test_open_data_json_and_csv_share_the_filters(client, events_index):
    pace = Topic.objects.get(slug="pace")
    event = make_event(events_index, title="Pace", start_date=soon(), topics=[pace])
    make_event(events_index, title="Altro", start_date=soon())
    data = client.get("/eventi/dati.json?argomento=pace").json()
    assert data["totale"] == 1
    (row,) = data["eventi"]
    assert row["uid"] == event.ical_uid and row["argomenti"] == ["pace"]
    response = client.get("/eventi/dati.csv?argomento=pace")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["titolo"] for r in rows] == ["Pace"]
    assert client.get("/eventi/dati.json?argomento=zzz").status_code == 400
    assert client.get("/eventi/dati.csv?dal=x").status_code == 400


def test_upcoming_occurrences_api(events_index):
    pace = Topic.objects.get(slug="pace")
    make_event(events_index, title="Primo", start_date=soon(1), topics=[pace])
    make_event(events_index, title="Secondo", start_date=soon(2), frequency="daily", count=5)
    make_event(events_index, title="Bozza", start_date=soon(1), publish=False)
    items = upcoming_occurrences(limit=3)
    assert [o.page.title for o in items] == ["Primo", "Secondo", "Secondo"]
    first = items[0]
    assert first.start < first.end and first.all_day is False and first.cancelled is False
    assert [o.page.title for o in upcoming_occurrences(limit=5, topic=pace)] == ["Primo"]


def test_upcoming_occurrences_keep_to_the_language_tree_and_include_ongoing_ones(
    events_index, home_page
):
    from django.utils import translation
    from wagtail.models import Locale

    english = Locale.objects.create(language_code="en")
    english_home = home_page.copy_for_translation(english)
    english_home.save_revision().publish()
    english_index = events_index.copy_for_translation(english)
    english_index.save_revision().publish()
    make_event(events_index, title="In corso", start_date=soon(-2), end_date=soon(2))
    make_event(events_index, title="Finito", start_date=soon(-3), end_date=soon(-1))
    make_event(events_index, title="Domani", start_date=soon(1))
    make_event(english_index, title="Tomorrow", start_date=soon(1))
    with translation.override("it"):
        assert [o.page.title for o in upcoming_occurrences(limit=5)] == ["In corso", "Domani"]
    with translation.override("en"):
        assert [o.page.title for o in upcoming_occurrences(limit=5)] == ["Tomorrow"]


def _bulk(index, n):
    venues = {v.slug: v for v in [VenueFactory(slug="v1")]}
    types = {t.slug: t for t in EventType.objects.all()}
    topics = {t.slug: t for t in Topic.objects.all()}
    bulk_data.bulk_events(index, n, venues, types, topics, timezone.localdate())


def _queries(client, url) -> Queries:
    for _ in range(2):  # warm the shared caches (site, menus, filter choices, page cache off)
        client.get(url)
    with capture() as queries:
        assert client.get(url).status_code == 200
    return queries


@pytest.mark.usefixtures("minute_held")
def test_listing_query_counts_are_fixed(client, events_index):
    _bulk(events_index, 10)
    urls = [
        "/eventi/",
        f"/eventi/?luogo=v1&q=n.&dal={timezone.localdate().isoformat()}",
        "/eventi/mese/",
        "/eventi/archivio/",
        "/eventi/dati.json",
    ]
    small = {url: _queries(client, url) for url in urls}
    with capture() as small_api:
        upcoming_occurrences(limit=3)
    _bulk(events_index, 490)
    large = {url: _queries(client, url) for url in urls}
    assert_counts(large, small)
    # ~14 of these come from base.html, the menu and Wagtail's routing; ours are the rest
    assert_at_most(large, 30)
    with capture() as large_api:
        assert len(upcoming_occurrences(limit=3)) == 3
    assert_fixed(small_api, large_api, at_most=3)


def test_event_page_query_count_does_not_grow_with_dates(client, events_index):
    few = make_event(events_index, slug="pochi", start_date=soon(), frequency="weekly", count=2)
    many = make_event(events_index, slug="tanti", start_date=soon(), frequency="daily", count=300)
    assert_fixed(_queries(client, few.url), _queries(client, many.url), at_most=35)


def test_all_day_and_timed_labels(client, events_index):
    make_event(
        events_index,
        title="Festival",
        slug="festival",
        start_date=soon(1),
        end_date=soon(3),
        start_time=None,
        end_time=None,
    )
    make_event(
        events_index,
        title="Serata",
        start_date=soon(),
        start_time=time(21, 0),
        end_time=time(23, 0),
    )
    html = client.get("/eventi/").content.decode().lower()
    assert "dal " in html and "21:00–23:00" in html

"""Adding to and subscribing from every calendar client; what calendars are told about
cancelled, postponed and moved events; HTTP caching of the personal feed; accessibility in
the exports (issue 14 parts 4 and 5)."""

import csv
import io
import json
import re
from datetime import datetime, time, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.http import http_date
from icalendar import Calendar

from eventi.models import EventPage
from portal.accounts import follows
from tests.eventi.factories import VenueFactory, edit_and_publish, make_event
from tests.factories import ON_CALENDAR_NOW, TopicFactory, UserFactory, next_weekday
from tests.partecipazione.factories import AssociationFactory

pytestmark = [pytest.mark.django_db, ON_CALENDAR_NOW]

FEED = "/eventi/calendario.ics"
ROME, UTC = ZoneInfo("Europe/Rome"), ZoneInfo("UTC")


def links(html: str, client: str, within: str = "") -> list[str]:
    """The hrefs of the buttons for `client` (in the section whose id starts `within`)."""
    if within:
        start = html.index(f'id="{within}')
        html = html[html.rindex("<section", 0, start) : html.index("</section>", start)]
    return [
        unescape(href)
        for href in re.findall(rf'href="([^"]+)"[^>]*data-calendar-client="{client}"', html)
    ]


def query(url: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def page_html(client, page) -> str:
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def feed_events(client, url=FEED, uid=None):
    response = client.get(url)
    assert response.status_code == 200
    cal = Calendar.from_ical(response.content)
    return [e for e in cal.walk("VEVENT") if uid is None or str(e["UID"]) == uid]


def weekly_with_exceptions(index, **fields):
    start = next_weekday(1, weeks=2)
    return make_event(
        index,
        slug="laboratorio",
        title="Laboratorio di pace",
        start_date=start,
        frequency="weekly",
        count=8,
        excluded_dates=[start + timedelta(weeks=2)],
        **fields,
    )


# --- add to calendar -------------------------------------------------------------------


def test_google_add_link_carries_the_rule_and_the_excluded_dates(client, events_index):
    page = weekly_with_exceptions(events_index)
    html = page_html(client, page)
    (google,) = links(html, "google", "aggiungi-calendario")
    assert google.startswith("https://calendar.google.com/calendar/render?")
    params = query(google)
    assert params["action"] == "TEMPLATE"
    assert params["text"] == "Laboratorio di pace"
    rule, exdate = params["recur"].split("\n")
    assert rule == "RRULE:FREQ=WEEKLY;COUNT=8"
    excluded = datetime.combine(page.start_date + timedelta(weeks=2), time(18, 0))
    utc = excluded.replace(tzinfo=ROME).astimezone(UTC)
    assert exdate == f"EXDATE:{utc:%Y%m%dT%H%M%SZ}"
    # the series starts on its first date, whatever the next one is
    first = page.start.astimezone(UTC)
    assert params["dates"].startswith(f"{first:%Y%m%dT%H%M%SZ}/")
    assert params["ctz"] == "Europe/Rome"


def test_a_series_with_a_moved_date_goes_to_google_and_outlook_as_its_feed(client, events_index):
    start = next_weekday(1, weeks=2)
    moved = datetime.combine(start + timedelta(weeks=1, days=1), time(17, 0))
    moved = moved.replace(tzinfo=ROME)
    page = weekly_with_exceptions(
        events_index,
        overrides=[
            {
                "original_date": start + timedelta(weeks=1),
                "new_start": moved,
                "new_end": moved + timedelta(hours=2),
            }
        ],
    )
    html = page_html(client, page)
    ics = f"http://testserver/eventi/{page.slug}/evento.ics"
    (google,) = links(html, "google", "aggiungi-calendario")
    assert google == ics  # Google imports the file instead
    assert "Importa ed esporta" in html
    (outlook,) = links(html, "outlook", "aggiungi-calendario")
    assert outlook.startswith("https://outlook.live.com/calendar/0/addfromweb?")
    assert query(outlook)["url"] == ics
    (office,) = links(html, "office365", "aggiungi-calendario")
    assert office.startswith("https://outlook.office.com/calendar/0/addfromweb?")
    (apple,) = links(html, "apple", "aggiungi-calendario")
    assert apple == "webcal://testserver/eventi/laboratorio/evento.ics"


def test_outlook_add_links_for_a_single_event(client, events_index):
    page = make_event(events_index, slug="concerto", title="Concerto per la pace")
    html = page_html(client, page)
    for name, host in (("outlook", "outlook.live.com"), ("office365", "outlook.office.com")):
        (url,) = links(html, name, "aggiungi-calendario")
        parts = urlsplit(url)
        assert parts.netloc == host and parts.path == "/calendar/0/deeplink/compose"
        params = query(url)
        assert params["path"] == "/calendar/action/compose"
        assert params["rru"] == "addevent"
        assert params["subject"] == "Concerto per la pace"
        assert params["allday"] == "false"
        assert datetime.fromisoformat(params["startdt"]) == page.start
        assert datetime.fromisoformat(params["enddt"]) == page.start + timedelta(hours=2)
        assert "http://testserver/eventi/concerto/" in params["body"]
    (google,) = links(html, "google", "aggiungi-calendario")
    assert "recur" not in query(google)


def test_a_cancelled_event_says_so_in_its_links_titles_and_feed(client, events_index):
    page = make_event(events_index, slug="marcia", title="Marcia della pace")
    page = edit_and_publish(page, status="cancelled", status_reason="Allerta meteo.")
    html = page_html(client, page)
    section = html[html.index('id="aggiungi-calendario"') :]
    section = section[: section.index("</section>")]
    assert "L'evento è annullato" in section
    assert section.count("(annullato)") >= 4
    for name in ("google", "outlook", "office365"):
        (url,) = links(html, name, "aggiungi-calendario")
        title = query(url).get("text") or query(url)["subject"]
        assert title == "ANNULLATO: Marcia della pace"
    (event,) = feed_events(client, uid=page.ical_uid)
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]) == "ANNULLATO: Marcia della pace"


def test_a_postponed_event_is_tentative_and_the_page_explains_it(client, events_index):
    page = weekly_with_exceptions(events_index)
    page = edit_and_publish(page, status="postponed", status_reason="Nuove date a breve.")
    events = feed_events(client, uid=page.ical_uid)
    assert {str(e["STATUS"]) for e in events} == {"TENTATIVE"}
    assert str(events[0]["SUMMARY"]) == "RINVIATO: Laboratorio di pace"
    assert "non sono confermate" in str(events[0]["DESCRIPTION"])
    assert events[0]["SEQUENCE"] == 1
    html = page_html(client, page)
    assert "da confermare" in html and 'id="rinvio-calendari"' in html


def test_a_cancelled_date_of_a_series_is_marked_in_its_title(client, events_index):
    start = next_weekday(1, weeks=2)
    page = weekly_with_exceptions(
        events_index, overrides=[{"original_date": start + timedelta(weeks=3), "cancelled": True}]
    )
    events = feed_events(client, uid=page.ical_uid)
    child = next(e for e in events if "RECURRENCE-ID" in e)
    assert str(child["STATUS"]) == "CANCELLED"
    assert str(child["SUMMARY"]) == "ANNULLATO: Laboratorio di pace"
    assert str(events[0]["SUMMARY"]) == "Laboratorio di pace"
    google = query(links(page_html(client, page), "google", "aggiungi-calendario")[0])
    assert len(google["recur"].split("\n")[1].split(",")) == 2  # excluded + cancelled


# --- subscribe -------------------------------------------------------------------------


def assert_subscribe_box(html: str, feed_url: str, box: str = "calendario-abbonati") -> None:
    webcal = "webcal://" + feed_url.split("://", 1)[1]
    (google,) = links(html, "google", f"{box}-titolo")
    assert google.startswith("https://calendar.google.com/calendar/render?")
    assert query(google) == {"cid": webcal}
    (apple,) = links(html, "apple", f"{box}-titolo")
    assert apple == webcal
    for name, host in (("outlook", "outlook.live.com"), ("office365", "outlook.office.com")):
        (url,) = links(html, name, f"{box}-titolo")
        parts = urlsplit(url)
        assert parts.netloc == host and parts.path == "/calendar/0/addfromweb"
        assert query(url)["url"] == feed_url and query(url)["name"]
    field = re.search(rf'<input id="{box}-indirizzo"[^>]*>', html).group(0)
    assert f'value="{feed_url.replace("&", "&amp;")}"' in field and "readonly" in field
    assert f'<label for="{box}-indirizzo"' in html
    button = re.search(rf'<button[^>]*data-copy-target="{box}-indirizzo"[^>]*>', html).group(0)
    assert "hidden" in button  # shown by the script; without it the field is copied by hand
    assert 'data-calendar-client="android"' in html
    assert 'data-calendar-client="thunderbird"' in html
    assert "/static/eventi/js/subscribe.js" in html
    assert "<script>" not in html  # no inline script (CSP)


def test_event_index_and_venue_pages_offer_every_client(client, events_index):
    venue = VenueFactory(name="Sala Puerari", slug="sala-puerari")
    make_event(events_index, venue=venue)
    html = client.get(events_index.url).content.decode()
    assert_subscribe_box(html, "http://testserver/eventi/calendario.ics")
    assert 'href="/eventi/dati.json"' in html and 'href="/eventi/dati.csv"' in html
    html = client.get(f"{events_index.url}?luogo=sala-puerari").content.decode()
    assert_subscribe_box(html, "http://testserver/eventi/calendario.ics?luogo=sala-puerari")
    html = client.get(f"{events_index.url}luoghi/sala-puerari/").content.decode()
    assert_subscribe_box(html, "http://testserver/eventi/calendario.ics?luogo=sala-puerari")
    assert "Abbonati agli eventi di Sala Puerari" in html


def test_event_page_subscribes_to_the_event_feed(client, events_index):
    page = make_event(events_index, slug="concerto")
    html = page_html(client, page)
    assert_subscribe_box(html, "http://testserver/eventi/concerto/evento.ics", "calendario-evento")


def test_topic_and_association_pages_offer_their_feed(client, events_index, home_page):
    from tests.home import factories as home_factories

    topic_page = home_factories.topic_page(home_page, slug="pace")
    html = client.get(topic_page.url).content.decode()
    assert_subscribe_box(html, "http://testserver/eventi/calendario.ics?argomento=pace")
    association = AssociationFactory(name="Casa della pace", slug="casa-pace")
    html = client.get(association.get_absolute_url()).content.decode()
    assert_subscribe_box(html, "http://testserver/eventi/calendario.ics?organizzatore=casa-pace")
    assert "Abbonati agli eventi di Casa della pace" in html
    # the filtered feed the buttons point to is the association's
    mine = make_event(events_index, slug="sua", organisers=[association])
    make_event(events_index, slug="altra", title="Altro evento")
    events = feed_events(client, f"{FEED}?organizzatore=casa-pace")
    assert [str(e["UID"]) for e in events] == [mine.ical_uid]


def test_profile_offers_the_personal_feed(client, events_index):
    user = UserFactory()
    client.force_login(user)
    html = client.get(reverse("accounts:profile")).content.decode()
    token = follows.calendar_token(user)
    url = f"http://testserver/eventi/calendario/personale/{token}.ics"
    assert_subscribe_box(html, url, "calendario-personale")
    assert "non condividerlo" in html


# --- semantics and HTTP caching ----------------------------------------------------------


def test_renaming_a_venue_bumps_sequence_and_last_modified_of_its_events(
    client, events_index, time_machine
):
    venue = VenueFactory(name="Sala Puerari", slug="sala-puerari")
    page = make_event(events_index, venue=venue)
    other = make_event(events_index, slug="altrove", venue=VenueFactory(slug="altrove"))
    (before,) = feed_events(client, uid=page.ical_uid)
    (other_before,) = feed_events(client, uid=other.ical_uid)
    time_machine.shift(timedelta(hours=3))
    venue.name = "Sala dei Quadri"
    venue.save()
    (after,) = feed_events(client, uid=page.ical_uid)
    assert "Sala dei Quadri" in str(after["LOCATION"])
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after["LAST-MODIFIED"].dt - before["LAST-MODIFIED"].dt >= timedelta(hours=3)
    assert after["DTSTAMP"].dt == after["LAST-MODIFIED"].dt
    (other_after,) = feed_events(client, uid=other.ical_uid)
    assert other_after["SEQUENCE"] == other_before["SEQUENCE"]
    assert other_after["LAST-MODIFIED"].dt == other_before["LAST-MODIFIED"].dt
    # saving it unchanged changes nothing
    venue.save()
    (again,) = feed_events(client, uid=page.ical_uid)
    assert again["SEQUENCE"] == after["SEQUENCE"]
    # the next publication keeps the bumped SEQUENCE
    page = edit_and_publish(EventPage.objects.get(pk=page.pk), summary="Nuovo sommario.")
    (published,) = feed_events(client, uid=page.ical_uid)
    assert published["SEQUENCE"] == after["SEQUENCE"]


def test_feed_last_modified_comes_from_content_and_survives_a_restart(
    client, events_index, time_machine
):
    page = make_event(events_index)
    first = client.get(FEED)
    time_machine.shift(timedelta(hours=2))
    cache.clear()  # a restart with an empty cache: nothing kept from the first answer
    second = client.get(FEED)
    assert first["Last-Modified"] == second["Last-Modified"]
    assert first["ETag"] == second["ETag"]
    assert first["Last-Modified"] == http_date(int(page.last_published_at.timestamp()))
    event_url = f"/eventi/{page.slug}/evento.ics"
    one = client.get(event_url)["Last-Modified"]
    cache.clear()
    assert client.get(event_url)["Last-Modified"] == one
    revalidated = client.get(FEED, HTTP_IF_MODIFIED_SINCE=second["Last-Modified"])
    assert revalidated.status_code == 304


def personal_url(user) -> str:
    return f"/eventi/calendario/personale/{follows.calendar_token(user)}.ics"


def test_personal_feed_answers_304_and_is_rebuilt_by_what_it_contains(
    client, events_index, time_machine
):
    user = UserFactory()
    topic, other_topic = TopicFactory(slug="memoria"), TopicFactory(slug="ambiente")
    follows.follow(user, topic)
    page = make_event(events_index, topics=[topic])
    other = make_event(events_index, slug="altro", topics=[other_topic])
    url = personal_url(user)
    first = client.get(url)
    assert first.status_code == 200 and "private" in first["Cache-Control"]
    assert first["Last-Modified"] == http_date(int(page.last_published_at.timestamp()))
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    # following something new: the feed has its events
    time_machine.shift(timedelta(hours=1))
    follows.follow(user, other_topic)
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    uids = {str(e["UID"]) for e in Calendar.from_ical(second.content).walk("VEVENT")}
    assert uids == {page.ical_uid, other.ical_uid}
    # an event of it changes
    time_machine.shift(timedelta(hours=1))
    edit_and_publish(page, title="Incontro spostato", start_time=time(19, 0))
    third = client.get(
        url, HTTP_IF_NONE_MATCH=second["ETag"], HTTP_IF_MODIFIED_SINCE=second["Last-Modified"]
    )
    assert third.status_code == 200 and b"Incontro spostato" in third.content
    assert third["ETag"] != second["ETag"] and third["Last-Modified"] != second["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=third["ETag"]).status_code == 304


def test_personal_feed_warm_is_served_from_the_cache(client, events_index):
    from tests.queries import capture

    user = UserFactory()
    topic = TopicFactory(slug="memoria")
    follows.follow(user, topic)
    make_event(events_index, topics=[topic])
    url = personal_url(user)
    client.get(url)
    with capture() as warm:
        assert client.get(url).status_code == 200
    # the token, the follows; nothing about events
    assert len(warm) <= 3, warm.listing()


# --- accessibility in the exports -------------------------------------------------------


def test_accessibility_is_exported_in_ical_json_csv_and_json_ld(client, events_index):
    page = make_event(
        events_index,
        slug="accessibile",
        venue=VenueFactory(slug="sala-a"),
        step_free_access=True,
        sign_language=True,
        accessibility_notes="Posti riservati in prima fila.",
    )
    (event,) = feed_events(client, uid=page.ical_uid)
    assert str(event["X-CDP-ACCESSIBILITY"]) == "step-free-access,sign-language"
    description = str(event["DESCRIPTION"])
    assert "Accessibilità:" in description
    assert "Accesso senza barriere: sì" in description
    assert "Interprete LIS: sì" in description
    assert "Anello a induzione magnetica" not in description  # not said: unknown
    assert "Posti riservati in prima fila." in description
    (row,) = client.get("/eventi/dati.json").json()["eventi"]
    assert row["accesso_senza_barriere"] is True
    assert row["interprete_lis"] is True
    assert row["anello_induzione"] is None  # not said: unknown
    assert row["accessibilita"] == "Posti riservati in prima fila."
    (line,) = csv.DictReader(io.StringIO(client.get("/eventi/dati.csv").content.decode()))
    assert line["accesso_senza_barriere"] == "True" and line["anello_induzione"] == ""
    assert line["accessibilita"] == "Posti riservati in prima fila."
    html = page_html(client, page)
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', html, re.S).group(1))
    assert "Posti riservati in prima fila." in data["accessibilitySummary"]
    features = {f["name"]: f["value"] for f in data["location"]["amenityFeature"]}
    assert features["Interprete LIS"] is True

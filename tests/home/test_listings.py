"""Home and topic pages gather events, proposals and news automatically."""

import pytest

from eventi.models import EventIndexPage
from tests.eventi.factories import make_event
from tests.factories import next_weekday
from tests.home import factories
from tests.partecipazione.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events_index(home_page):
    index = EventIndexPage(title="Eventi", slug="eventi")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


def test_topic_page_lists_only_its_topic(client, home_page, events_index):
    pace, intercultura = factories.topic("pace"), factories.topic("intercultura")
    page = factories.topic_page(home_page, slug="pace", title="Pace")
    make_event(
        events_index, title="Marcia della pace", topics=[pace], start_date=next_weekday(0, weeks=4)
    )
    make_event(
        events_index,
        title="Festa dei popoli",
        topics=[intercultura],
        start_date=next_weekday(1, weeks=4),
    )
    ProposalFactory(title="Panchina della pace", topic=pace, state="accepted")
    ProposalFactory(title="Cena multietnica", topic=intercultura, state="accepted")
    ProposalFactory(title="Bozza di pace", topic=pace, state="draft")
    factories.news_page(home_page, title="Notizia di pace", topics=["pace"])
    factories.news_page(home_page, title="Notizia interculturale", topics=["intercultura"])

    body = client.get(page.url).content.decode()
    assert "Marcia della pace" in body
    assert "Panchina della pace" in body
    assert "Notizia di pace" in body
    for other in ("Festa dei popoli", "Cena multietnica", "Bozza di pace", "Notizia intercult"):
        assert other not in body


def test_home_gathers_topics_events_proposals_and_news(client, home_page, events_index):
    factories.topic_page(home_page, slug="diritti-umani", title="Diritti umani")
    make_event(events_index, title="Concerto per la pace", start_date=next_weekday(2, weeks=8))
    ProposalFactory(title="Orto della pace", state="accepted", support_count=12)
    factories.news_page(home_page, title="Cremona alla marcia")
    body = client.get("/").content.decode()
    for text in ("Diritti umani", "Concerto per la pace", "Orto della pace", "Cremona alla marcia"):
        assert text in body
    assert "12 sostegni" in body


def test_home_without_content_hides_empty_sections(client, home_page):
    body = client.get("/").content.decode()
    assert "Prossimi appuntamenti" not in body
    assert "Proposte in evidenza" not in body
    assert "Partecipa anche tu" in body  # the call to take part has a default

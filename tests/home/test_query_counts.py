"""Every public page type renders in a fixed number of queries (at most 20)."""

from datetime import timedelta

import pytest

from eventi.models import EventIndexPage
from home.models import TopicPage
from tests.eventi.factories import make_event
from tests.factories import next_weekday
from tests.home import factories
from tests.partecipazione.factories import ProposalFactory
from tests.queries import assert_at_most, assert_counts, request_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _views_run(settings):
    """Measure what the views cost: a page-cache hit would answer with no query at all."""
    settings.PAGE_CACHE_SECONDS = 0


MAX_QUERIES = 20


def grow(home, events_index, n):
    """Add `n` of everything the pages list: topics' news, events, proposals, cities..."""
    for i in range(n):
        factories.news_page(home, topics=["pace"], image=factories.image())
        factories.twin_city(home, image=factories.image())
        factories.school_programme(home, image=factories.image())
        factories.standard_page(home, title=f"Voce {i}", show_in_menus=True)
        make_event(
            events_index,
            title=f"Evento {i}",
            topics=[factories.topic("pace")],
            start_date=next_weekday(0, weeks=4) + timedelta(days=i),
        )
        ProposalFactory(topic=factories.topic("pace"), state="accepted")


def test_every_page_type_runs_a_fixed_number_of_queries(client, home_page):
    events_index = EventIndexPage(title="Eventi", slug="eventi")
    home_page.add_child(instance=events_index)
    events_index.save_revision().publish()
    topic_page = factories.topic_page(
        home_page,
        image=factories.image(),
        body=[("heading", {"text": "Titolo", "level": "h2"})],
    )
    for slug in ("diritti-umani", "intercultura"):
        factories.topic_page(home_page, slug=slug, image=factories.image())
    grow(home_page, events_index, 1)
    home_page.hero_image = factories.image()
    home_page.featured_news = factories.news_page(home_page, image=factories.image())
    home_page.save_revision().publish()
    pages = {
        "home": home_page,
        "topic index": factories.topic_index(home_page),
        "topic": topic_page,
        "news index": factories.news_index(home_page),
        "news": factories.news_page(home_page, topics=["pace"], image=factories.image()),
        "twin city index": factories.twin_city_index(home_page),
        "twin city": factories.twin_city(home_page, image=factories.image()),
        "school index": factories.school_index(home_page),
        "school programme": factories.school_programme(home_page),
        "standard": factories.standard_page(home_page, body="<p>Testo</p>"),
        "contact": factories.contact_page(home_page),
    }
    urls = {name: page.url for name, page in pages.items()}
    before = {name: request_queries(client, url) for name, url in urls.items()}
    before_cold = {name: request_queries(client, url, cold=True) for name, url in urls.items()}

    grow(home_page, events_index, 6)
    TopicPage.objects.filter(pk=topic_page.pk).update(title="Pace")
    after = {name: request_queries(client, url) for name, url in urls.items()}
    after_cold = {name: request_queries(client, url, cold=True) for name, url in urls.items()}

    assert_counts(after, before)
    assert_counts(after_cold, before_cold)  # fixed even when every cache is empty
    assert_at_most(before, MAX_QUERIES)


def test_private_pages_stay_out_of_listings_menu_and_feeds(client, home_page):
    from wagtail.models import PageViewRestriction

    index = factories.news_index(home_page)
    factories.news_page(home_page, title="Notizia pubblica")
    secret = factories.news_page(home_page, title="Notizia riservata")
    PageViewRestriction.objects.create(page=secret, restriction_type="login")
    hidden_menu = factories.standard_page(home_page, title="Area riservata", show_in_menus=True)
    PageViewRestriction.objects.create(page=hidden_menu, restriction_type="login")
    shown_menu = factories.standard_page(home_page, title="Chi siamo", show_in_menus=True)
    body = client.get(index.url).content.decode()
    assert "Notizia pubblica" in body
    assert "Notizia riservata" not in body
    assert "Area riservata" not in body
    assert shown_menu.title in body
    assert "Notizia riservata" not in client.get(index.url + "feed/rss/").content.decode()


def test_deep_pages_and_feed_routes_resolve(client, home_page):
    news = factories.news_page(home_page, title="Profonda")
    assert client.get(news.url).context["page"].pk == news.pk
    assert client.get(news.url + "inesistente/").status_code == 404
    assert client.get(factories.news_index(home_page).url + "feed/atom/").status_code == 200
    news.unpublish()
    assert client.get(news.url).status_code == 404

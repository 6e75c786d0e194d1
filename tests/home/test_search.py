"""Site search: the right kinds of results, filters, pagination, odd input, fixed queries."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from eventi.models import EventIndexPage
from home.search import PER_PAGE
from portal.taxonomy.models import Topic
from tests.eventi.factories import make_event
from tests.factories import ON_CALENDAR_NOW
from tests.home import factories
from tests.partecipazione.factories import AssociationFactory, ProposalFactory
from tests.queries import assert_at_most, assert_counts, capture

pytestmark = [pytest.mark.django_db, ON_CALENDAR_NOW]

URL = reverse("home:search")


@pytest.fixture
def content(home_page):
    pace = Topic.objects.get(slug="pace")
    dialogo = Topic.objects.get(slug="dialogo-interreligioso")
    events = EventIndexPage(title="Eventi", slug="eventi")
    home_page.add_child(instance=events)
    events.save_revision().publish()
    return {
        "topic_page": factories.topic_page(
            home_page, slug="dialogo-interreligioso", title="Dialogo fra le fedi"
        ),
        "news": factories.news_page(
            home_page, title="Le fedi in festa", intro="Festa delle fedi", topics=["pace"]
        ),
        "draft": factories.standard_page(home_page, title="Fedi in bozza"),
        "event": make_event(
            events, title="Cena delle fedi", topics=[dialogo], start_date=date(2030, 5, 1)
        ),
        "proposal": ProposalFactory(title="Un tavolo delle fedi", topic=pace, state="accepted"),
        "draft_proposal": ProposalFactory(title="Fedi segrete", topic=pace, state="draft"),
        "association": AssociationFactory(name="Fedi in cammino", is_verified=True),
        "unverified": AssociationFactory(name="Fedi non verificate", is_verified=False),
    }


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def test_all_kinds_are_found_and_grouped(client, content):
    content["draft"].unpublish()
    response = get(client, q="fedi")
    sections = {
        s["kind"]: [str(getattr(i, "title", i)) for i in s["items"]]
        for s in response.context["sections"]
    }
    assert set(sections) == {"pagine", "eventi", "proposte", "associazioni"}
    assert "Dialogo fra le fedi" in sections["pagine"]
    assert "Le fedi in festa" in sections["pagine"]
    assert "Fedi in bozza" not in sections["pagine"]
    assert sections["eventi"] == ["Cena delle fedi"]
    assert sections["proposte"] == ["Un tavolo delle fedi"]
    assert sections["associazioni"] == ["Fedi in cammino"]
    body = response.content.decode()
    assert content["proposal"].get_absolute_url() in body
    assert content["association"].get_absolute_url() in body


def test_event_results_show_their_next_date_and_summary(client, content, home_page):
    events = EventIndexPage.objects.get()
    make_event(
        events,
        title="Fedi in cammino settimanale",
        summary="Una passeggiata fra i luoghi di culto.",
        start_date=date(2030, 3, 5),
        frequency="weekly",
        count=4,
    )
    for params in ({"q": "fedi"}, {"q": "fedi", "tipo": "eventi"}):
        body = get(client, **params).content.decode()
        assert "Una passeggiata fra i luoghi di culto." in body
        assert (
            '<time datetime="2030-03-05T18:00:00+01:00">Martedì 5 marzo 2030, 18:00–20:00' in body
        )
        assert '<time datetime="2030-05-01T18:00:00+02:00">Mercoledì 1 maggio 2030' in body
    # Once every date is past, the last one is shown.
    make_event(events, title="Fedi d'altri tempi", start_date=date(2020, 1, 7))
    body = get(client, q="altri tempi", tipo="eventi").content.decode()
    assert "Martedì 7 gennaio 2020, 18:00–20:00" in body


def test_type_filter_returns_only_that_kind(client, content):
    response = get(client, q="fedi", tipo="eventi")
    assert [r.title for r in response.context["results"]] == ["Cena delle fedi"]
    response = get(client, q="fedi", tipo="proposte")
    assert [r.title for r in response.context["results"]] == ["Un tavolo delle fedi"]


def test_events_kind_is_the_calendar_events_not_the_index(client, content):
    response = get(client, q="eventi", tipo="eventi")
    assert response.context["results"] == []
    assert [p.title for p in get(client, q="eventi", tipo="pagine").context["results"]] == [
        "Eventi"
    ]


def test_topic_filter(client, content):
    response = get(client, q="fedi", tipo="pagine", argomento="pace")
    assert [r.title for r in response.context["results"]] == ["Le fedi in festa"]
    response = get(client, q="fedi", tipo="eventi", argomento="pace")
    assert response.context["results"] == []
    response = get(client, q="fedi", tipo="eventi", argomento="dialogo-interreligioso")
    assert [r.title for r in response.context["results"]] == ["Cena delle fedi"]


def test_pagination(client, home_page):
    for i in range(PER_PAGE + 3):
        factories.news_page(home_page, title=f"Gemellaggio numero {i}")
    first = get(client, q="gemellaggio", tipo="pagine")
    assert len(first.context["results"]) == PER_PAGE
    assert first.context["results_page"].paginator.count == PER_PAGE + 3
    second = get(client, q="gemellaggio", tipo="pagine", pagina="2")
    assert len(second.context["results"]) == 3
    assert not {p.pk for p in first.context["results"]} & {p.pk for p in second.context["results"]}
    # an out-of-range or malformed page number shows a valid page
    assert len(get(client, q="gemellaggio", tipo="pagine", pagina="99").context["results"]) == 3
    assert len(get(client, q="gemellaggio", tipo="pagine", pagina="x").context["results"]) == 10


def caps(monkeypatch, listing, overview):
    for module in ("home.search", "home.views"):
        monkeypatch.setattr(f"{module}.MAX_RESULTS", listing, raising=False)
        monkeypatch.setattr(f"{module}.OVERVIEW_MAX_RESULTS", overview, raising=False)


def test_more_matches_than_the_cap_are_said_so(client, home_page, monkeypatch, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the caps change between requests, not the content
    caps(monkeypatch, listing=4, overview=2)
    for i in range(5):
        factories.news_page(home_page, title=f"Gemellaggio numero {i}")
    overview = get(client, q="gemellaggio")
    (section,) = overview.context["sections"]
    assert (section["count"], section["more"]) == (2, True)
    assert len(section["items"]) == 2
    assert ">oltre 2</span>" in overview.content.decode()
    listing = get(client, q="gemellaggio", tipo="pagine")
    assert len(listing.context["results"]) == 4 and listing.context["more_than"] == 4
    assert "Più di 4 risultati: ecco i 4 più pertinenti" in listing.content.decode()
    english = client.get("/en" + URL, {"q": "gemellaggio", "tipo": "pagine"}).content.decode()
    assert "More than 4 results: here are the 4 most relevant" in english
    # At or under the cap the count is exact and plain.
    caps(monkeypatch, listing=5, overview=5)
    (section,) = get(client, q="gemellaggio").context["sections"]
    assert (section["count"], section["more"]) == (5, False)
    listing = get(client, q="gemellaggio", tipo="pagine")
    assert listing.context["more_than"] is None
    assert "5 risultati" in listing.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "   "},
        {"q": "a" * 5000},
        {"q": "\x00pace"},
        {"q": "\"'();--<script>"},
        {"q": "pace AND OR NOT *"},
        {"q": "pace", "tipo": "nonesiste"},
        {"q": "pace", "argomento": "nonesiste"},
        {"q": "pace", "tipo": ["pagine", "eventi"]},
        {"q": "pace", "pagina": "-1"},
    ],
)
def test_odd_input_never_fails(client, content, params):
    response = client.get(URL, params)
    # NUL characters are refused before any view, with the 400 page (portal.core.input_guard)
    nul = any("\x00" in str(value) for value in params.values())
    assert response.status_code == (400 if nul else 200)


def test_unknown_filters_are_reported(client, content):
    body = get(client, q="fedi", tipo="nonesiste", argomento="boh").content.decode()
    assert "Il tipo di contenuto richiesto non esiste" in body
    assert "L&#x27;argomento richiesto non esiste" in body


def test_header_links_to_the_search_page(client, home_page):
    assert f'href="{URL}"' in client.get("/").content.decode()


def test_search_runs_a_fixed_number_of_queries(client, content, home_page):
    def measure(params, cold):
        get(client, **params)
        get(client, **params)
        if cold:
            cache.clear()
        with capture() as queries:
            get(client, **params)
        return queries

    def count():
        return {
            f"{params} cold={cold}": measure(params, cold)
            for params in ({"q": "fedi"}, {"q": "fedi", "tipo": "pagine", "argomento": "pace"})
            for cold in (False, True)
        }

    before = count()
    for i in range(8):
        factories.news_page(home_page, title=f"Fedi numero {i}", topics=["pace"])
        ProposalFactory(title=f"Fedi proposta {i}", state="accepted")
        AssociationFactory(name=f"Fedi associazione {i}")
    assert_counts(count(), before)
    steady = {name: queries for name, queries in before.items() if name.endswith("cold=False")}
    assert_at_most(steady, 15)  # steady state (site, locale, settings cached)


# The search page with words, full-page cache off: Wagtail's site look-up (1), one search
# query per kind (4), the view restrictions `.public()` reads for the page searches (2), the
# dates and summaries of the events on show (1); the menu comes from Wagtail's fragment cache.
# With every cache empty the frame adds the portal settings, the root page, the locale,
# Wagtail's site root paths, the menu and the topics of the filter.
SEARCH_QUERIES = 8
SEARCH_QUERIES_COLD = 14
# Events only: the site, their search query, the restrictions, their dates and summaries.
SEARCH_ONE_KIND_QUERIES = 4
# Pages only: the site, their search query, the restrictions.
SEARCH_PAGES_QUERIES = 3


def test_search_query_count_is_pinned_and_does_not_grow(client, content, home_page, settings):
    settings.PAGE_CACHE_SECONDS = 0  # what the view costs (a page-cache hit costs none)
    events = EventIndexPage.objects.get()

    def measure(params, cold=False):
        get(client, **params)
        get(client, **params)
        if cold:
            cache.clear()
        with capture() as queries:
            response = get(client, **params)
        assert "X-Cache" not in response
        return queries

    def count():
        return {
            "steady": measure({"q": "fedi"}),
            "cold": measure({"q": "fedi"}, cold=True),
            "one kind": measure({"q": "fedi", "tipo": "eventi"}),
            "topic": measure({"q": "fedi", "tipo": "pagine", "argomento": "pace"}),
        }

    before = count()
    for i in range(12):
        factories.news_page(home_page, title=f"Fedi numero {i}", topics=["pace"])
        factories.standard_page(home_page, title=f"Fedi pagina {i}", show_in_menus=True)
        make_event(events, title=f"Fedi evento {i}", start_date=date(2030, 6, 1 + i))
        ProposalFactory(title=f"Fedi proposta {i}", state="accepted")
        AssociationFactory(name=f"Fedi associazione {i}", is_verified=True)
    after = count()
    assert_counts(after, before)
    assert_counts(
        before,
        {
            "steady": SEARCH_QUERIES,
            "cold": SEARCH_QUERIES_COLD,
            "one kind": SEARCH_ONE_KIND_QUERIES,
            "topic": SEARCH_PAGES_QUERIES + 2,  # the topic by slug + its pages (one union)
        },
    )
    sections = {s["kind"]: s["count"] for s in get(client, q="fedi").context["sections"]}
    assert sections["eventi"] == 13 and sections["proposte"] == 13  # really found


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL ranks in the query")
def test_title_matches_come_first_without_relevance_sub_queries(client, home_page):
    """SQLite: no per-row relevance sub-query (seconds at 10,000 events); titles rank first."""
    factories.standard_page(home_page, title="Programma", body="<p>La giornata della memoria</p>")
    factories.standard_page(home_page, title="Giornata della memoria")
    factories.standard_page(home_page, title="Memoria e altro", body="<p>una giornata</p>")
    with capture() as queries:
        response = get(client, q="giornata memoria", tipo="pagine")
    titles = [page.title for page in response.context["results"]]
    assert titles == ["Giornata della memoria", "Memoria e altro", "Programma"]
    search_sql = [sql for sql in queries.sql if " MATCH " in sql]
    assert search_sql and not any("bm25" in sql for sql in search_sql)

"""The layout of every page (base.html) costs a fixed, small number of queries.

Anonymous visitor, page cache off (what the views cost). These tests pin the counts.
"""

import pytest

from tests.home import factories
from tests.queries import assert_counts, request_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _views_run(settings):
    """Measure what the views cost: a page-cache hit would answer with no query at all."""
    settings.PAGE_CACHE_SECONDS = 0


# Since the layout runs on Wagtail's own APIs (no patched look-ups, issue 12), every page
# pays Wagtail's site look-up (1), active locale (1) and view-restriction check (2: the
# page's and its aliases' ancestors) on top of routing.
# The standard page: site, locale, routing (3), restrictions (2). The frame (menu,
# breadcrumbs, language links, footer) is in Wagtail's fragment cache: no query while warm.
STANDARD_PAGE_QUERIES = 7
# The home page adds its own listings (events, proposals), featured content and the
# private-section check of the event listing (Wagtail's `not_public()`).
HOME_PAGE_QUERIES = 10
# The search page without a query: the site... no page routing, no locale: 1.
SEARCH_PAGE_QUERIES = 1
# With every cache empty the frame adds the portal settings and Wagtail's site root paths,
# and Wagtail's own look-ups of the cold fragments: the menu (`get_children`), the language
# links (`get_translations`) and, below the home page, the breadcrumbs (`get_ancestors`);
# the search page its topics too.
COLD_EXTRA_QUERIES = {"home": 5, "standard": 6, "search": 6}


def count_queries(client, url, cold=False):
    queries = request_queries(client, url, cold=cold)
    assert "X-Cache" not in queries.response  # page cache off in tests: every query is counted
    return queries


def add_menu_pages(home, count):
    return [
        factories.standard_page(home, title=f"Voce {i}", show_in_menus=True) for i in range(count)
    ]


def test_layout_queries_are_pinned_and_do_not_grow_with_the_menu(client, home_page):
    page = add_menu_pages(home_page, 1)[0]
    few = {
        "home": count_queries(client, home_page.url),
        "standard": count_queries(client, page.url),
        "search": count_queries(client, "/cerca/"),
    }
    add_menu_pages(home_page, 19)
    many = {
        "home": count_queries(client, home_page.url),
        "standard": count_queries(client, page.url),
        "search": count_queries(client, "/cerca/"),
    }
    assert_counts(many, few)
    steady = {"home": HOME_PAGE_QUERIES, "standard": STANDARD_PAGE_QUERIES}
    steady["search"] = SEARCH_PAGE_QUERIES
    assert_counts(few, steady)
    assert "Voce 18" in client.get(page.url).content.decode()  # the menu is really there


def test_cold_layout_queries_are_pinned_and_do_not_grow_with_the_menu(client, home_page):
    page = add_menu_pages(home_page, 1)[0]
    urls = {"home": home_page.url, "standard": page.url, "search": "/cerca/"}
    few = {name: count_queries(client, url, cold=True) for name, url in urls.items()}
    add_menu_pages(home_page, 19)
    many = {name: count_queries(client, url, cold=True) for name, url in urls.items()}
    assert_counts(many, few)
    steady = {"home": HOME_PAGE_QUERIES, "standard": STANDARD_PAGE_QUERIES}
    steady["search"] = SEARCH_PAGE_QUERIES
    assert_counts(few, {name: steady[name] + COLD_EXTRA_QUERIES[name] for name in urls})


def test_settings_saved_in_the_admin_show_at_once(client, home_page, site):
    from portal.core.models import PortalSettings

    client.get(home_page.url)
    settings = PortalSettings.for_site(site)
    settings.tagline = "Cremona, città che costruisce la pace"
    settings.save()
    assert "Cremona, città che costruisce la pace" in client.get(home_page.url).content.decode()


def test_private_sections_stay_private_after_the_shortcut_was_cached(client, home_page):
    from wagtail.models import PageViewRestriction

    page = factories.standard_page(home_page, title="Riservata", body="<p>Segreto</p>")
    assert client.get(page.url).status_code == 200  # caches "no restriction exists"
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    response = client.get(page.url)
    assert response.status_code == 302
    assert "Segreto" not in response.content.decode()


def test_a_new_site_hostname_is_routed_at_once(client, home_page, site):
    client.get(home_page.url)
    site.hostname = "pace.example.org"
    site.is_default_site = False
    site.save()
    assert client.get(home_page.url).status_code == 404


def test_translated_url_tag_gives_the_app_page_in_the_other_language(rf):
    from django.template import Context, Template
    from django.utils import translation

    template = Template("{% load portal_tags %}{% translated_url 'en' %}|{% translated_url 'it' %}")
    with translation.override("it"):
        assert template.render(Context({"request": rf.get("/cerca/?q=pace")})) == (
            "/en/cerca/?q=pace|/cerca/?q=pace"
        )


def test_public_querysets_follow_new_restrictions_after_the_paths_were_cached(client, home_page):
    """`.public()` reads cached private paths inside requests: a new restriction shows at once."""
    from wagtail.models import PageViewRestriction

    section = factories.standard_page(home_page, title="Archivio riservato")
    child = factories.standard_page(section, title="Verbale riservato")

    def found():
        body = client.get("/cerca/", {"q": "riservato"}).content.decode()
        return {"Archivio" in body, "Verbale" in body}

    assert found() == {True}  # caches "no page is restricted"
    restriction = PageViewRestriction.objects.create(page=section, restriction_type="login")
    assert found() == {False}  # the section and its descendant are out
    other = factories.standard_page(home_page, title="Altro riservato")
    PageViewRestriction.objects.create(page=other, restriction_type="login")
    assert "Altro" not in client.get("/cerca/", {"q": "riservato"}).content.decode()
    restriction.delete()
    assert found() == {True}
    assert client.get(child.url).status_code == 200

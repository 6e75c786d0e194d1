"""The English site's main menu lists every Italian section (issue: menu of untranslated trees).

A section with a live English translation appears with its English title and URL; one without
appears with its Italian title, linked under /en/ where HomePage.route serves the Italian page.
"""

import re

import pytest
from wagtail.models import Locale

from tests.home import factories
from tests.queries import assert_counts, capture

pytestmark = pytest.mark.django_db

NAV_LINK = re.compile(r'<a class="nav-link[^"]*" href="([^"]+)"[^>]*><span>([^<]+)</span>')


@pytest.fixture
def english_home(home_page):
    english = Locale.objects.create(language_code="en")
    page = home_page.copy_for_translation(english)
    page.save_revision().publish()
    return page


def translate(page, title, slug):
    english = Locale.objects.get(language_code="en")
    translation = page.copy_for_translation(english)
    translation.title = title
    translation.slug = slug
    translation.save_revision().publish()
    return translation


def menu(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    nav = response.content.decode().split('<ul class="navbar-nav"', 1)[1]
    nav = nav.split(">", 1)[1].split("</ul>", 1)[0]
    return [(href, title.strip()) for href, title in NAV_LINK.findall(nav)]


def test_english_menu_lists_untranslated_sections_under_en(client, home_page, english_home):
    about = factories.standard_page(home_page, title="Chi siamo", show_in_menus=True)
    italian_only = factories.standard_page(home_page, title="Solo in italiano", show_in_menus=True)
    factories.standard_page(home_page, title="Fuori menu", show_in_menus=False)
    translate(about, "About us", "about-us")

    for url in ("/en/", "/en/about-us/", f"/en/{italian_only.slug}/", "/en/cerca/"):
        items = menu(client, url)
        assert items == [
            ("/en/about-us/", "About us"),
            (f"/en/{italian_only.slug}/", "Solo in italiano"),
        ], url
    # Every link resolves, the untranslated one to the Italian page in the English frame.
    for href, _title in items:
        assert client.get(href).status_code == 200, href
    body = client.get(f"/en/{italian_only.slug}/").content.decode()
    assert '<html lang="en">' in body
    assert 'aria-current="page"><span>Solo in italiano' in body
    assert '<a href="/en/">Home</a>' in body  # breadcrumbs stay on the English site


def test_italian_menu_is_unchanged(client, home_page, english_home):
    about = factories.standard_page(home_page, title="Chi siamo", show_in_menus=True)
    factories.standard_page(home_page, title="Solo in italiano", show_in_menus=True)
    translate(about, "About us", "about-us")
    assert [title for _href, title in menu(client, "/")] == ["Chi siamo", "Solo in italiano"]


def test_hidden_or_private_english_sections_stay_out(client, home_page, english_home):
    from wagtail.models import PageViewRestriction

    hidden = factories.standard_page(home_page, title="Nascosta in inglese", show_in_menus=True)
    translation = translate(hidden, "Hidden in English", "hidden")
    translation.show_in_menus = False
    translation.save_revision().publish()
    private = factories.standard_page(home_page, title="Riservata", show_in_menus=True)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert menu(client, "/en/") == []


def test_english_menu_costs_no_query_per_section(client, home_page, english_home, settings):

    def count(url):
        client.get(url)
        with capture() as queries:
            response = client.get(url)
        assert response.status_code == 200
        return queries

    first = factories.standard_page(home_page, title="Prima", show_in_menus=True)
    translate(first, "First", "first")
    factories.standard_page(home_page, title="Seconda", show_in_menus=True)
    few = {url: count(url) for url in ("/en/", "/en/first/", "/en/cerca/")}
    for i in range(8):
        page = factories.standard_page(home_page, title=f"Voce {i}", show_in_menus=True)
        if i % 2:
            translate(page, f"Item {i}", f"item-{i}")
    many = {url: count(url) for url in ("/en/", "/en/first/", "/en/cerca/")}
    assert_counts(many, few)
    assert len(menu(client, "/en/")) == 10

"""The frame (menu, breadcrumbs, language links, footer) is in Wagtail's fragment cache.

Each fragment varies on the structure generation, the site, the language and the page: a
change to the tree or the settings shows at once, one visitor's frame never reaches another.
The page cache is off here, so what is measured is the fragment cache alone.
"""

import re

import pytest
from wagtail.models import Locale, PageViewRestriction

from tests.home import factories
from tests.queries import capture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _views_run(settings):
    settings.PAGE_CACHE_SECONDS = 0


def nav(body: str) -> str:
    return body.split('<ul class="navbar-nav"', 1)[1].split(">", 1)[1].split("</ul>", 1)[0]


def breadcrumbs(body: str) -> str:
    return body.split('<ol class="breadcrumb"', 1)[1].split(">", 1)[1].split("</ol>", 1)[0]


def test_a_renamed_section_shows_at_once_in_menu_and_breadcrumbs(client, home_page):
    section = factories.standard_page(home_page, title="Chi siamo", show_in_menus=True)
    child = factories.standard_page(section, title="Storia")
    body = client.get(child.url).content.decode()
    assert "Chi siamo" in nav(body) and "Chi siamo" in breadcrumbs(body)
    with capture() as warm:
        client.get(child.url)

    section.title = "Il progetto"
    section.save_revision().publish()  # moves the structure generation

    body = client.get(child.url).content.decode()
    assert "Il progetto" in nav(body) and "Il progetto" in breadcrumbs(body)
    assert "Chi siamo" not in body
    with capture() as warm_again:
        client.get(child.url)
    assert len(warm_again) == len(warm)  # warm again: the frame costs no query


def test_a_section_made_private_leaves_the_cached_menu(client, home_page):
    section = factories.standard_page(home_page, title="Area soci", show_in_menus=True)
    assert "Area soci" in nav(client.get(home_page.url).content.decode())
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    assert "Area soci" not in nav(client.get(home_page.url).content.decode())


def test_the_active_section_is_per_page_and_per_path(client, home_page):
    first = factories.standard_page(home_page, title="Prima", show_in_menus=True)
    second = factories.standard_page(home_page, title="Seconda", show_in_menus=True)
    for page, other in ((first, second), (second, first)):
        menu = nav(client.get(page.url).content.decode())
        assert re.search(rf'href="{re.escape(page.url)}"[^>]*aria-current="page"', menu)
        assert not re.search(rf'href="{re.escape(other.url)}"[^>]*aria-current="page"', menu)
    # A view that is not a Wagtail page: no section is current.
    assert 'aria-current="page"' not in nav(client.get("/cerca/").content.decode())


def test_language_links_follow_the_page_and_the_language(client, home_page):
    english = Locale.objects.create(language_code="en")
    home_page.copy_for_translation(english).save_revision().publish()
    about = factories.standard_page(home_page, title="Chi siamo", show_in_menus=True)
    translation = about.copy_for_translation(english)
    translation.title, translation.slug = "About us", "about-us"
    translation.save_revision().publish()

    italian = client.get(about.url).content.decode()
    assert 'hreflang="en"' in italian and 'aria-current="true">IT' in italian
    english_body = client.get("/en/about-us/").content.decode()
    assert 'aria-current="true">EN' in english_body
    alternates = dict(
        re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)">', english_body)
    )
    assert set(alternates) == {"it", "en"}
    assert alternates["it"].endswith(about.url) and alternates["en"].endswith("/en/about-us/")


def test_the_footer_is_cached_apart_for_visitors_and_members(client, home_page, user):
    anonymous = client.get(home_page.url).content.decode()
    assert "Registrati" in anonymous.split('id="footer"', 1)[1]
    client.force_login(user)
    member = client.get(home_page.url).content.decode().split('id="footer"', 1)[1]
    assert "Registrati" not in member and "Il mio account" in member

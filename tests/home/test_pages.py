"""Page rules and rendering of the content pages."""

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage, StandardPage
from tests.queries import assert_fixed, capture


@pytest.mark.django_db
class TestPageRules(WagtailPageTestCase):
    def test_home_page_only_under_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_standard_page_parents(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})

    def test_standard_page_can_be_created_under_home(self):
        self.assertCanCreateAt(HomePage, StandardPage)


@pytest.mark.django_db
def test_migrate_alone_gives_a_live_home_page(client, site):
    assert isinstance(site.root_page.specific, HomePage)
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="it">' in body
    assert 'href="#main-content"' in body
    assert "Cremona, città della pace" in body


@pytest.mark.django_db
def test_home_page_in_english_has_english_interface(client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert "Skip to main content" in response.content.decode()


@pytest.mark.django_db
def test_menu_lists_live_public_pages_in_menu(client, home_page):
    shown = home_page.add_child(instance=StandardPage(title="Chi siamo", show_in_menus=True))
    home_page.add_child(
        instance=StandardPage(title="Bozza segreta", show_in_menus=True, live=False)
    )
    body = client.get("/").content.decode()
    assert shown.title in body
    assert "Bozza segreta" not in body


@pytest.mark.django_db
def test_home_page_query_count_does_not_grow_with_menu(client, home_page, settings):
    settings.PAGE_CACHE_SECONDS = 0  # what the view costs (a page-cache hit costs none)

    def count_queries():
        with capture() as queries:
            assert client.get("/").status_code == 200
        return queries

    home_page.add_child(instance=StandardPage(title="Prima voce", show_in_menus=True))
    client.get("/")  # warm the site-root cache
    baseline = count_queries()
    for i in range(15):
        home_page.add_child(instance=StandardPage(title=f"Voce {i}", show_in_menus=True))
    client.get("/")  # the new pages made the frame's cached values stale: warm them again
    assert_fixed(baseline, count_queries(), at_most=20)


@pytest.mark.django_db
def test_standard_page_renders_with_breadcrumbs(client, home_page):
    page = home_page.add_child(
        instance=StandardPage(title="Contatti", intro="Ufficio Pace", body="<p>Via Roma</p>")
    )
    response = client.get(page.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ufficio Pace" in body
    assert 'aria-current="page"' in body


@pytest.mark.django_db
def test_untranslated_section_falls_back_to_the_italian_tree(client, home_page):
    from wagtail.models import Locale

    italian_only = home_page.add_child(instance=StandardPage(title="Solo in italiano"))
    english = Locale.objects.create(language_code="en")
    english_home = home_page.copy_for_translation(english)
    english_home.save_revision().publish()

    response = client.get(f"/en/{italian_only.slug}/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert "Solo in italiano" in response.content.decode()
    assert client.get("/en/non-esiste-in-nessuna-lingua/").status_code == 404

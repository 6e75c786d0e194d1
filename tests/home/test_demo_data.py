"""The demo data command builds the site once and never duplicates it."""

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Page, Site

from home.models import HomePage, StandardPage
from portal.accounts.models import User
from portal.core.models import PortalSettings

pytestmark = pytest.mark.django_db


def load():
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "pages": Page.objects.count(),
        "users": User.objects.count(),
    }


def test_demo_data_builds_the_page_tree_and_users():
    output = load()
    home = Site.objects.get(is_default_site=True).root_page.specific
    assert isinstance(home, HomePage)
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    slugs = set(StandardPage.objects.child_of(home).values_list("slug", flat=True))
    assert {"privacy", "accessibilita", "contatti"} <= slugs
    assert User.objects.filter(is_superuser=True).exists()
    assert User.objects.filter(groups__name="Editors").exists()
    assert User.objects.filter(groups__name="Participation moderators").exists()
    assert "admin@cittadellapace.example" in output
    assert "password" in output


def test_demo_data_twice_duplicates_nothing():
    load()
    first = snapshot()
    output = load()
    assert snapshot() == first
    assert "nothing new" in output


def test_footer_links_to_the_privacy_and_accessibility_pages(client):
    load()
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    assert portal.privacy_page.slug == "privacy"
    body = client.get("/").content.decode()
    assert "/privacy/" in body
    assert "/accessibilita/" in body


def test_demo_data_builds_the_content_sections_and_english_tree(client):
    from wagtail.models import Locale

    from home.models import NewsPage, SchoolProgrammePage, TopicPage, TwinCityPage

    load()
    italian = Locale.objects.get(language_code="it")
    topics = TopicPage.objects.filter(locale=italian).live()
    assert set(topics.values_list("topic__slug", flat=True)) == {
        "pace",
        "diritti-umani",
        "dialogo-interreligioso",
        "intercultura",
        "cremona-internazionale",
        "educazione-alla-pace",
    }
    assert NewsPage.objects.live().count() >= 5
    assert TwinCityPage.objects.get(slug="alaquas").relation == "twinning"
    assert TwinCityPage.objects.get(slug="zhengzhou").relation == "partnership"
    assert SchoolProgrammePage.objects.live().count() >= 3
    slugs = set(StandardPage.objects.values_list("slug", flat=True))
    assert {"coordinamento-enti-locali-pace", "interventi-cultura-della-pace"} <= slugs
    for page in topics:
        assert client.get(page.url).status_code == 200

    home = HomePage.objects.get(depth=2, locale=italian)
    english_home = home.get_translation(Locale.objects.get(language_code="en"))
    assert english_home.live
    body = client.get("/en/").content.decode()
    assert "Cremona, city of peace" in body
    italian_body = client.get("/").content.decode()
    assert 'hreflang="en"' in italian_body
    assert "Argomenti" in italian_body  # in the main menu


def test_bulk_demo_data_is_in_the_search_index(client):
    """The benchmark data sets are created in bulk (no model signals): bench/bulk_data.py
    indexes them."""
    from bench import bulk_data
    from eventi.models import EventPage

    call_command("load_demo_data", "--quiet-credentials", stdout=StringIO())
    assert bulk_data.ensure(events=EventPage.objects.count() + 40)["events"] == 40
    bulk = EventPage.objects.filter(slug__startswith="evento-").order_by("pk").last()
    assert bulk is not None
    response = client.get("/cerca/", {"q": bulk.title})
    assert response.status_code == 200
    assert bulk.url in response.content.decode()

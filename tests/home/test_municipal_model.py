"""The Italian municipal model (Designers Italia): the markup AGID's validator reads, the legal
pages, 'Segnala disservizio', the HTML site map, the crest and favicon, and SITE_URL."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from wagtail.contrib.forms.models import FormSubmission

from home.demo import match_site_to_site_url
from portal.core.models import PortalSettings
from tests.home import factories

pytestmark = pytest.mark.django_db

# pa-website-validator-ng, src/audits/license/legalNotes.ts
LICENCE_TEXT = (
    "In applicazione del principio open by default ai sensi dell’articolo 52 del decreto "
    "legislativo 7 marzo 2005, n. 82 (CAD) e salvo dove diversamente specificato (compresi i "
    "contenuti incorporati di terzi), i dati, i documenti e le informazioni pubblicati sul sito "
    "sono rilasciati con licenza CC-BY 4.0. Gli utenti sono quindi liberi di condividere "
    "(riprodurre, distribuire, comunicare al pubblico, esporre in pubblico), rappresentare, "
    "eseguire e recitare questo materiale con qualsiasi mezzo e formato e modificare "
    "(trasformare il materiale e utilizzarlo per opere derivate) per qualsiasi fine, anche "
    "commerciale con il solo onere di attribuzione, senza apporre restrizioni aggiuntive."
)


@pytest.fixture
def portal(site, home_page):
    settings = PortalSettings.for_site(site)
    settings.privacy_page = factories.standard_page(home_page, title="Privacy", slug="privacy")
    settings.accessibility_page = factories.standard_page(home_page, title="Accessibilità")
    settings.legal_notes_page = factories.standard_page(home_page, title="Note legali")
    settings.faq_page = factories.standard_page(home_page, title="FAQ")
    settings.report_page = factories.contact_page(
        home_page, title="Segnala disservizio", slug="segnala-disservizio"
    )
    settings.save()
    return settings


def element(body, name):
    """The opening tag carrying data-element=`name` (the first one)."""
    match = re.search(rf'<[^>]*data-element="{name}"[^>]*>([^<]*)', body)
    assert match, f'no data-element="{name}"'
    return match.group(0)


def test_footer_has_the_links_the_model_asks_for(client, portal):
    body = client.get("/").content.decode()
    footer = body[body.index('<footer class="it-footer"') :]
    assert f'href="{portal.privacy_page.url}"' in element(footer, "privacy-policy-link")
    assert f'href="{portal.legal_notes_page.url}"' in element(footer, "legal-notes")
    assert 'href="https://form.agid.gov.it/"' in element(footer, "accessibility-link")
    assert element(footer, "faq").endswith("Leggi le FAQ")
    assert element(footer, "report-inefficiency").endswith("Segnala disservizio")
    assert f'href="{portal.report_page.url}"' in element(footer, "report-inefficiency")
    # the portal's own statement stays reachable next to AGID's
    assert f'href="{portal.accessibility_page.url}"' in footer


def test_without_an_agid_address_the_footer_links_the_statement_page(client, portal):
    portal.accessibility_form_url = ""
    portal.save()
    body = client.get("/").content.decode()
    assert f'href="{portal.accessibility_page.url}"' in element(body, "accessibility-link")


def test_legal_notes_carry_the_cc_by_licence_word_for_word(client, portal):
    body = client.get(portal.legal_notes_page.url).content.decode()
    assert element(body, "legal-notes-section").endswith("Licenza dei contenuti")
    text = re.search(r'data-element="legal-notes-body">([^<]*)</p>', body).group(1)
    assert " ".join(text.split()) == LICENCE_TEXT
    other = client.get(portal.privacy_page.url).content.decode()
    assert "legal-notes-body" not in other


def test_menu_breadcrumb_and_topics_markup(client, home_page):
    index = factories.topic_index(home_page)
    index.show_in_menus = True
    index.save_revision().publish()
    factories.topic_page(home_page)
    news = factories.news_index(home_page)
    news.show_in_menus = True
    news.save_revision().publish()
    body = client.get("/").content.decode()
    assert f'href="{index.url}" data-element="all-topics"' in body
    assert f'href="{news.url}" data-element="news"' in body
    topics = client.get(index.url).content.decode()
    assert 'data-element="topic-element"' in topics
    assert 'data-element="breadcrumb"' in topics


def test_report_a_problem_is_stored_e_mailed_and_thanked(client, portal):
    cache.clear()
    page = portal.report_page
    form_page = client.get(page.url).content.decode()
    assert 'name="website"' in form_page and 'class="d-none"' in form_page
    data = {"nome": "Ada Rossi", "e_mail": "ada@example.org", "messaggio": "Link rotto"}
    response = client.post(page.url, data)
    assert response.status_code == 200
    submission = FormSubmission.objects.get(page=page)
    assert submission.get_data()["messaggio"] == "Link rotto"
    assert "website" not in submission.form_data
    assert [m.to for m in mail.outbox] == [["redazione@example.org"]]


def test_report_filled_in_by_a_bot_is_refused(client, portal):
    cache.clear()
    data = {"nome": "Bot", "e_mail": "b@example.org", "messaggio": "spam", "website": "x"}
    response = client.post(portal.report_page.url, data)
    assert "sembra scritto da un programma automatico" in response.content.decode()
    assert not FormSubmission.objects.exists()
    assert mail.outbox == []


@override_settings(PORTAL_FORM_RATE_LIMIT="2/h")
def test_reports_are_rate_limited_per_address(client, portal):
    cache.clear()
    data = {"nome": "Ada", "e_mail": "ada@example.org", "messaggio": "Ancora"}
    statuses = [client.post(portal.report_page.url, data).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = client.post(portal.report_page.url, data)
    body = response.content.decode()
    assert "Hai inviato troppi messaggi" in body and "Ancora" in body
    assert FormSubmission.objects.count() == 2


def test_html_site_map_lists_sections_and_their_pages(client, portal, home_page):
    index = factories.topic_index(home_page)
    topic = factories.topic_page(home_page)
    body = client.get("/").content.decode()
    assert 'href="/mappa-del-sito/"' in body
    site_map = client.get("/mappa-del-sito/").content.decode()
    for page in (index, topic, portal.privacy_page):
        assert f'href="{page.url}"' in site_map
    assert 'href="/sitemap.xml"' in site_map


def test_crest_favicon_and_fonts(client, portal):
    body = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/stemma.svg">' in body
    assert 'src="/static/img/stemma.svg"' in body
    assert re.search(r'<link rel="stylesheet" href="/static/css/fonts\.css">', body)
    assert "loadFonts" not in body
    assert not re.search(r"<script(?![^>]*\bdefer\b)[^>]*\bsrc=", body)
    assert " style=" not in body and "<style" not in body
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (302, "/static/img/stemma.svg")

    portal.logo = factories.image()
    portal.save()
    logo_url = portal.logo.file.url
    assert client.get("/favicon.ico")["Location"] == logo_url
    assert f'<link rel="icon" href="{logo_url}">' in client.get("/").content.decode()


@override_settings(SITE_URL="http://127.0.0.1:8010")
def test_canonical_robots_and_sitemap_follow_site_url(client, site, home_page):
    match_site_to_site_url(site)
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("127.0.0.1", 8010)
    page = factories.standard_page(home_page, title="Chi siamo", slug="chi-siamo")
    host = {"HTTP_HOST": "127.0.0.1:8010"}
    body = client.get(page.url, **host).content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1:8010/chi-siamo/">' in body
    assert '<meta property="og:url" content="http://127.0.0.1:8010/chi-siamo/">' in body
    robots = client.get("/robots.txt", **host).content.decode()
    assert "Sitemap: http://127.0.0.1:8010/sitemap.xml" in robots
    sitemap = client.get("/sitemap.xml", **host).content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations and all(loc.startswith("http://127.0.0.1:8010/") for loc in locations)

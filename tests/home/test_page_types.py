"""Page rules, admin creation, rendering and previews of every content page type."""

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.models import (
    ContactPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    SchoolProgrammeIndexPage,
    SchoolProgrammePage,
    StandardPage,
    TopicIndexPage,
    TopicPage,
    TwinCityIndexPage,
    TwinCityPage,
)
from portal.taxonomy.models import Topic
from tests.home import factories
from tests.wagtail_admin import admin_login, preview_data

BODY = streamfield(
    [
        ("heading", {"text": "Perché la pace", "level": "h2"}),
        ("paragraph", rich_text("<p>Cremona costruisce la pace.</p>")),
        ("quote", {"quote": "Se vuoi la pace, prepara la pace.", "attribution": "Capitini"}),
    ]
)


@pytest.mark.django_db
class TestPageRules(WagtailPageTestCase):
    def test_parents(self):
        expected = {
            TopicIndexPage: {HomePage},
            TopicPage: {TopicIndexPage},
            NewsIndexPage: {HomePage},
            NewsPage: {NewsIndexPage},
            TwinCityIndexPage: {HomePage, TopicPage},
            TwinCityPage: {TwinCityIndexPage},
            SchoolProgrammeIndexPage: {HomePage, TopicPage},
            SchoolProgrammePage: {SchoolProgrammeIndexPage},
            StandardPage: {HomePage, StandardPage},
            ContactPage: {HomePage, StandardPage},
            HomePage: {Page},
        }
        for model, parents in expected.items():
            with self.subTest(model=model.__name__):
                self.assertAllowedParentPageTypes(model, parents)

    def test_children(self):
        expected = {
            TopicIndexPage: {TopicPage},
            TopicPage: {TwinCityIndexPage, SchoolProgrammeIndexPage},
            NewsIndexPage: {NewsPage},
            NewsPage: set(),
            TwinCityIndexPage: {TwinCityPage},
            TwinCityPage: set(),
            SchoolProgrammeIndexPage: {SchoolProgrammePage},
            SchoolProgrammePage: set(),
            StandardPage: {StandardPage, ContactPage},
            ContactPage: set(),
        }
        for model, children in expected.items():
            with self.subTest(model=model.__name__):
                self.assertAllowedSubpageTypes(model, children)

    def test_home_accepts_the_indexes_and_not_the_leaves(self):
        for model in (TopicIndexPage, NewsIndexPage, TwinCityIndexPage, StandardPage):
            self.assertCanCreateAt(HomePage, model)
        for model in (TopicPage, NewsPage, TwinCityPage, SchoolProgrammePage):
            self.assertCanNotCreateAt(HomePage, model)


@pytest.mark.django_db
class TestAdminCreation(WagtailPageTestCase):
    """Each page type can be created from the admin's form data (as an editor would)."""

    def setUp(self):
        self.home = HomePage.objects.get(depth=2)
        admin_login(self)

    def test_index_pages(self):
        for model, slug in (
            (TopicIndexPage, "argomenti"),
            (NewsIndexPage, "notizie"),
            (TwinCityIndexPage, "gemellaggi"),
            (SchoolProgrammeIndexPage, "scuole"),
        ):
            with self.subTest(model=model.__name__):
                data = nested_form_data({"title": slug.title(), "slug": slug, "intro": "Testo"})
                self.assertCanCreate(self.home, model, data)

    def test_topic_page(self):
        index = factories.topic_index(self.home)
        data = nested_form_data(
            {
                "title": "Pace",
                "slug": "pace",
                "topic": Topic.objects.get(slug="pace").pk,
                "intro": "La pace a Cremona.",
                "body": BODY,
            }
        )
        self.assertCanCreate(index, TopicPage, data)
        assert TopicPage.objects.get(slug="pace").body[0].value["text"] == "Perché la pace"

    def test_news_page(self):
        index = factories.news_index(self.home)
        pace = Topic.objects.get(slug="pace")
        data = nested_form_data(
            {
                "title": "Marcia per la pace",
                "slug": "marcia",
                "date": "2026-05-10",
                "intro": "In cammino da piazza del Comune.",
                "body": BODY,
            }
        )
        data["topics"] = [pace.pk]  # a multiple choice is a list, not a nested structure
        self.assertCanCreate(index, NewsPage, data)
        assert list(NewsPage.objects.get(slug="marcia").topics.all()) == [pace]

    def test_twin_city_page(self):
        index = factories.twin_city_index(self.home)
        data = nested_form_data(
            {
                "title": "Alaquàs",
                "slug": "alaquas",
                "city": "Alaquàs",
                "country": "Spagna",
                "relation": "twinning",
                "year": "1990",
                "latitude": "39.457000",
                "longitude": "-0.461000",
                "intro": "Gemellaggio con la città valenciana.",
                "body": streamfield([]),
            }
        )
        self.assertCanCreate(index, TwinCityPage, data)

    def test_school_programme_page(self):
        index = factories.school_index(self.home)
        data = nested_form_data(
            {
                "title": "Costruttori di pace",
                "slug": "costruttori",
                "school_level": "primaria",
                "duration": "3 incontri da 2 ore",
                "intro": "Giochi cooperativi e gestione dei conflitti.",
                "contents": BODY,
                "how_to_book": rich_text("<p>Compila il modulo.</p>"),
                "booking_open": "on",
            }
        )
        self.assertCanCreate(index, SchoolProgrammePage, data)

    def test_standard_page(self):
        data = nested_form_data(
            {
                "title": "Coordinamento",
                "slug": "coordinamento",
                "intro": "La rete degli enti locali.",
                "body": rich_text("<p>Testo</p>"),
                "content": BODY,
            }
        )
        self.assertCanCreate(self.home, StandardPage, data)

    def test_contact_page(self):
        data = nested_form_data(
            {
                "title": "Scrivici",
                "slug": "scrivici",
                "intro": rich_text("<p>Scrivi all'ufficio pace.</p>"),
                "thank_you_text": rich_text("<p>Grazie!</p>"),
                "to_address": "pace@example.org",
                "from_address": "noreply@example.org",
                "subject": "Dal sito",
                "form_fields": inline_formset(
                    [{"label": "Messaggio", "field_type": "multiline", "required": "on"}]
                ),
            }
        )
        self.assertCanCreate(self.home, ContactPage, data)

    def test_image_block_without_alt_text_is_refused(self):
        image = factories.image()
        index = factories.topic_index(self.home)
        data = nested_form_data(
            {
                "title": "Intercultura",
                "slug": "intercultura",
                "topic": Topic.objects.get(slug="intercultura").pk,
                "intro": "Testo",
                "body": streamfield(
                    [("image", {"image": image.pk, "alt_text": "", "caption": "Festa"})]
                ),
            }
        )
        with pytest.raises(AssertionError):
            self.assertCanCreate(index, TopicPage, data)
        assert not TopicPage.objects.filter(slug="intercultura").exists()


def all_pages(home):
    return [
        home,
        factories.topic_index(home),
        factories.topic_page(home, body=[("heading", {"text": "Titolo", "level": "h2"})]),
        factories.news_index(home),
        factories.news_page(home, topics=["pace"]),
        factories.twin_city_index(home),
        factories.twin_city(home, latitude="39.457", longitude="-0.461"),
        factories.school_index(home),
        factories.school_programme(home),
        factories.standard_page(home, body="<p>Testo</p>"),
        factories.contact_page(home),
    ]


@pytest.mark.django_db
class TestRenderAndPreview(WagtailPageTestCase):
    def test_every_page_type_renders_and_previews(self):
        home = HomePage.objects.get(depth=2)
        user = admin_login(self)
        for page in all_pages(home):
            page = page.specific
            with self.subTest(page=type(page).__name__):
                self.assertPageIsRenderable(page)
                self.assertPageIsPreviewable(page, user=user, post_data=preview_data(page, user))


@pytest.mark.django_db
def test_home_shows_featured_news_first_then_the_latest(client, home_page):
    import datetime

    old = factories.news_page(
        home_page, title="Vecchia ma in evidenza", date=datetime.date(2020, 1, 1)
    )
    for day in (1, 2, 3):
        factories.news_page(home_page, title=f"Recente {day}", date=datetime.date(2026, 6, day))
    titles = [n.title for n in client.get("/").context["news"]]
    assert titles == ["Recente 3", "Recente 2", "Recente 1"]
    home_page.featured_news = old
    home_page.save_revision().publish()
    titles = [n.title for n in client.get("/").context["news"]]
    assert titles == ["Vecchia ma in evidenza", "Recente 3", "Recente 2"]

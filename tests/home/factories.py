"""Small builders for the content page tree (plain functions: pages need a parent)."""

import datetime
import itertools

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from home.models import (
    ContactFormField,
    ContactPage,
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

_counter = itertools.count(1)


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def image(title="Bandiere della pace"):
    return get_image_model().objects.create(
        title=title, file=get_test_image_file(f"pace-{next(_counter)}.png")
    )


def topic(slug="pace"):
    return Topic.objects.get(slug=slug)


def topic_index(home):
    return TopicIndexPage.objects.child_of(home).first() or publish(
        home, TopicIndexPage(title="Argomenti", slug="argomenti", intro="I temi del programma.")
    )


def topic_page(home, slug="pace", **kwargs):
    kwargs.setdefault("title", f"Tema {slug}")
    kwargs.setdefault("intro", "Un tema del programma Città della Pace.")
    return publish(topic_index(home), TopicPage(topic=topic(slug), **kwargs))


def news_index(home):
    return NewsIndexPage.objects.child_of(home).first() or publish(
        home, NewsIndexPage(title="Notizie", slug="notizie")
    )


def news_page(home, topics=(), **kwargs):
    n = next(_counter)
    kwargs.setdefault("title", f"Notizia {n}")
    kwargs.setdefault("intro", "Una notizia dal programma.")
    kwargs.setdefault("date", datetime.date(2026, 3, 1) + datetime.timedelta(days=n % 200))
    page = NewsPage(**kwargs)
    page.topics.set([topic(slug) for slug in topics])
    return publish(news_index(home), page)


def twin_city_index(home):
    return TwinCityIndexPage.objects.child_of(home).first() or publish(
        home, TwinCityIndexPage(title="Gemellaggi", slug="gemellaggi")
    )


def twin_city(home, **kwargs):
    n = next(_counter)
    kwargs.setdefault("title", f"Città {n}")
    kwargs.setdefault("city", f"Città {n}")
    kwargs.setdefault("country", "Spagna")
    kwargs.setdefault("intro", "Una città amica di Cremona.")
    return publish(twin_city_index(home), TwinCityPage(**kwargs))


def school_index(home):
    return SchoolProgrammeIndexPage.objects.child_of(home).first() or publish(
        home, SchoolProgrammeIndexPage(title="Scuole", slug="scuole")
    )


def school_programme(home, **kwargs):
    n = next(_counter)
    kwargs.setdefault("title", f"Percorso {n}")
    kwargs.setdefault("school_level", "primaria")
    kwargs.setdefault("duration", "3 incontri da 2 ore")
    kwargs.setdefault("intro", "Un percorso di educazione alla pace.")
    return publish(school_index(home), SchoolProgrammePage(**kwargs))


def standard_page(home, **kwargs):
    n = next(_counter)
    kwargs.setdefault("title", f"Pagina {n}")
    return publish(home, StandardPage(**kwargs))


def contact_page(home, **kwargs):
    kwargs.setdefault("title", "Scrivici")
    kwargs.setdefault("to_address", "redazione@example.org")
    kwargs.setdefault("from_address", "pace@example.org")
    kwargs.setdefault("subject", "Messaggio dal sito")
    page = ContactPage(**kwargs)
    page.form_fields = [
        ContactFormField(label="Nome", field_type="singleline", required=True),
        ContactFormField(label="E-mail", field_type="email", required=True),
        ContactFormField(label="Messaggio", field_type="multiline", required=True),
    ]
    return publish(home, page)

"""Content pages: the home page and the programme's editorial pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    hero_title = models.CharField(
        _("titolo di apertura"), max_length=160, default="Cremona, città della pace"
    )
    hero_text = models.TextField(
        _("testo di apertura"),
        blank=True,
        default=(
            "Il programma del Comune per la pace, i diritti umani, il dialogo interreligioso "
            "e le relazioni internazionali: eventi, proposte dei cittadini, scuole e gemellaggi."
        ),
    )
    intro = RichTextField(_("introduzione"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("intro"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("hero_text"),
        index.SearchField("intro"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("pagina iniziale")
        verbose_name_plural = _("pagine iniziali")


class StandardPage(Page):
    """Privacy notice, accessibility statement, contacts and other plain pages."""

    intro = models.TextField(_("sommario"), blank=True, max_length=400)
    body = RichTextField(_("testo"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("pagina semplice")
        verbose_name_plural = _("pagine semplici")

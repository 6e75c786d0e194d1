"""Venues and event types: the snippets events point at (re-exported by eventi.models).

They import nothing else of the app, so the filter form can list them without importing
the page models (whose routes render listings that use that form).
"""

from urllib.parse import urlencode

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index

from portal.taxonomy.models import EnglishNamed


class Venue(index.Indexed, models.Model):
    name = models.CharField(_("nome"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    address = models.CharField(_("indirizzo"), max_length=200, blank=True)
    postcode = models.CharField(_("CAP"), max_length=10, blank=True)
    city = models.CharField(_("comune"), max_length=80, default="Cremona")
    latitude = models.DecimalField(
        _("latitudine"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitudine"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    access_notes = models.TextField(
        _("indicazioni per l'accesso"),
        blank=True,
        help_text=_("Ingressi, barriere architettoniche, parcheggi, mezzi pubblici."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("access_notes"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.SearchField("address"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("luogo")
        verbose_name_plural = _("luoghi")

    def __str__(self):
        return self.name

    @property
    def full_address(self) -> str:
        town = " ".join(part for part in [self.postcode, self.city] if part)
        return ", ".join(part for part in [self.address, town] if part)

    @property
    def location_text(self) -> str:
        return ", ".join(part for part in [self.name, self.full_address] if part)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def map_url(self) -> str:
        if self.has_coordinates:
            lat, lon = self.latitude, self.longitude
            return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"
        return "https://www.openstreetmap.org/search?" + urlencode({"query": self.location_text})


class EventType(EnglishNamed, models.Model):
    name = models.CharField(_("nome"), max_length=80, unique=True)
    name_en = models.CharField(
        _("nome in inglese"),
        max_length=80,
        blank=True,
        help_text=_("Mostrato sul sito in inglese; se vuoto si usa il nome italiano."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("ordine"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("tipo di evento")
        verbose_name_plural = _("tipi di evento")

    def __str__(self):
        return self.label

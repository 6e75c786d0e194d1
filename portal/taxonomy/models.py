"""The programme's topics: one taxonomy shared by pages, events, proposals and associations."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class TopicQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class EnglishNamed:
    """A vocabulary entry with an Italian `name` and an optional `name_en`, shown in the
    active language (topics, event types)."""

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language (Italian when no translation is given)."""
        if (get_language() or "it").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Topic(EnglishNamed, index.Indexed, models.Model):
    name = models.CharField(_("nome"), max_length=80, unique=True)
    name_en = models.CharField(_("nome in inglese"), max_length=80, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("descrizione"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("ordine"), default=0)
    is_active = models.BooleanField(
        _("attivo"), default=True, help_text=_("Gli argomenti non attivi non si propongono più.")
    )

    objects = TopicQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
        FieldPanel("is_active"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.SearchField("name_en"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("argomento")
        verbose_name_plural = _("argomenti")

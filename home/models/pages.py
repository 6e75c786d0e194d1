"""Content pages: the home page and the programme's editorial pages."""

import datetime

from django import forms
from django.conf import settings
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page, Site
from wagtail.search import index

from home.chrome import public
from home.feeds import NewsAtomFeed, NewsRssFeed
from home.forms import SchoolBookingForm, with_honeypot
from home.listings import proposals_in_evidence, upcoming_events
from home.notifications import send_booking_receipt, send_booking_request
from portal.core import ratelimit
from portal.core.blocks import BaseStreamBlock
from portal.core.models import PortalSettings
from portal.core.pages import RouteSafeSlugMixin, RouteSafeSlugPageForm
from portal.core.pagination import paginate
from portal.taxonomy.models import Topic

NEWS_PER_PAGE = 10


def with_image_renditions(queryset, field="image"):
    """Join each page's image and prefetch its renditions: one extra query for the listing."""
    return queryset.select_related(field).prefetch_related(f"{field}__renditions")


def image_field(verbose_name=None):
    return models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=verbose_name or _("immagine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


def latest_news(request, locale_id, limit=3, topic_id=None):
    """The latest live public news of one language tree, optionally of one topic."""
    news = public(NewsPage.objects.live().filter(locale_id=locale_id))
    if topic_id is not None:
        news = news.filter(topics=topic_id)
    news = news.defer_streamfields().select_related("image").order_by("-date", "-pk")
    return list(news[:limit])


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
    hero_image = image_field(_("immagine di apertura"))
    hero_link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("pagina del pulsante"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_link_text = models.CharField(
        _("testo del pulsante"), max_length=60, blank=True, default="Scopri il programma"
    )
    featured_news = models.ForeignKey(
        "home.NewsPage",
        verbose_name=_("notizia in primo piano"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Se vuoto, si mostrano le notizie più recenti."),
    )
    participation_title = models.CharField(
        _("titolo dell'invito a partecipare"),
        max_length=120,
        blank=True,
        default="Partecipa anche tu",
    )
    participation_text = models.TextField(
        _("testo dell'invito a partecipare"),
        blank=True,
        default=(
            "Registrati per proporre un'iniziativa, sostenere le proposte degli altri "
            "cittadini e ricevere gli aggiornamenti sugli appuntamenti che ti interessano."
        ),
    )
    participation_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("pagina dell'invito a partecipare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Se vuoto, il pulsante porta alla registrazione."),
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("contenuti aggiuntivi"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldRowPanel([FieldPanel("hero_link_page"), FieldPanel("hero_link_text")]),
            ],
            heading=_("Apertura"),
        ),
        FieldPanel("intro"),
        FieldPanel("featured_news"),
        MultiFieldPanel(
            [
                FieldPanel("participation_title"),
                FieldPanel("participation_text"),
                FieldPanel("participation_page"),
            ],
            heading=_("Invito a partecipare"),
        ),
        FieldPanel("body"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("hero_text"),
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("pagina iniziale")
        verbose_name_plural = _("pagine iniziali")

    def route(self, request, path_components):
        """Route in this language's tree; fall back to the Italian tree for untranslated pages.

        `/en/eventi/` then serves the Italian events index (English interface, Italian
        content) instead of a 404 when the English tree has no copy of that section.
        Both attempts are Wagtail's own routing (`Page.route`).
        """
        try:
            return super().route(request, path_components)
        except Http404:
            fallback = self._default_locale_home() if path_components else None
            if fallback is None:
                raise
            return super(HomePage, fallback).route(request, path_components)

    def _default_locale_home(self):
        default = Locale.get_default()
        if self.locale_id == default.pk:
            return None
        return HomePage.objects.filter(translation_key=self.translation_key, locale=default).first()

    def get_topic_pages(self, request=None):
        pages = public(TopicPage.objects.live().descendant_of(self))
        return list(pages.defer_streamfields().select_related("image").order_by("path"))

    def get_news(self, request=None, limit=3):
        """The featured news first (if live and public), then the latest: one query."""
        news = public(NewsPage.objects.live().filter(locale_id=self.locale_id))
        featured_first = models.Case(
            models.When(pk=self.featured_news_id or 0, then=0),
            default=1,
            output_field=models.IntegerField(),
        )
        news = news.defer_streamfields().select_related("image")
        return list(news.order_by(featured_first, "-date", "-pk")[:limit])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topic_pages"] = self.get_topic_pages(request)
        context["upcoming_events"] = upcoming_events(limit=3)
        context["proposals"] = proposals_in_evidence(limit=3)
        context["news"] = self.get_news(request)
        # every image of the page gets its renditions in a single query
        images = [item.image for item in context["topic_pages"] + context["news"] if item.image]
        if self.hero_image is not None:
            images.append(self.hero_image)
        models.prefetch_related_objects(images, "renditions")
        return context


class StandardPage(Page):
    """Privacy notice, accessibility statement, contacts and other plain pages."""

    intro = models.TextField(_("sommario"), blank=True, max_length=400)
    body = RichTextField(_("testo"), blank=True)
    content = StreamField(BaseStreamBlock(), verbose_name=_("blocchi di contenuto"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("content"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("content"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage", "home.ContactPage"]

    class Meta:
        verbose_name = _("pagina semplice")
        verbose_name_plural = _("pagine semplici")


# --- Topics ---------------------------------------------------------------------------


class TopicIndexPage(Page):
    intro = models.TextField(_("introduzione"), blank=True, max_length=600)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.TopicPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("indice degli argomenti")
        verbose_name_plural = _("indici degli argomenti")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        pages = public(TopicPage.objects.live().child_of(self))
        context["topic_pages"] = list(with_image_renditions(pages.defer_streamfields()))
        return context


class TopicPage(Page):
    """'Argomento': one of the programme's themes, with what happens around it."""

    topic = models.ForeignKey(
        "taxonomy.Topic",
        verbose_name=_("argomento"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Gli eventi, le proposte e le notizie di questo argomento si elencano da soli."
        ),
    )
    intro = models.TextField(_("introduzione"), max_length=600)
    image = image_field()
    body = StreamField(BaseStreamBlock(), verbose_name=_("contenuto"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("topic"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("topic_id"),
    ]

    parent_page_types = ["home.TopicIndexPage"]
    # "Cremona internazionale" holds the twin cities, "educazione alla pace" the schools.
    subpage_types = ["home.TwinCityIndexPage", "home.SchoolProgrammeIndexPage"]

    class Meta:
        verbose_name = _("argomento")
        verbose_name_plural = _("argomenti")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # the topic's id is enough to filter: no query for the Topic itself
        context["upcoming_events"] = upcoming_events(limit=3, topic=self.topic_id)
        # what the "Segui" button follows, and whose slug filters the subscribe box's feed
        context["followed_topic"] = Topic.objects.only("pk", "slug").get(pk=self.topic_id)
        context["proposals"] = proposals_in_evidence(limit=3, topic=self.topic_id)
        context["news"] = latest_news(request, self.locale_id, limit=3, topic_id=self.topic_id)
        # the page's own image shares the news images' renditions query
        images = [item.image for item in context["news"] if item.image]
        if self.image is not None:
            images.append(self.image)
        models.prefetch_related_objects(images, "renditions")
        return context


# --- News ------------------------------------------------------------------------------


class NewsIndexPage(RoutablePageMixin, Page):
    intro = models.TextField(_("introduzione"), blank=True, max_length=600)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.NewsPage"]

    class Meta:
        verbose_name = _("indice delle notizie")
        verbose_name_plural = _("indici delle notizie")

    def get_news(self, request=None):
        news = public(NewsPage.objects.live().child_of(self)).defer_streamfields()
        return with_image_renditions(news.order_by("-date", "-pk"))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news_page = paginate(request, self.get_news(request), NEWS_PER_PAGE)
        context["news_page"] = news_page
        context["news"] = list(news_page.object_list)
        return context

    @path("feed/rss/", name="rss")
    def rss_feed(self, request):

        return NewsRssFeed(self)(request)

    @path("feed/atom/", name="atom")
    def atom_feed(self, request):

        return NewsAtomFeed(self)(request)


class NewsPage(RouteSafeSlugMixin, Page):
    base_form_class = RouteSafeSlugPageForm

    date = models.DateField(_("data"), default=datetime.date.today)
    intro = models.TextField(_("sommario"), max_length=400)
    image = image_field()
    topics = ParentalManyToManyField(
        "taxonomy.Topic", verbose_name=_("argomenti"), blank=True, related_name="news_pages"
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("testo"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    parent_page_types = ["home.NewsIndexPage"]
    subpage_types: list = []

    class Meta:
        verbose_name = _("notizia")
        verbose_name_plural = _("notizie")


# --- Twin cities -----------------------------------------------------------------------


class TwinCityIndexPage(Page):
    intro = models.TextField(_("introduzione"), blank=True, max_length=800)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage", "home.TopicPage"]
    subpage_types = ["home.TwinCityPage"]

    class Meta:
        verbose_name = _("indice dei gemellaggi")
        verbose_name_plural = _("indici dei gemellaggi")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        cities = public(TwinCityPage.objects.live().child_of(self)).defer_streamfields()
        context["cities"] = list(with_image_renditions(cities.order_by("country", "city")))
        return context


class TwinCityPage(Page):
    class Relation(models.TextChoices):
        TWINNING = "twinning", _("gemellaggio")
        PARTNERSHIP = "partnership", _("partenariato")
        FRIENDSHIP = "friendship", _("patto di amicizia")

    city = models.CharField(_("città"), max_length=120)
    country = models.CharField(_("paese"), max_length=120)
    relation = models.CharField(
        _("tipo di legame"), max_length=12, choices=Relation.choices, default=Relation.TWINNING
    )
    year = models.PositiveSmallIntegerField(_("anno dell'accordo"), null=True, blank=True)
    agreement_document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("testo dell'accordo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    latitude = models.DecimalField(
        _("latitudine"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitudine"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    intro = models.TextField(_("sommario"), max_length=600)
    image = image_field()
    body = StreamField(BaseStreamBlock(), verbose_name=_("scambi e progetti"), blank=True)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
        FieldRowPanel([FieldPanel("relation"), FieldPanel("year")]),
        FieldPanel("agreement_document"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")], heading=_("Coordinate")),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("city", boost=2),
        index.SearchField("country"),
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.TwinCityIndexPage"]
    subpage_types: list = []

    class Meta:
        verbose_name = _("gemellaggio")
        verbose_name_plural = _("gemellaggi")

    @property
    def map_url(self):
        if self.latitude is None or self.longitude is None:
            return ""
        lat, lon = self.latitude, self.longitude
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=11/{lat}/{lon}"


# --- Schools ---------------------------------------------------------------------------


class SchoolProgrammeIndexPage(Page):
    intro = models.TextField(_("introduzione"), blank=True, max_length=800)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage", "home.TopicPage"]
    subpage_types = ["home.SchoolProgrammePage"]

    class Meta:
        verbose_name = _("indice dei percorsi per le scuole")
        verbose_name_plural = _("indici dei percorsi per le scuole")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        programmes = public(SchoolProgrammePage.objects.live().child_of(self))
        context["programmes"] = list(
            with_image_renditions(programmes.defer_streamfields().order_by("path"))
        )
        return context


class SchoolProgrammePage(Page):
    class SchoolLevel(models.TextChoices):
        PRESCHOOL = "infanzia", _("scuola dell'infanzia")
        PRIMARY = "primaria", _("scuola primaria")
        LOWER_SECONDARY = "secondaria-1", _("scuola secondaria di primo grado")
        UPPER_SECONDARY = "secondaria-2", _("scuola secondaria di secondo grado")
        ALL = "tutte", _("tutti gli ordini di scuola")

    school_level = models.CharField(
        _("ordine di scuola"), max_length=16, choices=SchoolLevel.choices
    )
    duration = models.CharField(
        _("durata"), max_length=120, help_text=_("Per esempio: 3 incontri da 2 ore.")
    )
    intro = models.TextField(_("sommario"), max_length=600)
    image = image_field()
    contents = StreamField(BaseStreamBlock(), verbose_name=_("contenuti"), blank=True)
    how_to_book = RichTextField(_("come prenotare"), blank=True)
    booking_open = models.BooleanField(_("prenotazioni aperte"), default=True)
    booking_email = models.CharField(
        _("e-mail che ricevono le richieste"),
        max_length=255,
        blank=True,
        help_text=_("Indirizzi separati da virgola. Se vuoto, si usa l'e-mail del portale."),
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("school_level"), FieldPanel("duration")]),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("contents"),
        MultiFieldPanel(
            [FieldPanel("how_to_book"), FieldPanel("booking_open"), FieldPanel("booking_email")],
            heading=_("Prenotazioni"),
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("contents"),
        index.FilterField("school_level"),
    ]

    parent_page_types = ["home.SchoolProgrammeIndexPage"]
    subpage_types: list = []

    class Meta:
        verbose_name = _("percorso per le scuole")
        verbose_name_plural = _("percorsi per le scuole")

    def booking_recipients(self, request=None):
        if self.booking_email:
            return [a.strip() for a in self.booking_email.split(",") if a.strip()]

        site = self.get_site() or Site.objects.filter(is_default_site=True).first()
        portal = PortalSettings.for_site(site) if site else None
        return [portal.email] if portal and portal.email else []

    def serve(self, request, *args, **kwargs):

        form = None
        if request.method == "POST" and self.booking_open:
            form = SchoolBookingForm(request.POST)
            if form.is_valid():
                booking = form.save(commit=False)
                booking.programme = self
                booking.save()
                send_booking_request(booking, self.booking_recipients(request))
                send_booking_receipt(booking)
                return HttpResponseRedirect(self.get_url(request) + "?grazie=prenotazione#conferma")
        context = self.get_context(request, *args, **kwargs)
        context["booking_form"] = form or SchoolBookingForm()
        return render(request, self.get_template(request, *args, **kwargs), context)


# --- Contact form ------------------------------------------------------------------------


class ContactFormField(AbstractFormField):
    page = ParentalKey("home.ContactPage", on_delete=models.CASCADE, related_name="form_fields")


class ContactPage(AbstractEmailForm):
    intro = RichTextField(_("introduzione"), blank=True)
    thank_you_text = RichTextField(_("messaggio di ringraziamento"), blank=True)

    content_panels = AbstractEmailForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("campi del modulo")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("E-mail"),
        ),
    ]

    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types: list = []

    class Meta:
        verbose_name = _("modulo di contatto")
        verbose_name_plural = _("moduli di contatto")

    def get_form_class(self):
        """Wagtail's form builder's form, with a honeypot field (hidden by CSS, filled by bots)."""
        return with_honeypot(super().get_form_class())

    def serve(self, request, *args, **kwargs):
        """Wagtail's form page, with a per-address rate limit on what is sent (like comments)."""
        if request.method == "POST" and not ratelimit.allow(
            f"contact-page:{self.pk}",
            ratelimit.client_ip(request),
            getattr(settings, "PORTAL_FORM_RATE_LIMIT", "5/h"),
        ):
            context = self.get_context(request)
            context["form"] = self.get_form(request.POST, page=self, user=request.user)
            context["rate_limited"] = True
            return render(request, self.get_template(request), context, status=429)
        return super().serve(request, *args, **kwargs)

    def get_submissions_list_view_class(self):
        """Wagtail's submissions listing, with a CSV export that cannot carry formulas."""
        # Wagtail's admin views import the page models: they cannot load with them.
        from home.exports import ContactSubmissionsListView  # noqa: PLC0415

        return ContactSubmissionsListView

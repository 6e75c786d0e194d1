"""Site-wide settings that editors manage from the Wagtail admin."""

from django.db import models
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site

from portal.core import cache


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    organisation_name = models.CharField(_("ente"), max_length=120, default="Comune di Cremona")
    programme_name = models.CharField(_("programma"), max_length=120, default="Città della Pace")
    tagline = models.CharField(
        _("sottotitolo"),
        max_length=200,
        default="Pace, diritti umani, dialogo interreligioso e relazioni internazionali",
    )
    address = models.CharField(
        _("indirizzo"), max_length=200, default="Piazza del Comune 8, 26100 Cremona"
    )
    phone = models.CharField(_("telefono"), max_length=40, blank=True, default="+39 0372 4071")
    email = models.EmailField(_("e-mail"), blank=True, default="pace@comune.cremona.it")
    pec = models.EmailField(_("PEC"), blank=True, default="protocollo@comunedicremona.legalmail.it")
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("informativa privacy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("dichiarazione di accessibilità"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contacts_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("pagina contatti"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    legal_notes_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("note legali"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Mostra anche la licenza dei contenuti (CC BY 4.0) prevista dal modello Comuni."
        ),
    )
    faq_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("domande frequenti"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    report_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("segnala disservizio"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_form_url = models.URLField(
        _("dichiarazione di accessibilità su AGID"),
        blank=True,
        default="https://form.agid.gov.it/",
        help_text=_(
            "L'indirizzo della dichiarazione pubblicata con il modulo di AGID "
            "(https://form.agid.gov.it/…): il piè di pagina vi rimanda, come chiede il modello "
            "Comuni. Vuoto: il piè di pagina rimanda alla pagina della dichiarazione."
        ),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("stemma o logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Nell'intestazione e come icona del sito (quadrato, almeno 64 px). "
            "Vuoto: lo stemma predefinito del portale."
        ),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("programme_name"),
                FieldPanel("tagline"),
                FieldPanel("logo"),
            ],
            heading=_("Intestazione"),
        ),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("phone"), FieldPanel("email"), FieldPanel("pec")],
            heading=_("Contatti"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("privacy_page"),
                FieldPanel("accessibility_page"),
                FieldPanel("contacts_page"),
                FieldPanel("legal_notes_page"),
                FieldPanel("faq_page"),
                FieldPanel("report_page"),
                FieldPanel("accessibility_form_url"),
            ],
            heading=_("Pagine del piè di pagina"),
        ),
    ]

    # The footer links to these pages: load them with the settings (one query, not seven).
    select_related = [
        "privacy_page",
        "accessibility_page",
        "contacts_page",
        "legal_notes_page",
        "faq_page",
        "report_page",
        "logo",
    ]

    class Meta:
        verbose_name = _("impostazioni del portale")

    @property
    def logo_url(self) -> str:
        """The crest's address: the uploaded image's original file, or our default SVG.

        The original file, not a rendition: no query on every page.
        """
        if self.logo_id and self.logo is not None:
            return self.logo.file.url
        return static("img/stemma.svg")

    @classmethod
    def for_request(cls, request):
        """The settings of the request's site, from the generation-keyed cache.

        Every page's layout reads them; saving them (or any content) bumps the generation.
        """

        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name):
            return getattr(request, attr_name)
        site = Site.find_for_request(request)
        if site is None:
            raise cls.DoesNotExist(f"{cls} does not exist for site None.")
        instance = cache.cached(("portal-settings", site.pk), lambda: cls.for_site(site))
        instance._request = request  # lets pageurl build relative URLs
        setattr(request, attr_name, instance)
        return instance

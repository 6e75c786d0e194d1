"""Demo content pages: the home page and the standard pages every municipal site has."""

from wagtail.models import Page, Site

from home.models import HomePage, StandardPage
from portal.core.demo import DemoContext
from portal.core.models import PortalSettings

STANDARD_PAGES = [
    (
        "privacy",
        "Informativa sul trattamento dei dati personali",
        "Come il Comune di Cremona tratta i dati di chi partecipa al programma Città della Pace.",
        "<p>Titolare del trattamento è il Comune di Cremona, Piazza del Comune 8. I dati forniti "
        "con la registrazione (nome, indirizzo e-mail) servono solo a gestire la partecipazione "
        "alle iniziative del programma e non sono ceduti a terzi.</p>"
        "<p>Il portale usa solo cookie tecnici necessari. I contenuti di terze parti (video) si "
        "caricano soltanto dopo il tuo consenso.</p>"
        "<p>Puoi scaricare i tuoi dati o cancellare il tuo account in qualsiasi momento dalla "
        "pagina del tuo profilo.</p>",
    ),
    (
        "accessibilita",
        "Dichiarazione di accessibilità",
        "Il Comune di Cremona si impegna a rendere il portale accessibile secondo la Legge 4/2004.",
        "<p>Il portale Città della Pace è progettato per essere conforme ai requisiti WCAG 2.1 "
        "livello AA e usa il sistema di design Bootstrap Italia.</p>"
        "<p>Per segnalare un problema di accessibilità scrivi a pace@comune.cremona.it: "
        "risponderemo entro 30 giorni.</p>",
    ),
    (
        "contatti",
        "Contatti",
        "Ufficio Pace e Diritti Umani del Comune di Cremona.",
        "<p>Ufficio Pace e Diritti Umani, Piazza del Comune 8, 26100 Cremona.</p>"
        "<p>Aperto al pubblico dal lunedì al venerdì, 9:00-12:30.</p>",
    ),
]


def home_page() -> HomePage:
    return HomePage.objects.filter(depth=2).first()


def load(ctx: DemoContext) -> None:
    home = home_page()
    if home is None:  # the data migration was reverted: rebuild the root of the site
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Città della Pace", slug="home"))
        Site.objects.update_or_create(
            is_default_site=True, defaults={"root_page": home, "hostname": "localhost"}
        )
    if not home.intro:
        home.intro = (
            "<p>Cremona costruisce la pace ogni giorno: con le scuole, le comunità di fede, "
            "le associazioni e le città gemelle. Qui trovi gli appuntamenti, le proposte dei "
            "cittadini e i percorsi per partecipare.</p>"
        )
        home.save_revision().publish()
    ctx.pages["home"] = home

    for slug, title, intro, body in STANDARD_PAGES:
        page = StandardPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            page = home.add_child(
                instance=StandardPage(title=title, slug=slug, intro=intro, body=body)
            )
            page.save_revision().publish()
            ctx.count("pages")
        ctx.pages[slug] = page

    site = Site.objects.get(is_default_site=True)
    portal = PortalSettings.for_site(site)
    portal.privacy_page = ctx.pages["privacy"]
    portal.accessibility_page = ctx.pages["accessibilita"]
    portal.contacts_page = ctx.pages["contatti"]
    portal.save()

"""Demo content pages: home, topics, news, twin cities, schools, standard pages, English.

Idempotent: every page is looked up by its slug under its parent before being created.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from home import demo_documents as documents
from home.models import (
    ContactFormField,
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
from portal.core import demo_images
from portal.core.demo import DemoContext
from portal.core.models import PortalSettings
from portal.taxonomy.models import Topic

STANDARD_PAGES = [
    (
        "privacy",
        "Informativa sul trattamento dei dati personali",
        "Come il Comune di Cremona tratta i dati di chi usa il portale Città della Pace "
        "(artt. 13 e 14 del Regolamento UE 2016/679).",
        documents.PRIVACY_BODY,
    ),
    (
        "accessibilita",
        "Dichiarazione di accessibilità",
        "Il Comune di Cremona si impegna a rendere il portale accessibile secondo la Legge 4/2004.",
        documents.ACCESSIBILITY_BODY,
    ),
    (
        "contatti",
        "Contatti",
        "Ufficio Pace e Diritti Umani del Comune di Cremona.",
        "<p>Ufficio Pace e Diritti Umani, Piazza del Comune 8, 26100 Cremona.</p>"
        "<p>Aperto al pubblico dal lunedì al venerdì, 9:00-12:30.</p>",
    ),
    (
        "note-legali",
        "Note legali",
        "Chi pubblica il portale e con quale licenza si riusano i suoi contenuti.",
        documents.LEGAL_NOTES_BODY,
    ),
    (
        "domande-frequenti",
        "Domande frequenti (FAQ)",
        "Le risposte alle domande più comuni su partecipazione, eventi e account.",
        "",
    ),
]


TOPIC_PAGES = [
    (
        "pace",
        "Pace",
        "Peace",
        "La pace non è solo assenza di guerra: è una cultura che si costruisce ogni giorno, "
        "nelle scuole, nei quartieri e nelle relazioni tra le persone.",
        "Peace is more than the absence of war: it is a culture built every day in schools, "
        "neighbourhoods and relationships.",
        [
            ("heading", {"text": "Una città che sceglie la pace", "level": "h2"}),
            (
                "paragraph",
                "<p>Dal 1986 il Comune di Cremona aderisce al Coordinamento nazionale degli Enti "
                "Locali per la Pace e i Diritti Umani e partecipa alla Marcia Perugia-Assisi. "
                "Ogni anno il programma Città della Pace riunisce associazioni, scuole e "
                "comunità di fede in un calendario comune di incontri, mostre e laboratori.</p>",
            ),
            (
                "quote",
                {
                    "quote": "La pace è il frutto dell'ordine impresso nella società umana.",
                    "attribution": "Costituzione pastorale Gaudium et Spes",
                },
            ),
            (
                "accordion",
                {
                    "title": "Domande frequenti",
                    "items": [
                        {
                            "question": "Come posso proporre un'iniziativa?",
                            "answer": "<p>Registrati al portale e compila una proposta nella "
                            "sezione Partecipa: la redazione la valuta entro trenta giorni.</p>",
                        },
                        {
                            "question": "Le iniziative sono gratuite?",
                            "answer": "<p>Quasi tutte sì. Il costo, se previsto, è indicato "
                            "nella scheda di ogni evento.</p>",
                        },
                    ],
                },
            ),
        ],
    ),
    (
        "diritti-umani",
        "Diritti umani",
        "Human rights",
        "La Dichiarazione universale dei diritti umani compie ogni anno il 10 dicembre: "
        "Cremona la ricorda con le scuole e con chi difende i diritti nel mondo.",
        "Cremona celebrates the Universal Declaration of Human Rights every 10 December "
        "with its schools and human rights defenders.",
        [
            ("heading", {"text": "Diritti di tutti, ogni giorno", "level": "h2"}),
            (
                "paragraph",
                "<p>Il Comune sostiene percorsi di formazione sui diritti dei minori, sul "
                "contrasto alle discriminazioni e sull'accoglienza di chi fugge da guerre e "
                "persecuzioni, in collaborazione con lo Sportello stranieri e le associazioni "
                "del territorio.</p>",
            ),
        ],
    ),
    (
        "dialogo-interreligioso",
        "Dialogo interreligioso",
        "Interfaith dialogue",
        "A Cremona vivono comunità cristiane, musulmane, sikh, ebraiche e buddhiste: il "
        "Tavolo delle fedi le fa incontrare per conoscersi e lavorare insieme.",
        "Christian, Muslim, Sikh, Jewish and Buddhist communities live in Cremona: the "
        "Interfaith Table brings them together.",
        [
            ("heading", {"text": "Il Tavolo delle fedi", "level": "h2"}),
            (
                "paragraph",
                "<p>Il Tavolo riunisce i rappresentanti delle comunità religiose presenti in "
                "città. Organizza la preghiera comune per la pace di inizio anno, le visite "
                "guidate ai luoghi di culto e gli incontri nelle scuole.</p>",
            ),
        ],
    ),
    (
        "intercultura",
        "Intercultura",
        "Intercultural dialogue",
        "Oltre il quindici per cento dei cremonesi ha origini straniere: l'intercultura è "
        "la vita di tutti i giorni nei quartieri, nelle scuole e nei luoghi di lavoro.",
        "Over fifteen per cent of Cremona's residents have roots abroad: intercultural life "
        "is everyday life.",
        [
            (
                "paragraph",
                "<p>Feste dei quartieri, corsi di italiano per adulti, biblioteche "
                "multilingue e laboratori di cucina: il programma sostiene le iniziative che "
                "fanno incontrare persone di culture diverse.</p>",
            ),
        ],
    ),
    (
        "cremona-internazionale",
        "Cremona internazionale e gemellaggi",
        "International Cremona and twin towns",
        "Gemellaggi, partenariati e progetti di cooperazione legano Cremona a città "
        "d'Europa e del mondo.",
        "Twinnings, partnerships and cooperation projects link Cremona with cities in Europe "
        "and around the world.",
        [
            (
                "paragraph",
                "<p>Gli scambi tra scuole, cori, società sportive e associazioni sono il cuore "
                "dei gemellaggi. Nella sezione Gemellaggi trovi le città legate a Cremona e i "
                "progetti in corso.</p>",
            ),
        ],
    ),
    (
        "educazione-alla-pace",
        "Educazione alla pace nelle scuole",
        "Peace education in schools",
        "Percorsi gratuiti per le scuole di ogni ordine e grado su pace, diritti, gestione "
        "dei conflitti e cittadinanza globale.",
        "Free programmes for schools on peace, rights, conflict resolution and global citizenship.",
        [
            (
                "paragraph",
                "<p>Ogni anno scolastico il Comune propone alle scuole cremonesi percorsi "
                "condotti da educatori ed esperti delle associazioni. Le classi si prenotano "
                "direttamente dalla pagina di ciascun percorso.</p>",
            ),
        ],
    ),
]

# (slug, title, intro, published how many days before the demo is loaded, topics)
NEWS = [
    (
        "marcia-perugia-assisi-2026",
        "Cremona alla Marcia Perugia-Assisi",
        "Una delegazione di studenti, associazioni e amministratori ha camminato da Perugia "
        "ad Assisi con il gonfalone della città.",
        52,
        ["pace"],
    ),
    (
        "giornata-diritti-umani",
        "10 dicembre: la Giornata dei diritti umani in Sala Quadri",
        "Letture, testimonianze e musica con le scuole superiori per ricordare la "
        "Dichiarazione universale.",
        6,
        ["diritti-umani"],
    ),
    (
        "preghiera-per-la-pace",
        "Le comunità di fede pregano insieme per la pace",
        "Il Tavolo delle fedi invita la cittadinanza all'incontro di inizio anno nel "
        "cortile di Palazzo comunale.",
        2,
        ["dialogo-interreligioso", "pace"],
    ),
    (
        "bando-scuole-2027",
        "Aperte le prenotazioni dei percorsi per le scuole",
        "Dodici percorsi gratuiti di educazione alla pace e ai diritti umani per l'anno "
        "scolastico in corso.",
        74,
        ["educazione-alla-pace"],
    ),
    (
        "scambio-alaquas",
        "Studenti di Alaquàs ospiti a Cremona",
        "Venti ragazzi della città gemella spagnola hanno visitato le botteghe liutarie e "
        "il Museo del Violino.",
        202,
        ["cremona-internazionale", "intercultura"],
    ),
]

TWIN_CITIES = [
    (
        "alaquas",
        "Alaquàs",
        "Spagna",
        "twinning",
        "39.457000",
        "-0.461000",
        "Cittadina della Comunità Valenciana, gemellata con Cremona: scambi tra scuole, "
        "associazioni e gruppi musicali.",
        "<p>Il gemellaggio vive soprattutto degli scambi tra studenti e tra le associazioni "
        "culturali delle due città, con visite reciproche quasi ogni anno.</p>",
    ),
    (
        "zhengzhou",
        "Zhengzhou",
        "Cina",
        "partnership",
        "34.746600",
        "113.625300",
        "Capoluogo della provincia dello Henan, legato a Cremona da rapporti di "
        "collaborazione culturale ed economica.",
        "<p>I rapporti riguardano in particolare la cultura musicale e la liuteria. "
        "Il testo dell'accordo, quando disponibile, è pubblicato in questa pagina.</p>",
    ),
]

SCHOOL_PROGRAMMES = [
    (
        "costruttori-di-pace",
        "Costruttori di pace",
        "primaria",
        "3 incontri da 2 ore",
        "Giochi cooperativi, ascolto e gestione dei litigi per imparare a stare bene "
        "insieme in classe.",
    ),
    (
        "diritti-in-gioco",
        "Diritti in gioco",
        "secondaria-1",
        "4 incontri da 2 ore",
        "La Convenzione sui diritti dell'infanzia raccontata attraverso storie, giochi di "
        "ruolo e un lavoro finale della classe.",
    ),
    (
        "cittadini-del-mondo",
        "Cittadini del mondo",
        "secondaria-2",
        "2 incontri da 2 ore e un'uscita",
        "Migrazioni, conflitti e cooperazione internazionale con testimoni e operatori "
        "delle organizzazioni non governative.",
    ),
]

EXTRA_STANDARD_PAGES = [
    (
        "coordinamento-enti-locali-pace",
        "Coordinamento degli Enti Locali per la Pace",
        "Cremona fa parte della rete nazionale dei Comuni, delle Province e delle Regioni "
        "impegnati per la pace e i diritti umani.",
        "<p>Il Coordinamento nazionale degli Enti Locali per la Pace e i Diritti Umani "
        "riunisce centinaia di amministrazioni italiane. Promuove la Marcia Perugia-Assisi, "
        "i percorsi di educazione alla pace nelle scuole e le campagne per il disarmo e la "
        "cooperazione internazionale.</p>"
        "<p>Il Comune di Cremona partecipa alle assemblee del Coordinamento e ne diffonde "
        "le iniziative sul territorio.</p>",
    ),
    (
        "interventi-cultura-della-pace",
        "Interventi per la promozione della cultura della pace e i diritti umani",
        "La linea di finanziamento con cui il Comune sostiene i progetti delle associazioni "
        "e delle scuole cremonesi.",
        "<p>Ogni anno il Comune destina un fondo ai progetti che promuovono la cultura della "
        "pace, i diritti umani, il dialogo interreligioso e l'intercultura. Possono "
        "partecipare le associazioni iscritte all'albo comunale e gli istituti scolastici.</p>"
        "<h3>Iniziative finanziate</h3>"
        "<ul>"
        "<li>«Parole che uniscono», laboratori di scrittura interculturale nelle biblioteche "
        "di quartiere</li>"
        "<li>«Il Tavolo delle fedi a scuola», incontri con i rappresentanti delle comunità "
        "religiose</li>"
        "<li>«Memoria e diritti», viaggio di studio degli studenti delle superiori</li>"
        "<li>«Note di pace», concerto dei cori cittadini con i gruppi delle città "
        "gemellate</li>"
        "</ul>",
    ),
]


# (page model, slug): (motif, palette, alt text) of the demo banners (portal.core.demo_images)
PAGE_IMAGES = {
    ("news", "marcia-perugia-assisi-2026"): (
        "festa",
        "ambra",
        "Illustrazione: festoni di bandierine, come quelle della marcia per la pace.",
    ),
    ("news", "giornata-diritti-umani"): (
        "torrazzo",
        "blu",
        "Illustrazione: il Torrazzo e la Cattedrale di Cremona su sfondo blu.",
    ),
    ("news", "preghiera-per-la-pace"): (
        "cerchio",
        "verde",
        "Illustrazione: figure attorno a un cerchio, simbolo della preghiera comune.",
    ),
    ("news", "bando-scuole-2027"): (
        "libri",
        "teal",
        "Illustrazione: libri aperti e matite per i percorsi delle scuole.",
    ),
    ("news", "scambio-alaquas"): (
        "mondo",
        "ardesia",
        "Illustrazione: un globo collegato da archi a una città lontana.",
    ),
    ("topic", "pace"): ("torrazzo", "blu", "Illustrazione: lo skyline di Cremona."),
    ("topic", "diritti-umani"): ("cerchio", "ardesia", "Illustrazione: figure in cerchio."),
    ("topic", "dialogo-interreligioso"): (
        "cerchio",
        "verde",
        "Illustrazione: dieci figure attorno a un cerchio.",
    ),
    ("topic", "intercultura"): ("festa", "ambra", "Illustrazione: festoni di bandierine."),
    ("topic", "cremona-internazionale"): ("mondo", "blu", "Illustrazione: un globo con archi."),
    ("topic", "educazione-alla-pace"): ("libri", "teal", "Illustrazione: libri aperti."),
    ("twin", "alaquas"): ("mondo", "teal", "Illustrazione: un globo tra Cremona e Alaquàs."),
    ("twin", "zhengzhou"): ("mondo", "verde", "Illustrazione: un globo tra Cremona e Zhengzhou."),
    ("school", "costruttori-di-pace"): ("libri", "verde", "Illustrazione: libri e matite."),
    ("school", "diritti-in-gioco"): ("libri", "blu", "Illustrazione: libri aperti."),
    ("school", "cittadini-del-mondo"): ("mondo", "teal", "Illustrazione: un globo con archi."),
}


def load_images(ctx: DemoContext) -> None:
    """Banners with alt text on news, topics, twin cities and school programmes that lack one."""
    models = {
        "news": NewsPage,
        "topic": TopicPage,
        "twin": TwinCityPage,
        "school": SchoolProgrammePage,
    }
    for (kind, slug), (motif, palette, alt) in PAGE_IMAGES.items():
        page = models[kind].objects.filter(slug=slug, locale=Locale.get_default()).first()
        if page is not None:
            demo_images.attach(ctx, page, "image", f"{page.title}", alt, motif, palette)


def stream(items):
    """StreamField raw data from (block type, value) pairs."""
    return [{"type": kind, "value": value} for kind, value in items]


def child(ctx, parent, model, slug, **fields):
    """The live child `slug` of `parent`, created and published if missing."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = parent.add_child(instance=model(slug=slug, **fields))
        page.save_revision().publish()
        ctx.count("pages")
    return page


def home_page() -> HomePage:
    """The Italian home page (the English one is its translation, also at depth 2)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    return HomePage.objects.filter(depth=2, locale=Locale.get_default()).first()


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
        elif slug in documents.PREVIOUS_BODIES and page.body.startswith(
            documents.PREVIOUS_BODIES[slug]
        ):
            page.intro, page.body = intro, body
            page.save_revision().publish()
        ctx.pages[slug] = page
    load_faq(ctx.pages["domande-frequenti"])
    ctx.pages["segnala-disservizio"] = load_report_form(ctx, home)

    load_sections(ctx, home)
    load_images(ctx)
    load_english(ctx, home)

    site = Site.objects.get(is_default_site=True)
    portal = PortalSettings.for_site(site)
    portal.privacy_page = ctx.pages["privacy"]
    portal.accessibility_page = ctx.pages["accessibilita"]
    portal.contacts_page = ctx.pages["contatti"]
    portal.legal_notes_page = ctx.pages["note-legali"]
    portal.faq_page = ctx.pages["domande-frequenti"]
    portal.report_page = ctx.pages["segnala-disservizio"]
    portal.save()
    match_site_to_site_url(site)


def match_site_to_site_url(site: Site) -> None:
    """The Site record answers at SITE_URL's host and port: canonical links, hreflang,
    og:url and the sitemap (Wagtail's `full_url`) then agree with robots.txt and the feeds."""
    url = urlsplit(settings.SITE_URL)
    hostname = url.hostname or "localhost"
    port = url.port or (443 if url.scheme == "https" else 80)
    if (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save()


def load_faq(page: StandardPage) -> None:
    """The FAQ page's questions, as one accordion block (added once)."""
    if any(block.block_type == "accordion" for block in page.content):
        return
    page.content = stream(
        [
            (
                "accordion",
                {
                    "title": "",
                    "items": [
                        {"question": question, "answer": answer}
                        for question, answer in documents.FAQ_ITEMS
                    ],
                },
            )
        ]
    )
    page.save_revision().publish()


def load_report_form(ctx: DemoContext, home: HomePage) -> ContactPage:
    """'Segnala disservizio': a form page whose messages are stored and e-mailed."""
    data = documents.REPORT_FORM
    page = ContactPage.objects.child_of(home).filter(slug=data["slug"]).first()
    if page is not None:
        return page
    page = ContactPage(**data)
    page.form_fields = [
        ContactFormField(label=label, field_type=kind, required=required, choices=choices)
        for label, kind, required, choices in documents.REPORT_FIELDS
    ]
    home.add_child(instance=page)
    page.save_revision().publish()
    ctx.count("pages")
    return page


def load_sections(ctx: DemoContext, home: HomePage) -> None:
    topics = child(
        ctx,
        home,
        TopicIndexPage,
        "argomenti",
        title="Argomenti",
        show_in_menus=True,
        intro="I sei temi del programma Città della Pace.",
    )
    ctx.pages["topics"] = topics
    for slug, title, _title_en, intro, _intro_en, body in TOPIC_PAGES:
        ctx.pages[f"topic-{slug}"] = child(
            ctx,
            topics,
            TopicPage,
            slug,
            title=title,
            topic=Topic.objects.get(slug=slug),
            intro=intro,
            body=stream(body),
        )

    news_index = child(
        ctx,
        home,
        NewsIndexPage,
        "notizie",
        title="Notizie",
        show_in_menus=True,
        intro="Le notizie del programma Città della Pace.",
    )
    ctx.pages["news"] = news_index
    for slug, title, intro, days_ago, topic_slugs in NEWS:
        if NewsPage.objects.child_of(news_index).filter(slug=slug).exists():
            continue
        page = NewsPage(
            slug=slug,
            title=title,
            intro=intro,
            date=timezone.localdate() - datetime.timedelta(days=days_ago),
            body=stream([("paragraph", f"<p>{intro}</p>")]),
        )
        page.topics.set(Topic.objects.filter(slug__in=topic_slugs))
        news_index.add_child(instance=page)
        page.save_revision().publish()
        ctx.count("pages")

    twins = child(
        ctx,
        home,
        TwinCityIndexPage,
        "gemellaggi",
        title="Gemellaggi",
        show_in_menus=True,
        intro="Le città legate a Cremona da gemellaggi e partenariati.",
    )
    for slug, city, country, relation, lat, lon, intro, body in TWIN_CITIES:
        child(
            ctx,
            twins,
            TwinCityPage,
            slug,
            title=f"{city} ({country})",
            city=city,
            country=country,
            relation=relation,
            latitude=lat,
            longitude=lon,
            intro=intro,
            body=stream([("paragraph", body)]),
        )

    schools = child(
        ctx,
        home,
        SchoolProgrammeIndexPage,
        "scuole",
        title="Percorsi per le scuole",
        show_in_menus=True,
        intro="Percorsi gratuiti di educazione alla pace e ai diritti umani.",
    )
    for slug, title, level, duration, intro in SCHOOL_PROGRAMMES:
        child(
            ctx,
            schools,
            SchoolProgrammePage,
            slug,
            title=title,
            school_level=level,
            duration=duration,
            intro=intro,
            contents=stream([("paragraph", f"<p>{intro}</p>")]),
            how_to_book="<p>Compila il modulo qui sotto: l'Ufficio Pace ti ricontatta per "
            "concordare le date. Le richieste si accolgono in ordine di arrivo.</p>",
        )

    for slug, title, intro, body in EXTRA_STANDARD_PAGES:
        ctx.pages[slug] = child(ctx, home, StandardPage, slug, title=title, intro=intro, body=body)

    contacts = StandardPage.objects.child_of(home).filter(slug="contatti").first()
    if contacts is not None and not ContactPage.objects.child_of(contacts).exists():
        form = ContactPage(
            slug="scrivici",
            title="Scrivi all'Ufficio Pace",
            intro="<p>Per domande sul programma, proposte di collaborazione o segnalazioni.</p>",
            thank_you_text="<p>Grazie, ti risponderemo entro pochi giorni lavorativi.</p>",
            to_address="pace@comune.cremona.it",
            subject="Messaggio dal portale Città della Pace",
        )
        form.form_fields = [
            ContactFormField(label="Nome e cognome", field_type="singleline", required=True),
            ContactFormField(label="E-mail", field_type="email", required=True),
            ContactFormField(label="Messaggio", field_type="multiline", required=True),
        ]
        contacts.add_child(instance=form)
        form.save_revision().publish()
        ctx.count("pages")

    if home.hero_link_page_id is None:
        home.hero_link_page = topics
        home.save_revision().publish()


def load_english(ctx: DemoContext, home: HomePage) -> None:
    """The English tree: the home page and the six topics, translated."""
    english, _ = Locale.objects.get_or_create(language_code="en")
    home_en = HomePage.objects.filter(translation_key=home.translation_key, locale=english).first()
    if home_en is None:
        home_en = home.copy_for_translation(english, copy_parents=True)
        home_en.title = "City of Peace"
        home_en.hero_title = "Cremona, city of peace"
        home_en.hero_text = (
            "The City of Cremona's programme for peace, human rights, interfaith dialogue and "
            "international relations: events, citizens' proposals, schools and twin towns."
        )
        home_en.intro = (
            "<p>Cremona builds peace every day with its schools, faith communities, "
            "associations and twin towns.</p>"
        )
        home_en.hero_link_page = None
        home_en.save_revision().publish()
        ctx.count("English pages")
    topics = ctx.pages["topics"]
    topics_en = topics.get_translation_or_none(english)
    if topics_en is None:
        topics_en = topics.copy_for_translation(english)
        topics_en.title = "Topics"
        topics_en.intro = "The six themes of the City of Peace programme."
        topics_en.save_revision().publish()
        ctx.count("English pages")
    for slug, _title, title_en, _intro, intro_en, _body in TOPIC_PAGES:
        page = ctx.pages[f"topic-{slug}"]
        if page.get_translation_or_none(english) is not None:
            continue
        translated = page.copy_for_translation(english)
        translated.title = title_en
        translated.intro = intro_en
        translated.body = stream([("paragraph", f"<p>{intro_en}</p>")])
        translated.save_revision().publish()
        ctx.count("English pages")

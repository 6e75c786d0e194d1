"""Demo events: venues in Cremona, the /eventi/ index and believable events.

Idempotent: everything is looked up by slug first. The thousands of events of the benchmarks
are made by bench/bulk_data.py, not here.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from eventi import recurrence
from eventi.models import (
    EventExcludedDate,
    EventIndexPage,
    EventOccurrenceOverride,
    EventPage,
    EventType,
    Venue,
)
from partecipazione.models import Association
from portal.core import demo_images
from portal.core.demo import DemoContext
from portal.taxonomy.models import Topic

VENUES = [
    (
        "sala-puerari",
        "Sala Puerari – Museo Civico Ala Ponzone",
        "Via Ugolani Dati 4",
        "45.137200",
        "10.022900",
        "Ingresso da Via Ugolani Dati; ascensore a destra dell'atrio. Bus linee 1 e 3.",
    ),
    (
        "auditorium-arvedi",
        "Auditorium Giovanni Arvedi – Museo del Violino",
        "Piazza Guglielmo Marconi 5",
        "45.132000",
        "10.024500",
        "Accesso senza gradini dalla piazza; posti riservati in platea; anello a induzione.",
    ),
    (
        "sala-dei-quadri",
        "Palazzo Comunale – Sala dei Quadri",
        "Piazza del Comune 8",
        "45.133500",
        "10.024200",
        "Primo piano, ascensore dal cortile del Palazzo Comunale.",
    ),
    (
        "centro-pastorale",
        "Centro Pastorale Diocesano",
        "Via Sant'Antonio del Fuoco 9/A",
        "45.138800",
        "10.028500",
        "Parcheggio interno; sala al piano terra.",
    ),
    (
        "biblioteca-statale",
        "Biblioteca Statale di Cremona",
        "Via Ugolani Dati 4",
        "45.137300",
        "10.023100",
        "Sala conferenze al piano terra; servizi accessibili.",
    ),
]


def _next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _events(today: date) -> list[dict]:
    """About fifteen events around `today` (so the demo always has upcoming dates)."""
    thursday = _next_weekday(today - timedelta(weeks=12), 3)
    month_start = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    return [
        {
            "slug": "tavolo-interreligioso",
            "title": "Tavolo interreligioso di Cremona",
            "summary": "Ogni giovedì le comunità di fede della città si incontrano per "
            "conoscersi, pregare e progettare iniziative comuni per la pace.",
            "type": "incontro-interreligioso",
            "topics": ["dialogo-interreligioso", "pace"],
            "venue": "centro-pastorale",
            "start_date": thursday,
            "start_time": time(18, 0),
            "end_time": time(19, 30),
            "frequency": "weekly",
            "weekdays": [3],
            "until": thursday + timedelta(weeks=40),
            "excluded": [thursday + timedelta(weeks=14)],
            "moved": (thursday + timedelta(weeks=16), 1, time(18, 30)),
            "step_free_access": True,
        },
        {
            "slug": "festival-della-pace",
            "title": "Festival della Pace",
            "summary": "Tre giorni di incontri, musica, laboratori e testimonianze nelle piazze "
            "e nei luoghi della cultura di Cremona.",
            "type": "festival",
            "topics": ["pace", "intercultura"],
            "venue": "sala-dei-quadri",
            "start_date": month_start + timedelta(days=12),
            "end_date": month_start + timedelta(days=14),
            "audience": "Tutta la cittadinanza, famiglie e scuole",
        },
        {
            "slug": "conferenza-diritti-umani-mediterraneo",
            "title": "I diritti umani nel Mediterraneo",
            "summary": "Conferenza con giuristi e operatori umanitari sui diritti delle persone "
            "migranti nel Mediterraneo.",
            "type": "conferenza",
            "topics": ["diritti-umani"],
            "venue": "auditorium-arvedi",
            "start_date": today + timedelta(days=9),
            "start_time": time(20, 45),
            "end_time": time(22, 30),
            "status": "cancelled",
            "status_reason": "Il relatore principale non può essere presente per motivi di "
            "salute. L'incontro sarà riprogrammato in primavera.",
        },
        {
            "slug": "concerto-per-la-pace",
            "title": "Concerto per la pace",
            "summary": "Il coro giovanile e l'orchestra del liceo musicale in un concerto "
            "dedicato alle vittime di tutte le guerre.",
            "type": "concerto",
            "topics": ["pace"],
            "venue": "auditorium-arvedi",
            "start_date": today + timedelta(days=20),
            "start_time": time(21, 0),
            "end_time": time(22, 30),
            "status": "postponed",
            "status_reason": "Il concerto è rinviato a data da destinarsi per lavori "
            "nell'auditorium. I biglietti restano validi.",
            "is_free": False,
            "cost": "10 euro, ridotto 5 euro per studenti",
            "induction_loop": True,
            "step_free_access": True,
        },
        {
            "slug": "laboratorio-costruire-la-pace-a-scuola",
            "title": "Costruire la pace a scuola",
            "summary": "Laboratorio mensile per le classi delle scuole secondarie: giochi di "
            "ruolo sulla gestione nonviolenta dei conflitti.",
            "type": "laboratorio-scuole",
            "topics": ["educazione-alla-pace"],
            "venue": "biblioteca-statale",
            "start_date": _next_weekday(today, 2),
            "start_time": time(10, 0),
            "end_time": time(12, 0),
            "frequency": "monthly",
            "count": 6,
            "audience": "Classi delle scuole secondarie di primo grado (su prenotazione)",
            "registration_info": "Prenotazione obbligatoria per le classi entro il giorno prima.",
        },
        {
            "slug": "webinar-citta-gemelle",
            "title": "Città gemelle in dialogo: webinar",
            "summary": "Amministratori e giovani delle città gemellate con Cremona raccontano i "
            "progetti comuni di cooperazione.",
            "type": "scambio-internazionale",
            "topics": ["cremona-internazionale"],
            "online_url": "https://meet.comune.cremona.it/citta-gemelle",
            "start_date": today + timedelta(days=5),
            "start_time": time(17, 30),
            "end_time": time(19, 0),
            "organised_by_city": True,
        },
        {
            "slug": "mostra-volti-di-pace",
            "title": "Mostra «Volti di pace»",
            "summary": "Ritratti fotografici di donne e uomini che hanno scelto la nonviolenza, "
            "dai Balcani al Medio Oriente.",
            "type": "mostra",
            "topics": ["pace", "diritti-umani"],
            "venue": "sala-puerari",
            "start_date": today - timedelta(days=3),
            "end_date": today + timedelta(days=25),
        },
        {
            "slug": "giornata-della-memoria",
            "title": "Giornata della Memoria: letture e testimonianze",
            "summary": "Letture a più voci e la testimonianza dei figli dei deportati cremonesi.",
            "type": "commemorazione",
            "topics": ["diritti-umani", "pace"],
            "venue": "sala-dei-quadri",
            "start_date": today + timedelta(days=60),
            "start_time": time(11, 0),
            "end_time": time(12, 30),
            "sign_language": True,
        },
        {
            "slug": "cena-dei-popoli",
            "title": "Cena dei popoli",
            "summary": "Le comunità straniere di Cremona cucinano insieme i piatti delle loro "
            "terre: una serata di festa e conoscenza.",
            "type": "festival",
            "topics": ["intercultura"],
            "venue": "centro-pastorale",
            "start_date": today + timedelta(days=14),
            "start_time": time(19, 30),
            "end_time": time(23, 0),
            "is_free": False,
            "cost": "Offerta libera a sostegno dei progetti di accoglienza",
        },
        {
            "slug": "scambio-giovanile-citta-gemellate",
            "title": "Scambio giovanile con le città gemellate",
            "summary": "Una settimana di ospitalità in famiglia e laboratori per venti ragazzi "
            "e ragazze delle città gemellate.",
            "type": "scambio-internazionale",
            "topics": ["cremona-internazionale", "intercultura"],
            "venue": "sala-dei-quadri",
            "start_date": today + timedelta(days=90),
            "end_date": today + timedelta(days=96),
            "audience": "Giovani dai 16 ai 20 anni",
            "registration_url": "https://www.comune.cremona.it/scambi-giovanili",
        },
        {
            "slug": "conferenza-obiezione-di-coscienza",
            "title": "Obiezione di coscienza e servizio civile: 50 anni",
            "summary": "Storia e attualità del servizio civile a Cremona, con chi l'ha vissuto.",
            "type": "conferenza",
            "topics": ["pace", "educazione-alla-pace"],
            "venue": "biblioteca-statale",
            "start_date": today + timedelta(days=30),
            "start_time": time(18, 0),
            "end_time": time(19, 30),
        },
        {
            "slug": "formazione-mediazione-conflitti",
            "title": "Mediazione dei conflitti: corso per insegnanti",
            "summary": "Tre pomeriggi di formazione sulla mediazione dei conflitti in classe.",
            "type": "laboratorio-scuole",
            "topics": ["educazione-alla-pace"],
            "venue": "biblioteca-statale",
            "start_date": _next_weekday(today + timedelta(days=7), 1),
            "start_time": time(15, 0),
            "end_time": time(18, 0),
            "frequency": "weekly",
            "count": 3,
            "audience": "Insegnanti di ogni ordine e grado",
        },
        {
            "slug": "incontro-accoglienza-migranti",
            "title": "Accogliere a Cremona: diritti e servizi",
            "summary": "Incontro pubblico con gli sportelli comunali e le associazioni "
            "che accompagnano le persone migranti.",
            "type": "conferenza",
            "topics": ["diritti-umani", "intercultura"],
            "venue": "sala-puerari",
            "online_url": "https://meet.comune.cremona.it/accoglienza",
            "start_date": today + timedelta(days=40),
            "start_time": time(18, 30),
            "end_time": time(20, 0),
        },
        {
            "slug": "giornata-internazionale-pace",
            "title": "Giornata internazionale della pace",
            "summary": "Bandiere della pace sul Palazzo Comunale e lettura dell'appello dei "
            "sindaci per la pace.",
            "type": "commemorazione",
            "topics": ["pace"],
            "venue": "sala-dei-quadri",
            "start_date": today - timedelta(days=45),
            "start_time": time(11, 0),
            "end_time": time(12, 0),
        },
        {
            "slug": "conferenza-disarmo",
            "title": "Disarmo e diplomazia delle città",
            "summary": "Il ruolo delle città nella rete Mayors for Peace.",
            "type": "conferenza",
            "topics": ["pace", "cremona-internazionale"],
            "venue": "auditorium-arvedi",
            "start_date": today - timedelta(days=20),
            "start_time": time(20, 30),
            "end_time": time(22, 0),
        },
    ]


# slug: (motif, palette, alt text) of each demo event's banner (portal.core.demo_images)
EVENT_IMAGES = {
    "tavolo-interreligioso": (
        "cerchio",
        "verde",
        "Illustrazione: dieci figure attorno a un cerchio, simbolo del dialogo tra le fedi.",
    ),
    "festival-della-pace": (
        "festa",
        "ambra",
        "Illustrazione: festoni di bandierine colorate su sfondo arancione.",
    ),
    "conferenza-diritti-umani-mediterraneo": (
        "mondo",
        "ardesia",
        "Illustrazione: un globo con archi che lo collegano a punti lontani.",
    ),
    "concerto-per-la-pace": (
        "festa",
        "blu",
        "Illustrazione: festoni di bandierine bianche e azzurre su sfondo blu.",
    ),
    "laboratorio-costruire-la-pace-a-scuola": (
        "libri",
        "teal",
        "Illustrazione: tre libri aperti e alcune matite.",
    ),
    "webinar-citta-gemelle": (
        "mondo",
        "blu",
        "Illustrazione: un globo collegato da archi alle città gemelle di Cremona.",
    ),
    "mostra-volti-di-pace": (
        "cerchio",
        "ardesia",
        "Illustrazione: figure stilizzate in cerchio, come volti di una mostra fotografica.",
    ),
    "giornata-della-memoria": (
        "torrazzo",
        "ardesia",
        "Illustrazione: il profilo del Torrazzo e della Cattedrale di Cremona in grigio.",
    ),
    "cena-dei-popoli": (
        "festa",
        "verde",
        "Illustrazione: festoni di bandierine su sfondo verde, per una festa tra comunità.",
    ),
    "scambio-giovanile-citta-gemellate": (
        "mondo",
        "teal",
        "Illustrazione: un globo e i viaggi dei giovani tra le città gemellate.",
    ),
    "conferenza-obiezione-di-coscienza": (
        "libri",
        "blu",
        "Illustrazione: libri aperti su sfondo blu.",
    ),
    "formazione-mediazione-conflitti": (
        "cerchio",
        "teal",
        "Illustrazione: persone in cerchio, come in un laboratorio di mediazione.",
    ),
    "incontro-accoglienza-migranti": (
        "cerchio",
        "blu",
        "Illustrazione: un cerchio di figure che si tengono vicine.",
    ),
    "giornata-internazionale-pace": (
        "torrazzo",
        "blu",
        "Illustrazione: il profilo del Torrazzo e della Cattedrale di Cremona su sfondo blu.",
    ),
    "conferenza-disarmo": (
        "torrazzo",
        "verde",
        "Illustrazione: lo skyline di Cremona con il Torrazzo su sfondo verde.",
    ),
}

# What the model's "Ulteriori informazioni" and the exhibition's opening hours say.
EVENT_EXTRAS = {
    "festival-della-pace": {
        "patronage": "Regione Lombardia, Provincia di Cremona",
        "sponsors": "Fondazione Comunitaria della Provincia di Cremona",
        "further_info": "Il programma completo di ogni giornata è negli allegati; in caso di "
        "pioggia gli incontri in piazza si tengono nella Loggia dei Militi.",
    },
    "mostra-volti-di-pace": {
        "opening_hours": "Da martedì a domenica, 10:00–18:00; lunedì chiuso.\n"
        "Visite guidate per le scuole su prenotazione.",
        "patronage": "Coordinamento Enti Locali per la Pace",
        "further_info": "Le fotografie sono in prestito dall'archivio di un'associazione di "
        "fotoreporter; l'ultimo ingresso è alle 17:30.",
    },
    "concerto-per-la-pace": {"patronage": "Conservatorio «Claudio Monteverdi»"},
    "webinar-citta-gemelle": {
        "sign_language": True,
        "accessibility_notes": "Sottotitoli in diretta in italiano e in inglese.",
    },
}

SIMPLE_FIELDS = (
    "summary",
    "start_date",
    "start_time",
    "end_date",
    "end_time",
    "frequency",
    "weekdays",
    "until",
    "count",
    "online_url",
    "status",
    "status_reason",
    "audience",
    "is_free",
    "cost",
    "registration_info",
    "registration_url",
    "step_free_access",
    "sign_language",
    "induction_loop",
    "organised_by_city",
)


def load_venues(ctx: DemoContext) -> dict[str, Venue]:
    venues = {}
    for slug, name, address, lat, lon, notes in VENUES:
        venue, created = Venue.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "address": address,
                "postcode": "26100",
                "latitude": lat,
                "longitude": lon,
                "access_notes": notes,
            },
        )
        venues[slug] = venue
        if created:
            ctx.count("venues")
    return venues


def load_index(ctx: DemoContext) -> EventIndexPage:
    home = ctx.pages["home"]
    index = EventIndexPage.objects.child_of(home).filter(slug="eventi").first()
    if index is None:
        index = home.add_child(
            instance=EventIndexPage(
                title="Eventi",
                slug="eventi",
                show_in_menus=True,
                intro="<p>Incontri, conferenze, mostre e laboratori del programma Città della "
                "Pace. Puoi abbonarti al calendario: si aggiorna da solo.</p>",
            )
        )
        index.save_revision().publish()
        ctx.count("pages")
    ctx.pages["eventi"] = index
    return index


def load(ctx: DemoContext) -> None:
    venues = load_venues(ctx)
    index = load_index(ctx)
    types = {t.slug: t for t in EventType.objects.all()}
    topics = {t.slug: t for t in Topic.objects.all()}
    associations = list(Association.objects.order_by("pk")[:4])
    today = timezone.localdate()
    for number, spec in enumerate(_events(today)):
        if EventPage.objects.filter(slug=spec["slug"]).exists():
            continue
        page = EventPage(
            title=spec["title"],
            slug=spec["slug"],
            event_type=types.get(spec.get("type")),
            venue=venues.get(spec.get("venue")),
            contact_email="pace@comune.cremona.it",
            contact_name="Ufficio Pace e Diritti Umani",
            **{k: spec[k] for k in SIMPLE_FIELDS if k in spec},
        )
        page.topics = [topics[s] for s in spec.get("topics", []) if s in topics]
        if associations and number % 3 == 0:
            page.organisers = [associations[number % len(associations)]]
        for day in spec.get("excluded", []):
            page.excluded_dates.add(EventExcludedDate(date=day))
        if "moved" in spec:
            day, shift, new_time = spec["moved"]
            new_start = recurrence.make_aware(
                datetime.combine(day + timedelta(days=shift), new_time)
            )
            page.occurrence_overrides.add(
                EventOccurrenceOverride(
                    original_date=day,
                    new_start=new_start,
                    new_end=new_start + timedelta(minutes=90),
                    note="Spostato al giorno dopo: la sala è occupata per un'altra iniziativa.",
                )
            )
        for name, value in EVENT_EXTRAS.get(spec["slug"], {}).items():
            setattr(page, name, value)
        index.add_child(instance=page)
        revision = page.save_revision(user=ctx.users.get("editor"))
        revision.publish()
        ctx.count("events")
    load_images(ctx)


def load_images(ctx: DemoContext) -> None:
    """Each demo event's banner and credit (also on a database loaded before they existed)."""
    pages = EventPage.objects.filter(slug__in=EVENT_IMAGES, image__isnull=True)
    for page in pages:
        motif, palette, alt = EVENT_IMAGES[page.slug]
        demo_images.attach(
            ctx,
            page,
            "image",
            f"Evento: {page.title}",
            alt,
            motif,
            palette,
            image_credit=demo_images.CREDIT,
        )

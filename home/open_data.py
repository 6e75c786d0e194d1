"""The "Dati aperti" page and its machine-readable catalogue (DCAT-AP_IT, JSON-LD).

One description of every dataset the portal publishes (events, proposals): the page shows it
to people, ``catalogue`` gives it to harvesters (dati.gov.it reads DCAT-AP_IT). The field
lists come from the modules that write the files, so the documentation cannot fall behind.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eventi import ical
from eventi.views import OPEN_DATA_FIELDS as EVENT_FIELDS
from partecipazione import open_data as proposals_open_data

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
PUBLISHER = "Comune di Cremona"
PUBLISHER_IPA = "c_d150"  # the City's code in the IPA index of public administrations
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"

EVENT_FIELD_HELP = {
    "uid": _("identificativo stabile dell'evento (UID iCalendar)"),
    "titolo": _("titolo"),
    "sommario": _("sommario"),
    "url": _("indirizzo della pagina dell'evento"),
    "inizio": _("inizio, ISO 8601 con fuso orario (solo data per gli eventi di un giorno intero)"),
    "fine": _("fine, ISO 8601 (per gli eventi di un giorno intero, l'ultimo giorno incluso)"),
    "tutto_il_giorno": _("vero se l'evento dura tutto il giorno"),
    "stato": _("scheduled, cancelled o postponed"),
    "annullato": _("vero se questa data è annullata"),
    "tipo": _("tipo di evento"),
    "argomenti": _("argomenti (slug; nel CSV separati da «;»)"),
    "organizzatori": _("organizzatori (nel CSV separati da «;»)"),
    "luogo": _("nome del luogo"),
    "indirizzo": _("indirizzo del luogo"),
    "latitudine": _("latitudine (WGS 84)"),
    "longitudine": _("longitudine (WGS 84)"),
    "online": _("indirizzo per partecipare online"),
    "gratuito": _("vero se l'ingresso è gratuito"),
    "costo": _("costo"),
    "accesso_senza_barriere": _("vero se il luogo è accessibile senza barriere"),
    "interprete_lis": _("vero se c'è un interprete LIS"),
    "anello_induzione": _("vero se c'è un anello a induzione magnetica"),
    "accessibilita": _("note sull'accessibilità"),
}
PROPOSAL_FIELD_HELP = {
    "id": _("identificativo stabile della proposta"),
    "titolo": _("titolo"),
    "sommario": _("sommario"),
    "url": _("indirizzo della pagina della proposta"),
    "argomento": _("argomento (slug)"),
    "stato": _("submitted, under_review, accepted, rejected o realised"),
    "proposta_da": _("«associazione» o «cittadino» (il nome di chi propone non è pubblicato)"),
    "associazione": _("nome dell'associazione proponente, se c'è"),
    "sostegni": _("numero di sostegni"),
    "commenti": _("numero di commenti"),
    "creata": _("data di creazione, ISO 8601"),
    "inviata": _("data di invio alla redazione, ISO 8601"),
    "aggiornata": _("data dell'ultimo aggiornamento, ISO 8601"),
    "storia": _(
        "cambi di stato: data, stato precedente, nuovo stato, nota pubblica (nel CSV "
        "«data da>a» separati da «;»)"
    ),
}


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: object
    description: object
    json_url_name: str
    csv_url_name: str
    fields: dict
    frequency: str  # EU frequency authority code
    frequency_label: object
    theme: str  # EU data theme code
    keywords: tuple
    filters: object

    def distributions(self, base: str) -> list[dict]:
        return [
            {
                "format": "JSON",
                "media_type": "application/json",
                "url": base + reverse(self.json_url_name),
            },
            {"format": "CSV", "media_type": "text/csv", "url": base + reverse(self.csv_url_name)},
        ]

    def field_rows(self) -> list[tuple[str, object]]:
        return list(self.fields.items())


DATASETS = [
    Dataset(
        slug="eventi",
        title=_("Eventi del programma Città della Pace"),
        description=_(
            "Il calendario pubblico: una riga per data (gli eventi ricorrenti sono espansi); "
            "senza filtro «dal», solo le date in corso e future."
        ),
        json_url_name="eventi:open_data_json",
        csv_url_name="eventi:open_data_csv",
        fields={name: EVENT_FIELD_HELP[name] for name in EVENT_FIELDS},
        frequency="CONT",
        frequency_label=_("aggiornato in continuo (a ogni pubblicazione)"),
        theme="EDUC",
        keywords=("eventi", "pace", "diritti umani", "Cremona"),
        filters=_(
            "argomento, tipo, organizzatore, luogo, dal, al (AAAA-MM-GG), q; 500 date per "
            "pagina (pagina=N)"
        ),
    ),
    Dataset(
        slug="proposte",
        title=_("Proposte dei cittadini e delle associazioni"),
        description=_(
            "Le proposte pubbliche della partecipazione (non le bozze, le ritirate o quelle "
            "nascoste dalla moderazione), con la storia dei loro stati e il numero di sostegni."
        ),
        json_url_name="partecipazione:open_data_json",
        csv_url_name="partecipazione:open_data_csv",
        fields={name: PROPOSAL_FIELD_HELP[name] for name in proposals_open_data.FIELDS},
        frequency="CONT",
        frequency_label=_("aggiornato in continuo (a ogni cambiamento)"),
        theme="GOVE",
        keywords=("partecipazione", "proposte", "pace", "Cremona"),
        filters=_(
            "state, topic (slug), association (slug), q, sort (newest, supported, "
            "discussed); 500 proposte per pagina (pagina=N)"
        ),
    ),
]


def catalogue(base: str | None = None) -> dict:
    """The DCAT-AP_IT catalogue of every dataset, as a JSON-LD document."""
    base = base or ical.site_url()
    page_url = base + reverse("home:open_data")
    publisher = {
        "@type": ["foaf:Organization", "dcatapit:Agent"],
        "foaf:name": PUBLISHER,
        "dct:identifier": PUBLISHER_IPA,
    }
    datasets = []
    for dataset in DATASETS:
        datasets.append(
            {
                "@id": f"{page_url}#{dataset.slug}",
                "@type": ["dcat:Dataset", "dcatapit:Dataset"],
                "dct:identifier": f"{PUBLISHER_IPA}:cittadellapace:{dataset.slug}",
                "dct:title": {"@language": "it", "@value": str(dataset.title)},
                "dct:description": {"@language": "it", "@value": str(dataset.description)},
                "dcat:theme": {"@id": EU_THEME + dataset.theme},
                "dcat:keyword": list(dataset.keywords),
                "dct:accrualPeriodicity": {"@id": EU_FREQUENCY + dataset.frequency},
                "dct:publisher": publisher,
                "dct:rightsHolder": publisher,
                "dcat:landingPage": {"@id": f"{page_url}#{dataset.slug}"},
                "dct:language": {
                    "@id": "http://publications.europa.eu/resource/authority/language/ITA"
                },
                "dcat:distribution": [
                    {
                        "@type": ["dcat:Distribution", "dcatapit:Distribution"],
                        "dct:title": f"{dataset.title} ({item['format']})",
                        "dcat:accessURL": {"@id": item["url"]},
                        "dcat:downloadURL": {"@id": item["url"]},
                        "dcat:mediaType": item["media_type"],
                        "dct:format": {"@id": EU_FILE_TYPE + item["format"]},
                        "dct:license": {"@id": LICENCE_URL, "@type": "dct:LicenseDocument"},
                    }
                    for item in dataset.distributions(base)
                ],
            }
        )
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "dcatapit": "http://dati.gov.it/onto/dcatapit#",
        },
        "@id": base + reverse("home:open_data_catalogue"),
        "@type": ["dcat:Catalog", "dcatapit:Catalog"],
        "dct:title": "Città della Pace – Dati aperti",
        "dct:description": str(
            _("I dati aperti del portale Città della Pace del Comune di Cremona.")
        ),
        "dct:publisher": publisher,
        "foaf:homepage": {"@id": page_url},
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/ITA"},
        "dcat:dataset": datasets,
    }

"""The portal's own documents for the demo data: privacy notice, accessibility statement,
legal notes, FAQ and the report-a-problem form. Editors change them in the CMS afterwards.
"""

PRIVACY_BODY = (
    "<h2>Titolare del trattamento</h2>"
    "<p>Comune di Cremona, Piazza del Comune 8, 26100 Cremona; PEC "
    "protocollo@comunedicremona.legalmail.it. Il Responsabile della protezione dei dati (RPD) "
    "si contatta all'indirizzo rpd@comune.cremona.it.</p>"
    "<h2>Quali dati trattiamo e perché</h2>"
    "<ul>"
    "<li><b>Account</b> (nome, indirizzo e-mail, password cifrata, preferenze): per permetterti "
    "di proporre iniziative, sostenerle, commentarle e seguire argomenti ed eventi. Base "
    "giuridica: esecuzione di un compito di interesse pubblico (art. 6.1.e GDPR) e il tuo "
    "consenso all'informativa, registrato con la sua versione.</li>"
    "<li><b>Contenuti che pubblichi</b> (proposte, commenti, allegati): sono pubblici con il "
    "nome che scegli; i moderatori possono nasconderli se violano le regole.</li>"
    "<li><b>Moduli</b> (contatti, segnalazioni di disservizio, prenotazioni delle scuole, "
    "valutazioni delle pagine): per rispondere e migliorare il servizio; le valutazioni sono "
    "anonime.</li>"
    "<li><b>Dati tecnici</b> (indirizzo IP, data e ora degli accessi all'account): per la "
    "sicurezza del servizio e per limitare gli abusi.</li>"
    "</ul>"
    "<h2>Per quanto tempo</h2>"
    "<p>I dati dell'account fino alla sua cancellazione; i messaggi dei moduli per il tempo "
    "necessario a gestirli e comunque non oltre due anni; i dati tecnici per 90 giorni.</p>"
    "<h2>Cookie</h2>"
    "<p>Il portale usa solo cookie tecnici necessari (sessione, protezione dei moduli, lingua). "
    "I video di servizi esterni si caricano solo se lo chiedi tu.</p>"
    "<h2>A chi sono comunicati</h2>"
    "<p>A nessuno, salvo i fornitori che gestiscono per conto del Comune l'hosting e la posta, "
    "nominati responsabili del trattamento, e le autorità nei casi previsti dalla legge. I dati "
    "non sono trasferiti fuori dall'Unione europea.</p>"
    "<h2>I tuoi diritti</h2>"
    "<p>Puoi accedere ai tuoi dati, correggerli, scaricarli o cancellare l'account dalla pagina "
    "del tuo profilo; per ogni altro diritto (limitazione, opposizione) scrivi al RPD. Puoi "
    "proporre reclamo al Garante per la protezione dei dati personali (www.garanteprivacy.it).</p>"
)

ACCESSIBILITY_BODY = (
    "<p>Il Comune di Cremona si impegna a rendere accessibile il portale Città della Pace, "
    "conformemente alla Legge 9 gennaio 2004, n. 4 e al D.Lgs. 106/2018 che recepisce la "
    "Direttiva (UE) 2016/2102.</p>"
    "<h2>Stato di conformità</h2>"
    "<p>Il portale è <b>parzialmente conforme</b> ai requisiti della norma UNI EN 301549 e alle "
    "WCAG 2.1 livello AA; lo sviluppo segue anche le WCAG 2.2. Usa il sistema di design Bootstrap "
    "Italia e viene verificato a ogni modifica con test automatici (axe) e con prove da "
    "tastiera e da telefono.</p>"
    "<h2>Contenuti non accessibili</h2>"
    "<ul>"
    "<li>Alcuni documenti PDF caricati prima del 2024 non hanno una struttura accessibile: su "
    "richiesta li inviamo in un formato accessibile.</li>"
    "<li>I video di servizi esterni possono non avere sottotitoli in italiano.</li>"
    "</ul>"
    "<h2>Redazione della dichiarazione</h2>"
    "<p>La dichiarazione è stata redatta con il modulo dell'Agenzia per l'Italia Digitale "
    "(https://form.agid.gov.it/), sulla base di una valutazione del Comune, ed è riesaminata "
    "ogni anno.</p>"
    "<h2>Meccanismo di feedback</h2>"
    "<p>Per segnalare un problema di accessibilità o chiedere un contenuto in un formato "
    "accessibile scrivi a pace@comune.cremona.it o usa il modulo «Segnala disservizio»: "
    "rispondiamo entro 30 giorni. Se la risposta non ti soddisfa puoi rivolgerti al Difensore "
    "civico per il digitale presso AGID.</p>"
)

LEGAL_NOTES_BODY = (
    "<p>Il portale Città della Pace è pubblicato dal Comune di Cremona, Piazza del Comune 8, "
    "26100 Cremona.</p>"
    "<h2>Contenuti di terzi</h2>"
    "<p>Le proposte e i commenti sono pubblicati dai loro autori, che ne sono responsabili; i "
    "moderatori del Comune li esaminano secondo le regole della partecipazione. I loghi e le "
    "immagini delle associazioni restano dei rispettivi titolari.</p>"
    "<h2>Collegamenti esterni</h2>"
    "<p>Il Comune non risponde dei contenuti dei siti esterni a cui il portale rimanda.</p>"
)

FAQ_ITEMS = [
    (
        "Come propongo un'iniziativa?",
        "<p>Registrati, conferma il tuo indirizzo e-mail e apri «Partecipa» → «Nuova proposta». "
        "La proposta è pubblicata dopo la verifica dei moderatori.</p>",
    ),
    (
        "Posso aggiungere gli eventi al mio calendario?",
        "<p>Sì: ogni elenco di eventi ha un indirizzo «.ics» a cui abbonarti con Google "
        "Calendar, Outlook o il calendario del telefono; si aggiorna da solo.</p>",
    ),
    (
        "La mia associazione può organizzare un evento con il Comune?",
        "<p>Sì: un socio dell'associazione presenta una proposta; se è accolta, l'Ufficio "
        "Pace la trasforma in un evento del calendario.</p>",
    ),
    (
        "Come cancello il mio account?",
        "<p>Dalla pagina del tuo profilo: «Privacy e dati» → «Cancella l'account». Puoi prima "
        "scaricare una copia dei tuoi dati.</p>",
    ),
    (
        "Ho trovato un errore o un problema sul sito: a chi lo segnalo?",
        "<p>Usa il modulo «Segnala disservizio» nel piè di pagina: la segnalazione arriva "
        "all'Ufficio Pace, che ti risponde.</p>",
    ),
]

REPORT_FORM = {
    "slug": "segnala-disservizio",
    "title": "Segnala disservizio",
    "intro": "<p>Qualcosa non funziona sul portale o in un servizio del programma Città della "
    "Pace? Descrivi il problema: la segnalazione arriva all'Ufficio Pace e Diritti Umani, che ti "
    "risponde entro 30 giorni.</p>",
    "thank_you_text": "<p>Grazie: abbiamo ricevuto la tua segnalazione e ti risponderemo "
    "all'indirizzo che hai indicato.</p>",
    "to_address": "pace@comune.cremona.it",
    "subject": "Segnalazione di disservizio dal portale Città della Pace",
}
REPORT_FIELDS = [
    (
        "Tipo di problema",
        "dropdown",
        True,
        "Il sito non funziona\nUn contenuto è sbagliato o mancante\nUn problema di accessibilità\n"
        "Un evento o un servizio\nAltro",
    ),
    ("Pagina o servizio interessato", "singleline", False, ""),
    ("Descrizione del problema", "multiline", True, ""),
    ("Nome e cognome", "singleline", True, ""),
    ("E-mail", "email", True, ""),
]

# What earlier demo data wrote, replaced by the documents above (an editor's text never is).
PREVIOUS_BODIES = {
    "privacy": "<p>Titolare del trattamento è il Comune di Cremona, Piazza del Comune 8.",
    "accessibilita": "<p>Il portale Città della Pace è progettato per essere conforme",
}

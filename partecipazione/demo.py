"""Demo associations, memberships, proposals (one in every state), supports and comments.

Idempotent: everything is looked up by its natural key (name, slug, e-mail) first.
The generated proposals of the benchmarks are made by bench/bulk_data.py, not here.
"""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.utils import timezone

from partecipazione.models import (
    Association,
    Comment,
    Membership,
    ParticipationIndexPage,
    Proposal,
    ProposalEvent,
    ProposalState,
    ProposalVersion,
    Support,
)
from portal.core.demo import DemoContext
from portal.taxonomy.models import Topic

ASSOCIATIONS = [
    # name, slug, topics, register number (empty: not verified yet), description
    (
        "Tavola della Pace Cremona",
        "tavola-della-pace-cremona",
        ["pace", "educazione-alla-pace"],
        "CR-APS-0112",
        "Coordinamento di associazioni, parrocchie e scuole che dal 1999 organizza la "
        "marcia cittadina per la pace e i percorsi di educazione alla nonviolenza.",
    ),
    (
        "Centro Culturale Islamico di Cremona",
        "centro-culturale-islamico",
        ["dialogo-interreligioso", "intercultura"],
        "CR-APS-0240",
        "Luogo di preghiera, studio e incontro; promuove le giornate di moschea aperta e il "
        "tavolo interreligioso con le parrocchie del quartiere Cambonino.",
    ),
    (
        "Comunità ebraica – amici di Cremona",
        "comunita-ebraica-cremona",
        ["dialogo-interreligioso", "diritti-umani"],
        "CR-APS-0301",
        "Custodisce la memoria della comunità ebraica cremonese e organizza, con le scuole, "
        "gli incontri per la Giornata della Memoria.",
    ),
    (
        "ACLI Cremona",
        "acli-cremona",
        ["diritti-umani", "intercultura"],
        "CR-APS-0018",
        "Circoli, servizi e volontariato: sportello per i lavoratori stranieri, corsi di "
        "italiano e progetti di cittadinanza attiva.",
    ),
    (
        "Emergency – gruppo di Cremona",
        "emergency-cremona",
        ["pace", "cremona-internazionale"],
        "CR-ODV-0077",
        "Volontari che fanno conoscere il lavoro di Emergency negli ospedali in zone di guerra "
        "e raccolgono fondi con banchetti e serate.",
    ),
    (
        "Casa dell'Accoglienza",
        "casa-dell-accoglienza",
        ["intercultura", "diritti-umani"],
        "",
        "Accoglienza di persone richiedenti asilo e famiglie in difficoltà; laboratori di "
        "cucina dal mondo aperti alla città.",
    ),
]

PROPOSALS = [
    # slug, title, summary, topic, author key, association slug, state, note
    (
        "panchina-della-pace-piazza-stradivari",
        "Una panchina della pace in piazza Stradivari",
        "Una panchina dipinta dagli studenti per ricordare le vittime di tutte le guerre.",
        "pace",
        "citizen",
        None,
        ProposalState.REALISED,
        "Inaugurata il 21 settembre, Giornata internazionale della pace.",
    ),
    (
        "moschea-aperta-e-sinagoga-aperta",
        "Moschea aperta e sinagoga aperta nello stesso weekend",
        "Due giornate di porte aperte coordinate, con un percorso a piedi tra i luoghi di culto.",
        "dialogo-interreligioso",
        "citizen2",
        "centro-culturale-islamico",
        ProposalState.ACCEPTED,
        "La Giunta sostiene la proposta: il weekend è fissato per ottobre.",
    ),
    (
        "gemellaggio-scolastico-alaior",
        "Scambio di classi con la città gemella di Alaior",
        "Una settimana di scambio per due classi delle medie, con un diario condiviso online.",
        "cremona-internazionale",
        "member",
        "tavola-della-pace-cremona",
        ProposalState.UNDER_REVIEW,
        "Il servizio Relazioni internazionali sta valutando costi e date.",
    ),
    (
        "corso-mediazione-conflitti-quartieri",
        "Corsi di mediazione dei conflitti nei quartieri",
        "Incontri serali gratuiti per imparare a gestire i conflitti di vicinato.",
        "educazione-alla-pace",
        "citizen",
        None,
        ProposalState.SUBMITTED,
        "",
    ),
    (
        "mostra-diritti-umani-cortile-federico",
        "Una mostra sui diritti umani nel cortile Federico II",
        "Pannelli sugli articoli della Dichiarazione universale, curati dalle scuole superiori.",
        "diritti-umani",
        "citizen2",
        None,
        ProposalState.REJECTED,
        "Il cortile è occupato dai cantieri fino al 2027: riproponila in un'altra sede.",
    ),
    (
        "cena-dei-popoli-estate",
        "Una cena dei popoli in piazza del Comune",
        "Ogni comunità porta un piatto: una tavolata lunga tutta la piazza.",
        "intercultura",
        "citizen",
        None,
        ProposalState.WITHDRAWN,
        "La proponiamo insieme alla Casa dell'Accoglienza l'anno prossimo.",
    ),
    (
        "biblioteca-vivente-migranti",
        "Biblioteca vivente: storie di chi è arrivato a Cremona",
        "Persone-libro che raccontano il proprio viaggio a piccoli gruppi di lettori.",
        "intercultura",
        "member",
        None,
        ProposalState.DRAFT,
        "",
    ),
]

COMMENTS = [
    "Bellissima idea, mi offro come volontaria per l'organizzazione.",
    "Si potrebbe coinvolgere anche il liceo musicale per un piccolo concerto.",
    "Attenzione ai costi: serve chiedere un contributo alle fondazioni del territorio.",
]

PATH_TO_STATE = {
    ProposalState.DRAFT: [],
    ProposalState.SUBMITTED: [ProposalState.SUBMITTED],
    ProposalState.UNDER_REVIEW: [ProposalState.SUBMITTED, ProposalState.UNDER_REVIEW],
    ProposalState.ACCEPTED: [
        ProposalState.SUBMITTED,
        ProposalState.UNDER_REVIEW,
        ProposalState.ACCEPTED,
    ],
    ProposalState.REJECTED: [
        ProposalState.SUBMITTED,
        ProposalState.UNDER_REVIEW,
        ProposalState.REJECTED,
    ],
    ProposalState.REALISED: [
        ProposalState.SUBMITTED,
        ProposalState.UNDER_REVIEW,
        ProposalState.ACCEPTED,
        ProposalState.REALISED,
    ],
    ProposalState.WITHDRAWN: [ProposalState.SUBMITTED, ProposalState.WITHDRAWN],
}


def _associations(ctx, topics):
    moderator = ctx.users.get("moderator")
    result = {}
    for name, slug, topic_slugs, register, description in ASSOCIATIONS:
        assoc = Association.objects.filter(slug=slug).first()
        if assoc is None:
            assoc = Association.objects.create(
                name=name,
                slug=slug,
                description=description,
                email=f"info@{slug}.example",
                website=f"https://{slug}.example",
                is_verified=bool(register),
                register_number=register,
                verified_at=timezone.now() if register else None,
                verified_by=moderator if register else None,
                created_by=ctx.users.get("member"),
            )
            assoc.topics.set([topics[s] for s in topic_slugs if s in topics])
            ctx.count("associations")
        result[slug] = assoc
    return result


def _memberships(ctx, associations):
    wanted = [
        ("member", "tavola-della-pace-cremona", Membership.Role.ADMIN, Membership.Status.ACTIVE),
        ("citizen2", "centro-culturale-islamico", Membership.Role.ADMIN, Membership.Status.ACTIVE),
        ("citizen", "tavola-della-pace-cremona", Membership.Role.MEMBER, Membership.Status.ACTIVE),
        ("citizen", "acli-cremona", Membership.Role.MEMBER, Membership.Status.REQUESTED),
        ("member", "casa-dell-accoglienza", Membership.Role.ADMIN, Membership.Status.ACTIVE),
    ]
    for key, slug, role, status in wanted:
        user = ctx.users.get(key)
        if user is None:
            continue
        _, created = Membership.objects.get_or_create(
            association=associations[slug], user=user, defaults={"role": role, "status": status}
        )
        if created:
            ctx.count("memberships")


def _proposals(ctx, topics, associations):
    moderator = ctx.users.get("moderator")
    ct = ContentType.objects.get_for_model(Proposal)
    supporters = [u for k, u in ctx.users.items() if k in ("citizen", "citizen2", "member")]
    now = timezone.now()
    for i, (slug, title, summary, topic, author_key, assoc_slug, state, note) in enumerate(
        PROPOSALS
    ):
        if Proposal.objects.filter(slug=slug).exists():
            continue
        author = ctx.users.get(author_key)
        created = now - timedelta(days=60 - i * 7)
        proposal = Proposal.objects.create(
            slug=slug,
            title=title,
            summary=summary,
            body=f"<p>{summary}</p><p>Chiediamo al Comune un aiuto per spazi e comunicazione.</p>",
            topic=topics.get(topic),
            author=author,
            association=associations.get(assoc_slug) if assoc_slug else None,
            place="Cremona",
            expected_participants=40 + 10 * i,
            state=state,
            state_note=note,
            submitted_at=created if state != ProposalState.DRAFT else None,
        )
        ProposalVersion.objects.create(
            proposal=proposal,
            number=1,
            title=title,
            summary=summary,
            body=proposal.body,
            created_by=author,
        )
        events = [ProposalEvent(proposal=proposal, kind="created", to_state="draft", actor=author)]
        previous = ProposalState.DRAFT
        path = PATH_TO_STATE[state]
        for step in path:
            by_moderator = step not in (ProposalState.SUBMITTED, ProposalState.WITHDRAWN)
            events.append(
                ProposalEvent(
                    proposal=proposal,
                    kind="state",
                    from_state=previous,
                    to_state=step,
                    note=note if step == path[-1] else "",
                    actor=moderator if by_moderator else author,
                )
            )
            previous = step
        ProposalEvent.objects.bulk_create(events)
        if state in (ProposalState.DRAFT, ProposalState.WITHDRAWN):
            ctx.count("proposals")
            continue
        Support.objects.bulk_create(
            [Support(proposal=proposal, user=u) for u in supporters if u != author],
            ignore_conflicts=True,
        )
        first = Comment.objects.create(
            content_type=ct, object_id=proposal.pk, author=supporters[0], body=COMMENTS[0]
        )
        Comment.objects.create(
            content_type=ct,
            object_id=proposal.pk,
            author=author,
            parent=first,
            depth=1,
            body="Grazie! Ti scrivo in privato per i dettagli.",
        )
        Comment.objects.create(
            content_type=ct, object_id=proposal.pk, author=supporters[-1], body=COMMENTS[1 + i % 2]
        )
        ctx.count("proposals")
    recount()


def recount(ids=None):
    """Store the support and comment counters of the proposals `ids` (all by default)."""
    qs = Proposal.objects.all() if ids is None else Proposal.objects.filter(pk__in=ids)
    ct = ContentType.objects.get_for_model(Proposal)
    supports = dict(
        Support.objects.filter(proposal__in=qs)
        .values("proposal_id")
        .annotate(n=Count("pk"))
        .values_list("proposal_id", "n")
    )
    comments = dict(
        Comment.objects.filter(content_type=ct, is_hidden=False, is_pending=False, is_removed=False)
        .values("object_id")
        .annotate(n=Count("pk"))
        .values_list("object_id", "n")
    )
    changed = []
    for p in qs.only("pk", "support_count", "comment_count"):
        s, c = supports.get(p.pk, 0), comments.get(p.pk, 0)
        if (p.support_count, p.comment_count) != (s, c):
            p.support_count, p.comment_count = s, c
            changed.append(p)
    Proposal.objects.bulk_update(changed, ["support_count", "comment_count"], batch_size=500)


def _index_page(ctx):
    home = ctx.pages.get("home")
    if home is None:
        return
    page = ParticipationIndexPage.objects.child_of(home).filter(slug="partecipazione").first()
    if page is None:
        page = home.add_child(
            instance=ParticipationIndexPage(
                title="Partecipa",
                slug="partecipazione",
                show_in_menus=True,
                seo_title="Partecipa: proposte e associazioni",
                search_description=(
                    "Le proposte dei cittadini e delle associazioni di Cremona per la pace: "
                    "sostienile, discutile, segui le decisioni del Comune."
                ),
                intro=(
                    "<p>Hai un'idea per la pace, i diritti umani o il dialogo tra culture e fedi? "
                    "Scrivi una proposta, a tuo nome o della tua associazione: la redazione la "
                    "esamina e ogni decisione è pubblica e motivata.</p>"
                ),
            )
        )
        page.save_revision().publish()
        ctx.count("pages")
    ctx.pages["partecipazione"] = page


def load(ctx: DemoContext) -> None:
    topics = {t.slug: t for t in Topic.objects.all()}
    associations = _associations(ctx, topics)
    _memberships(ctx, associations)
    _proposals(ctx, topics, associations)
    _index_page(ctx)

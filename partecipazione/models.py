"""Associations and citizen proposals.

This module holds the core records; the participation issue grows it (supports, comments,
moderation, notifications) with new migrations on top of 0001.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from portal.accounts.names import staff_badge_annotation


class Association(index.Indexed, models.Model):
    name = models.CharField(_("nome"), max_length=160, unique=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    description = models.TextField(_("descrizione"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    website = models.URLField(_("sito web"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    topics = models.ManyToManyField(
        "taxonomy.Topic", verbose_name=_("argomenti"), blank=True, related_name="associations"
    )
    is_verified = models.BooleanField(_("verificata"), default=False)
    register_number = models.CharField(
        _("numero di iscrizione all'albo comunale"), max_length=40, blank=True
    )
    verified_at = models.DateTimeField(_("verificata il"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verificata da"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("creata da"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="associations_created",
    )
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)
    updated_at = models.DateTimeField(_("aggiornata il"), auto_now=True)

    search_fields = [
        index.SearchField("name"),
        index.SearchField("description"),
        index.AutocompleteField("name"),
        index.FilterField("is_verified"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("associazione")
        verbose_name_plural = _("associazioni")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partecipazione:association_detail", kwargs={"slug": self.slug})


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("amministratore")
        MEMBER = "member", _("socio")

    class Status(models.TextChoices):
        INVITED = "invited", _("invitato")
        REQUESTED = "requested", _("richiesta in attesa")
        ACTIVE = "active", _("attivo")

    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("associazione"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("utente"),
    )
    role = models.CharField(_("ruolo"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(_("dal"), auto_now_add=True)

    class Meta:
        verbose_name = _("iscrizione")
        verbose_name_plural = _("iscrizioni")
        constraints = [
            models.UniqueConstraint(fields=["association", "user"], name="unique_membership")
        ]

    def __str__(self):
        return f"{self.user} @ {self.association}"


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("bozza")
    SUBMITTED = "submitted", _("inviata")
    UNDER_REVIEW = "under_review", _("in valutazione")
    ACCEPTED = "accepted", _("accolta")
    REJECTED = "rejected", _("respinta")
    REALISED = "realised", _("realizzata")
    WITHDRAWN = "withdrawn", _("ritirata")


# The groups of states every rule, query, form and admin screen reads: the one place that lists
# them (permissions.can, services, queries, the filters and the eventi admin use these).
_S = ProposalState
#: Seen by everyone (unless hidden by moderation): everything but drafts and withdrawn ones.
PUBLIC_STATES = frozenset({_S.SUBMITTED, _S.UNDER_REVIEW, _S.ACCEPTED, _S.REJECTED, _S.REALISED})
#: Shown in "Proposte in evidenza" and "Le proposte più sostenute": public and still alive.
FEATURABLE_STATES = PUBLIC_STATES - {_S.REJECTED}
#: The author may still change the text.
EDITABLE_STATES = frozenset({_S.DRAFT, _S.SUBMITTED})
#: The author may send it to the editors.
SUBMITTABLE_STATES = frozenset({_S.DRAFT})
#: Citizens may support it.
SUPPORTABLE_STATES = frozenset({_S.SUBMITTED, _S.UNDER_REVIEW, _S.ACCEPTED})
#: Open for comments (a decided proposal may still be discussed).
COMMENTABLE_STATES = PUBLIC_STATES
#: The author may withdraw it: until it is rejected or realised.
WITHDRAWABLE_STATES = frozenset({_S.DRAFT, _S.SUBMITTED, _S.UNDER_REVIEW, _S.ACCEPTED})
#: Waiting for the moderators (their queue).
IN_REVIEW_STATES = frozenset({_S.SUBMITTED, _S.UNDER_REVIEW})
#: An editor may turn it into a draft event page (permissions.can(..., CREATE_EVENT, ...)).
EVENTABLE_STATES = frozenset({_S.ACCEPTED})
#: A moderator may mark it realised (with the event it became, if any).
REALISABLE_STATES = frozenset({_S.ACCEPTED})
#: Its event pages (eventi.EventPage.source_proposal) are listed on its page.
WITH_EVENTS_STATES = frozenset({_S.ACCEPTED, _S.REALISED})
del _S


class ProposalQuerySet(models.QuerySet):
    def public(self):
        """What everyone may see: a public state and not hidden by moderation."""
        return self.filter(state__in=PUBLIC_STATES, is_hidden=False)

    def featurable(self):
        """What may be put in evidence: public, not hidden, neither rejected nor withdrawn."""
        return self.filter(state__in=FEATURABLE_STATES, is_hidden=False)

    def in_review(self):
        return self.filter(state__in=IN_REVIEW_STATES)

    def eventable(self):
        return self.filter(state__in=EVENTABLE_STATES)

    def moderation_queue(self):
        """What the moderators' queue lists: proposals in review, and accepted ones waiting to
        be marked realised."""
        return self.filter(state__in=IN_REVIEW_STATES | REALISABLE_STATES)

    # --- listings (partecipazione.queries is their public API for other apps) ---------

    def for_cards(self):
        """With what a proposal card shows: topic, author (and staff badge), association."""
        return self.select_related("topic", "author", "association").annotate(
            author_badge=staff_badge_annotation()
        )

    def featured(self, topic=None):
        """The most supported proposals that may be featured (newest first on ties).

        Never rejected, withdrawn, draft or hidden ones (`featurable`). `topic` may be a
        Topic instance, its primary key or its slug.
        """
        qs = self.featurable().select_related("topic", "author", "association")
        if topic is not None:
            if hasattr(topic, "pk"):
                qs = qs.filter(topic=topic)
            elif isinstance(topic, int):
                qs = qs.filter(topic_id=topic)
            else:
                qs = qs.filter(topic__slug=str(topic))
        return qs.order_by("-support_count", "-created_at", "-pk")

    def newest(self):
        """Public proposals, newest first, with what a card shows."""
        return self.public().for_cards().order_by("-created_at", "-pk")


class Proposal(index.Indexed, models.Model):
    title = models.CharField(_("titolo"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    summary = models.CharField(_("sommario"), max_length=300)
    body = models.TextField(_("testo"), blank=True)
    topic = models.ForeignKey(
        "taxonomy.Topic",
        verbose_name=_("argomento"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autore"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    association = models.ForeignKey(
        Association,
        verbose_name=_("a nome dell'associazione"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    place = models.CharField(_("luogo"), max_length=200, blank=True)
    expected_participants = models.PositiveIntegerField(
        _("partecipanti previsti"), null=True, blank=True
    )
    state = models.CharField(
        _("stato"),
        max_length=20,
        choices=ProposalState.choices,
        default=ProposalState.DRAFT,
        db_index=True,
    )
    state_note = models.TextField(_("motivazione pubblica"), blank=True)
    support_count = models.PositiveIntegerField(_("sostegni"), default=0)
    comment_count = models.PositiveIntegerField(_("commenti"), default=0)
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)
    updated_at = models.DateTimeField(_("aggiornata il"), auto_now=True)
    submitted_at = models.DateTimeField(_("inviata il"), null=True, blank=True)
    is_hidden = models.BooleanField(_("nascosta dalla moderazione"), default=False)
    report_count = models.PositiveIntegerField(_("segnalazioni in attesa"), default=0)

    objects = ProposalQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.FilterField("state"),
        index.FilterField("topic_id"),
    ]

    class Meta:
        ordering = ["-created_at"]
        # The listings' orders (partecipazione.views.SORTS, featured_proposals): read in
        # index order and stopped after one page instead of sorting every proposal.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="proposal_newest"),
            models.Index(
                fields=["-support_count", "-created_at", "-id"], name="proposal_supported"
            ),
        ]
        verbose_name = _("proposta")
        verbose_name_plural = _("proposte")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partecipazione:proposal_detail", kwargs={"slug": self.slug})


# --- Additions of the participation issue (migrations 0002+) -------------------------------


class ProposalEvent(models.Model):
    """One entry of a proposal's public timeline: every change is recorded here."""

    class Kind(models.TextChoices):
        CREATED = "created", _("creata")
        EDITED = "edited", _("modificata")
        STATE = "state", _("cambio di stato")
        HIDDEN = "hidden", _("nascosta dalla moderazione")
        RESTORED = "restored", _("ripristinata dalla moderazione")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="events", verbose_name=_("proposta")
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    from_state = models.CharField(
        _("stato precedente"), max_length=20, choices=ProposalState.choices, blank=True
    )
    to_state = models.CharField(
        _("nuovo stato"), max_length=20, choices=ProposalState.choices, blank=True
    )
    note = models.TextField(_("nota pubblica"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autore della modifica"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("data"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("evento della cronologia")
        verbose_name_plural = _("cronologia delle proposte")

    def __str__(self):
        return f"{self.proposal_id}: {self.get_kind_display()}"


class ProposalVersion(models.Model):
    """A frozen copy of a proposal's text, one per save: every version stays readable."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="versions", verbose_name=_("proposta")
    )
    number = models.PositiveIntegerField(_("versione"))
    title = models.CharField(_("titolo"), max_length=160)
    summary = models.CharField(_("sommario"), max_length=300)
    body = models.TextField(_("testo"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scritta da"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("data"), auto_now_add=True)

    class Meta:
        ordering = ["proposal", "number"]
        verbose_name = _("versione della proposta")
        verbose_name_plural = _("versioni delle proposte")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="unique_proposal_version")
        ]

    def __str__(self):
        return f"{self.proposal_id} v{self.number}"


class ProposalAttachment(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("proposta")
    )
    file = models.FileField(_("file"), upload_to="proposte/allegati/%Y/%m/")
    title = models.CharField(_("titolo"), max_length=200)
    size = models.PositiveIntegerField(_("dimensione (byte)"), default=0)
    uploaded_at = models.DateTimeField(_("caricato il"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("allegato")
        verbose_name_plural = _("allegati")

    def __str__(self):
        return self.title


class Support(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="supports", verbose_name=_("proposta")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proposal_supports",
        verbose_name=_("utente"),
    )
    created_at = models.DateTimeField(_("dal"), auto_now_add=True)

    class Meta:
        verbose_name = _("sostegno")
        verbose_name_plural = _("sostegni")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="unique_support_per_user")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.proposal_id}"


class Comment(models.Model):
    """A comment on anything (a proposal, an event page): the target is generic."""

    MAX_DEPTH = 2

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, verbose_name=_("tipo")
    )
    object_id = models.PositiveBigIntegerField(_("oggetto"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in risposta a"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    depth = models.PositiveSmallIntegerField(_("livello"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autore"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    body = models.TextField(_("testo"))
    created_at = models.DateTimeField(_("scritto il"), auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(_("modificato il"), null=True, blank=True)
    is_removed = models.BooleanField(_("rimosso dall'autore"), default=False)
    is_hidden = models.BooleanField(_("nascosto dalla moderazione"), default=False)
    is_pending = models.BooleanField(_("in attesa di approvazione"), default=False)
    report_count = models.PositiveIntegerField(_("segnalazioni in attesa"), default=0)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("commento")
        verbose_name_plural = _("commenti")
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        return f"#{self.pk} ({self.content_type_id}:{self.object_id})"

    @property
    def is_visible(self) -> bool:
        return not (self.is_hidden or self.is_pending)

    def excerpt(self) -> str:
        """The start of the text (the moderation queue's first column)."""
        return Truncator(self.body).chars(120)

    excerpt.short_description = _("testo")

    def get_target(self):
        return self.content_type.get_object_for_this_type(pk=self.object_id)


class Report(models.Model):
    """A flag raised by a user on a comment or a proposal."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("spam o pubblicità")
        OFFENSIVE = "offensive", _("contenuto offensivo")
        OFF_TOPIC = "off_topic", _("fuori tema")
        OTHER = "other", _("altro")

    class Status(models.TextChoices):
        PENDING = "pending", _("da esaminare")
        UPHELD = "upheld", _("accolta")
        DISMISSED = "dismissed", _("respinta")

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, verbose_name=_("tipo")
    )
    object_id = models.PositiveBigIntegerField(_("oggetto"))
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("segnalato da"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    reason = models.CharField(_("motivo"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("dettagli"), max_length=500, blank=True)
    status = models.CharField(
        _("stato"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("segnalato il"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("esaminato il"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("esaminato da"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("segnalazione")
        verbose_name_plural = _("segnalazioni")
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "content_type", "object_id"], name="unique_report_per_user"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "status"])]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.content_type_id}:{self.object_id})"


class SuspensionQuerySet(models.QuerySet):
    def active(self, now=None):
        """Not lifted and not over (no end date, or an end date still to come)."""
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True).filter(
            models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now)
        )


class Suspension(models.Model):
    """A moderator stops a user from posting; active while not lifted and not over."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="participation_suspensions",
        verbose_name=_("utente"),
    )
    reason = models.TextField(_("motivo"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sospeso da"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dal"), auto_now_add=True)
    ends_at = models.DateTimeField(
        _("fino al"), null=True, blank=True, help_text=_("Vuoto: fino a revoca.")
    )
    lifted_at = models.DateTimeField(_("revocata il"), null=True, blank=True)
    ends_at = models.DateTimeField(
        _("fino al"),
        null=True,
        blank=True,
        help_text=_("Lascia vuoto per una sospensione senza scadenza."),
    )

    objects = SuspensionQuerySet.as_manager()

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sospensione")
        verbose_name_plural = _("sospensioni")

    def __str__(self):
        return f"{self.user} ({self.created_at:%d/%m/%Y})"


class ModerationLog(models.Model):
    """Who did what, when and why: every moderation action ends here."""

    class Action(models.TextChoices):
        STATE = "state", _("cambio di stato della proposta")
        HIDE = "hide", _("contenuto nascosto")
        AUTO_HIDE = "auto_hide", _("contenuto nascosto automaticamente")
        RESTORE = "restore", _("contenuto ripristinato")
        APPROVE = "approve", _("commento approvato")
        DISMISS = "dismiss", _("segnalazioni respinte")
        SUSPEND = "suspend", _("utente sospeso")
        UNSUSPEND = "unsuspend", _("sospensione revocata")
        VERIFY = "verify", _("associazione verificata")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderatore"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("azione"), max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("tipo"),
    )
    object_id = models.PositiveBigIntegerField(_("oggetto"), null=True, blank=True)
    object_repr = models.CharField(_("elemento"), max_length=200)
    reason = models.TextField(_("motivo"), blank=True)
    created_at = models.DateTimeField(_("data"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("azione di moderazione")
        verbose_name_plural = _("registro della moderazione")
        # Who moderates is this permission (granted to the "Participation moderators" group by
        # migration 0005), never a group name: permissions.is_moderator asks user.has_perm.
        permissions = [("moderate_participation", _("Può moderare la partecipazione"))]

    def __str__(self):
        return f"{self.get_action_display()}: {self.object_repr}"


class Notification(models.Model):
    """An on-site notification; e-mailed at once, in the daily digest, or never."""

    class Kind(models.TextChoices):
        MY_PROPOSAL_STATE = "my_state", _("stato della mia proposta")
        REPLY = "reply", _("risposta a un mio commento")
        FOLLOWED_COMMENT = "followed_comment", _("nuovo commento su una proposta che seguo")
        SUPPORTED_CHANGED = "supported_changed", _("modifica a una proposta che sostengo")
        MEMBERSHIP = "membership", _("associazione")
        FOLLOWED_NEW_EVENT = "followed_new_event", _("nuovo evento in ciò che seguo")
        FOLLOWED_EVENT = "followed_event", _("modifica o annullamento di un evento che seguo")
        FOLLOWED_REALISED = "followed_realised", _("proposta che seguo realizzata")
        MODERATION = "moderation", _("moderazione dei miei contenuti o del mio account")
        MY_EVENT = "my_event", _("decisione su un evento che ho proposto")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="participation_notifications",
        verbose_name=_("destinatario"),
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    message = models.CharField(_("messaggio"), max_length=300)
    url = models.CharField(_("collegamento"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("data"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("letta il"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("inviata per e-mail il"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notifica")
        verbose_name_plural = _("notifiche")

    def __str__(self):
        return self.message


class Appeal(models.Model):
    """A person asks the moderators to review a decision about them: a hidden comment or
    proposal of theirs (``content_type``/``object_id``) or their ``suspension``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("da esaminare")
        UPHELD = "upheld", _("decisione confermata")
        REVERSED = "reversed", _("decisione annullata")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="participation_appeals",
        verbose_name=_("richiesta da"),
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("tipo"),
    )
    object_id = models.PositiveBigIntegerField(_("oggetto"), null=True, blank=True)
    suspension = models.ForeignKey(
        Suspension,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("sospensione"),
    )
    message = models.TextField(_("perché chiedi la revisione"), max_length=2000)
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("chiesta il"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decisa il"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decisa da"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(_("motivazione della decisione"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("richiesta di revisione")
        verbose_name_plural = _("richieste di revisione")

    def __str__(self):
        return f"{self.author} ({self.created_at:%d/%m/%Y})"

    def subject(self):
        """The hidden comment or proposal, or the suspension, under review."""
        if self.suspension_id:
            return self.suspension
        return self.content_type.get_object_for_this_type(pk=self.object_id)


@register_setting(icon="group")
class ParticipationSettings(BaseSiteSetting):
    premoderate_new_users = models.BooleanField(
        _("pre-moderazione dei nuovi utenti"),
        default=False,
        help_text=_(
            "Se attiva, i primi commenti di chi non ha ancora commenti approvati restano in "
            "attesa finché un moderatore non li approva."
        ),
    )
    premoderated_comments = models.PositiveSmallIntegerField(
        _("commenti da approvare per ogni nuovo utente"), default=1
    )

    panels = [FieldPanel("premoderate_new_users"), FieldPanel("premoderated_comments")]

    class Meta:
        verbose_name = _("impostazioni della partecipazione")


class ParticipationIndexPage(Page):
    """The participation area in the page tree (/partecipazione/): intro and latest items."""

    intro = RichTextField(_("introduzione"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("pagina della partecipazione")
        verbose_name_plural = _("pagine della partecipazione")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured_proposals"] = list(Proposal.objects.featured()[:3])
        context["latest_proposals"] = list(Proposal.objects.newest()[:5])
        context["associations"] = Association.objects.filter(is_verified=True).order_by("name")[:6]
        return context

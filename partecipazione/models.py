"""Associations and citizen proposals.

This module holds the core records; the participation issue grows it (supports, comments,
moderation, notifications) with new migrations on top of 0001.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


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
        verbose_name = _("proposta")
        verbose_name_plural = _("proposte")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partecipazione:proposal_detail", kwargs={"slug": self.slug})

"""Venues, event types, the events index and event pages.

Occurrences of the live version of every event are materialised in `EventOccurrence`
(rebuilt whenever the page row is saved in full, i.e. on publish, creation, copy or move),
so listings and the home page read one indexed table with a fixed number of queries.
"""

import hashlib
import uuid
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from eventi import listing, recurrence, source_urls
from eventi.admin_forms import EventPageForm
from eventi.snippets import EventType, Venue
from portal.core.blocks import EventBodyBlock
from portal.core.pages import RouteSafeSlugMixin

CITY_ORGANISER = "Comune di Cremona"
UNKNOWN_HELP = _("Lascia “sconosciuto” se non lo sai: il sito non dice nulla di ciò che non sa.")

#: What listings (event index, month view, venue pages, home and topic pages) show of each
#: date's event, and what its URL needs: loading only these halves the time spent building
#: a month page's 100 rows (an event page row has some 60 columns).
LISTING_FIELDS = (
    "start",
    "end",
    "all_day",
    "cancelled",
    "is_override",
    "original_start",
    "page__title",
    "page__slug",
    "page__url_path",
    "page__path",
    "page__depth",
    "page__locale_id",
    "page__content_type_id",
    "page__live",
    "page__summary",
    "page__status",
    "page__online_url",
    "page__start_date",
    "page__start_time",
    "page__event_type__name",
    "page__event_type__name_en",
    "page__event_type__slug",
    "page__venue__name",
    "page__venue__slug",
)


class PublishMode(models.TextChoices):
    DRAFT = "draft", _("in bozza, da controllare")
    PUBLISH = "publish", _("pubblicati subito")


class SyncStatus(models.TextChoices):
    NEVER = "never", _("mai aggiornato")
    OK = "ok", _("aggiornato")
    UNCHANGED = "unchanged", _("nessuna modifica")
    ERROR = "error", _("errore")


class CalendarSource(models.Model):
    """An external iCalendar (Google, Outlook, any .ics URL) fetched periodically into events.

    The owner is an association, or nobody for the city's peace network. What the last fetch
    found is kept on the row (eventi.sync writes it): the owner and the moderators read the
    status line from here without counting events again.
    """

    association = models.ForeignKey(
        "partecipazione.Association",
        verbose_name=_("associazione"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_sources",
        help_text=_("Vuoto: il calendario della rete per la pace."),
    )
    name = models.CharField(
        _("nome"), max_length=120, blank=True, help_text=_("Per riconoscerlo negli elenchi.")
    )
    url = models.CharField(
        _("indirizzo del calendario"),
        max_length=2000,
        help_text=_(
            "L'indirizzo iCal pubblico (https://… o webcal://…) del calendario Google, "
            "Outlook o di un altro programma."
        ),
    )
    enabled = models.BooleanField(_("attivo"), default=True)
    publish_mode = models.CharField(
        _("eventi importati"),
        max_length=10,
        choices=PublishMode.choices,
        default=PublishMode.DRAFT,
        help_text=_(
            "Pubblicati subito solo per le associazioni verificate (lo decidono i moderatori)."
        ),
    )
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("registrato da"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("registrato il"), auto_now_add=True)
    last_fetch_at = models.DateTimeField(_("ultimo tentativo"), null=True, editable=False)
    last_success_at = models.DateTimeField(_("ultimo aggiornamento"), null=True, editable=False)
    etag = models.CharField(max_length=255, blank=True, editable=False)
    last_modified_header = models.CharField(max_length=64, blank=True, editable=False)
    # of the last file imported: a server without ETag that sends the same file changes nothing
    content_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    last_status = models.CharField(
        _("esito"),
        max_length=10,
        choices=SyncStatus.choices,
        default=SyncStatus.NEVER,
        editable=False,
    )
    last_message = models.TextField(_("messaggio"), blank=True, editable=False)
    event_count = models.PositiveIntegerField(_("eventi"), default=0, editable=False)
    created_count = models.PositiveIntegerField(_("creati"), default=0, editable=False)
    updated_count = models.PositiveIntegerField(_("aggiornati"), default=0, editable=False)
    withdrawn_count = models.PositiveIntegerField(_("ritirati"), default=0, editable=False)
    error_count = models.PositiveIntegerField(_("errori"), default=0, editable=False)

    panels = [
        FieldPanel("association"),
        FieldPanel("name"),
        FieldPanel("url"),
        FieldPanel("enabled"),
        FieldPanel("publish_mode"),
    ]

    class Meta:
        ordering = ["association__name", "name", "pk"]
        verbose_name = _("calendario collegato")
        verbose_name_plural = _("calendari collegati")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "url"], name="eventi_calendarsource_unique_url"
            )
        ]

    def __str__(self):
        owner = self.association.name if self.association_id else _("Rete per la pace")
        return f"{owner}: {self.name or self.url}"

    def clean(self):
        """The address is one that may be fetched (webcal:// is kept as https://). The publish
        mode is checked by the moderators' form (eventi.source_forms): the association's own
        form does not show it."""
        if not self.url:
            return  # the field's own "required" error
        try:
            self.url = source_urls.check_url(self.url)
        except source_urls.SyncError as error:
            raise ValidationError({"url": str(error)}) from error

    def may_publish_directly(self) -> bool:
        return self.association_id is None or self.association.is_verified

    @property
    def publishes(self) -> bool:
        """Events go live at once: chosen by a moderator, and the owner is still verified."""
        return self.publish_mode == PublishMode.PUBLISH and self.may_publish_directly()

    @property
    def failed(self) -> bool:
        return self.last_status == SyncStatus.ERROR


# --- Pages ----------------------------------------------------------------------------


class EventIndexPage(RoutablePageMixin, Page):
    intro = RichTextField(_("introduzione"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["eventi.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("calendario degli eventi")
        verbose_name_plural = _("calendari degli eventi")

    def filtered_occurrences(self, form, fields=LISTING_FIELDS):
        """Visible dates of this calendar's events that match the filter form `form`."""
        qs = EventOccurrence.objects.for_listing(fields).filter(page__path__startswith=self.path)
        if form.has_event_filters():
            qs = qs.filter(page__in=EventPage.objects.filter(form.event_q()).values("pk"))
        data = form.values()
        if data.get("dal"):
            qs = qs.filter(end__gt=listing.local_day_bounds(data["dal"])[0])
        if data.get("al"):
            qs = qs.filter(start__lt=listing.local_day_bounds(data["al"])[1])
        return qs

    # Thin routes (views in eventi.listing); the .ics/.json/.csv files are in eventi.urls,
    # because Wagtail's page URLs always end with a slash.
    @path("")
    def index_route(self, request):
        return listing.event_index(self, request)

    @path("mese/")
    @path("mese/<int:year>/<int:month>/")
    def month_route(self, request, year=None, month=None):
        return listing.event_month(self, request, year, month)

    @path("archivio/")
    def archive_route(self, request):
        return listing.event_archive(self, request)

    @path("luoghi/<slug:slug>/")
    def venue_route(self, request, slug):
        return listing.venue_detail(self, request, slug)


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("in programma")
    CANCELLED = "cancelled", _("annullato")
    POSTPONED = "postponed", _("rinviato")


class Frequency(models.TextChoices):
    NONE = recurrence.NONE, _("non si ripete")
    DAILY = recurrence.DAILY, _("ogni giorno")
    WEEKLY = recurrence.WEEKLY, _("ogni settimana")
    MONTHLY = recurrence.MONTHLY, _("ogni mese")
    YEARLY = recurrence.YEARLY, _("ogni anno")


class EventPage(RouteSafeSlugMixin, Page):
    summary = models.CharField(
        _("sommario"), max_length=300, help_text=_("Una o due frasi: compaiono negli elenchi.")
    )
    body = StreamField(EventBodyBlock(), verbose_name=_("descrizione"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("immagine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_credit = models.CharField(
        _("crediti dell'immagine"),
        max_length=200,
        blank=True,
        help_text=_("Autore e licenza, es. “Foto: Mario Rossi, CC BY 4.0”."),
    )
    topics = ParentalManyToManyField(
        "taxonomy.Topic", verbose_name=_("argomenti"), blank=True, related_name="events"
    )
    event_type = models.ForeignKey(
        EventType,
        verbose_name=_("tipo di evento"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    # When: local wall-clock values (Europe/Rome); no start time means an all-day event.
    start_date = models.DateField(_("data di inizio"))
    start_time = models.TimeField(
        _("ora di inizio"), null=True, blank=True, help_text=_("Vuoto: evento di un giorno intero.")
    )
    end_date = models.DateField(
        _("data di fine"), null=True, blank=True, help_text=_("Solo per eventi di più giorni.")
    )
    end_time = models.TimeField(_("ora di fine"), null=True, blank=True)
    # Where
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("luogo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    online_url = models.URLField(
        _("collegamento per partecipare online"), max_length=2000, blank=True
    )
    # Who
    organised_by_city = models.BooleanField(_("organizzato dal Comune"), default=True)
    organisers = ParentalManyToManyField(
        "partecipazione.Association",
        verbose_name=_("associazioni organizzatrici"),
        blank=True,
        related_name="events",
    )
    audience = models.CharField(_("a chi è rivolto"), max_length=200, blank=True)
    is_free = models.BooleanField(_("ingresso gratuito"), default=True)
    cost = models.CharField(_("costo"), max_length=200, blank=True)
    registration_info = models.TextField(_("come iscriversi"), blank=True)
    registration_url = models.URLField(_("modulo di iscrizione"), max_length=2000, blank=True)
    contact_name = models.CharField(_("referente"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-mail di contatto"), blank=True)
    contact_phone = models.CharField(_("telefono di contatto"), max_length=40, blank=True)
    opening_hours = models.TextField(
        _("orari di apertura"),
        blank=True,
        help_text=_("Per mostre ed eventi di più giorni: es. “da martedì a domenica, 10–19”."),
    )
    further_info = models.TextField(_("ulteriori informazioni"), blank=True)
    patronage = models.CharField(_("patrocinato da"), max_length=300, blank=True)
    sponsors = models.CharField(_("sponsor"), max_length=300, blank=True)
    # Accessibility
    # Unknown (None) is said nowhere: the page shows only what the editors know.
    step_free_access = models.BooleanField(
        _("accesso senza barriere"), null=True, blank=True, default=None, help_text=UNKNOWN_HELP
    )
    sign_language = models.BooleanField(
        _("interprete LIS"), null=True, blank=True, default=None, help_text=UNKNOWN_HELP
    )
    induction_loop = models.BooleanField(
        _("anello a induzione magnetica"),
        null=True,
        blank=True,
        default=None,
        help_text=UNKNOWN_HELP,
    )
    accessibility_notes = models.TextField(_("altre informazioni sull'accessibilità"), blank=True)
    # Status
    status = models.CharField(
        _("stato"), max_length=12, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    status_reason = models.TextField(
        _("motivo pubblico"),
        blank=True,
        help_text=_("Obbligatorio se l'evento è annullato o rinviato: lo leggono i cittadini."),
    )
    # Recurrence
    frequency = models.CharField(
        _("ripetizione"), max_length=10, choices=Frequency.choices, default=Frequency.NONE
    )
    interval = models.PositiveSmallIntegerField(_("ogni quante volte"), default=1)
    weekdays = models.JSONField(_("giorni della settimana"), default=list, blank=True)
    until = models.DateField(_("fino al"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("numero di volte"), null=True, blank=True)
    # The rest of an RFC 5545 rule (see eventi.recurrence.EventSchedule), and extra dates
    nth_weekdays = models.JSONField(_("giorni del mese"), default=list, blank=True)
    month_days = models.JSONField(_("giorni del mese (numeri)"), default=list, blank=True)
    months = models.JSONField(_("mesi"), default=list, blank=True)
    set_positions = models.JSONField(_("posizioni nel periodo"), default=list, blank=True)
    extra_dates = models.JSONField(_("date in più"), default=list, blank=True)
    # Links
    source_proposal = models.ForeignKey(
        "partecipazione.Proposal",
        verbose_name=_("proposta di origine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_pages",
    )
    # Proposed by an association member through the front-end form (eventi.submissions): told
    # of the editors' decision (approved at the first publication, or rejected).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposto da"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="submitted_events",
    )
    # Imported from an association's calendar (manage.py import_ics): its UID and version.
    external_uid = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    external_last_modified = models.DateTimeField(null=True, blank=True, editable=False)
    # What the importer read from the source last time (a digest): the same again is skipped
    # without reading the page's draft (eventi.importer).
    external_digest = models.CharField(max_length=64, blank=True, editable=False)
    # Kept in step with a CalendarSource (eventi.sync): gone from it = withdrawn, never deleted.
    calendar_source = models.ForeignKey(
        CalendarSource,
        verbose_name=_("calendario collegato"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        editable=False,
    )
    withdrawn_from_source_at = models.DateTimeField(
        _("ritirato dal calendario collegato il"), null=True, blank=True, editable=False
    )
    # iCalendar identity: never edited, never restored from a revision, new on copy.
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    published_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # When something shown in its VEVENTs changed outside a publication (its venue was
    # renamed or moved): LAST-MODIFIED is the later of this and the last publication.
    feed_modified_at = models.DateTimeField(null=True, blank=True, editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("start_time")]),
                FieldRowPanel([FieldPanel("end_date"), FieldPanel("end_time")]),
            ],
            heading=_("Quando"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("frequency"),
                FieldPanel("interval"),
                FieldPanel("weekdays"),
                FieldPanel("nth_weekdays"),
                FieldRowPanel([FieldPanel("month_days"), FieldPanel("months")]),
                FieldPanel("set_positions"),
                FieldRowPanel([FieldPanel("until"), FieldPanel("count")]),
                FieldPanel("extra_dates"),
                InlinePanel("excluded_dates", label=_("date escluse")),
                InlinePanel("occurrence_overrides", label=_("date spostate o annullate")),
            ],
            heading=_("Ripetizione"),
            classname="collapsed",
        ),
        MultiFieldPanel(
            [FieldPanel("venue"), FieldPanel("online_url")],
            heading=_("Dove"),
        ),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("status_reason")],
            heading=_("Stato"),
        ),
        FieldPanel("event_type"),
        FieldPanel("topics"),
        FieldRowPanel([FieldPanel("image"), FieldPanel("image_credit")]),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("organised_by_city"), FieldPanel("organisers")],
            heading=_("Organizzazione"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldRowPanel([FieldPanel("is_free"), FieldPanel("cost")]),
                FieldPanel("registration_info"),
                FieldPanel("registration_url"),
                FieldPanel("opening_hours"),
            ],
            heading=_("Partecipazione"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")]),
            ],
            heading=_("Contatti"),
        ),
        MultiFieldPanel(
            [FieldPanel("further_info"), FieldPanel("patronage"), FieldPanel("sponsors")],
            heading=_("Ulteriori informazioni"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("step_free_access"),
                FieldPanel("sign_language"),
                FieldPanel("induction_loop"),
                FieldPanel("accessibility_notes"),
            ],
            heading=_("Accessibilità"),
        ),
        InlinePanel("attachments", label=_("allegati")),
        FieldPanel("source_proposal", read_only=True),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("start_date"),
        index.FilterField("status"),
        index.RelatedFields("venue", [index.SearchField("name")]),
    ]

    base_form_class = EventPageForm
    parent_page_types = ["eventi.EventIndexPage"]
    subpage_types: list = []
    exclude_fields_in_copy = [
        "uid",
        "sequence",
        "published_fingerprint",
        "feed_modified_at",
        "external_uid",
        "external_last_modified",
        "calendar_source",
        "withdrawn_from_source_at",
        "submitted_by",
    ]

    class Meta:
        verbose_name = _("evento")
        verbose_name_plural = _("eventi")

    # --- identity and revisions -------------------------------------------------------

    @property
    def ical_uid(self) -> str:
        return f"{self.uid}@pace.comune.cremona.it"

    def with_content_json(self, content):
        """The iCalendar identity and the proposal it came from belong to the page, not to a
        revision (the proposal link is set by the moderators' "realised" action on the row)."""
        obj = super().with_content_json(content)
        obj.source_proposal_id = self.source_proposal_id
        obj.uid = self.uid
        obj.sequence = self.sequence
        obj.published_fingerprint = self.published_fingerprint
        # so is the link to a synchronised calendar (publishing an old revision keeps it)
        obj.calendar_source_id = self.calendar_source_id
        obj.external_digest = self.external_digest  # what the last import read
        obj.withdrawn_from_source_at = self.withdrawn_from_source_at
        obj.feed_modified_at = self.feed_modified_at
        return obj

    def save(self, *args, **kwargs):
        self.__dict__.pop("_related_cache", None)
        result = super().save(*args, **kwargs)
        if kwargs.get("update_fields") is None:
            self.rebuild_occurrences()
            # The stored VEVENTs may no longer match the row: publication stores new ones
            # (eventi.signals), feeds rebuild any that are missing.
            EventFeedComponent.objects.filter(page_id=self.pk).delete()
        return result

    def clean(self):
        super().clean()
        errors = {}
        if self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("La data di fine non può precedere quella di inizio.")
        if self.end_time and not self.start_time:
            errors["end_time"] = _("Indica anche l'ora di inizio, oppure lascia vuote entrambe.")
        if (
            self.start_time
            and self.end_time
            and (self.end_date or self.start_date) == self.start_date
            and self.end_time < self.start_time
        ):
            errors["end_time"] = _("L'ora di fine non può precedere quella di inizio.")
        if self.status != EventStatus.SCHEDULED and not self.status_reason.strip():
            errors["status_reason"] = _("Spiega ai cittadini perché l'evento è cambiato.")
        if self.frequency == Frequency.NONE and (self.until or self.count):
            errors["frequency"] = _("Scegli come si ripete l'evento, o togli 'fino al'/'numero'.")
        if self.until and self.until < self.start_date:
            errors["until"] = _("La ripetizione deve finire dopo la data di inizio.")
        if self.until and self.count:
            errors["count"] = _("Indica 'fino al' oppure 'numero di volte', non entrambi.")
        if errors:
            raise ValidationError(errors)

    # --- schedule ---------------------------------------------------------------------

    @property
    def all_day(self) -> bool:
        return self.start_time is None

    @property
    def is_recurring(self) -> bool:
        return self.frequency != Frequency.NONE

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_postponed(self) -> bool:
        return self.status == EventStatus.POSTPONED

    @property
    def is_online_only(self) -> bool:
        return bool(self.online_url) and not self.venue_id

    def accessibility_facts(self) -> list[tuple[str, bool]]:
        """(label, yes/no) for what the editors said; nothing physical for an online event."""
        facts = [(_("Interprete LIS"), self.sign_language)]
        if not self.is_online_only:
            facts = [
                (_("Accesso senza barriere"), self.step_free_access),
                *facts,
                (_("Anello a induzione magnetica"), self.induction_loop),
            ]
        return [(str(label), value) for label, value in facts if value is not None]

    @property
    def modified_at(self) -> datetime | None:
        """When what calendars show of the event last changed (LAST-MODIFIED)."""
        published = self.last_published_at or self.first_published_at
        stamps = [value for value in (published, self.feed_modified_at) if value]
        return max(stamps) if stamps else self.latest_revision_created_at

    @property
    def accessibility_features(self) -> list[str]:
        """The accessibility features as the tokens of X-CDP-ACCESSIBILITY (README)."""
        return [
            token
            for token, present in (
                ("step-free-access", self.step_free_access),
                ("sign-language", self.sign_language),
                ("induction-loop", self.induction_loop),
            )
            if present
        ]

    def _related_values(self) -> dict:
        """Topic names, organiser names, excluded dates and overrides.

        Feeds attach them in bulk (`feed_data`, see eventi.queries.feed_events) so that
        10,000 events cost four queries; otherwise they come from the page's relations
        (which also works for unsaved previews).
        """
        data = getattr(self, "feed_data", None)
        if data is not None:
            return data
        if "_related_cache" not in self.__dict__:
            self._related_cache = self._load_related_values()
        return self._related_cache

    def _load_related_values(self) -> dict:
        return {
            "topics": [t.name for t in self.topics.all()],
            "organisers": [a.name for a in self.organisers.all()],
            "excluded": {e.date for e in self.excluded_dates.all()},
            "overrides": [
                recurrence.Override(o.original_date, o.cancelled, o.new_start, o.new_end)
                for o in self.occurrence_overrides.all()
            ],
        }

    def schedule(self) -> recurrence.EventSchedule:
        related = self._related_values()
        return recurrence.EventSchedule(
            start_date=self.start_date,
            start_time=self.start_time,
            end_date=self.end_date,
            end_time=self.end_time,
            frequency=self.frequency,
            interval=self.interval or 1,
            weekdays=[int(d) for d in (self.weekdays or [])],
            until=self.until,
            count=self.count,
            excluded_dates=set(related["excluded"]),
            overrides=list(related["overrides"]),
            nth_weekdays=[(int(n), int(d)) for n, d in (self.nth_weekdays or [])],
            month_days=[int(d) for d in (self.month_days or [])],
            months=[int(m) for m in (self.months or [])],
            set_positions=[int(p) for p in (self.set_positions or [])],
            extra_dates=[datetime.fromisoformat(v) for v in (self.extra_dates or [])],
        )

    @property
    def start(self) -> datetime:
        return recurrence.make_aware(self.schedule().first_start_naive())

    def schedule_fingerprint(self) -> str:
        """What SEQUENCE tracks: date, time, recurrence, place and status."""
        parts = [
            self.start_date,
            self.start_time,
            self.end_date,
            self.end_time,
            self.frequency,
            self.interval,
            sorted(int(d) for d in (self.weekdays or [])),
            self.until,
            self.count,
            self.nth_weekdays,
            self.month_days,
            self.months,
            self.set_positions,
            sorted(self.extra_dates or []),
            sorted(e.date for e in self.excluded_dates.all()),
            sorted(
                (
                    o.original_date,
                    o.cancelled,
                    o.new_start.timestamp() if o.new_start else None,
                    o.new_end.timestamp() if o.new_end else None,
                )
                for o in self.occurrence_overrides.all()
            ),
            self.venue_id,
            self.online_url,
            self.status,
        ]
        return hashlib.sha256(repr(parts).encode()).hexdigest()

    def occurrence_rows(self) -> list["EventOccurrence"]:
        return [
            EventOccurrence(
                page_id=self.pk,
                start=slot.start,
                end=slot.end,
                all_day=slot.all_day,
                cancelled=slot.cancelled or self.is_cancelled,
                is_override=slot.is_override,
                original_start=slot.original_start,
            )
            for slot in recurrence.expand(self.schedule())
        ]

    def rebuild_occurrences(self) -> None:
        with transaction.atomic():
            EventOccurrence.objects.filter(page_id=self.pk).delete()
            EventOccurrence.objects.bulk_create(self.occurrence_rows())

    # --- display helpers --------------------------------------------------------------

    @property
    def topic_names(self) -> list[str]:
        return list(self._related_values()["topics"])

    @cached_property
    def organiser_names(self) -> list[str]:
        names = [CITY_ORGANISER] if self.organised_by_city else []
        return names + list(self._related_values()["organisers"])

    def prepare_for_display(self, request=None) -> None:
        """Load what an event page, its schedule and its template read, in a fixed few queries
        whatever the event: one a relation (Django's `prefetch_related_objects`), and the venue,
        the event type and the image together (one join through the page's row), so
        `page.topics.all()`, `page.schedule()`, `page.organiser_names`... read no more.

        A preview's relations are the edit form's, held in memory by modelcluster: they must
        win over the database, so nothing is loaded for a preview (and a page built from a
        revision keeps the relations it holds in memory: modelcluster serves them first).
        """
        if self.pk is None or getattr(request, "is_preview", False):
            return
        prefetch_related_objects(
            [self],
            "topics",
            "organisers",
            "excluded_dates",
            "occurrence_overrides",
            Prefetch("attachments", queryset=EventAttachment.objects.select_related("document")),
        )
        wanted = [name for name in ("venue", "event_type", "image") if getattr(self, f"{name}_id")]
        if wanted:
            row = EventPage.objects.select_related(*wanted).only(*wanted).get(pk=self.pk)
            for name in wanted:
                # A page built from a revision may point elsewhere than the saved row.
                if getattr(row, f"{name}_id") == getattr(self, f"{name}_id"):
                    setattr(self, name, getattr(row, name))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(listing.event_page_context(self, request))
        return context


class EventExcludedDate(Orderable):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="excluded_dates")
    date = models.DateField(_("data"))

    panels = [FieldPanel("date")]

    class Meta(Orderable.Meta):
        verbose_name = _("data esclusa")
        verbose_name_plural = _("date escluse")


class EventOccurrenceOverride(Orderable):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="occurrence_overrides")
    original_date = models.DateField(
        _("data originale"), help_text=_("Il giorno in cui l'evento si sarebbe tenuto.")
    )
    cancelled = models.BooleanField(_("annullato"), default=False)
    new_start = models.DateTimeField(_("nuovo inizio"), null=True, blank=True)
    new_end = models.DateTimeField(_("nuova fine"), null=True, blank=True)
    note = models.CharField(_("nota pubblica"), max_length=200, blank=True)

    panels = [
        FieldPanel("original_date"),
        FieldPanel("cancelled"),
        FieldRowPanel([FieldPanel("new_start"), FieldPanel("new_end")]),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("data spostata o annullata")
        verbose_name_plural = _("date spostate o annullate")

    def clean(self):
        if not self.cancelled and not self.new_start:
            raise ValidationError(
                {"new_start": _("Indica il nuovo inizio, oppure segna la data come annullata.")}
            )
        if self.new_start and self.new_end and self.new_end < self.new_start:
            raise ValidationError({"new_end": _("La fine non può precedere l'inizio.")})


class EventAttachment(Orderable):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("documento"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("titolo"), max_length=160, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("allegato")
        verbose_name_plural = _("allegati")

    @property
    def label(self) -> str:
        return self.title or self.document.title


# --- Materialised occurrences ---------------------------------------------------------


def this_minute() -> datetime:
    """Now, to the minute: listings' queries stay the same (and cacheable) for a minute."""
    return timezone.now().replace(second=0, microsecond=0)


class OccurrenceQuerySet(models.QuerySet):
    def visible(self):
        """Occurrences of live, public event pages.

        A join on the page row rather than `page__in=<every live page>`: with the latter,
        databases build the list of every live event, fetch all their dates and sort them;
        with the join they walk the (start, page) index in listing order and stop at the
        last row of the page of results (10,000 events: ~40 ms down to ~1 ms on SQLite).
        """
        return self.filter(page__live=True).exclude(
            page__in=EventPage.objects.not_public().values("pk")  # no clause without any
        )

    def for_listing(self, fields=LISTING_FIELDS):
        """Visible occurrences with what listings show (venue, type), in listing order.

        `fields=None` loads the whole event (open data lists every field).
        """
        qs = (
            self.visible()
            .select_related("page", "page__venue", "page__event_type")
            .order_by("start", "page_id")
        )
        return qs.only(*fields) if fields else qs.defer("page__body")

    def upcoming(self, now=None):
        """Ongoing and future (to the minute, so listings' queries can be cached)."""
        return self.filter(end__gte=now or this_minute())

    def past(self, now=None):
        return self.filter(end__lt=now or this_minute())


class EventOccurrence(models.Model):
    """One date of an event (the live version), computed by eventi.recurrence."""

    page = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="occurrences")
    start = models.DateTimeField()  # indexed with the page below: the listings' order
    end = models.DateTimeField(db_index=True)
    all_day = models.BooleanField(default=False)
    cancelled = models.BooleanField(default=False)
    is_override = models.BooleanField(default=False)
    original_start = models.DateTimeField(null=True)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["start", "page_id"]
        indexes = [models.Index(fields=["start", "page"], name="eventi_occurrence_start_page")]
        verbose_name = _("data di un evento")
        verbose_name_plural = _("date degli eventi")

    def __str__(self):
        return f"{self.page_id} @ {self.start:%Y-%m-%d %H:%M}"

    @property
    def local_start(self) -> datetime:
        return recurrence.to_local(self.start)

    @property
    def local_end(self) -> datetime:
        return recurrence.to_local(self.end)

    @property
    def last_day(self) -> date:
        """The last day of an all-day occurrence (its stored end is exclusive)."""
        return (
            (self.local_end - timedelta(days=1)).date() if self.all_day else self.local_end.date()
        )

    @property
    def is_multi_day(self) -> bool:
        return self.last_day > self.local_start.date()

    @property
    def has_end_time(self) -> bool:
        return not self.all_day and self.end > self.start


class EventFeedComponent(models.Model):
    """The VEVENT block(s) of an event's live version, serialised by eventi.ical.

    The master VEVENT and its RECURRENCE-ID overrides, exactly as icalendar writes them
    (CRLF, folded lines), so a feed is one query plus a join (see `ical.feed_bytes`).
    `version` fingerprints what the text was built from (publication, SEQUENCE, URL, venue,
    type, language, code): a feed rebuilds the rows whose version no longer matches.
    Written on publication, by the bulk demo loader and by `manage.py build_event_ical`;
    dropped when the page row is saved in full or a related name changes (eventi.signals).
    Only reached through the live, public EventPage queryset of a feed.
    """

    page = models.OneToOneField(
        EventPage, on_delete=models.CASCADE, primary_key=True, related_name="feed_component"
    )
    version = models.CharField(max_length=64)
    ics = models.TextField()

    class Meta:
        verbose_name = _("VEVENT serializzato")
        verbose_name_plural = _("VEVENT serializzati")

    def __str__(self):
        return f"VEVENT {self.page_id}"

"""Records left by visitors: 'was this page useful?' ratings and school booking requests."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class PageFeedback(models.Model):
    # The follow-up questions of the Italian municipal model (Designers Italia's feedback
    # component): what went well after a rating of 4-5, what went wrong after 1-3.
    POSITIVE_THRESHOLD = 3

    class Aspect(models.TextChoices):
        CLEAR = "clear", _("Le indicazioni erano chiare")
        COMPLETE = "complete", _("Le indicazioni erano complete")
        ON_TRACK = "on_track", _("Capivo sempre che stavo procedendo correttamente")
        NO_TECHNICAL_PROBLEMS = "no_problems", _("Non ho avuto problemi tecnici")
        OTHER_POSITIVE = "other_positive", _("Altro")
        UNCLEAR = "unclear", _("A volte le indicazioni non erano chiare")
        INCOMPLETE = "incomplete", _("A volte le indicazioni non erano complete")
        LOST = "lost", _("A volte non capivo se stavo procedendo correttamente")
        TECHNICAL_PROBLEMS = "problems", _("Ho avuto problemi tecnici")
        OTHER_NEGATIVE = "other_negative", _("Altro")

    POSITIVE_ASPECTS = ("clear", "complete", "on_track", "no_problems", "other_positive")
    NEGATIVE_ASPECTS = ("unclear", "incomplete", "lost", "problems", "other_negative")

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("pagina"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    rating = models.PositiveSmallIntegerField(
        _("valutazione"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("Da 1 (per niente utile) a 5 (molto utile)."),
    )
    aspect = models.CharField(_("aspetto"), max_length=20, choices=Aspect.choices, blank=True)
    comment = models.TextField(_("commento"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("inviata il"), auto_now_add=True, db_index=True)

    panels = [
        FieldPanel("page", read_only=True),
        FieldPanel("rating"),
        FieldPanel("aspect"),
        FieldPanel("comment"),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("valutazione di una pagina")
        verbose_name_plural = _("valutazioni delle pagine")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="page_feedback_rating_1_5"
            )
        ]

    def __str__(self):
        return f"{self.page_id}: {self.rating}/5"


class SchoolBookingRequest(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("da gestire")
        CONFIRMED = "confirmed", _("confermata")
        DECLINED = "declined", _("non accolta")

    programme = models.ForeignKey(
        "home.SchoolProgrammePage",
        verbose_name=_("percorso"),
        on_delete=models.CASCADE,
        related_name="booking_requests",
    )
    school = models.CharField(_("scuola"), max_length=200)
    teacher = models.CharField(_("docente di riferimento"), max_length=160)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    class_name = models.CharField(_("classe"), max_length=60)
    pupils = models.PositiveSmallIntegerField(
        _("numero di studenti"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    preferred_period = models.CharField(_("periodo preferito"), max_length=200, blank=True)
    notes = models.TextField(_("note"), blank=True, max_length=2000)
    status = models.CharField(_("stato"), max_length=12, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(_("inviata il"), auto_now_add=True)

    panels = [
        FieldPanel("programme", read_only=True),
        FieldPanel("school"),
        FieldPanel("teacher"),
        FieldPanel("email"),
        FieldPanel("phone"),
        FieldPanel("class_name"),
        FieldPanel("pupils"),
        FieldPanel("preferred_period"),
        FieldPanel("notes"),
        FieldPanel("status"),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("richiesta di prenotazione")
        verbose_name_plural = _("richieste di prenotazione")

    def __str__(self):
        return f"{self.school} – {self.class_name}"

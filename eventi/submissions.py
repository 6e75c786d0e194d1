"""Events proposed by associations: the front-end form, its views and the editors' decision.

An active member of an association (``permissions.can(user, "propose_event", association)``)
fills in the same fields as the admin event form, checked by the same schedule rules
(``eventi.forms.EventScheduleForm``). The event becomes an unpublished EventPage under the
events index, with the association as organiser, and enters the page's Wagtail workflow:
moderators and editors approve or reject it in the Wagtail admin. The author is told of the
decision (``partecipazione.notifications.event_submission_decided``): at its first
publication, or when a workflow task is rejected (with the reviewer's comment).
"""

from datetime import date

from django import forms
from django.contrib import messages
from django.db import transaction
from django.dispatch import receiver
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log
from wagtail.rich_text import RichText
from wagtail.signals import page_published, task_rejected
from wagtail.users.models import UserProfile

from eventi.models import EventExcludedDate, EventIndexPage, EventPage
from eventi.schedule_forms import EventScheduleForm
from partecipazione import notifications, permissions
from partecipazione.models import Association
from partecipazione.views import _deny
from portal.core.pages import in_private_section, route_slugs
from portal.core.sanitize import render_markdown_rich_text

MAX_BODY_CHARS = 20000


class DateListField(forms.CharField):
    """Dates, one a line (AAAA-MM-GG): the dates left out of a repeating event."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(day.isoformat() for day in value)
        return value

    def to_python(self, value):
        days = set()
        for line in super().to_python(value).splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                days.add(date.fromisoformat(line))
            except ValueError:
                raise forms.ValidationError(
                    gettext_lazy("“%(value)s” non è una data: scrivi AAAA-MM-GG, una per riga.")
                    % {"value": line}
                ) from None
        return sorted(days)


class AssociationEventForm(EventScheduleForm, forms.ModelForm):
    """The admin event's fields for association members (no status, image or organisers:
    the association organises it, the editors add the rest)."""

    body_text = forms.CharField(
        label=gettext_lazy("Descrizione"),
        required=False,
        max_length=MAX_BODY_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Il programma, gli ospiti, cosa portare. Paragrafi e collegamenti."),
    )
    online_url = forms.URLField(
        label=gettext_lazy("collegamento per partecipare online"),
        required=False,
        max_length=2000,
        assume_scheme="https",
    )
    registration_url = forms.URLField(
        label=gettext_lazy("modulo di iscrizione"),
        required=False,
        max_length=2000,
        assume_scheme="https",
    )
    excluded = DateListField(
        label=gettext_lazy("date escluse"),
        required=False,
        help_text=gettext_lazy(
            "Giorni della ripetizione in cui l'evento non si tiene, uno per riga: AAAA-MM-GG."
        ),
    )

    class Meta:
        model = EventPage
        fields = [
            "title",
            "summary",
            "start_date",
            "start_time",
            "end_date",
            "end_time",
            "frequency",
            "interval",
            "weekdays",
            "nth_weekdays",
            "month_days",
            "months",
            "set_positions",
            "until",
            "count",
            "extra_dates",
            "venue",
            "online_url",
            "event_type",
            "topics",
            "audience",
            "is_free",
            "cost",
            "registration_info",
            "registration_url",
            "contact_name",
            "contact_email",
            "contact_phone",
            "step_free_access",
            "sign_language",
            "induction_loop",
            "accessibility_notes",
        ]
        labels = {"title": gettext_lazy("titolo")}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "topics": forms.CheckboxSelectMultiple,
            "registration_info": forms.Textarea(attrs={"rows": 3}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {"required": gettext_lazy("Scrivi il titolo dell'evento.")},
            "summary": {"required": gettext_lazy("Scrivi un breve sommario.")},
            "start_date": {
                "required": gettext_lazy("Indica la data di inizio."),
                "invalid": gettext_lazy("Data non valida: usa il formato AAAA-MM-GG."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].empty_label = _("Nessun luogo (solo online, o da definire)")
        self.fields["event_type"].empty_label = _("Scegli un tipo")
        for name in ("start_date", "end_date", "until"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        for name in ("start_time", "end_time"):
            self.fields[name].input_formats = ["%H:%M"]
            self.fields[name].error_messages["invalid"] = _("Ora non valida: usa il formato HH:MM.")

    def schedule_exceptions(self) -> list:
        return [
            (day, lambda message: self.add_error("excluded", message))
            for day in self.cleaned_data.get("excluded") or []
        ]

    def excluded_days(self) -> set:
        return set(self.cleaned_data.get("excluded") or [])

    def clean(self):
        data = super().clean()
        if not data.get("venue") and not data.get("online_url"):
            self.add_error(
                "venue", _("Scegli il luogo dell'evento, oppure indica il collegamento online.")
            )
        return data


def events_index():
    """The events index the proposals go under (the first live, public one)."""
    return EventIndexPage.objects.live().exclude(in_private_section()).order_by("path").first()


def _free_slug(index, title: str) -> str:
    base = slugify(title)[:70].strip("-") or "evento"
    taken = set(index.get_children().values_list("slug", flat=True)) | route_slugs(EventIndexPage)
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def submit_event(form, association, user, index) -> EventPage:
    """The form's event as an unpublished page organised by `association`, submitted to its
    workflow (when the tree has one) by `user`, who is told of the editors' decision."""
    page = form.instance
    page.organised_by_city = False
    page.submitted_by = user
    page.owner = user
    page.live = False
    page.slug = _free_slug(index, page.title)
    text = form.cleaned_data.get("body_text", "").strip()
    page.body = [("paragraph", RichText(render_markdown_rich_text(text)))] if text else []
    page.topics = list(form.cleaned_data.get("topics") or [])
    page.organisers = [association]
    for day in form.cleaned_data.get("excluded") or []:
        page.excluded_dates.add(EventExcludedDate(date=day))
    with transaction.atomic():
        index.add_child(instance=page)
        revision = page.save_revision(user=user, log_action=False)
        log(instance=page, action="wagtail.create", user=user, revision=revision)
        workflow = page.get_workflow()
        if workflow is not None:
            _portal_notifications_only(user)
            workflow.start(page, user)
    return page


def _portal_notifications_only(user) -> None:
    """A member without admin access hears the decision from the portal's notifications
    (submission_published/submission_rejected below), not from Wagtail's workflow e-mails,
    whose links lead into an admin they cannot open (and which would tell them twice)."""
    if user.has_perm("wagtailadmin.access_admin"):
        return
    profile = UserProfile.get_for_user(user)
    if profile.approved_notifications or profile.rejected_notifications:
        profile.approved_notifications = profile.rejected_notifications = False
        profile.save(update_fields=["approved_notifications", "rejected_notifications"])


def propose_event(request, slug):
    association = get_object_or_404(Association, slug=slug)
    if not permissions.can(request.user, "propose_event", association):
        return _deny(request, _("Solo i soci dell'associazione ne propongono gli eventi."))
    index = events_index()
    if index is None:
        raise Http404(_("Il calendario degli eventi non è ancora pubblicato."))
    form = AssociationEventForm(request.POST or None, instance=EventPage())
    if request.method == "POST" and form.is_valid():
        page = submit_event(form, association, request.user, index)
        messages.success(
            request,
            _(
                "Evento «%(title)s» inviato alla redazione: lo trovi qui «in revisione» e ti "
                "avviseremo quando sarà approvato."
            )
            % {"title": page.title},
        )
        return redirect("partecipazione:association_area", slug=association.slug)
    return render(
        request,
        "eventi/association_event_form.html",
        {"association": association, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


# --- telling the author ---------------------------------------------------------------------


@receiver(page_published, sender=EventPage)
def submission_published(sender, instance, **kwargs):
    """The first publication of a proposed event is the editors' approval."""
    if not instance.submitted_by_id or instance.first_published_at != instance.last_published_at:
        return
    notifications.event_submission_decided(
        instance, instance.submitted_by, approved=True, url=instance.get_url() or ""
    )


@receiver(task_rejected)
def submission_rejected(sender, instance, user=None, **kwargs):
    """A reviewer sent the proposed event back: the author reads why (the task's comment)."""
    page = instance.workflow_state.content_object
    page = getattr(page, "specific", page)
    if not isinstance(page, EventPage) or not page.submitted_by_id:
        return
    association = page.organisers.first()
    url = (
        reverse("partecipazione:association_area", kwargs={"slug": association.slug})
        if association
        else ""
    )
    notifications.event_submission_decided(
        page, page.submitted_by, approved=False, reason=instance.comment, url=url
    )

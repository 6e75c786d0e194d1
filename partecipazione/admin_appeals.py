"""Appeals in the Wagtail admin: the pending requests, and a decision form for each.

A moderator opens "Richieste di revisione", follows "Decidi" on a row, reads what is under review
and the person's message, and upholds or reverses the decision (``appeals.decide``: reversing
restores the item or lifts the suspension; the person is told).
"""

from django import forms
from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partecipazione import appeals
from partecipazione.admin_viewsets import (
    ModerationActionView,
    ModerationIndexView,
    ModerationViewSet,
)
from partecipazione.models import Appeal, Comment, Suspension


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decisione"),
        choices=[
            ("upheld", gettext_lazy("Confermo la decisione")),
            ("reversed", gettext_lazy("Annullo la decisione (ripristina o revoca)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Scegli se confermare o annullare.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Motivazione (la legge chi ha chiesto la revisione)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class AppealIndexView(ModerationIndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(status=Appeal.Status.PENDING)
            .select_related("author", "suspension", "content_type")
        )

    def get_page_title(self):
        return _("Richieste di revisione")

    def row_actions(self, instance):
        return [(_("Decidi"), "decide", "tasks")]


class DecideView(ModerationActionView):
    model = Appeal
    form_class = DecisionForm
    submit_label = gettext_lazy("Conferma la decisione")

    def get_queryset(self):
        return Appeal.objects.filter(status=Appeal.Status.PENDING)

    def get_page_title(self):
        return _("Decidi sulla richiesta di revisione")

    def get_preview(self):
        subject = self.object.subject()
        if isinstance(subject, Suspension):
            what = _("Sospensione: %(reason)s") % {"reason": subject.reason}
        elif isinstance(subject, Comment):
            what = _("Commento nascosto: %(body)s") % {"body": subject.body}
        else:
            what = _("Proposta nascosta: %(title)s") % {"title": subject.title}
        return f"{what}\n\n{_('Richiesta:')} {self.object.message}"

    def invalid_message(self, form):
        return _("Scegli se confermare o annullare la decisione.")

    def perform(self, data):
        reverse = data["decision"] == "reversed"
        appeals.decide(self.object, self.request.user, reverse=reverse, note=data["note"])
        messages.success(
            self.request,
            _("Decisione annullata: il contenuto è ripristinato o la sospensione revocata.")
            if reverse
            else _("Decisione confermata."),
        )


class AppealViewSet(ModerationViewSet):
    model = Appeal
    icon = "help"
    index_view_class = AppealIndexView
    list_display = ["author", "message", "created_at"]
    moderation_actions = {"decide": ("decidi", DecideView)}


appeal_viewset = AppealViewSet("moderation_appeals", url_prefix="partecipazione/revisioni")

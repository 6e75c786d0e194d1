"""Forms for calendar sources: the association's own page and the moderators' admin."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from eventi.models import CalendarSource, PublishMode


class CalendarSourceForm(forms.ModelForm):
    """What an association admin sets: the URL, a name, on or off (never the publish mode)."""

    class Meta:
        model = CalendarSource
        fields = ["url", "name", "enabled"]
        widgets = {"url": forms.URLInput(attrs={"inputmode": "url", "autocomplete": "url"})}
        error_messages = {
            "url": {"required": gettext_lazy("Indica l'indirizzo del calendario.")},
        }

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.association = association
        self.fields["enabled"].help_text = _(
            "Se lo disattivi, il calendario non viene più aggiornato; gli eventi restano."
        )

    def validate_unique(self):
        # association is not a form field: the unique (association, url) pair is checked here
        url = self.cleaned_data.get("url")
        others = CalendarSource.objects.filter(association=self.instance.association, url=url)
        if url and others.exclude(pk=self.instance.pk).exists():
            self.add_error("url", _("Questo calendario è già collegato."))


class CalendarSourceAdminForm(WagtailAdminModelForm):
    """The moderators' form: publishing directly only for the network or verified ones."""

    def clean(self):
        cleaned = super().clean()
        association = cleaned.get("association")
        unverified = association is not None and not association.is_verified
        if cleaned.get("publish_mode") == PublishMode.PUBLISH and unverified:
            self.add_error(
                "publish_mode",
                _("Solo i calendari della rete o di associazioni verificate si pubblicano subito."),
            )
        return cleaned

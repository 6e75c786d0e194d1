"""Forms filled in by visitors: page ratings and school booking requests."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from home.models.feedback import PageFeedback, SchoolBookingRequest
from portal.core.forms import InlineRadioSelect


class PageFeedbackForm(forms.ModelForm):
    """The municipal model's feedback component: a 1-5 rating, then one follow-up answer.

    The template (home/includes/page_rating.html) shows the answers that fit the rating
    (what went well for 4-5, what went wrong for 1-3); without JavaScript both lists show.
    """

    rating = forms.TypedChoiceField(
        label=_("Quanto sono chiare le informazioni su questa pagina?"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        widget=InlineRadioSelect,
        help_text=_("(1 = per niente, 5 = moltissimo)"),
        error_messages={
            "required": _("Scegli un voto da 1 a 5."),
            "invalid_choice": _("Scegli un voto da 1 a 5."),
        },
    )
    positive_aspect = forms.ChoiceField(
        label=_("Quali sono stati gli aspetti che hai preferito?"),
        choices=[
            (value, label)
            for value, label in PageFeedback.Aspect.choices
            if value in PageFeedback.POSITIVE_ASPECTS
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    negative_aspect = forms.ChoiceField(
        label=_("Dove hai incontrato le maggiori difficoltà?"),
        choices=[
            (value, label)
            for value, label in PageFeedback.Aspect.choices
            if value in PageFeedback.NEGATIVE_ASPECTS
        ],
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = PageFeedback
        fields = ["rating", "comment"]
        labels = {"comment": _("Vuoi aggiungere altri dettagli? (facoltativo)")}
        widgets = {
            "comment": forms.Textarea(
                attrs={"rows": 3, "maxlength": 1000, "data-element": "feedback-input-text"}
            )
        }

    def clean(self):
        cleaned = super().clean()
        rating = cleaned.get("rating")
        if rating is not None:
            positive = rating > PageFeedback.POSITIVE_THRESHOLD
            # Only the answer to the question the rating asked counts (the other list may
            # have been filled in before the rating changed).
            self.instance.aspect = cleaned.get(
                "positive_aspect" if positive else "negative_aspect", ""
            )
        return cleaned


class SchoolBookingForm(forms.ModelForm):
    class Meta:
        model = SchoolBookingRequest
        fields = [
            "school",
            "teacher",
            "email",
            "phone",
            "class_name",
            "pupils",
            "preferred_period",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


def with_honeypot(form_class):
    """`form_class` with a `website` field that people never see (CSS) and bots fill in."""

    class HoneypotForm(form_class):
        website = forms.CharField(
            label=_("Lascia vuoto questo campo"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

        def clean_website(self):
            if self.cleaned_data.get("website"):
                raise ValidationError(
                    _(
                        "Il messaggio non è stato inviato: sembra scritto da un programma "
                        "automatico."
                    )
                )
            return ""

        def clean(self):
            cleaned = super().clean()
            cleaned.pop("website", None)  # never stored with the submission
            return cleaned

    HoneypotForm.__name__ = form_class.__name__
    return HoneypotForm

"""Forms filled in by visitors: page ratings and school booking requests."""

from django import forms
from django.utils.translation import gettext_lazy as _

from home.models.feedback import PageFeedback, SchoolBookingRequest
from portal.core.forms import InlineRadioSelect


class PageFeedbackForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=_("Quanto ti è stata utile questa pagina?"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        widget=InlineRadioSelect,
        help_text=_("(1 = per niente, 5 = moltissimo)"),
        error_messages={
            "required": _("Scegli un voto da 1 a 5."),
            "invalid_choice": _("Scegli un voto da 1 a 5."),
        },
    )

    class Meta:
        model = PageFeedback
        fields = ["rating", "comment"]
        labels = {"comment": _("Vuoi dirci di più? (facoltativo)")}
        widgets = {"comment": forms.Textarea(attrs={"rows": 3, "maxlength": 1000})}


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

"""Forms filled in by visitors: page ratings and school booking requests."""

from django import forms
from django.utils.translation import gettext_lazy as _

from home.models import PageFeedback, SchoolBookingRequest


class LinkedErrorsMixin:
    """Point each invalid field at its error message (aria-describedby), for screen readers.

    The ids match `templates/includes/form_field.html`: `<field id>-errors`.
    """

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            field_id = self[name].auto_id or name
            described = widget.attrs.get("aria-describedby", "")
            if f"{field_id}-errors" not in described:
                widget.attrs["aria-describedby"] = f"{described} {field_id}-errors".strip()


class PageFeedbackForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=_("Quanto ti è stata utile questa pagina?"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
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


class SchoolBookingForm(LinkedErrorsMixin, forms.ModelForm):
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

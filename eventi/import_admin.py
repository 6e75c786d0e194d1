"""Wagtail admin: an editor uploads an association's .ics and imports it as draft events."""

from django import forms
from django.db import transaction
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eventi.admin_views import _check, events_index
from eventi.importer import ImportErrorMessage, import_calendar
from eventi.importer import parse as decode_and_parse
from partecipazione.models import Association

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class ImportIcsForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File iCalendar (.ics)"),
        help_text=gettext_lazy(
            "Il calendario esportato dall'associazione, al massimo 2 MB. Gli eventi diventano "
            "bozze da controllare; un evento già importato (stesso UID) si aggiorna solo se è "
            "stato modificato dopo l'ultima importazione."
        ),
        widget=forms.FileInput(attrs={"accept": ".ics,text/calendar"}),
        error_messages={
            "required": gettext_lazy("Scegli il file .ics da importare."),
            "empty": gettext_lazy("Il file è vuoto."),
        },
    )
    association = forms.ModelChoiceField(
        label=gettext_lazy("Associazione che organizza gli eventi"),
        queryset=Association.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("Nessuna (da indicare a mano)"),
    )

    def full_clean(self):
        super().full_clean()
        # link each error message to its field (the template gives it the id "<field id>-error")
        for name in self.errors:
            if name in self.fields:
                field_id = self[name].auto_id
                described = [f"{field_id}-error"]
                if self.fields[name].help_text:
                    described.append(f"{field_id}-helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError(_("Il file è vuoto."), code="empty")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Il file è troppo grande (%(size)s): il massimo è 2 MB.")
                % {"size": filesizeformat(upload.size)},
                code="too_big",
            )
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        try:
            calendar = decode_and_parse(data)
        except ImportErrorMessage as error:
            message = str(error)
            if "iCalendar" in message:
                message = _("Il file non è un calendario iCalendar (.ics) valido.")
            raise forms.ValidationError(message, code="invalid") from error
        if not calendar.walk("VEVENT"):
            raise forms.ValidationError(
                _("Il calendario non contiene eventi da importare."), code="no_events"
            )
        self.data_bytes = data
        return upload


def import_ics(request):
    _check(request)
    index = events_index()
    report = None
    if request.method == "POST":
        form = ImportIcsForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    report = import_calendar(
                        form.data_bytes,
                        index,
                        user=request.user,
                        organiser=form.cleaned_data["association"],
                    )
            except ImportErrorMessage as error:
                form.add_error("file", str(error))
    else:
        form = ImportIcsForm()
    return render(
        request,
        "eventi/admin/import_ics.html",
        {"form": form, "report": report, "max_size": MAX_UPLOAD_BYTES},
    )

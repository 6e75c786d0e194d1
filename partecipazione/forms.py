"""Forms of the participation area: Italian messages, sanitised markup, limited uploads."""

import os

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField

from partecipazione import permissions
from partecipazione.models import (
    PUBLIC_STATES,
    Association,
    Comment,
    Proposal,
    ProposalState,
    Report,
)
from portal.core.sanitize import to_plain_text
from portal.taxonomy.models import Topic

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ALLOWED_ATTACHMENT_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png", ".odt", ".docx"}
MAX_ATTACHMENTS = 3
MAX_BODY_CHARS = 20000
COMMENT_MAX_CHARS = 2000


class ProposalForm(forms.ModelForm):
    attachment = forms.FileField(
        label=_("Allegato"),
        required=False,
        help_text=_("PDF, immagine JPG/PNG o documento ODT/DOCX, al massimo 5 MB."),
    )
    attachment_title = forms.CharField(
        label=_("Titolo dell'allegato"), required=False, max_length=200
    )

    class Meta:
        model = Proposal
        fields = [
            "title",
            "summary",
            "body",
            "topic",
            "association",
            "place",
            "expected_participants",
        ]
        labels = {"association": _("Proponi a nome di")}
        help_texts = {
            "body": _(
                "Formattazione in Markdown: una riga vuota separa i paragrafi; **grassetto**, "
                "*corsivo*; elenchi con righe che iniziano con «- » o «1. »; citazioni con «> »; "
                "titoletti con «### »; collegamenti come [testo](https://indirizzo). Nient'altro "
                "viene mostrato (HTML, immagini e script vengono tolti). Usa «Anteprima» per "
                "vedere il risultato."
            ),
            "association": _("Lascia vuoto per proporre a titolo personale."),
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 12}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {
                "required": _("Scrivi un titolo."),
                "max_length": _("Il titolo è troppo lungo."),
            },
            "summary": {
                "required": _("Scrivi un breve sommario."),
                "max_length": _("Il sommario può avere al massimo 300 caratteri."),
            },
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

        allowed = list(permissions.active_roles(user).keys()) if user else []
        self.fields["association"].queryset = Association.objects.filter(pk__in=allowed)
        self.fields["association"].empty_label = _("A titolo personale")
        self.fields["topic"].empty_label = _("Scegli un argomento")
        self.fields["topic"].required = True
        self.fields["topic"].error_messages["required"] = _("Scegli un argomento.")
        self.fields["expected_participants"].error_messages["invalid"] = _(
            "Indica un numero intero."
        )
        self.fields["association"].error_messages["invalid_choice"] = _(
            "Puoi proporre solo a nome di un'associazione di cui sei socio attivo."
        )

    def clean_body(self):
        raw = self.cleaned_data.get("body", "")
        if len(raw) > MAX_BODY_CHARS:
            raise ValidationError(
                _("Il testo è troppo lungo: al massimo %(max)d caratteri."),
                params={"max": MAX_BODY_CHARS},
            )
        # Stored as written; shown through sanitize.render_markdown_rich_text.
        return raw

    def clean_title(self):
        title = to_plain_text(self.cleaned_data.get("title", ""))
        if not title:
            raise ValidationError(_("Scrivi un titolo."))
        return title

    def clean_summary(self):
        summary = to_plain_text(self.cleaned_data.get("summary", ""))
        if not summary:
            raise ValidationError(_("Scrivi un breve sommario."))
        return summary

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        ext = os.path.splitext(upload.name)[1].lower()
        if ext not in ALLOWED_ATTACHMENT_EXTENSIONS:
            raise ValidationError(_("Tipo di file non ammesso: usa PDF, JPG, PNG, ODT o DOCX."))
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(_("Il file è troppo grande: al massimo 5 MB."))
        if self.instance.pk and self.instance.attachments.count() >= MAX_ATTACHMENTS:
            raise ValidationError(_("Puoi allegare al massimo 3 file."))
        return upload


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Il tuo commento"),
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX_CHARS}),
        error_messages={
            "required": _("Il commento è vuoto."),
            "max_length": _("Il commento può avere al massimo %(limit_value)d caratteri."),
        },
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)
    # Honeypot: hidden from people by CSS, filled in by bots.
    website = forms.CharField(
        label=_("Lascia vuoto questo campo"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(
                _("Il commento non è stato inviato: sembra scritto da un programma automatico.")
            )
        return ""

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not to_plain_text(body):
            raise ValidationError(_("Il commento è vuoto."))
        return body


class CommentEditForm(forms.Form):
    body = CommentForm.base_fields["body"]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Motivo della segnalazione"),
        choices=Report.Reason.choices,
        error_messages={
            "required": _("Scegli un motivo."),
            "invalid_choice": _("Scegli un motivo."),
        },
    )
    note = forms.CharField(label=_("Dettagli (facoltativi)"), required=False, max_length=500)


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Motivo del ritiro (facoltativo)"), required=False, max_length=1000
    )


class ProposalFilterForm(forms.Form):
    SORTS = [
        ("newest", _("più recenti")),
        ("supported", _("più sostenute")),
        ("discussed", _("più discusse")),
    ]
    q = forms.CharField(label=_("Cerca"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("Stato"), required=False)
    topic = forms.SlugField(label=_("Argomento"), required=False)
    association = forms.SlugField(label=_("Associazione"), required=False)
    sort = forms.ChoiceField(label=_("Ordina per"), required=False, choices=SORTS)

    def __init__(self, *args, topics=(), associations=(), **kwargs):
        super().__init__(*args, **kwargs)
        public = [c for c in ProposalState.choices if c[0] in PUBLIC_STATES]
        self.fields["state"].choices = [("", _("Tutti"))] + public
        self.fields["topic"].widget = forms.Select(
            choices=[("", _("Tutti"))] + [(t.slug, t.label) for t in topics]
        )
        self.fields["association"].widget = forms.Select(
            choices=[("", _("Tutte"))] + [(a.slug, a.name) for a in associations]
        )


class ModerationForm(forms.Form):
    state = forms.ChoiceField(label=_("Nuovo stato"), choices=ProposalState.choices)
    note = forms.CharField(
        label=_("Nota pubblica"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Obbligatoria per respingere. È pubblicata nella cronologia e inviata all'autore."
        ),
    )


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        start = getattr(obj, "start_date", None)
        return f"{obj.title} ({start:%d/%m/%Y})" if start else obj.title


class RealisedForm(forms.Form):
    """Mark an accepted proposal realised, naming the event it became (if there is one)."""

    event = EventChoiceField(
        label=_("Evento in cui si è realizzata"),
        queryset=None,
        required=False,
        help_text=_(
            "Facoltativo. Un evento pubblicato non ancora collegato ad altre proposte: "
            "proposta ed evento si citeranno a vicenda."
        ),
        error_messages={"invalid_choice": _("Scegli un evento pubblicato dall'elenco.")},
    )
    note = forms.CharField(
        label=_("Nota pubblica"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Facoltativa: è pubblicata nella cronologia e inviata all'autore. Senza nota, la "
            "cronologia nomina l'evento scelto."
        ),
    )

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events
        self.fields["event"].empty_label = _("Nessun evento (realizzata in altro modo)")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Indica il motivo.")},
    )


class AssociationForm(forms.ModelForm):
    website = forms.URLField(
        label=_("Sito web"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Indica un indirizzo web valido (https://...).")},
    )

    class Meta:
        model = Association
        fields = ["name", "description", "website", "email", "phone", "topics", "register_number"]
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "name": {
                "required": _("Scrivi il nome dell'associazione."),
                "unique": _("Esiste già un'associazione con questo nome."),
            },
            "website": {"invalid": _("Indica un indirizzo web valido (https://...).")},
            "email": {"invalid": _("Indica un indirizzo e-mail valido.")},
        }

    def clean_description(self):
        return to_plain_text(self.cleaned_data.get("description", ""))[:4000]


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail della persona da invitare"),
        error_messages={
            "required": _("Indica un indirizzo e-mail."),
            "invalid": _("Indica un indirizzo e-mail valido."),
        },
    )


def comment_parent(form, target_ct, target_id):
    """The parent comment named in the form, if it belongs to the same thread."""
    pid = form.cleaned_data.get("parent")
    if not pid:
        return None
    return Comment.objects.filter(
        pk=pid, content_type=target_ct, object_id=target_id, is_removed=False
    ).first()


class AssociationProfileForm(AssociationForm):
    """What an association's admins change on its public page, logo (with its alt text) too.

    The logo becomes a Wagtail image (Wagtail's image field checks the type, the size and the
    pixels); its description is the alt text every ``{% image %}`` tag writes.
    """

    logo_file = WagtailImageField(
        label=_("Logo"),
        required=False,
        help_text=_("Immagine PNG, JPG, GIF o WEBP, al massimo 10 MB."),
    )
    logo_alt = forms.CharField(
        label=_("Testo alternativo del logo"),
        max_length=255,
        required=False,
        help_text=_(
            "Cosa mostra il logo, per chi non lo vede (per esempio «Colomba bianca su fondo "
            "blu con la scritta Pace»)."
        ),
    )
    remove_logo = forms.BooleanField(label=_("Togli il logo"), required=False)

    class Meta(AssociationForm.Meta):
        fields = ["name", "description", "website", "email", "phone", "topics"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.order_by("sort_order", "name")
        if self.instance.logo_id and not self.is_bound:
            self.initial["logo_alt"] = self.instance.logo.description
        if not self.instance.logo_id:
            del self.fields["remove_logo"]

    def clean(self):
        data = super().clean()
        keeps_logo = self.instance.logo_id and not data.get("remove_logo")
        if (data.get("logo_file") or keeps_logo) and not (data.get("logo_alt") or "").strip():
            self.add_error(
                "logo_alt",
                _("Descrivi il logo per chi non lo vede: il testo alternativo è obbligatorio."),
            )
        return data

    def save(self, user=None):
        association = super().save(commit=False)
        alt = (self.cleaned_data.get("logo_alt") or "").strip()
        upload = self.cleaned_data.get("logo_file")
        if upload:
            association.logo = get_image_model().objects.create(
                title=alt[:255] or association.name,
                description=alt,
                file=upload,
                uploaded_by_user=user,
            )
        elif self.cleaned_data.get("remove_logo"):
            association.logo = None
        elif association.logo_id and association.logo.description != alt:
            association.logo.description = alt
            association.logo.save(update_fields=["description"])
        association.save()
        self.save_m2m()
        return association

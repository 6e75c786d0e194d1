"""Account forms: the extra signup fields (allauth's ACCOUNT_SIGNUP_FORM_CLASS), the profile,
the account deletion confirmation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.accounts.consent import record_consent
from portal.accounts.mfa import requires_mfa
from portal.accounts.models import User
from portal.accounts.names import is_reserved_name

RESERVED_NAME_MESSAGE = _(
    "Questo nome pubblico è riservato alla redazione e alla moderazione del portale: "
    "scegline un altro."
)


def clean_public_name(value: str, user=None) -> str:
    """The public name, refused if it is reserved to staff (and `user` is not staff)."""
    value = (value or "").strip()
    if value and is_reserved_name(value) and not (user is not None and requires_mfa(user)):
        raise forms.ValidationError(RESERVED_NAME_MESSAGE, code="reserved_name")
    return value


class SignupForm(forms.Form):
    """Base class allauth builds its signup form on: real name (private), public name, consent.

    allauth adds e-mail and the two passwords; ``field_order`` puts everything in a sensible order.
    """

    field_order = [
        "first_name",
        "last_name",
        "display_name",
        "email",
        "password1",
        "password2",
        "privacy_accepted",
    ]

    first_name = forms.CharField(
        label=_("Nome"),
        max_length=150,
        help_text=_("Il tuo nome reale resta privato: lo vede solo la redazione."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Cognome"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    display_name = forms.CharField(
        label=_("Nome pubblico"),
        max_length=80,
        help_text=_(
            "Il nome mostrato accanto alle tue proposte e ai tuoi commenti, "
            "ad esempio «Giulia G.» o il nome della tua associazione."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    privacy_accepted = forms.BooleanField(
        label=_("Ho letto l'informativa sulla privacy e accetto il trattamento dei miei dati"),
        error_messages={
            "required": _("Per registrarti devi accettare l'informativa sulla privacy.")
        },
    )

    def clean_display_name(self):
        return clean_public_name(self.cleaned_data.get("display_name"))

    def signup(self, request, user):
        """Called by allauth once the user exists (first and last name are already set)."""
        user.display_name = self.cleaned_data["display_name"].strip()
        user.save(update_fields=["display_name"])
        record_consent(user, request)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "bio", "email_notifications"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"bio": _("Al massimo 600 caratteri; è visibile a tutti.")}

    def clean_display_name(self):
        user = self.instance if self.instance.pk else None
        return clean_public_name(self.cleaned_data.get("display_name"), user)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("La tua password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Per sicurezza, conferma la cancellazione inserendo la tua password."),
    )
    confirm = forms.BooleanField(
        label=_("Ho capito che la cancellazione è definitiva e non si può annullare"),
        error_messages={"required": _("Spunta la casella per confermare.")},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("La password non è corretta."), code="wrong_password")
        return password

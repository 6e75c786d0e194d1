"""Filters of the personal data export (forms render through portal.core.forms)."""

from django import template
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.filter
def value_kind(value) -> str:
    """dict / list / scalar, for the human-readable personal data export."""
    if isinstance(value, dict):
        return "dict"
    if isinstance(value, list | tuple):
        return "list"
    return "scalar"


_SECTION_TITLES = {
    "profile": _("Profilo"),
    "consents": _("Consensi"),
    "follows": _("Elementi seguiti"),
    "calendar": _("Calendario personale"),
    "login_history": _("Storico degli accessi"),
}


@register.filter
def section_title(name: str) -> str:
    return str(_SECTION_TITLES.get(name, name.replace("_", " ").capitalize()))


_KEY_LABELS = {
    "email": _("indirizzo e-mail"),
    "first_name": _("nome"),
    "last_name": _("cognome"),
    "display_name": _("nome pubblico"),
    "public_name": _("nome mostrato agli altri"),
    "bio": _("breve presentazione"),
    "email_notifications": _("notifiche via e-mail"),
    "date_joined": _("registrazione"),
    "last_login": _("ultimo accesso"),
    "email_addresses": _("indirizzi e-mail"),
    "verified": _("confermato"),
    "primary": _("principale"),
    "two_factor_methods": _("verifica in due passaggi"),
    "notice_version": _("versione dell'informativa"),
    "accepted_at": _("accettata il"),
    "type": _("tipo"),
    "id": _("identificativo"),
    "name": _("nome"),
    "since": _("dal"),
    "private_feed_enabled": _("calendario personale attivo"),
    "created_at": _("creato il"),
    "timestamp": _("data e ora"),
    "network": _("rete di provenienza"),
}


@register.filter
def key_label(key) -> str:
    """A readable Italian label for a key of the personal data export (else the key)."""
    return str(_KEY_LABELS.get(key, str(key).replace("_", " ")))


@register.filter
def export_scalar(value) -> str:
    """Booleans as sì/no; ISO timestamps as readable dates; everything else as text."""
    if value is True:
        return str(_("sì"))
    if value is False:
        return str(_("no"))
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        parsed = parse_datetime(value)
        if parsed is not None:
            return formats.date_format(timezone.localtime(parsed), "DATETIME_FORMAT")
    return str(value)

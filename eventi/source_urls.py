"""The address of a linked calendar: which URLs may be fetched.

Only http/https (`webcal://` read as https), never a private, loopback or link-local
address: every address the name resolves to is checked, before the first request (and by
eventi.sync after every redirect). The model's `clean` and the sync share it; it imports
no model, so eventi.models can use it.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

URL_MAX = 2000


class SyncError(Exception):
    """A problem with the calendar's address or answer, explained for its owner."""


def check_setting(name: str):
    return getattr(settings, f"EVENTI_SYNC_{name}")


def check_url(url: str) -> str:
    """The URL to fetch (webcal:// as https://), or SyncError saying why it is refused."""
    url = (url or "").strip()
    if not url:
        raise SyncError(_("Indica l'indirizzo del calendario."))
    if len(url) > URL_MAX:
        raise SyncError(_("L'indirizzo è troppo lungo (oltre 2000 caratteri)."))
    scheme, _sep, rest = url.partition("://")
    if scheme.lower() in ("webcal", "webcals"):
        url = "https://" + rest
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise SyncError(
            _("L'indirizzo deve iniziare con https://, http:// o webcal:// e indicare un sito.")
        )
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as error:
        raise SyncError(_("La porta indicata nell'indirizzo non è valida.")) from error
    _check_host(parts.hostname, port)
    return url


def _check_host(host: str, port: int) -> None:
    if check_setting("ALLOW_PRIVATE_ADDRESSES"):
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise SyncError(
            _("Il sito %(host)s non esiste o non risponde.") % {"host": host}
        ) from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if getattr(address, "ipv4_mapped", None):
            address = address.ipv4_mapped
        if not address.is_global:
            raise SyncError(
                _(
                    "L'indirizzo %(host)s porta a una rete privata o locale (%(address)s): "
                    "si possono collegare solo calendari pubblici su Internet."
                )
                % {"host": host, "address": address}
            )

"""Signal receivers of the accounts app: the login history."""

import ipaddress
from datetime import timedelta

from allauth.account.adapter import get_adapter
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils import timezone

from portal.accounts.models import LoginEvent

# Data minimisation: the login history keeps one year.
LOGIN_HISTORY_DAYS = 365


def truncate_ip(ip: str | None) -> str:
    """The network, not the address: IPv4 /24, IPv6 /48 (data minimisation)."""
    if not ip:
        return ""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _client_ip(request) -> str | None:

    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


@receiver(user_logged_in, dispatch_uid="portal_accounts_login_event")
def record_login(sender, request, user, **kwargs):
    ip = _client_ip(request) if request is not None else None
    LoginEvent.objects.create(user=user, ip_network=truncate_ip(ip))
    cutoff = timezone.now() - timedelta(days=LOGIN_HISTORY_DAYS)
    LoginEvent.objects.filter(user=user, timestamp__lt=cutoff).delete()

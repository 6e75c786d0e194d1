"""The login history: truncated addresses, one year kept."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import LoginEvent
from portal.accounts.signals import truncate_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("ip", "network"),
    [
        ("93.45.120.7", "93.45.120.0/24"),
        ("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::/48"),
        ("", ""),
        ("non-un-indirizzo", ""),
        (None, ""),
    ],
)
def test_truncate_ip(ip, network):
    assert truncate_ip(ip) == network


def test_login_records_event_and_prunes_old_ones(client):
    user = UserFactory(verified=True)
    old = LoginEvent.objects.create(user=user, ip_network="10.0.0.0/24")
    LoginEvent.objects.filter(pk=old.pk).update(timestamp=timezone.now() - timedelta(days=400))
    other_user_old = LoginEvent.objects.create(user=UserFactory(), ip_network="10.0.1.0/24")
    LoginEvent.objects.filter(pk=other_user_old.pk).update(
        timestamp=timezone.now() - timedelta(days=400)
    )
    client.post(
        reverse("account_login"),
        {"login": user.email, "password": "una-password-sicura-2026"},
        REMOTE_ADDR="93.45.120.7",
    )
    events = list(LoginEvent.objects.filter(user=user))
    assert [event.ip_network for event in events] == ["93.45.120.0/24"]
    assert LoginEvent.objects.filter(pk=other_user_old.pk).exists()

"""Signup with consent, e-mail verification, login by e-mail, password reset, rate limits."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from portal.accounts.models import LoginEvent, PrivacyConsent, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Pace-sul-Po-2026!"


def _signup_data(**overrides):
    data = {
        "first_name": "Giulia",
        "last_name": "Galli",
        "display_name": "Giulia G.",
        "email": "giulia.galli@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "privacy_accepted": "on",
    }
    data.update(overrides)
    return data


def test_signup_page_renders_accessible_fields(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in (
        "first_name",
        "last_name",
        "display_name",
        "email",
        "password1",
        "privacy_accepted",
    ):
        assert f'for="id_{name}"' in html, name
    # Help text is linked to its field.
    assert 'aria-describedby="id_display_name_helptext"' in html
    assert 'id="id_display_name_helptext"' in html
    assert "form-control" in html


def test_signup_records_consent_and_sends_verification(client, settings):
    settings.PRIVACY_NOTICE_VERSION = "2026-test"
    response = client.post(reverse("account_signup"), _signup_data())
    assert response.status_code == 302
    user = User.objects.get(email="giulia.galli@example.org")
    assert user.first_name == "Giulia"
    assert user.last_name == "Galli"
    assert user.display_name == "Giulia G."
    assert user.public_name == "Giulia G."
    consent = PrivacyConsent.objects.get(user=user)
    assert consent.notice_version == "2026-test"
    assert consent.accepted_at is not None
    # Mandatory verification: not verified, not logged in, a confirmation e-mail is sent.
    assert not EmailAddress.objects.filter(user=user, verified=True).exists()
    assert len(mail.outbox) == 1
    assert "giulia.galli@example.org" in mail.outbox[0].to
    assert "_auth_user_id" not in client.session


def test_signup_without_consent_is_refused_and_keeps_input(client):
    data = _signup_data()
    del data["privacy_accepted"]
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "devi accettare l&#x27;informativa" in html or "devi accettare l'informativa" in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_privacy_accepted_error"' in html
    assert 'value="giulia.galli@example.org"' in html
    assert 'value="Giulia G."' in html
    assert not User.objects.filter(email="giulia.galli@example.org").exists()
    assert not PrivacyConsent.objects.exists()


def test_consent_version_follows_the_live_privacy_page(client, site, home_page):
    from wagtail.models import Page

    from portal.core.models import PortalSettings

    page = home_page.add_child(instance=Page(title="Informativa privacy", slug="privacy"))
    page.save_revision().publish()
    page.refresh_from_db()
    portal_settings = PortalSettings.for_site(site)
    portal_settings.privacy_page = page
    portal_settings.save()
    client.post(reverse("account_signup"), _signup_data())
    consent = PrivacyConsent.objects.get()
    assert consent.notice_version == f"page-{page.pk}-rev-{page.live_revision_id}"
    # The signup page links the notice.
    assert page.url in client.get(reverse("account_signup")).content.decode()


def test_email_confirmation_then_login_by_email(client):
    client.post(reverse("account_signup"), _signup_data())
    body = mail.outbox[0].body
    link = re.search(r"https?://[^/\s]+(/\S*confirm-email/\S+)", body).group(1)
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="giulia.galli@example.org").verified
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "giulia.galli@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    user = User.objects.get(email="giulia.galli@example.org")
    assert int(client.session["_auth_user_id"]) == user.pk
    # The login is recorded, with a truncated address.
    event = LoginEvent.objects.filter(user=user).latest("timestamp")
    assert event.ip_network == "127.0.0.0/24"


def test_unverified_user_cannot_log_in(client):
    user = UserFactory(email="nonverificata@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    client.post(
        reverse("account_login"),
        {"login": "nonverificata@example.org", "password": "una-password-sicura-2026"},
    )
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_mail(client):
    UserFactory(email="reset@example.org", verified=True)
    response = client.post(reverse("account_reset_password"), {"email": "reset@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "reset@example.org" in mail.outbox[0].to


def test_failed_logins_are_rate_limited(client):
    """Too many failures for one e-mail: the friendly 429 page, even if the password is
    then right (README; tests/portal/test_security_access.py checks the page)."""
    UserFactory(email="bersaglio@example.org", verified=True)
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": "bersaglio@example.org", "password": "sbagliata"}
        )
        assert response.status_code == 200
    response = client.post(
        reverse("account_login"),
        {"login": "bersaglio@example.org", "password": "una-password-sicura-2026"},
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 429


def test_password_reset_rate_limit_is_429(client):
    UserFactory(email="reset2@example.org", verified=True)
    statuses = [
        client.post(reverse("account_reset_password"), {"email": "reset2@example.org"}).status_code
        for _ in range(7)
    ]
    assert statuses[0] == 302
    assert statuses[-1] == 429
    response = client.post(reverse("account_reset_password"), {"email": "reset2@example.org"})
    assert response.status_code == 429
    assert "Troppe richieste" in response.content.decode()  # our friendly templates/429.html
    assert "Content-Security-Policy" in response.headers


def test_email_change_requires_reverification(client):
    user = UserFactory(email="vecchia@example.org", verified=True)
    client.force_login(user)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "nuova@example.org"}
    )
    assert response.status_code == 302
    new = EmailAddress.objects.get(user=user, email="nuova@example.org")
    assert not new.verified
    user.refresh_from_db()
    assert user.email == "vecchia@example.org"  # unchanged until verified
    assert any("nuova@example.org" in message.to for message in mail.outbox)


def test_short_password_is_refused_in_italian(client):
    page = client.get(reverse("account_signup")).content.decode()
    assert 'name="password1"' in page
    response = client.post(
        reverse("account_signup"), _signup_data(password1="Pa-1", password2="Pa-1")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Questa password è troppo corta. Deve contenere almeno 8 caratteri." in html
    assert "too short" not in html
    assert 'value="giulia.galli@example.org"' in html
    assert not User.objects.filter(email="giulia.galli@example.org").exists()


def test_short_password_is_refused_in_english_on_the_english_site(client):
    response = client.post("/en/account/signup/", _signup_data(password1="Pa-1", password2="Pa-1"))
    assert "This password is too short. It must contain at least 8 characters." in (
        response.content.decode()
    )

"""Access findings of the pentest (issue 13): logout, admin password reset, login lockout."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

from portal.accounts.demo import DEMO_TOTP_SECRET
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "una-password-sicura-2026"


def _staff_login(client):
    """A real login with password and TOTP, as a person does it."""
    user = UserFactory(verified=True, is_staff=True, is_superuser=True)
    TOTP.activate(user, DEMO_TOTP_SECRET)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    return user


def _cookie_dropped(response) -> bool:
    cookie = response.cookies.get("sessionid")
    return cookie is not None and (cookie["max-age"] == 0 or cookie.value == "")


def test_get_admin_logout_keeps_the_session(client):
    user = _staff_login(client)
    response = client.get("/admin/logout/")
    assert response.status_code == 405
    assert not _cookie_dropped(response)
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get("/admin/").status_code == 200


def test_cross_site_post_to_admin_logout_keeps_the_session(client):
    from django.test import Client

    user = _staff_login(client)
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.cookies = client.cookies  # the same browser, a form on another site
    response = csrf_client.post("/admin/logout/")
    assert response.status_code == 403
    assert not _cookie_dropped(response)
    assert int(csrf_client.session["_auth_user_id"]) == user.pk


def test_post_admin_logout_logs_out(client):
    _staff_login(client)
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_admin_password_reset_goes_to_allauths(client):
    citizen = UserFactory(verified=True)
    response = client.get("/admin/password_reset/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password")
    response = client.post("/admin/password_reset/", {"email": citizen.email})
    assert response.status_code in (301, 302, 405)
    assert mail.outbox == []
    # Wagtail's other reset steps are switched off.
    assert client.get(reverse("wagtailadmin_password_reset_done")).status_code == 404


def test_login_lockout_answers_429_with_the_friendly_page(client):
    user = UserFactory(verified=True)
    for _attempt in range(5):
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": "sbagliata"}
        )
        assert response.status_code == 200
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Troppe richieste" in response.content.decode()
    assert "_auth_user_id" not in client.session

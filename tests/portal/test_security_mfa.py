"""Two-factor authentication is required for staff, editors and moderators in the admin."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.accounts import roles
from portal.accounts.demo import DEMO_TOTP_SECRET
from portal.accounts.mfa import requires_mfa
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    user = UserFactory(verified=True, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=roles.EDITORS)[0])
    return user


@pytest.fixture
def participation_moderator():
    user = UserFactory(verified=True)
    user.groups.add(Group.objects.get_or_create(name=roles.PARTICIPATION_MODERATORS)[0])
    return user


def _login(client, user):
    """A real login (allauth records when the user authenticated; force_login does not)."""
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "una-password-sicura-2026"}
    )
    assert response.status_code == 302


def _open_totp_setup(client):
    """allauth asks for the password again before setting up an authenticator."""
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": "una-password-sicura-2026"})
    return client.get(reverse("mfa_activate_totp"))


def test_who_requires_mfa(editor, participation_moderator, verified_user):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert requires_mfa(editor)
    assert requires_mfa(participation_moderator)
    assert requires_mfa(superuser)
    assert not requires_mfa(verified_user)


def test_staff_without_authenticator_is_sent_to_totp_setup(client, editor):
    _login(client, editor)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # The setup page itself and the account pages stay reachable.
    assert _open_totp_setup(client).status_code == 200
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_moderator_without_authenticator_cannot_reach_django_admin(client, participation_moderator):
    client.force_login(participation_moderator)
    response = client.get("/django-admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_with_totp_reaches_the_admin(client, editor):
    TOTP.activate(editor, DEMO_TOTP_SECRET)
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200


def test_citizens_are_not_forced(client, verified_user):
    client.force_login(verified_user)
    response = client.get("/admin/")
    # Wagtail refuses them (redirect to login / home), but never to the MFA setup.
    assert response.get("Location") != reverse("mfa_activate_totp")


def test_totp_page_is_available_to_everyone(client, verified_user):
    _login(client, verified_user)
    response = _open_totp_setup(client)
    assert response.status_code == 200
    assert "otpauth://" in response.content.decode() or "data:image" in response.content.decode()
    assert "Content-Security-Policy" in response.headers


def test_login_with_totp_goes_through_the_second_step(client, editor):
    TOTP.activate(editor, DEMO_TOTP_SECRET)
    response = client.post(
        reverse("account_login"), {"login": editor.email, "password": "una-password-sicura-2026"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == editor.pk


def test_demo_staff_get_the_demo_totp_secret():
    from io import StringIO

    from portal.accounts import demo
    from portal.core.demo import DemoContext

    out = StringIO()
    ctx = DemoContext(stdout=out)
    demo.load(ctx)
    demo.load(ctx)  # idempotent
    for key in ("admin", "editor", "approver", "moderator"):
        user = ctx.users[key]
        totps = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP)
        assert totps.count() == 1, key
        assert TOTP(totps.get()).validate_code(
            format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))
        )
    for key in ("citizen", "citizen2", "member"):
        assert not Authenticator.objects.filter(user=ctx.users[key]).exists()
    assert DEMO_TOTP_SECRET in out.getvalue()


def test_django_admin_login_goes_through_allauth(client):
    response = client.get("/django-admin/login/?next=/django-admin/auth/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=%2Fdjango-admin%2Fauth%2F" in response["Location"]
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_without_mfa_can_still_log_out_of_the_admin(client, editor):
    client.force_login(editor)
    response = client.post("/admin/logout/")
    assert response.get("Location") != reverse("mfa_activate_totp")

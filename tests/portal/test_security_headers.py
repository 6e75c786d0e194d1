"""Security headers and the Content Security Policy on every page type; cookies."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.accounts import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Page types reachable here; the lead adds the other apps' page types to this list.
ANONYMOUS_URLS = [
    "/",
    "/account/login/",
    "/account/signup/",
    "/account/password/reset/",
    "/en/account/login/",
    "/questa-pagina-non-esiste/",
]
LOGGED_IN_URLS = [
    "/",
    "/account/profilo/",
    "/account/privacy/",
    "/account/privacy/i-miei-dati/",
    "/account/privacy/cancella-account/",
    "/account/email/",
    "/account/password/change/",
    "/account/2fa/",
]

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def assert_csp_clean(response, url):
    csp = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp, url
    assert "default-src 'self'" in csp, url
    assert "frame-ancestors 'none'" in csp, url
    assert "unsafe-inline" not in csp, url
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), (url, INLINE_SCRIPT.search(html).group(0))
    assert not INLINE_HANDLER.search(html), (url, INLINE_HANDLER.search(html).group(0))
    assert not INLINE_STYLE.search(html), (url, INLINE_STYLE.search(html).group(0))


def assert_security_headers(response, url):
    assert response.headers.get("X-Frame-Options") == "DENY", url
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    assert response.headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", url


@pytest.mark.parametrize("url", ANONYMOUS_URLS)
def test_csp_and_headers_for_anonymous_pages(client, site, url):
    response = client.get(url)
    assert response.status_code in (200, 404), url
    assert_csp_clean(response, url)
    assert_security_headers(response, url)


@pytest.mark.parametrize("url", LOGGED_IN_URLS)
def test_csp_and_headers_for_account_pages(client, site, url):
    user = UserFactory(verified=True)
    client.force_login(user)
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    assert_csp_clean(response, url)
    assert_security_headers(response, url)


def test_wagtail_userbar_for_editors_satisfies_the_csp(client, site):
    editor = UserFactory(verified=True, is_staff=True)
    editor.groups.add(Group.objects.get(name=roles.EDITORS))
    client.force_login(editor)
    response = client.get("/")
    assert response.status_code == 200
    assert "w-userbar" in response.content.decode() or "userbar" in response.content.decode()
    assert_csp_clean(response, "/ (editor)")


ALLOWED_COOKIES = {"sessionid", "csrftoken", "django_language"}


def test_only_technically_necessary_first_party_cookies(client, site):
    seen = set()
    # Anonymous browsing, language switch, signup form, a login, account pages.
    for url in ANONYMOUS_URLS:
        seen |= set(client.get(url).cookies.keys())
    seen |= set(client.post("/i18n/setlang/", {"language": "en", "next": "/"}).cookies.keys())
    user = UserFactory(verified=True)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "una-password-sicura-2026"}
    )
    seen |= set(response.cookies.keys())
    for url in LOGGED_IN_URLS:
        seen |= set(client.get(url, follow=True).cookies.keys())
    seen |= set(client.post(reverse("account_logout")).cookies.keys())
    assert seen, "the login must at least set the session cookie"
    assert seen <= ALLOWED_COOKIES, seen - ALLOWED_COOKIES
    for name, morsel in client.cookies.items():
        assert not morsel["domain"], name  # first party only


def test_email_change_page_with_a_pending_address_satisfies_the_csp(client, site):
    from allauth.account.models import EmailAddress

    user = UserFactory(verified=True)
    EmailAddress.objects.create(user=user, email="nuova@example.org", verified=False)
    client.force_login(user)
    response = client.get(reverse("account_email"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "nuova@example.org" in html
    assert 'id="pending-email"' in html
    assert_csp_clean(response, "/account/email/ (pending)")


def test_recovery_codes_page_satisfies_the_csp(client, site):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    from portal.accounts.demo import DEMO_TOTP_SECRET

    user = UserFactory(verified=True)
    TOTP.activate(user, DEMO_TOTP_SECRET)
    RecoveryCodes.activate(user)
    client.post(
        reverse("account_login"), {"login": user.email, "password": "una-password-sicura-2026"}
    )
    client.force_login(user)
    response = client.get(reverse("mfa_index"))
    assert response.status_code == 200
    assert_csp_clean(response, "/account/2fa/ (with TOTP)")

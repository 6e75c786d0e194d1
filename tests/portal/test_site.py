"""Site-wide pages: errors, robots.txt, health check, login wiring."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_unknown_page_is_a_translated_404(client):
    response = client.get("/questa-pagina-non-esiste/")
    assert response.status_code == 404
    assert "Pagina non trovata" in response.content.decode()


def test_404_in_english(client):
    response = client.get("/en/this-page-does-not-exist/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_500_page_renders_without_context(rf):
    from portal.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Si è verificato un errore" in response.content.decode()


def test_429_page(rf):
    from django.contrib.auth.models import AnonymousUser

    from portal.core.views import rate_limited

    request = rf.get("/")
    request.user = AnonymousUser()
    with translation.override("it"):
        response = rate_limited(request)
    assert response.status_code == 429
    assert "Troppe richieste" in response.content.decode()


def test_robots_txt_points_to_sitemap(client, settings):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in body


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_wagtail_admin_login_goes_through_allauth(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/pages/"


def test_login_is_by_email(verified_user):
    client = Client()
    response = client.post(
        reverse("account_login"),
        {"login": verified_user.email, "password": "una-password-sicura-2026"},
    )
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(verified_user.pk)


def test_unverified_user_cannot_log_in(user):
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "una-password-sicura-2026"}
    )
    # Mandatory verification: allauth sends the user to the "verify your e-mail" page.
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_signup_page_uses_the_portal_layout(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="main-content"' in body
    assert "Vai al contenuto principale" in body

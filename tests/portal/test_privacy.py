"""GDPR: download my data, completeness of the export registry, deleting my account."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.db import models
from django.urls import reverse

from portal.accounts import follows, privacy
from portal.accounts.models import (
    AccountDeletionLog,
    CalendarToken,
    Follow,
    LoginEvent,
    PrivacyConsent,
    User,
)
from portal.accounts.views import delete_account
from tests.factories import TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "una-password-sicura-2026"

# Apps whose models reference the user for their own bookkeeping (sessions, admin log,
# authentication internals, Wagtail's editorial history) rather than holding the citizen's
# personal data the portal collects. Wagtail pages/revisions keep the editor with SET_NULL.
EXCLUDED_APP_LABELS = {
    "admin",  # django.contrib.admin LogEntry (staff actions)
    "auth",  # groups and permissions (m2m)
    "sessions",
    "contenttypes",
    "account",  # allauth EmailAddress (exported in the profile section, deleted with the user)
    "mfa",  # allauth authenticators (listed in the profile section, deleted with the user)
    "wagtailcore",  # page/revision ownership, locks, workflow states, comments on drafts
    "wagtailadmin",
    "wagtailusers",  # admin UI preferences
    "wagtailimages",
    "wagtaildocs",
    "wagtailembeds",
    "wagtailforms",
    "wagtailredirects",
    "wagtailsearch",
    "wagtailsearchpromotions",
    "wagtailsnippets",
    "wagtaillocales",
    "simple_translation",
    "taggit",
    "django_tasks_database",  # background task results
}


def models_referencing_user() -> set[type]:
    """Every installed model (outside the excluded internals) with a FK/O2O to the user."""
    user_model = apps.get_model(User._meta.label)
    found = set()
    for model in apps.get_models():
        if model._meta.app_label in EXCLUDED_APP_LABELS:
            continue
        # Only fields declared on the model itself: page types inherit Wagtail's owner/locked_by.
        for field in model._meta.get_fields(include_parents=False):
            if (
                isinstance(field, models.ForeignKey | models.OneToOneField | models.ManyToManyField)
                and field.related_model is user_model
            ):
                found.add(model)
        if model is user_model:
            found.add(model)
    return found


def test_the_exclusions_name_installed_apps_only():
    installed = {config.label for config in apps.get_app_configs()}
    assert installed >= EXCLUDED_APP_LABELS, EXCLUDED_APP_LABELS - installed


def test_every_model_referencing_the_user_is_covered_by_a_privacy_section():
    covered = privacy.covered_models()
    missing = sorted(m._meta.label for m in models_referencing_user() - covered)
    assert not missing, (
        "Models holding personal data but not declared in any privacy.register(..., models=[...]): "
        + ", ".join(missing)
    )


def test_every_registered_section_can_export_and_erase_a_fresh_user():
    user = UserFactory(verified=True)
    for section in privacy.sections():
        json.dumps(section.export(user), default=str)
    privacy.erase_user_data(user)


@pytest.fixture
def rich_user(client):
    user = UserFactory(verified=True, display_name="Giulia G.", bio="Volontaria a Cremona.")
    PrivacyConsent.objects.create(user=user, notice_version="2026-01")
    follows.follow(user, TopicFactory(name="Pace sul Po", slug="pace-sul-po"))
    follows.calendar_token(user)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert LoginEvent.objects.filter(user=user).exists()
    return user


def test_json_export_contains_my_data(client, rich_user):
    response = client.get(reverse("accounts:export_json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    sections = data["sections"]
    assert sections["profile"]["email"] == rich_user.email
    assert sections["profile"]["display_name"] == "Giulia G."
    assert sections["profile"]["first_name"] == rich_user.first_name
    assert sections["profile"]["email_addresses"][0]["verified"] is True
    assert sections["consents"][0]["notice_version"] == "2026-01"
    assert sections["follows"][0]["name"] == "Pace sul Po"
    assert sections["follows"][0]["type"] == "taxonomy.topic"
    assert sections["calendar"]["private_feed_enabled"] is True
    assert sections["login_history"][0]["network"] == "127.0.0.0/24"
    for section in privacy.sections():
        assert section.name in sections


def test_html_export_is_readable(client, rich_user):
    response = client.get(reverse("accounts:export_html"))
    assert response.status_code == 200
    html = response.content.decode()
    assert rich_user.email in html
    assert "Storico degli accessi" in html
    assert "2026-01" in html


def test_export_only_contains_my_own_data(client, rich_user):
    other = UserFactory(verified=True, display_name="Altra persona")
    follows.follow(other, TopicFactory(name="Intercultura a Cremona", slug="intercultura-cremona"))
    data = json.loads(client.get(reverse("accounts:export_json")).content)
    text = json.dumps(data)
    assert other.email not in text
    assert "Intercultura a Cremona" not in text


def test_export_requires_login(client):
    for name in ("accounts:export_json", "accounts:export_html", "accounts:privacy"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_delete_with_wrong_password_keeps_the_account(client, rich_user):
    response = client.post(
        reverse("accounts:delete_account"), {"password": "sbagliata", "confirm": "on"}
    )
    assert response.status_code == 200
    assert "La password non è corretta" in response.content.decode()
    assert User.objects.filter(pk=rich_user.pk).exists()


def test_delete_without_confirmation_keeps_the_account(client, rich_user):
    response = client.post(reverse("accounts:delete_account"), {"password": PASSWORD})
    assert response.status_code == 200
    assert User.objects.filter(pk=rich_user.pk).exists()


def test_delete_account_removes_personal_data_and_logs_out(client, rich_user):
    user_id, email = rich_user.pk, rich_user.email
    assert client.get(reverse("accounts:delete_account")).status_code == 200
    response = client.post(
        reverse("accounts:delete_account"), {"password": PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=user_id).exists()
    assert not EmailAddress.objects.filter(email=email).exists()
    for model in (PrivacyConsent, Follow, LoginEvent, CalendarToken):
        assert not model.objects.filter(user_id=user_id).exists(), model
    assert "_auth_user_id" not in client.session
    log = AccountDeletionLog.objects.get()
    assert log.deleted_at is not None
    assert str(user_id) != log.user_hash
    assert email not in log.user_hash
    assert len(log.user_hash) == 64


def test_delete_runs_every_registered_eraser(rich_user):
    erased = []
    user_id = rich_user.pk
    privacy.register(
        "test-section", export=lambda user: [], erase=lambda user: erased.append(user.pk)
    )
    try:
        delete_account(rich_user)
    finally:
        privacy._REGISTRY.pop("test-section")
    assert erased == [user_id]


def test_a_failing_eraser_keeps_the_account(rich_user):
    def boom(user):
        raise RuntimeError("eraser failed")

    privacy.register("test-boom", export=lambda user: [], erase=boom)
    try:
        with pytest.raises(RuntimeError):
            delete_account(rich_user)
    finally:
        privacy._REGISTRY.pop("test-boom")
    assert User.objects.filter(pk=rich_user.pk).exists()
    assert not AccountDeletionLog.objects.exists()


def test_deletion_log_is_readable_by_superusers_in_the_django_admin(client):
    from allauth.mfa.totp.internal.auth import TOTP

    from portal.accounts.demo import DEMO_TOTP_SECRET

    AccountDeletionLog.objects.create(user_hash="a" * 64)
    superuser = UserFactory(verified=True, is_staff=True, is_superuser=True)
    TOTP.activate(superuser, DEMO_TOTP_SECRET)
    client.force_login(superuser)
    response = client.get("/django-admin/accounts/accountdeletionlog/")
    assert response.status_code == 200
    assert "a" * 64 in response.content.decode()
    assert client.get("/django-admin/accounts/accountdeletionlog/add/").status_code == 403


def test_a_new_notice_version_can_be_accepted_from_the_privacy_page(client, settings):
    settings.PRIVACY_NOTICE_VERSION = "2026-01"
    user = UserFactory(verified=True)
    PrivacyConsent.objects.create(user=user, notice_version="2026-01")
    client.force_login(user)
    assert "accetta/" not in client.get(reverse("accounts:privacy")).content.decode()
    settings.PRIVACY_NOTICE_VERSION = "2026-02"
    html = client.get(reverse("accounts:privacy")).content.decode()
    assert reverse("accounts:accept_privacy_notice") in html
    assert client.get(reverse("accounts:accept_privacy_notice")).status_code == 405
    response = client.post(reverse("accounts:accept_privacy_notice"))
    assert response.status_code == 302
    client.post(reverse("accounts:accept_privacy_notice"))  # twice: still one record
    versions = sorted(
        PrivacyConsent.objects.filter(user=user).values_list("notice_version", flat=True)
    )
    assert versions == ["2026-01", "2026-02"]

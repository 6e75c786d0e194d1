"""The profile page: public name, notifications, follows and the private calendar URL."""

import pytest
from django.urls import NoReverseMatch, reverse

from portal.accounts import follows
from portal.accounts.models import CalendarToken
from tests.factories import TopicFactory, UserFactory
from tests.queries import assert_fixed, capture

pytestmark = pytest.mark.django_db


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_profile_shows_and_saves_preferences(client, verified_user):
    client.force_login(verified_user)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'for="id_display_name"' in html
    assert 'name="email_notifications"' in html
    response = client.post(
        reverse("accounts:profile"),
        {
            "display_name": "Pacifista cremonese",
            "bio": "Volontaria.",
            "email_notifications": "daily",
        },
    )
    assert response.status_code == 302
    verified_user.refresh_from_db()
    assert verified_user.display_name == "Pacifista cremonese"
    assert verified_user.email_notifications == "daily"


def test_profile_invalid_input_keeps_values_and_shows_errors(client, verified_user):
    client.force_login(verified_user)
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": "Nome nuovo", "bio": "x" * 700, "email_notifications": "mai-sentito"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Nome nuovo"' in html
    assert 'id="id_bio_error"' in html
    assert 'id="id_email_notifications_error"' in html
    verified_user.refresh_from_db()
    assert verified_user.display_name != "Nome nuovo"


def test_profile_lists_followed_things(client, verified_user):
    topic = TopicFactory(name="Dialogo tra le fedi", slug="dialogo-fedi")
    follows.follow(verified_user, topic)
    client.force_login(verified_user)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Dialogo tra le fedi" in html
    assert 'aria-pressed="true"' in html


def _feed_path(token):
    try:
        return reverse("eventi:personal_feed", kwargs={"token": token})
    except NoReverseMatch:
        return None


def test_calendar_url_uses_a_token_and_regeneration_replaces_it(client, verified_user):
    client.force_login(verified_user)
    html = client.get(reverse("accounts:profile")).content.decode()
    old = CalendarToken.objects.get(user=verified_user).token
    assert len(old) >= 40
    if _feed_path(old):
        assert _feed_path(old) in html
        assert "webcal://" in html
        assert f"/{verified_user.pk}/" not in _feed_path(old)
    response = client.post(reverse("accounts:regenerate_calendar_token"))
    assert response.status_code == 302
    new = CalendarToken.objects.get(user=verified_user).token
    assert new != old
    assert follows.user_for_calendar_token(old) is None
    assert follows.user_for_calendar_token(new) == verified_user
    if _feed_path(old):
        assert client.get(_feed_path(old)).status_code == 404


def test_regenerate_is_post_only(client, verified_user):
    client.force_login(verified_user)
    assert client.get(reverse("accounts:regenerate_calendar_token")).status_code == 405


def test_profile_query_count_does_not_grow_with_follows(client, verified_user):
    client.force_login(verified_user)

    def count():
        with capture() as queries:
            assert client.get(reverse("accounts:profile")).status_code == 200
        return queries

    for n in range(2):
        follows.follow(verified_user, TopicFactory(name=f"Argomento A{n}", slug=f"arg-a{n}"))
    count()  # warm caches
    few = count()
    for n in range(20):
        follows.follow(verified_user, TopicFactory(name=f"Argomento B{n}", slug=f"arg-b{n}"))
    many = count()
    assert_fixed(few, many, at_most=15)


def test_other_users_cannot_see_my_profile_data(client, verified_user):
    verified_user.display_name = "Segreto"
    verified_user.save()
    other = UserFactory(verified=True)
    client.force_login(other)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert verified_user.email not in html


def test_profile_lists_my_active_associations(client, verified_user):
    from django.apps import apps

    association_model = apps.get_model("partecipazione", "Association")
    membership_model = apps.get_model("partecipazione", "Membership")
    mine = association_model.objects.create(name="Tavola della pace di Cremona", slug="tavola-pace")
    pending = association_model.objects.create(name="Gruppo in attesa", slug="in-attesa")
    membership_model.objects.create(association=mine, user=verified_user, status="active")
    membership_model.objects.create(association=pending, user=verified_user, status="requested")
    client.force_login(verified_user)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Tavola della pace di Cremona" in html
    assert "Gruppo in attesa" not in html

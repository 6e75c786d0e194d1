"""Suspensions and the moderation log as Wagtail viewsets: the real admin forms, as a moderator.

The moderator opens "Utenti sospesi" from the menu, follows "Aggiungi", suspends a user with a
reason and an end date, sees the suspension listed, lifts it from the row's action and finds both
steps in the moderation log (and in Wagtail's history of the user).
"""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from partecipazione import permissions
from partecipazione.models import Suspension
from tests.factories import UserFactory
from tests.queries import assert_fixed, capture
from tests.wagtail_admin import mfa_login

pytestmark = pytest.mark.django_db

INDEX = "moderation_suspensions:index"


def href_to(body: str, prefix: str) -> str:
    match = re.search(r'href="(' + re.escape(prefix) + r'[^"]*)"', body)
    assert match, f"no link to {prefix}"
    return html.unescape(match.group(1))


def in_a_week() -> str:
    return (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%d %H:%M")


def test_suspend_with_reason_and_end_date_then_lift_it(client, moderator):
    target = UserFactory(verified=True, display_name="Mario Spam")
    mfa_login(client, moderator)

    admin_home = client.get("/admin/").text
    index_url = reverse(INDEX)
    assert index_url in admin_home  # the menu item
    listing = client.get(index_url).text
    add_url = href_to(listing, reverse("moderation_suspensions:add"))
    form = client.get(add_url).text
    for name in ("email", "reason", "ends_at"):
        assert f'name="{name}"' in form

    response = client.post(
        add_url,
        {"email": target.email.upper(), "reason": "Messaggi pubblicitari", "ends_at": in_a_week()},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == index_url
    assert "Mario Spam è sospeso." in response.text
    suspension = Suspension.objects.get(user=target)
    assert suspension.created_by == moderator and suspension.ends_at > timezone.now()
    assert permissions.is_suspended(target)
    assert "Messaggi pubblicitari" in response.text and "attiva" in response.text

    lift_url = href_to(response.text, reverse("moderation_suspensions:lift", args=[suspension.pk]))
    lift_form = client.get(lift_url).text
    assert 'name="reason"' in lift_form and f'name="next" value="{index_url}' in lift_form
    response = client.post(lift_url, {"reason": "Ha chiarito", "next": index_url}, follow=True)
    assert response.redirect_chain[-1][0].startswith(index_url)
    assert "Sospensione revocata." in response.text
    assert reverse("moderation_suspensions:lift", args=[suspension.pk]) not in response.text
    suspension.refresh_from_db()
    assert suspension.lifted_at is not None
    target = type(target).objects.get(pk=target.pk)
    assert not permissions.is_suspended(target)

    log = client.get(reverse("moderation_log:index")).text
    assert "utente sospeso" in log and "sospensione revocata" in log
    assert "Messaggi pubblicitari" in log and "Ha chiarito" in log
    actions = set(
        ModelLogEntry.objects.filter(object_id=str(target.pk)).values_list("action", flat=True)
    )
    assert {"partecipazione.moderation.suspend", "partecipazione.moderation.unsuspend"} <= actions


def test_bad_input_gets_a_message_and_keeps_what_was_typed(client, moderator):
    target = UserFactory(verified=True)
    mfa_login(client, moderator)
    add_url = reverse("moderation_suspensions:add")
    yesterday = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    response = client.post(add_url, {"email": target.email, "reason": "Spam", "ends_at": yesterday})
    assert response.status_code == 200
    assert "La fine della sospensione deve essere nel futuro." in response.text
    assert target.email in response.text and "Spam" in response.text
    response = client.post(add_url, {"email": "nessuno@example.org", "reason": "Spam"})
    assert "Nessun utente con questo indirizzo e-mail." in response.text
    response = client.post(add_url, {"email": moderator.email, "reason": "Spam"})
    assert "Non puoi sospendere questo utente." in response.text
    assert not Suspension.objects.exists()


def test_a_suspension_past_its_end_is_over_and_listed_apart(client, moderator):
    target = UserFactory(verified=True, display_name="Ex sospeso")
    Suspension.objects.create(
        user=target, reason="Scaduta", ends_at=timezone.now() - timedelta(hours=1)
    )
    assert not permissions.is_suspended(target)
    mfa_login(client, moderator)
    assert "Ex sospeso" not in client.get(reverse(INDEX)).text  # active ones by default
    over = client.get(reverse(INDEX), {"stato": "concluse"}).text
    assert "Ex sospeso" in over and "conclusa" in over
    # No lift action on a suspension that is over.
    assert (
        reverse("moderation_suspensions:lift", args=[target.participation_suspensions.get().pk])
        not in over
    )


def test_the_log_filters_by_action_and_keeps_a_fixed_query_count(client, moderator):
    from partecipazione import services

    mfa_login(client, moderator)
    url = reverse("moderation_log:index")

    def grow(n):
        for _ in range(n):
            user = UserFactory(verified=True)
            services.suspend(user, moderator, "Spam")
            services.unsuspend(user, moderator, "Chiarito")

    grow(1)
    client.get(url)
    with capture() as few:
        client.get(url)
    grow(5)
    with capture() as many:
        client.get(url)
    assert_fixed(few, many)
    only_suspensions = client.get(url, {"action": "suspend"}).text
    assert "utente sospeso" in only_suspensions
    assert "Chiarito" not in only_suspensions


def test_editors_and_citizens_cannot_reach_suspensions_or_the_log(client, editor):
    for url in (
        reverse(INDEX),
        reverse("moderation_suspensions:add"),
        reverse("moderation_log:index"),
    ):
        client.force_login(editor)
        assert client.get(url).status_code in (302, 403)
        client.force_login(UserFactory(verified=True))
        assert client.get(url).status_code in (302, 403)
    target = UserFactory(verified=True)
    client.force_login(editor)
    client.post(reverse("moderation_suspensions:add"), {"email": target.email, "reason": "x"})
    assert not Suspension.objects.exists()

"""Citizens cannot take staff-like public names; real staff get a visible badge (issue 13)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.accounts import roles
from portal.accounts.models import User
from tests.factories import UserFactory
from tests.partecipazione.factories import CommentFactory, ProposalFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Pace-sul-Po-2026!"
RESERVED = [
    "Redazione Città della Pace",
    "  moderazione ",
    "COMUNE DI CREMONA",
    "Comune  di  Crémona",
    "Admin",
    "a d m i n",
    "Staff del portale",
    "Moderatore",
    "Mòderatóre!",
]


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


@pytest.mark.parametrize("name", RESERVED)
def test_signup_refuses_reserved_names_and_keeps_what_was_typed(client, name):
    response = client.post(reverse("account_signup"), _signup_data(display_name=name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "riservato alla redazione e alla moderazione" in html
    assert 'value="giulia.galli@example.org"' in html
    assert 'value="Galli"' in html
    assert not User.objects.exists()


def test_signup_accepts_ordinary_names(client):
    response = client.post(reverse("account_signup"), _signup_data(display_name="Amministrata G."))
    assert response.status_code == 302
    assert User.objects.get().display_name == "Amministrata G."


def test_profile_refuses_reserved_names_for_citizens(client, verified_user):
    client.force_login(verified_user)
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": "Redazione", "bio": "La mia bio", "email_notifications": "immediate"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "riservato alla redazione e alla moderazione" in html
    assert "La mia bio" in html
    verified_user.refresh_from_db()
    assert verified_user.display_name != "Redazione"


def test_staff_may_keep_a_staff_name(client):
    moderator = UserFactory(verified=True, display_name="Moderazione")
    moderator.groups.add(Group.objects.get_or_create(name=roles.PARTICIPATION_MODERATORS)[0])
    from allauth.mfa.totp.internal.auth import TOTP

    from portal.accounts.demo import DEMO_TOTP_SECRET

    TOTP.activate(moderator, DEMO_TOTP_SECRET)
    client.force_login(moderator)
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": "Moderazione", "bio": "", "email_notifications": "immediate"},
    )
    assert response.status_code == 302


def test_staff_badge_beside_staff_comments_and_proposals(client):
    moderator = UserFactory(verified=True, display_name="Paolo C.")
    moderator.groups.add(Group.objects.get_or_create(name=roles.PARTICIPATION_MODERATORS)[0])
    editor = UserFactory(verified=True, display_name="Marco B.")
    editor.groups.add(Group.objects.get_or_create(name=roles.EDITORS)[0])
    citizen = UserFactory(verified=True, display_name="Giulia G.")
    proposal = ProposalFactory(author=editor, state="submitted")
    CommentFactory(target=proposal, author=moderator, body="Commento della moderazione")
    CommentFactory(target=proposal, author=citizen, body="Commento di una cittadina")
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert 'Marco B. <span class="badge text-bg-primary pp-staff-badge">Redazione</span>' in html
    assert (
        'Paolo C.</strong> <span class="badge text-bg-primary pp-staff-badge">Moderazione' in html
    )
    assert "Giulia G.</strong>\n" in html
    assert html.count("pp-staff-badge") == 2
    listing = client.get(reverse("partecipazione:proposal_list")).content.decode()
    assert 'pp-staff-badge">Redazione</span>' in listing

"""Accepted proposal → draft event page (Wagtail admin), editors only, linked both ways."""

import pytest
from django.contrib.auth.models import Group, Permission

from eventi.models import EventPage
from partecipazione.models import Association, Proposal, ProposalState
from portal.taxonomy.models import Topic
from tests.eventi.factories import VenueFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal():
    return Proposal.objects.create(
        title="Una panchina per la pace",
        slug="panchina",
        summary="Una panchina dipinta dai ragazzi davanti alla biblioteca.",
        topic=Topic.objects.get(slug="pace"),
        association=Association.objects.create(name="Giovani per la pace", slug="giovani"),
        place="Sala Grande",
        state=ProposalState.ACCEPTED,
    )


def login_admin(client, user):
    from allauth.mfa.totp.internal.auth import TOTP

    from portal.accounts.demo import DEMO_TOTP_SECRET

    TOTP.activate(user, DEMO_TOTP_SECRET)
    client.force_login(user)


def editor():
    user = UserFactory(verified=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_editor_turns_an_accepted_proposal_into_a_linked_draft(client, events_index, proposal):
    venue = VenueFactory(name="Sala Grande")
    login_admin(client, editor())
    listing = client.get("/admin/eventi/")
    assert listing.status_code == 200
    assert proposal.title in listing.content.decode()
    response = client.post(f"/admin/eventi/proposte/{proposal.pk}/crea-evento/")
    event = EventPage.objects.get(source_proposal=proposal)
    assert response.status_code == 302 and f"/admin/pages/{event.pk}/edit/" in response["Location"]
    assert not event.live
    assert event.title == proposal.title and event.summary == proposal.summary
    assert list(event.topics.all()) == [proposal.topic]
    assert list(event.organisers.all()) == [proposal.association]
    assert event.venue == venue and event.organised_by_city is False
    assert list(proposal.event_pages.all()) == [event]  # linked both ways
    assert event.get_parent().specific == events_index


def test_only_accepted_proposals(client, events_index, proposal):
    proposal.state = ProposalState.SUBMITTED
    proposal.save()
    login_admin(client, editor())
    client.post(f"/admin/eventi/proposte/{proposal.pk}/crea-evento/")
    assert not EventPage.objects.exists()


def test_citizens_and_moderators_without_page_rights_cannot(client, events_index, proposal):
    citizen = UserFactory(verified=True)
    client.force_login(citizen)
    response = client.post(f"/admin/eventi/proposte/{proposal.pk}/crea-evento/")
    assert response.status_code in (302, 403)
    assert not EventPage.objects.exists()
    moderator = UserFactory(verified=True)
    moderator.groups.add(Group.objects.get(name="Participation moderators"))
    moderator.user_permissions.add(Permission.objects.get(codename="access_admin"))
    login_admin(client, moderator)
    # Wagtail turns PermissionDenied into a redirect to the dashboard with an error message
    listing = client.get("/admin/eventi/")
    assert listing.status_code == 302 and listing["Location"] == "/admin/"
    created = client.post(f"/admin/eventi/proposte/{proposal.pk}/crea-evento/")
    assert created.status_code == 302 and created["Location"] == "/admin/"
    assert not EventPage.objects.exists()


CREATE_BUTTON = "Crea un evento in bozza"


@pytest.mark.parametrize("state", [s for s in ProposalState.values if s != "accepted"])
def test_admin_and_button_agree_only_accepted_proposals_become_events(
    client, events_index, proposal, state
):
    """The proposal page's button and the admin both ask permissions.can (realised included)."""
    proposal.state = state
    proposal.state_note = "Motivo"
    proposal.save()
    login_admin(client, editor())
    page = client.get(proposal.get_absolute_url())
    assert CREATE_BUTTON not in page.content.decode()
    assert proposal.title not in client.get("/admin/eventi/").content.decode()
    response = client.post(f"/admin/eventi/proposte/{proposal.pk}/crea-evento/", follow=True)
    assert "Solo le proposte accolte diventano eventi." in response.content.decode()
    assert not EventPage.objects.exists()


def test_button_on_the_proposal_page_posts_to_the_admin_and_creates_the_draft(
    client, events_index, proposal
):
    login_admin(client, editor())
    html = client.get(proposal.get_absolute_url()).content.decode()
    action = f'action="/admin/eventi/proposte/{proposal.pk}/crea-evento/"'
    assert CREATE_BUTTON in html and action in html
    response = client.post(f"/admin/eventi/proposte/{proposal.pk}/crea-evento/")
    assert response.status_code == 302
    assert EventPage.objects.get(source_proposal=proposal).live is False

"""Moderators mark an accepted proposal realised from the queue, with the event it became."""

import re

import pytest
from django.urls import reverse

from eventi.models import EventIndexPage, EventPage
from partecipazione.models import Notification, ProposalEvent
from portal.accounts import follows
from tests.eventi.factories import make_event
from tests.factories import UserFactory, next_weekday
from tests.partecipazione.factories import ProposalFactory
from tests.wagtail_admin import mfa_login

pytestmark = pytest.mark.django_db

QUEUE = reverse("moderation_proposals:index")


@pytest.fixture
def events_index(home_page):
    index = EventIndexPage(title="Eventi", slug="eventi")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return EventIndexPage.objects.get(pk=index.pk)


def realise_url(proposal):
    return reverse("moderation_proposals:realise", args=[proposal.pk])


def test_moderator_marks_realised_with_the_event_it_became(client, moderator, events_index):
    proposal = ProposalFactory(title="Panchina della pace", state="accepted")
    follower = UserFactory(verified=True)
    follows.follow(follower, proposal)
    event = make_event(
        events_index, title="Inaugurazione della panchina", start_date=next_weekday(3)
    )
    taken = make_event(
        events_index,
        title="Già di un'altra proposta",
        start_date=next_weekday(4),
        source_proposal=ProposalFactory(state="realised"),
    )
    mfa_login(client, moderator)
    queue = client.get(QUEUE).text
    assert "Panchina della pace" in queue
    assert f"{realise_url(proposal)}?next=" in queue
    form = client.get(realise_url(proposal), {"next": QUEUE})
    assert form.status_code == 200
    html = form.text
    assert re.search(rf'<option value="{event.pk}">Inaugurazione della panchina \(', html)
    assert f'value="{taken.pk}"' not in html
    response = client.post(
        realise_url(proposal), {"event": str(event.pk), "note": "", "next": QUEUE}
    )
    assert response.status_code == 302 and response["Location"] == QUEUE
    proposal.refresh_from_db()
    assert proposal.state == "realised"
    # Linked both ways: the event page points at the proposal, the proposal lists the event.
    assert EventPage.objects.get(pk=event.pk).source_proposal_id == proposal.pk
    client.logout()
    public = client.get(proposal.get_absolute_url()).text
    assert "Inaugurazione della panchina" in public
    assert "È diventata l&#x27;evento «Inaugurazione della panchina»." in public or (
        "È diventata l'evento «Inaugurazione della panchina»." in public
    )
    event_page = client.get(event.url).text
    assert f'href="{proposal.get_absolute_url()}"' in event_page
    # A new revision of the event keeps the link (it belongs to the page, not to revisions).
    EventPage.objects.get(pk=event.pk).save_revision().publish()
    assert EventPage.objects.get(pk=event.pk).source_proposal_id == proposal.pk
    # Timeline entry, author and follower told.
    entry = ProposalEvent.objects.filter(proposal=proposal).latest("pk")
    assert (entry.from_state, entry.to_state) == ("accepted", "realised")
    assert Notification.objects.filter(
        recipient=proposal.author, kind=Notification.Kind.MY_PROPOSAL_STATE
    ).exists()
    assert Notification.objects.filter(
        recipient=follower, kind=Notification.Kind.FOLLOWED_REALISED
    ).exists()


def test_realised_without_an_event_and_with_a_note(client, moderator):
    proposal = ProposalFactory(state="accepted")
    mfa_login(client, moderator)
    response = client.post(realise_url(proposal), {"event": "", "note": "Fatto in biblioteca."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == "realised" and proposal.state_note == "Fatto in biblioteca."


def test_bad_event_choice_keeps_the_note_and_changes_nothing(client, moderator):
    proposal = ProposalFactory(state="accepted")
    mfa_login(client, moderator)
    response = client.post(realise_url(proposal), {"event": "999999", "note": "Nota scritta"})
    assert response.status_code == 200
    assert "Scegli un evento pubblicato dall&#x27;elenco." in response.text
    assert "Nota scritta" in response.text
    proposal.refresh_from_db()
    assert proposal.state == "accepted"


def test_only_accepted_proposals_can_be_marked_realised(client, moderator):
    proposal = ProposalFactory(state="submitted")
    mfa_login(client, moderator)
    assert f"{realise_url(proposal)}?next=" not in client.get(QUEUE).text
    response = client.post(realise_url(proposal), {"event": "", "note": ""})
    assert response.status_code == 200
    assert "Solo una proposta accolta" in response.text
    proposal.refresh_from_db()
    assert proposal.state == "submitted"


def test_citizens_cannot_reach_the_action(client):
    proposal = ProposalFactory(state="accepted")
    citizen = UserFactory(verified=True)
    client.force_login(citizen)
    assert client.post(realise_url(proposal), {"event": ""}).status_code in (302, 403)
    proposal.refresh_from_db()
    assert proposal.state == "accepted"

"""The moderation queue as Wagtail viewsets: the real admin forms, posted as a moderator would."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from partecipazione.models import Comment, Proposal
from tests.partecipazione.factories import CommentFactory, ProposalFactory
from tests.wagtail_admin import mfa_login

pytestmark = pytest.mark.django_db


def moderate_url(proposal):
    return reverse("moderation_proposals:moderate", args=[proposal.pk])


def test_queue_lists_proposals_in_review_and_links_to_the_moderation_form(client, moderator):
    waiting = ProposalFactory(title="In attesa di esame", state="submitted")
    ProposalFactory(title="Già accolta", state="accepted")
    ProposalFactory(title="Già respinta", state="rejected", state_note="no")
    mfa_login(client, moderator)
    index = reverse("moderation_proposals:index")
    response = client.get(index)
    assert response.status_code == 200
    # Accepted proposals stay in the queue, waiting to be marked realised.
    assert "In attesa di esame" in response.text and "Già accolta" in response.text
    assert "Già respinta" not in response.text
    assert f"{moderate_url(waiting)}?next=" in response.text
    form = client.get(moderate_url(waiting), {"next": index})
    assert form.status_code == 200
    # Only the transitions allowed from "submitted" are offered.
    assert 'value="accepted"' in form.text and 'value="realised"' not in form.text
    assert f'name="next" value="{index}"' in form.text


def test_moderation_form_ignores_an_external_next(client, moderator):
    proposal = ProposalFactory(state="submitted")
    mfa_login(client, moderator)
    response = client.post(
        moderate_url(proposal),
        {"state": "under_review", "note": "", "next": "https://example.org/phish"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation_proposals:index")
    proposal.refresh_from_db()
    assert proposal.state == "under_review"


def test_moderation_form_follows_a_next_on_this_site(client, moderator):
    proposal = ProposalFactory(state="submitted")
    mfa_login(client, moderator)
    back = reverse("moderation_proposals:index") + "?state=submitted"
    response = client.post(moderate_url(proposal), {"state": "accepted", "next": back})
    assert response.status_code == 302 and response["Location"] == back


def test_refused_transition_keeps_what_the_moderator_typed(client, moderator):
    proposal = ProposalFactory(state="submitted")
    mfa_login(client, moderator)
    response = client.post(moderate_url(proposal), {"state": "realised", "note": "Nota scritta"})
    assert response.status_code == 200
    assert "Scegli uno stato valido." in response.text
    assert "Nota scritta" in response.text
    proposal.refresh_from_db()
    assert proposal.state == "submitted"


def test_moderation_is_in_wagtail_history(client, moderator):
    proposal = ProposalFactory(state="submitted")
    mfa_login(client, moderator)
    client.post(moderate_url(proposal), {"state": "rejected", "note": "Già in programma."})
    entry = ModelLogEntry.objects.get(action="partecipazione.moderation.state")
    assert entry.user_id == moderator.pk and "Già in programma." in entry.data["reason"]
    history = client.get(reverse("moderation_proposals:history", args=[proposal.pk]))
    assert history.status_code == 200
    assert "cambio di stato della proposta" in history.text


def test_hide_and_restore_a_proposal_from_the_queue(client, moderator):
    proposal = ProposalFactory(title="Da nascondere", state="submitted")
    mfa_login(client, moderator)
    hide = reverse("moderation_proposals:hide", args=[proposal.pk])
    assert client.get(hide).status_code == 200
    client.post(hide, {"reason": "Fuori tema", "next": "//example.org/"})
    proposal.refresh_from_db()
    assert proposal.is_hidden
    assert ModelLogEntry.objects.filter(action="partecipazione.moderation.hide").exists()
    client.post(reverse("moderation_proposals:restore", args=[proposal.pk]), {"reason": ""})
    proposal.refresh_from_db()
    assert not proposal.is_hidden


def test_reports_page_actions_post_to_the_viewsets_and_come_back(client, moderator):
    comment = CommentFactory(is_pending=True, body="Un commento in attesa")
    mfa_login(client, moderator)
    reports = reverse("partecipazione_admin:reports")
    page = client.get(reports).text
    restore = reverse("moderation_comments:restore", args=[comment.pk])
    assert f'formaction="{restore}"' in page
    response = client.post(restore, {"reason": "", "next": reports})
    assert response.status_code == 302 and response["Location"] == reports
    comment.refresh_from_db()
    assert not comment.is_pending


def test_comment_queue_lists_flagged_and_pending_comments(client, moderator):
    flagged = CommentFactory(body="Commento segnalato", report_count=2)
    pending = CommentFactory(body="Commento in attesa", is_pending=True)
    CommentFactory(body="Commento tranquillo")
    mfa_login(client, moderator)
    response = client.get(reverse("moderation_comments:index"))
    assert response.status_code == 200
    assert "Commento segnalato" in response.text and "Commento in attesa" in response.text
    assert "Commento tranquillo" not in response.text
    # Each row leads to its workflow action, and back to the listing afterwards.
    hide = reverse("moderation_comments:hide", args=[flagged.pk])
    approve = reverse("moderation_comments:restore", args=[pending.pk])
    assert f'href="{hide}?next=' in response.text
    assert f'href="{approve}?next=' in response.text


@pytest.mark.parametrize("name", ["add", "edit", "delete"])
def test_nobody_edits_citizens_proposals_from_the_admin(client, moderator, name):
    proposal = ProposalFactory(title="Testo del cittadino", state="submitted")
    mfa_login(client, moderator)
    url = reverse(f"moderation_proposals:{name}", args=[] if name == "add" else [proposal.pk])
    assert client.get(url).status_code in (302, 403)
    client.post(url, {"title": "Riscritto", "summary": "x", "slug": "x"})
    assert Proposal.objects.get().title == "Testo del cittadino"
    assert Comment.objects.count() == 0


def test_editors_cannot_reach_the_moderation_actions(client, editor):
    proposal = ProposalFactory(state="submitted")
    client.force_login(editor)
    response = client.post(moderate_url(proposal), {"state": "accepted"})
    assert response.status_code in (302, 403)
    proposal.refresh_from_db()
    assert proposal.state == "submitted"


def test_associations_to_verify_listing_and_verify_form(client, moderator):
    from tests.partecipazione.factories import AssociationFactory

    waiting = AssociationFactory(name="Amici della pace", is_verified=False, register_number="7")
    AssociationFactory(name="Già verificata", is_verified=True)
    mfa_login(client, moderator)
    index = reverse("moderation_associations:index")
    listing = client.get(index).text
    assert "Amici della pace" in listing and "Già verificata" not in listing
    verify = reverse("moderation_associations:verify", args=[waiting.pk])
    form = client.get(verify, {"next": index}).text
    assert 'name="register_number"' in form and 'value="7"' in form
    response = client.post(verify, {"register_number": "CR-7", "next": "https://example.org/"})
    assert response.status_code == 302 and response["Location"] == index
    waiting.refresh_from_db()
    assert waiting.is_verified and waiting.register_number == "CR-7"
    assert ModelLogEntry.objects.filter(action="partecipazione.moderation.verify").exists()
    # The old address still leads to the listing.
    old = client.get(reverse("partecipazione_admin:associations"))
    assert old.status_code == 302 and old["Location"] == index

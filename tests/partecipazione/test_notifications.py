"""Notifications reach the right people only, by the channel each one chose."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from partecipazione import services
from partecipazione.models import Notification
from portal.accounts import follows
from tests.factories import UserFactory
from tests.partecipazione.factories import ProposalFactory


def recipients(kind=None):
    qs = Notification.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    return set(qs.values_list("recipient__email", flat=True))


@pytest.mark.django_db
def test_state_change_tells_the_author_only(moderator, django_capture_on_commit_callbacks):
    proposal = ProposalFactory(state="submitted")
    bystander = UserFactory(verified=True)  # noqa: F841 - must not be told
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail is enqueued at commit
        services.moderate_transition(proposal, "under_review", moderator, "In esame")
    assert recipients("my_state") == {proposal.author.email}
    assert [m.to for m in mail.outbox] == [[proposal.author.email]]


@pytest.mark.django_db
def test_reply_tells_the_parent_author_not_the_replier(citizen, proposal):
    alice = UserFactory(verified=True)
    parent = services.post_comment(proposal, alice, "Primo")
    services.post_comment(proposal, citizen, "Risposta", parent)
    assert recipients("reply") == {alice.email}
    services.post_comment(proposal, alice, "Rispondo a me stessa", parent)
    assert Notification.objects.filter(kind="reply").count() == 1


@pytest.mark.django_db
def test_new_comment_tells_followers_except_the_writer_once(citizen, proposal):
    follower = UserFactory(verified=True)
    replied = UserFactory(verified=True)
    stranger = UserFactory(verified=True)  # noqa: F841 - follows nothing
    follows.follow(follower, proposal)
    follows.follow(replied, proposal)
    follows.follow(citizen, proposal)
    parent = services.post_comment(proposal, replied, "Domanda")
    Notification.objects.all().delete()
    services.post_comment(proposal, citizen, "Risposta", parent)
    assert recipients("followed_comment") == {follower.email}
    assert recipients("reply") == {replied.email}
    assert Notification.objects.filter(recipient=replied).count() == 1


@pytest.mark.django_db
def test_change_tells_supporters_not_author_or_others(moderator):
    proposal = ProposalFactory(state="submitted")
    supporter = UserFactory(verified=True)
    other = UserFactory(verified=True)  # noqa: F841
    services.toggle_support(proposal, supporter)
    services.moderate_transition(proposal, "accepted", moderator, "Bene")
    assert recipients("supported_changed") == {supporter.email}


@pytest.mark.django_db
def test_former_supporters_are_not_told(moderator):
    proposal = ProposalFactory(state="submitted")
    user = UserFactory(verified=True)
    services.toggle_support(proposal, user)
    services.toggle_support(proposal, user)
    services.moderate_transition(proposal, "accepted", moderator, "Bene")
    assert recipients("supported_changed") == set()


@pytest.mark.django_db
def test_email_preferences_immediate_daily_none(moderator, django_capture_on_commit_callbacks):
    proposal = ProposalFactory(state="submitted")
    immediate = UserFactory(verified=True, email_notifications="immediate")
    daily = UserFactory(verified=True, email_notifications="daily")
    never = UserFactory(verified=True, email_notifications="none")
    for user in (immediate, daily, never):
        services.toggle_support(proposal, user)
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate_transition(proposal, "under_review", moderator, "")
    assert [m.to for m in mail.outbox if m.to != [proposal.author.email]] == [[immediate.email]]
    assert recipients("supported_changed") == {immediate.email, daily.email, never.email}
    mail.outbox.clear()
    call_command("send_participation_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.to for m in mail.outbox] == [[daily.email]]
    assert "La proposta che sostieni" in mail.outbox[0].body
    mail.outbox.clear()
    call_command("send_participation_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []  # nothing twice


@pytest.mark.django_db
def test_notifications_page_lists_mine_only(client, citizen):
    other = UserFactory(verified=True)
    Notification.objects.create(recipient=citizen, kind="reply", message="Per me", url="/x/")
    Notification.objects.create(recipient=other, kind="reply", message="Non per me")
    url = reverse("partecipazione:notifications")
    assert client.get(url).status_code == 302
    client.force_login(citizen)
    html = client.get(url).text
    assert "Per me" in html and "Non per me" not in html
    client.post(url)
    assert not Notification.objects.filter(recipient=citizen, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).exists()


@pytest.mark.django_db
def test_immediate_email_is_enqueued_at_commit_and_never_after_a_rollback(
    moderator, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(state="submitted")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.moderate_transition(proposal, "under_review", moderator, "In esame")
        raise RuntimeError("the surrounding request fails")
    assert mail.outbox == []
    proposal.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate_transition(proposal, "under_review", moderator, "In esame")
        assert mail.outbox == []  # not inside the transaction
    assert [m.to for m in mail.outbox] == [[proposal.author.email]]

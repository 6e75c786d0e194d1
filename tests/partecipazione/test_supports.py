"""Supports: one per user, toggled, the counter always equal to the rows (even concurrently)."""

import threading

import pytest
from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.urls import reverse

from partecipazione import services
from partecipazione.models import Support
from portal.accounts import follows
from tests.factories import UserFactory
from tests.partecipazione.factories import ProposalFactory


@pytest.mark.django_db
def test_toggle_support_adds_and_removes(client, citizen, proposal):
    client.force_login(citizen)
    url = reverse("partecipazione:proposal_support", kwargs={"slug": proposal.slug})
    client.post(url)
    proposal.refresh_from_db()
    assert proposal.support_count == 1
    assert Support.objects.filter(proposal=proposal, user=citizen).exists()
    client.post(url)
    proposal.refresh_from_db()
    assert proposal.support_count == 0
    assert not Support.objects.exists()


@pytest.mark.django_db
def test_a_support_form_sent_twice_does_not_undo_itself(client, citizen, proposal):
    """The button says what the user wants: a double click or a re-sent form is harmless."""
    client.force_login(citizen)
    url = reverse("partecipazione:proposal_support", kwargs={"slug": proposal.slug})
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert 'name="azione" value="sostieni"' in page
    for _ in range(2):
        response = client.post(url, {"azione": "sostieni"}, follow=True)
        assert "Grazie: sostieni questa proposta." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.support_count == 1
    assert Support.objects.filter(proposal=proposal, user=citizen).count() == 1
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert 'name="azione" value="ritira"' in page
    for _ in range(2):
        response = client.post(url, {"azione": "ritira"}, follow=True)
        assert "Hai tolto il tuo sostegno." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.support_count == 0
    assert not Support.objects.exists()


@pytest.mark.django_db
def test_set_support_reports_whether_anything_changed(citizen, proposal):
    assert services.set_support(proposal, citizen, True) is True
    assert services.set_support(proposal, citizen, True) is False
    assert proposal.support_count == 1
    assert services.set_support(proposal, citizen, False) is True
    assert services.set_support(proposal, citizen, False) is False
    assert proposal.support_count == 0


@pytest.mark.django_db
def test_one_support_per_user_in_the_database(citizen, proposal):
    Support.objects.create(proposal=proposal, user=citizen)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(proposal=proposal, user=citizen)


@pytest.mark.django_db
def test_count_recomputed_from_rows_even_if_it_drifted(citizen, proposal):
    type(proposal).objects.filter(pk=proposal.pk).update(support_count=42)
    services.toggle_support(proposal, citizen)
    assert proposal.support_count == 1


@pytest.mark.django_db
def test_support_forbidden_for_anonymous_author_and_drafts(client, citizen):
    proposal = ProposalFactory()
    url = reverse("partecipazione:proposal_support", kwargs={"slug": proposal.slug})
    assert client.post(url).status_code == 302  # to the login page
    client.force_login(proposal.author)
    client.post(url)
    draft = ProposalFactory(state="draft")
    client.force_login(citizen)
    assert (
        client.post(
            reverse("partecipazione:proposal_support", kwargs={"slug": draft.slug})
        ).status_code
        == 404
    )
    assert not Support.objects.exists()


@pytest.mark.django_db
def test_support_get_is_not_allowed(client, citizen, proposal):
    client.force_login(citizen)
    url = reverse("partecipazione:proposal_support", kwargs={"slug": proposal.slug})
    assert client.get(url).status_code == 405


@pytest.mark.django_db
def test_follow_toggle(client, citizen, proposal):
    client.force_login(citizen)
    url = reverse("partecipazione:proposal_follow", kwargs={"slug": proposal.slug})
    client.post(url)
    assert follows.is_following(citizen, proposal)
    client.post(url)
    assert not follows.is_following(citizen, proposal)


@pytest.mark.postgres
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL (real concurrent transactions)",
)
# serialized_rollback: the flush after this test must give back the data the migrations made
# (Wagtail root and site, topics, groups) to the tests that run after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_support_clicks_never_lose_an_update():
    proposal = ProposalFactory()
    users = [UserFactory(verified=True) for _ in range(12)]
    barrier = threading.Barrier(len(users) * 2)
    errors = []

    def click(user):
        try:
            barrier.wait(timeout=10)
            services.toggle_support(proposal, user)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    # Every user clicks twice at the same moment: the final state of each user is either.
    threads = [threading.Thread(target=click, args=(u,)) for u in users for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    proposal.refresh_from_db()
    assert proposal.support_count == Support.objects.filter(proposal=proposal).count()
    # and one more round of single clicks keeps them equal
    for user in users[:5]:
        services.toggle_support(proposal, user)
    proposal.refresh_from_db()
    assert proposal.support_count == Support.objects.filter(proposal=proposal).count()

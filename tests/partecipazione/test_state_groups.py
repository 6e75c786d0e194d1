"""The proposal state groups (partecipazione.models) are the one place every list reads."""

import pytest
from django.urls import reverse

from partecipazione.models import (
    FEATURABLE_STATES,
    PUBLIC_STATES,
    ParticipationIndexPage,
    Proposal,
    ProposalState,
)
from tests.partecipazione.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_proposals():
    """The rejected, withdrawn and hidden ones are the most supported: they must still not show."""
    ProposalFactory(title="Respinta molto sostenuta", state="rejected", support_count=90)
    ProposalFactory(title="Ritirata molto sostenuta", state="withdrawn", support_count=80)
    ProposalFactory(
        title="Nascosta molto sostenuta", state="accepted", is_hidden=True, support_count=70
    )
    ProposalFactory(title="Bozza molto sostenuta", state="draft", support_count=60)
    return [
        ProposalFactory(title="Accolta in evidenza", state="accepted", support_count=12),
        ProposalFactory(title="Inviata in evidenza", state="submitted", support_count=5),
    ]


HIDDEN_TITLES = (
    "Respinta molto sostenuta",
    "Ritirata molto sostenuta",
    "Nascosta molto sostenuta",
    "Bozza molto sostenuta",
)


def test_groups_are_built_from_the_states():
    assert ProposalState.REJECTED in PUBLIC_STATES
    assert ProposalState.REJECTED not in FEATURABLE_STATES
    assert ProposalState.WITHDRAWN not in PUBLIC_STATES | FEATURABLE_STATES
    assert ProposalState.DRAFT not in PUBLIC_STATES | FEATURABLE_STATES


def test_querysets_public_and_featurable(mixed_proposals):
    featurable = set(Proposal.objects.featurable().values_list("title", flat=True))
    assert featurable == {"Accolta in evidenza", "Inviata in evidenza"}
    public = set(Proposal.objects.public().values_list("title", flat=True))
    assert public == featurable | {"Respinta molto sostenuta"}


def test_home_page_features_no_rejected_withdrawn_or_hidden_proposal(
    client, home_page, mixed_proposals
):
    body = client.get("/").content.decode()
    assert "Proposte in evidenza" in body
    assert "Accolta in evidenza" in body and "Inviata in evidenza" in body
    assert body.index("Accolta in evidenza") < body.index("Inviata in evidenza")
    for title in HIDDEN_TITLES:
        assert title not in body


def test_participation_landing_features_no_rejected_withdrawn_or_hidden_proposal(
    client, home_page, mixed_proposals
):
    landing = home_page.add_child(
        instance=ParticipationIndexPage(title="Partecipazione", slug="partecipazione")
    )
    landing.save_revision().publish()
    body = client.get(landing.url).content.decode()
    featured = body[body.index("Le proposte più sostenute") : body.index("Le ultime proposte")]
    assert "Accolta in evidenza" in featured and "Inviata in evidenza" in featured
    for title in HIDDEN_TITLES:
        assert title not in featured
    # The latest list is every public proposal: a rejected one is still public (with its state).
    assert "Respinta molto sostenuta" in body
    for title in HIDDEN_TITLES[1:]:
        assert title not in body


def test_proposal_list_state_filter_offers_public_states_only(client, mixed_proposals):
    body = client.get(reverse("partecipazione:proposal_list")).content.decode()
    assert 'value="rejected"' in body and 'value="accepted"' in body
    assert 'value="draft"' not in body and 'value="withdrawn"' not in body
    assert "Respinta molto sostenuta" in body  # public, listed with its state
    for title in HIDDEN_TITLES[1:]:
        assert title not in body

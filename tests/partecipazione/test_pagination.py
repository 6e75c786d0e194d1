"""One pagination for every public listing: `?pagina=N`, old `?page=N` bookmarks still work."""

import pytest
from django.urls import reverse

from partecipazione.views import PAGE_SIZE
from tests.partecipazione.factories import AssociationFactory, ProposalFactory

pytestmark = pytest.mark.django_db

PROPOSALS = reverse("partecipazione:proposal_list")
ASSOCIATIONS = reverse("partecipazione:association_list")


def test_proposal_list_pages_with_pagina_and_keeps_the_filters(client):
    ProposalFactory.create_batch(PAGE_SIZE + 1)
    first = client.get(PROPOSALS, {"q": "pace"}).content.decode()
    assert "Pagina 1 di 2" in first
    assert 'href="?q=pace&amp;pagina=2"' in first
    assert "page=" not in first.split("pagination", 1)[1].split("</nav>", 1)[0]

    second = client.get(PROPOSALS, {"q": "pace", "pagina": "2"}).content.decode()
    assert "Pagina 2 di 2" in second
    assert 'href="?q=pace&amp;pagina=1"' in second


def test_old_page_bookmarks_still_open_their_page(client):
    ProposalFactory.create_batch(PAGE_SIZE + 1)
    body = client.get(PROPOSALS, {"q": "pace", "page": "2"}).content.decode()
    assert "Pagina 2 di 2" in body
    # The link back drops the old name instead of sending both.
    assert 'href="?q=pace&amp;pagina=1"' in body


@pytest.mark.parametrize("number", ["abc", "-1", "0", "99999", " "])
def test_junk_page_numbers_never_fail(client, number):
    ProposalFactory.create_batch(PAGE_SIZE + 1)
    response = client.get(PROPOSALS, {"pagina": number})
    assert response.status_code == 200
    assert response.context["page_obj"].number in (1, 2)


def test_association_list_pages_with_pagina(client):
    AssociationFactory.create_batch(13)
    body = client.get(ASSOCIATIONS, {"pagina": "2"}).content.decode()
    assert "Pagina 2 di 2" in body
    assert 'href="?pagina=1"' in body

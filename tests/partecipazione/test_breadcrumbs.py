"""Participation pages (Django views, not Wagtail pages) have breadcrumbs like every page."""

import re

import pytest
from django.urls import reverse

from tests.partecipazione.factories import AssociationFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def trail(html):
    block = re.search(r'<ol class="breadcrumb">(.*?)</ol>', html, re.S)
    assert block, "no breadcrumbs"
    return [
        re.sub(r"<[^>]+>", "", item).strip().rstrip("/")
        for item in re.findall(
            r'<li class="breadcrumb-item[^"]*"[^>]*>(.*?)</li>', block.group(1), re.S
        )
    ]


def test_proposal_list_and_detail_have_breadcrumbs(client):
    proposal = ProposalFactory(state="submitted")
    assert trail(client.get(reverse("partecipazione:proposal_list")).content.decode()) == [
        "Home",
        "Proposte",
    ]
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert trail(html) == ["Home", "Proposte", proposal.title]
    assert html.count('class="breadcrumb"') == 1
    assert f'href="{reverse("partecipazione:proposal_list")}"' in html


def test_association_pages_have_breadcrumbs_and_topic_chips(client):
    association = AssociationFactory()
    assert trail(client.get(reverse("partecipazione:association_list")).content.decode()) == [
        "Home",
        "Associazioni",
    ]
    html = client.get(association.get_absolute_url()).content.decode()
    assert trail(html) == ["Home", "Associazioni", association.name]


def test_english_breadcrumbs_lead_to_the_english_home(client):
    html = client.get("/en" + reverse("partecipazione:proposal_list")).content.decode()
    assert '<a href="/en/">Home</a>' in html

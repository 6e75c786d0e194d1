"""Proposal attachments are served through a permission-checked view, never the raw media URL."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partecipazione.models import ProposalAttachment
from tests.factories import UserFactory
from tests.partecipazione.factories import ProposalFactory
from tests.wagtail_admin import mfa_login

CONTENT = b"%PDF-1.4 programma della giornata"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _attachment(proposal):
    return ProposalAttachment.objects.create(
        proposal=proposal,
        file=SimpleUploadedFile("programma.pdf", CONTENT, content_type="application/pdf"),
        title="Programma",
        size=len(CONTENT),
    )


def _url(attachment):
    return reverse(
        "partecipazione:proposal_attachment",
        kwargs={"slug": attachment.proposal.slug, "pk": attachment.pk},
    )


def _body(response):
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_public_proposal_attachment_is_downloadable_by_anyone(client):
    attachment = _attachment(ProposalFactory(state="submitted"))
    response = client.get(_url(attachment))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "programma" in response["Content-Disposition"]
    assert _body(response) == CONTENT


@pytest.mark.django_db
def test_detail_links_to_the_checked_view_not_the_media_url(client):
    attachment = _attachment(ProposalFactory(state="submitted"))
    html = client.get(attachment.proposal.get_absolute_url()).text
    assert f'href="{_url(attachment)}"' in html
    assert attachment.file.url not in html


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["draft", "hidden", "withdrawn"])
def test_private_proposal_attachment_is_404_for_others_and_served_to_author(client, kind):
    author = UserFactory(verified=True)
    if kind == "hidden":
        proposal = ProposalFactory(state="submitted", is_hidden=True, author=author)
    else:
        proposal = ProposalFactory(state=kind, author=author)
    attachment = _attachment(proposal)
    assert client.get(_url(attachment)).status_code == 404
    client.force_login(UserFactory(verified=True))
    assert client.get(_url(attachment)).status_code == 404
    client.force_login(author)
    response = client.get(_url(attachment))
    assert response.status_code == 200
    assert _body(response) == CONTENT
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_moderator_may_download_hidden_proposal_attachment(client, moderator):
    attachment = _attachment(ProposalFactory(state="submitted", is_hidden=True))
    mfa_login(client, moderator)
    assert client.get(_url(attachment)).status_code == 200


@pytest.mark.django_db
def test_attachment_of_another_proposal_or_unknown_is_404(client):
    attachment = _attachment(ProposalFactory())
    other = ProposalFactory()
    url = reverse(
        "partecipazione:proposal_attachment", kwargs={"slug": other.slug, "pk": attachment.pk}
    )
    assert client.get(url).status_code == 404
    missing = reverse(
        "partecipazione:proposal_attachment", kwargs={"slug": other.slug, "pk": 999999}
    )
    assert client.get(missing).status_code == 404


@pytest.mark.django_db
def test_file_missing_from_storage_is_404_not_500(client):
    attachment = _attachment(ProposalFactory())
    attachment.file.storage.delete(attachment.file.name)
    assert client.get(_url(attachment)).status_code == 404

"""Proposal texts and comments in Markdown: rendered, cleaned, previewed; old texts unchanged."""

import re

import pytest
from django.urls import reverse

from partecipazione.models import Proposal
from tests.factories import TopicFactory
from tests.partecipazione.factories import CommentFactory, ProposalFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("partecipazione:proposal_create")
MARKDOWN = (
    "Proponiamo **tre panchine** in *piazza*:\n\n"
    "- una per la pace\n"
    "- una per i diritti\n\n"
    "1. prima fase\n2. seconda fase\n\n"
    "> Non c'è via per la pace.\n\n"
    "Vedi [il progetto](https://www.comune.cremona.it/pace) e "
    "[questo](javascript:alert(1)) <script>alert('x')</script>"
    '<a href="javascript:alert(2)">altro</a>'
)


def _payload(topic, **extra):
    data = {
        "title": "Panchine della pace",
        "summary": "Tre panchine per ricordare.",
        "body": MARKDOWN,
        "topic": topic.pk,
        "place": "Piazza del Comune",
        "expected_participants": "40",
    }
    data.update(extra)
    return data


def _richtext(html: str) -> str:
    start = html.index('<div class="richtext">')
    return html[start : html.index("</div>", start)]


def test_the_form_says_what_formatting_is_allowed(client, citizen):
    client.force_login(citizen)
    page = client.get(CREATE).text
    assert "**grassetto**" in page
    assert "[testo](https://indirizzo)" in page
    assert 'name="anteprima"' in page


def test_pressing_enter_in_the_form_saves_rather_than_previews(client, citizen):
    # A browser submits with the form's first submit button when Enter is pressed.
    client.force_login(citizen)
    page = client.get(CREATE).text
    form = page[page.index('<form method="post" enctype="multipart/form-data"') :]
    buttons = re.findall(r'<button type="submit" name="([a-z]+)"', form[: form.index("</form>")])
    assert buttons[0] == "save"
    assert buttons[-1] == "anteprima"


def test_a_published_proposal_shows_lists_bold_and_safe_links(client, citizen):
    client.force_login(citizen)
    response = client.post(CREATE, _payload(TopicFactory(), submit="1"))
    assert response.status_code == 302
    body = _richtext(client.get(response["Location"]).text)
    assert "<strong>tre panchine</strong>" in body
    assert "<em>piazza</em>" in body
    assert re.search(r"<ul>\s*<li>una per la pace</li>", body)
    assert re.search(r"<ol>\s*<li>prima fase</li>", body)
    assert "<blockquote>" in body
    assert (
        '<a href="https://www.comune.cremona.it/pace" rel="nofollow ugc noopener">il progetto</a>'
        in body
    )
    assert "<script" not in body
    assert 'href="javascript:' not in body
    # The source is kept as written, so the author edits Markdown, not HTML.
    assert Proposal.objects.get().body == MARKDOWN.replace("\n", "\r\n") or (
        Proposal.objects.get().body == MARKDOWN
    )


def test_preview_shows_the_rendered_text_keeps_every_field_and_saves_nothing(client, citizen):
    topic = TopicFactory()
    client.force_login(citizen)
    form_page = client.get(CREATE).text
    assert re.search(r'<button type="submit" name="anteprima"[^>]*>Anteprima</button>', form_page)
    response = client.post(CREATE, _payload(topic, anteprima=""))
    assert response.status_code == 200
    assert not Proposal.objects.exists()
    page = response.text
    start = page.index('id="proposal-preview-title"')
    preview = page[start : page.index("</section>", start)]
    assert "<strong>tre panchine</strong>" in preview
    assert "<script" not in preview
    assert 'value="Panchine della pace"' in page
    assert "Tre panchine per ricordare.</textarea>" in page
    assert 'value="Piazza del Comune"' in page
    assert 'value="40"' in page
    assert f'<option value="{topic.pk}" selected>' in page
    assert "- una per la pace" in page  # the source, in the textarea
    # Saving afterwards publishes what was previewed.
    client.post(CREATE, _payload(topic, submit="1"))
    assert Proposal.objects.get().state == "submitted"


def test_preview_of_an_invalid_form_shows_the_errors_and_no_preview(client, citizen):
    client.force_login(citizen)
    response = client.post(CREATE, _payload(TopicFactory(), title="", anteprima=""))
    assert response.status_code == 200
    assert "Scrivi un titolo." in response.text
    assert 'id="proposal-preview-title"' not in response.text
    assert "Piazza del Comune" in response.text


def test_preview_when_editing_keeps_the_stored_text(client, citizen):
    proposal = ProposalFactory(author=citizen, state="draft", body="vecchio")
    client.force_login(citizen)
    edit = reverse("partecipazione:proposal_edit", args=[proposal.slug])
    response = client.post(edit, _payload(proposal.topic, anteprima=""))
    assert "<strong>tre panchine</strong>" in response.text
    proposal.refresh_from_db()
    assert proposal.body == "vecchio"


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("Primo paragrafo.\n\nSecondo paragrafo.", "<p>Primo paragrafo.</p>\n<p>Secondo"),
        ("<p>Testo di prima.</p><p>Con <strong>HTML</strong>.</p>", "<p>Testo di prima.</p><p>Con"),
        ("riga uno\nriga due", "<p>riga uno<br>\nriga due</p>"),
    ],
)
def test_texts_saved_before_markdown_read_as_before(client, stored, expected):
    proposal = ProposalFactory(body=stored)
    assert expected in _richtext(client.get(proposal.get_absolute_url()).text)


def test_comments_render_markdown_and_the_form_says_so(client, citizen):
    proposal = ProposalFactory()
    body = "Sono **d'accordo**:\n\n- uno\n- due\n\n<script>x</script>"
    CommentFactory(target=proposal, body=body)
    page = client.get(proposal.get_absolute_url()).text
    start = page.index('class="pp-comment-body">')
    body = page[start : page.index("</div>", start)]
    assert "<strong>d&#x27;accordo</strong>" in body or "<strong>d'accordo</strong>" in body
    assert re.search(r"<ul>\s*<li>uno</li>", body)
    assert "<script" not in body
    client.force_login(citizen)
    assert "**grassetto**" in client.get(proposal.get_absolute_url()).text


def test_comment_preview_shows_the_rendered_comment_and_posts_nothing(client, citizen):
    from partecipazione.models import Comment

    proposal = ProposalFactory()
    client.force_login(citizen)
    page = client.get(proposal.get_absolute_url()).text
    match = re.search(r'<form method="post" action="([^"]+)" class="mt-3 pp-comment-form"', page)
    form = page[match.start() : page.index("</form>", match.start())]
    assert 'name="anteprima"' in form
    action = match.group(1)
    response = client.post(action, {"body": "Sono **d'accordo**\n\n- sì", "anteprima": ""})
    assert response.status_code == 200
    assert "<strong>d" in response.text and re.search(r"<ul>\s*<li>sì</li>", response.text)
    assert "Sono **d&#x27;accordo**" in response.text  # the source, in the textarea
    assert not Comment.objects.exists()
    response = client.post(action, {"body": "Sono **d'accordo**\n\n- sì"})
    assert response.status_code == 302
    assert Comment.objects.count() == 1

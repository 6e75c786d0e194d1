"""Sitemap, feeds, SEO tags, workflow, school bookings, contact form and blocks."""

import pytest
from django.core import mail
from wagtail.models import Locale, PageViewRestriction, Workflow, WorkflowPage

from home.models import HomePage, SchoolBookingRequest
from portal.core.blocks import BaseStreamBlock, EventBodyBlock, video_embed_url
from tests.home import factories

pytestmark = pytest.mark.django_db


# --- sitemap ------------------------------------------------------------------------------


def test_sitemap_lists_live_public_pages_only(client, home_page):
    public = factories.news_page(home_page, title="Pubblica")
    draft = factories.news_page(home_page, title="In bozza")
    draft.unpublish()
    private = factories.standard_page(home_page, title="Riservata", slug="riservata")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    body = client.get("/sitemap.xml").content.decode()
    assert f"<loc>http://localhost{public.url}</loc>" in body or public.url in body
    assert public.url in body
    assert draft.slug not in body
    assert "/riservata/" not in body
    assert "<urlset" in body


# --- news feeds ---------------------------------------------------------------------------


def test_news_rss_and_atom_feeds(client, home_page):
    index = factories.news_index(home_page)
    factories.news_page(home_page, title="Marcia della pace", intro="Domenica in piazza")
    draft = factories.news_page(home_page, title="Notizia in bozza")
    draft.unpublish()
    rss = client.get(index.url + "feed/rss/")
    assert rss.status_code == 200
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert "Marcia della pace" in rss.content.decode()
    assert "Notizia in bozza" not in rss.content.decode()
    atom = client.get(index.url + "feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "Domenica in piazza" in atom.content.decode()
    assert 'type="application/rss+xml"' in client.get(index.url).content.decode()


# --- SEO ----------------------------------------------------------------------------------


def test_seo_tags_canonical_opengraph_and_hreflang(client, home_page):
    page = factories.standard_page(
        home_page,
        title="Coordinamento",
        seo_title="La rete per la pace",
        search_description="Gli enti locali per la pace",
    )
    body = client.get(page.url).content.decode()
    assert "<title>La rete per la pace" in body
    assert '<meta name="description" content="Gli enti locali per la pace">' in body
    assert f'<link rel="canonical" href="http://localhost{page.url}">' in body
    assert '<meta property="og:title" content="La rete per la pace">' in body
    assert '<link rel="alternate" hreflang="it"' in body
    assert 'hreflang="en"' not in body  # no English version yet

    english = Locale.objects.get_or_create(language_code="en")[0]
    home_en = home_page.copy_for_translation(english)
    home_en.save_revision().publish()
    page_en = page.copy_for_translation(english)
    page_en.title = "Coordination"
    page_en.save_revision().publish()
    body = client.get(page.url).content.decode()
    assert 'hreflang="en"' in body
    assert f'href="{page_en.url}" hreflang="en" lang="en"' in body
    english_body = client.get(page_en.url).content.decode()
    assert '<html lang="en">' in english_body
    assert f'href="{page.url}" hreflang="it" lang="it"' in english_body


# --- workflow -----------------------------------------------------------------------------


def test_editorial_workflow_is_attached_to_the_whole_tree(home_page):
    workflow = Workflow.objects.get(name="Approvazione editoriale")
    assert workflow.active
    tasks = [task.specific for task in workflow.tasks]
    assert [g.name for g in tasks[0].groups.all()] == ["Moderators"]
    assert WorkflowPage.objects.get(page__depth=1).workflow == workflow
    page = factories.standard_page(home_page, title="Nuova pagina")
    assert page.get_workflow() == workflow
    assert HomePage.objects.get(depth=2).get_workflow() == workflow


def test_an_editor_submits_for_moderation_and_cannot_publish(home_page):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    page = factories.standard_page(home_page, title="Bozza dell'editor")
    assert not page.permissions_for_user(editor).can_publish()
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    assert page.permissions_for_user(moderator).can_publish()
    state = page.get_workflow().start(page, editor)
    assert state.current_task_state.task.specific.groups.filter(name="Moderators").exists()


# --- school bookings ----------------------------------------------------------------------

BOOKING = {
    "school": "Scuola primaria Trento e Trieste",
    "teacher": "Maria Rossi",
    "email": "maria.rossi@scuola.example",
    "class_name": "4ª B",
    "pupils": "22",
    "preferred_period": "marzo 2027",
}


def test_school_books_a_programme_and_editors_are_emailed(client, home_page):
    programme = factories.school_programme(home_page, booking_email="scuole@comune.example")
    form_html = client.get(programme.url).content.decode()
    assert 'name="school"' in form_html and 'id="conferma"' not in form_html
    response = client.post(programme.url, BOOKING)
    assert response.status_code == 302
    assert response["Location"] == programme.url + "?grazie=prenotazione#conferma"
    booking = SchoolBookingRequest.objects.get()
    assert booking.programme_id == programme.pk
    assert booking.status == "new"
    office, receipt = mail.outbox
    assert office.to == ["scuole@comune.example"]
    assert "Maria Rossi" in office.body
    assert receipt.to == ["maria.rossi@scuola.example"]
    assert "Gentile Maria Rossi" in receipt.body and "ricevuta" in receipt.body
    assert "4ª B" in receipt.body
    # The teacher lands on the confirmation, which takes the focus and is announced.
    page = client.get(response["Location"]).content.decode()
    confirmation = page.split('id="conferma"', 1)[1].split(">", 1)[0]
    assert 'role="status"' in confirmation and 'tabindex="-1"' in confirmation
    assert "Ti abbiamo inviato una ricevuta per e-mail" in page


def test_booking_receipt_is_in_english_on_the_english_site(client, home_page):
    from django.utils import translation

    from home.notifications import send_booking_receipt

    programme = factories.school_programme(home_page)
    booking = SchoolBookingRequest.objects.create(programme=programme, **{**BOOKING, "pupils": 22})
    with translation.override("en"):
        send_booking_receipt(booking)
    (receipt,) = mail.outbox
    assert receipt.subject.startswith("We have received your request")
    assert "Dear Maria Rossi" in receipt.body and "Class: 4ª B" in receipt.body


def test_invalid_booking_shows_errors_and_keeps_data(client, home_page):
    programme = factories.school_programme(home_page)
    response = client.post(programme.url, {**BOOKING, "pupils": "0", "email": "non-valida"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Maria Rossi" in body
    assert 'aria-invalid="true"' in body
    assert 'aria-describedby="id_pupils_error"' in body
    assert 'id="id_pupils_error"' in body
    assert not SchoolBookingRequest.objects.exists()
    assert mail.outbox == []


def test_booking_defaults_to_the_portal_email_and_closed_bookings_refuse(client, home_page):
    programme = factories.school_programme(home_page)
    client.post(programme.url, BOOKING)
    assert mail.outbox[0].to == ["pace@comune.cremona.it"]
    assert mail.outbox[1].to == ["maria.rossi@scuola.example"]
    closed = factories.school_programme(home_page, booking_open=False)
    client.post(closed.url, BOOKING)
    assert SchoolBookingRequest.objects.filter(programme=closed).count() == 0
    assert "sono chiuse" in client.get(closed.url).content.decode()


# --- contact form -------------------------------------------------------------------------


def test_contact_form_stores_and_emails(client, home_page):
    page = factories.contact_page(home_page)
    response = client.post(
        page.url, {"nome": "Luca", "e_mail": "luca@example.org", "messaggio": "Buongiorno"}
    )
    assert response.status_code == 200
    assert page.get_submission_class().objects.filter(page=page).count() == 1
    assert mail.outbox[0].to == ["redazione@example.org"]
    bad = client.post(page.url, {"nome": "", "e_mail": "x", "messaggio": ""}).content.decode()
    assert 'aria-invalid="true"' in bad
    assert 'aria-describedby="id_e_mail_error"' in bad


# --- blocks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=abcdefghijk",
            "https://www.youtube-nocookie.com/embed/abcdefghijk",
        ),
        ("https://youtu.be/abcdefghijk", "https://www.youtube-nocookie.com/embed/abcdefghijk"),
        ("https://vimeo.com/123456789", "https://player.vimeo.com/video/123456789?dnt=1"),
        ("https://example.org/video.mp4", ""),
        ("javascript:alert(1)", ""),
    ],
)
def test_video_embed_url(url, embed):
    assert video_embed_url(url) == embed


def test_video_loads_only_after_consent(client, home_page):
    page = factories.topic_page(
        home_page,
        body=[("video", {"url": "https://youtu.be/abcdefghijk", "title": "La marcia"})],
    )
    body = client.get(page.url).content.decode()
    assert "<iframe" not in body
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/abcdefghijk"' in body
    assert "data-video-consent-button" in body
    assert "home/js/video-consent.js" in body
    assert "onclick" not in body


def test_blocks_validate_alt_text_and_video_address():
    from django.core.exceptions import ValidationError

    block = BaseStreamBlock()
    image = factories.image()
    with pytest.raises(ValidationError):
        block.clean(
            block.to_python([{"type": "image", "value": {"image": image.pk, "alt_text": " "}}])
        )
    with pytest.raises(ValidationError):
        block.clean(
            block.to_python(
                [{"type": "video", "value": {"url": "https://example.org/x", "title": "X"}}]
            )
        )
    ok = block.clean(
        block.to_python([{"type": "image", "value": {"image": image.pk, "alt_text": "Bandiere"}}])
    )
    html = ok.render_as_block() if hasattr(ok, "render_as_block") else block.render(ok)
    assert 'alt="Bandiere"' in html
    assert "<picture>" in html and "image/webp" in html and "srcset=" in html


def test_every_block_renders_its_preview_value():
    for block in (BaseStreamBlock(), EventBodyBlock()):
        for name, child in block.child_blocks.items():
            value = child.get_preview_value()
            assert child.render(value) is not None, name

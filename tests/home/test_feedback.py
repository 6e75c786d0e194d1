"""'Was this page useful?': validation, storage, throttling and the editors' view."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.urls import reverse

from home.models import PageFeedback
from portal.accounts.demo import DEMO_TOTP_SECRET
from tests.factories import UserFactory
from tests.home import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(home_page):
    return factories.standard_page(home_page, title="Accessibilità", body="<p>Testo</p>")


def rate(client, page, **data):
    return client.post(reverse("home:page_rating", args=[page.pk]), data)


def test_content_page_shows_the_rating_form(client, page):
    body = client.get(page.url).content.decode()
    assert 'id="valutazione"' in body
    assert reverse("home:page_rating", args=[page.pk]) in body
    assert body.count('type="radio" name="rating"') == 5


def test_rating_is_stored_and_the_visitor_is_thanked(client, page):
    response = rate(client, page, rating="4", comment="Chiara e utile")
    assert response.status_code == 302
    assert response["Location"].endswith(page.url + "#valutazione")
    feedback = PageFeedback.objects.get()
    assert (feedback.page_id, feedback.rating, feedback.comment) == (page.pk, 4, "Chiara e utile")
    assert "Grazie" in client.get(page.url).content.decode()


@pytest.mark.parametrize("value", ["", "0", "6", "tre", "4.5"])
def test_invalid_rating_is_refused_with_a_message_and_keeps_the_comment(client, page, value):
    response = rate(client, page, rating=value, comment="Il mio commento")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Scegli un voto da 1 a 5." in body
    assert "Il mio commento" in body
    assert not PageFeedback.objects.exists()


def test_one_rating_per_page_and_session(client, page):
    rate(client, page, rating="5")
    rate(client, page, rating="1")
    assert list(PageFeedback.objects.values_list("rating", flat=True)) == [5]


def test_rating_unknown_or_draft_page_is_404(client, home_page):
    draft = factories.standard_page(home_page, title="Bozza")
    draft.unpublish()
    assert rate(client, draft, rating="3").status_code == 404
    assert client.post(reverse("home:page_rating", args=[999999]), {"rating": 3}).status_code == 404
    assert client.get(reverse("home:page_rating", args=[draft.pk])).status_code == 405


def test_editors_see_ratings_in_the_admin_and_citizens_do_not(client, page):
    PageFeedback.objects.create(page=page, rating=2, comment="Mancano gli orari")
    editor = UserFactory(is_staff=False)
    editor.groups.add(Group.objects.get(name="Editors"))
    TOTP.activate(editor, DEMO_TOTP_SECRET)
    client.force_login(editor)
    url = reverse("wagtailsnippets_home_pagefeedback:list")
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mancano gli orari" in body
    assert "data-page-averages" in body

    citizen = UserFactory(verified=True)
    client.force_login(citizen)
    assert client.get(url).status_code in (302, 403)


@pytest.mark.parametrize("value", ["", "9", "tre"])
def test_rating_a_page_type_without_the_rating_form_is_404(client, home_page, value):
    from eventi.models import EventIndexPage

    contact = factories.contact_page(home_page)
    events = factories.publish(home_page, EventIndexPage(title="Eventi", slug="eventi"))
    targets = (contact, events)
    statuses = [
        rate(client, t, rating=value, comment="Il mio commento").status_code for t in targets
    ]
    assert statuses == [404, 404]
    assert rate(client, contact, rating="4").status_code == 404
    assert not PageFeedback.objects.exists()


def test_feedback_component_has_the_municipal_model_markup(client, page):
    body = client.get(page.url).content.decode()
    for element in (
        'data-element="feedback"',
        'data-element="feedback-title"',
        'data-element="feedback-rating-positive"',
        'data-element="feedback-rating-negative"',
        'data-element="feedback-input-text"',
    ):
        assert element in body
    for i in range(1, 6):
        assert f'data-element="feedback-rate-{i}"' in body
    assert "Quanto sono chiare le informazioni su questa pagina?" in body
    assert body.count('data-element="feedback-rating-answer"') == 10


@pytest.mark.parametrize(("rating", "expected"), [("5", "complete"), ("2", "lost"), ("3", "lost")])
def test_follow_up_answer_that_fits_the_rating_is_stored(client, page, rating, expected):
    rate(client, page, rating=rating, positive_aspect="complete", negative_aspect="lost")
    assert PageFeedback.objects.get().aspect == expected


def test_home_page_takes_a_rating(client, home_page):
    assert 'data-element="feedback"' in client.get(home_page.url).content.decode()
    assert rate(client, home_page, rating="4").status_code == 302

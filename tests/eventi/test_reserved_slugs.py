"""Slugs that a routable page keeps for its routes are refused for its children."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from eventi.models import EventPage
from portal.accounts.demo import DEMO_TOTP_SECRET
from tests.eventi.factories import make_event, preview_data
from tests.factories import UserFactory
from tests.home import factories as home_factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    TOTP.activate(user, DEMO_TOTP_SECRET)
    client.force_login(user)
    return user


def soon():
    return timezone.localdate() + timedelta(days=10)


@pytest.mark.parametrize("slug", ["mese", "archivio", "luoghi"])
def test_an_event_cannot_take_a_route_of_the_calendar(events_index, slug):
    with pytest.raises(ValidationError) as error:
        make_event(events_index, title="Mese della pace", slug=slug, start_date=soon())
    assert "slug" in error.value.message_dict
    assert not EventPage.objects.filter(slug=slug).exists()


def test_the_month_view_keeps_its_address(client, events_index):
    make_event(events_index, title="Mese della pace", slug="mese-della-pace", start_date=soon())
    response = client.get(events_index.url + "mese/")
    assert response.status_code == 200
    assert "Mese della pace" in response.content.decode()


def test_the_admin_form_refuses_a_reserved_slug_and_keeps_what_was_typed(
    client, editor, events_index
):
    existing = make_event(events_index, title="Incontro", slug="incontro", start_date=soon())
    data = preview_data(existing, editor)
    data.update({"title": "Mese della pace nelle scuole", "slug": "mese", "action-publish": "1"})
    url = reverse("wagtailadmin_pages:add", args=["eventi", "eventpage", events_index.pk])
    response = client.post(url, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "riservato" in content
    assert "Mese della pace nelle scuole" in content  # nothing typed is lost
    assert not EventPage.objects.filter(slug="mese").exists()
    assert client.get(events_index.url + "mese/").status_code == 200


def test_a_news_item_cannot_take_the_feed_route(home_page):
    with pytest.raises(ValidationError):
        home_factories.news_page(home_page, title="Feed", slug="feed")

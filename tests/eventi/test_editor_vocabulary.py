"""Editors and approvers manage venues, event types and topics, and submit translations."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Locale, Page

from eventi.models import EventType, Venue
from portal.accounts.roles import APPROVERS, EDITORS
from portal.taxonomy.models import Topic
from tests.factories import UserFactory
from tests.wagtail_admin import mfa_login

pytestmark = pytest.mark.django_db


def _staff(client, group_name):
    user = UserFactory(verified=True)
    user.groups.add(Group.objects.get(name=group_name))
    mfa_login(client, user)
    return user


@pytest.mark.parametrize(
    ("group_name", "perm", "granted"),
    [
        (EDITORS, "eventi.add_venue", True),
        (EDITORS, "eventi.change_eventtype", True),
        (EDITORS, "taxonomy.change_topic", True),
        (EDITORS, "eventi.delete_venue", False),
        (EDITORS, "simple_translation.submit_translation", True),
        (APPROVERS, "eventi.delete_venue", True),
        (APPROVERS, "eventi.delete_eventtype", True),
        (APPROVERS, "taxonomy.delete_topic", True),
        (APPROVERS, "simple_translation.submit_translation", True),
    ],
)
def test_group_permissions_from_the_migration(group_name, perm, granted):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    assert user.has_perm(perm) is granted


def test_an_editor_adds_a_venue_through_the_snippet_form(client):
    _staff(client, EDITORS)
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("wagtailsnippets_eventi_venue:list") in menu
    add_url = reverse("wagtailsnippets_eventi_venue:add")
    assert client.get(add_url).status_code == 200
    response = client.post(
        add_url,
        {
            "name": "Sala dei Quadri",
            "slug": "sala-dei-quadri",
            "address": "Piazza del Comune 8",
            "postcode": "26100",
            "city": "Cremona",
            "access_notes": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Venue.objects.filter(slug="sala-dei-quadri").exists()
    listing = client.get(reverse("wagtailsnippets_eventi_venue:list")).content.decode()
    assert "Sala dei Quadri" in listing


def test_an_editor_adds_an_event_type_and_a_topic(client):
    _staff(client, EDITORS)
    response = client.post(
        reverse("wagtailsnippets_eventi_eventtype:add"),
        {
            "name": "presentazione",
            "name_en": "book launch",
            "slug": "presentazione",
            "sort_order": "9",
        },
    )
    assert response.status_code == 302
    assert EventType.objects.get(slug="presentazione").name_en == "book launch"
    response = client.post(
        reverse("wagtailsnippets_taxonomy_topic:add"),
        {
            "name": "Ambiente",
            "name_en": "Environment",
            "slug": "ambiente",
            "description": "",
            "sort_order": "7",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Topic.objects.filter(slug="ambiente").exists()


def test_an_editor_cannot_delete_a_venue_an_approver_can(client):
    venue = Venue.objects.create(name="Cortile", slug="cortile")
    _staff(client, EDITORS)
    delete_url = reverse("wagtailsnippets_eventi_venue:delete", args=[venue.pk])
    client.post(delete_url)
    assert Venue.objects.filter(pk=venue.pk).exists()
    client.logout()
    _staff(client, APPROVERS)
    response = client.post(delete_url)
    assert response.status_code == 302
    assert not Venue.objects.filter(pk=venue.pk).exists()


def test_an_editor_submits_a_page_for_translation(client, home_page):
    english = Locale.objects.get_or_create(language_code="en")[0]
    _staff(client, EDITORS)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[home_page.pk])).content.decode()
    translate_url = reverse("simple_translation:submit_page_translation", args=[home_page.pk])
    assert translate_url in edit
    form = client.get(translate_url)
    assert form.status_code == 200
    response = client.post(translate_url, {"locales": [english.pk]})
    assert response.status_code == 302
    assert Page.objects.filter(translation_key=home_page.translation_key, locale=english).exists()


def test_a_citizen_cannot_open_the_translate_action(client, home_page):
    client.force_login(UserFactory(verified=True))
    translate_url = reverse("simple_translation:submit_page_translation", args=[home_page.pk])
    assert client.get(translate_url).status_code in (302, 403)

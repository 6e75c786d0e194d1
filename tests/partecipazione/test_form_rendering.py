"""Public forms render through the one Bootstrap Italia renderer (portal.core.forms)."""

import re

import pytest
from django.urls import reverse

from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("partecipazione:association_create")


def _tag(html: str, name: str) -> str:
    """The opening tag of the element whose name attribute is `name` (first one)."""
    match = re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def test_association_topics_are_visible_checkboxes_in_a_fieldset(client, citizen):
    TopicFactory(name="Argomento del modulo di prova", slug="argomento-modulo-prova")
    client.force_login(citizen)
    html = client.get(CREATE).content.decode()
    assert re.search(r"<fieldset[^>]*>\s*<legend[^>]*>Argomenti", html)
    checkbox = _tag(html, "topics")
    assert 'type="checkbox"' in checkbox and 'class="form-check-input"' in checkbox
    label = r'<label class="form-check-label" for="id_topics_\d+">Argomento del modulo di prova<'
    assert re.search(label, html)
    assert 'class="form-control"' in _tag(html, "name")
    assert 'class="form-control"' in _tag(html, "description")


def test_association_errors_are_linked_to_their_fields(client, citizen):
    client.force_login(citizen)
    html = client.post(
        CREATE, {"name": "", "email": "non-una-mail", "phone": "0372 123"}
    ).content.decode()
    email = _tag(html, "email")
    assert 'aria-invalid="true"' in email
    assert "is-invalid" in email
    assert 'value="non-una-mail"' in email  # what the person typed stays
    described = re.search(r'aria-describedby="([^"]+)"', email).group(1)
    for target in described.split():
        assert f'id="{target}"' in html
    assert 'id="id_email_error"' in html
    assert 'aria-invalid="true"' not in _tag(html, "phone")


def test_proposal_filters_are_bootstrap_selects(client):
    html = client.get(reverse("partecipazione:proposal_list")).content.decode()
    assert 'class="form-select"' in _tag(html, "state")
    assert 'class="form-control"' in _tag(html, "q")


def test_association_topic_checkboxes_are_not_inside_a_floating_label_group(client, citizen):
    """Bootstrap Italia's .form-group positions every label absolutely (floating labels): a
    group of checkboxes inside one drew its boxes on top of each other, out of sight."""
    TopicFactory(name="Argomento visibile", slug="argomento-visibile")
    client.force_login(citizen)
    html = client.get(CREATE).content.decode()
    wrapper = re.search(r'<div class="([^"]*)">\s*<fieldset[^>]*>\s*<legend[^>]*>Argomenti', html)
    assert wrapper and "form-group" not in wrapper.group(1)
    assert "form-choices" in wrapper.group(1)

"""Event descriptions use the portal's shared block library (portal.core.blocks)."""

import json
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from wagtail.documents.models import Document

from portal.core.blocks import BaseStreamBlock, EventBodyBlock
from tests.eventi.factories import make_event

pytestmark = pytest.mark.django_db


def _future():
    return timezone.localdate() + timedelta(days=30)


def test_event_body_offers_every_base_block_plus_its_own():
    names = set(EventBodyBlock().child_blocks)
    assert set(BaseStreamBlock().child_blocks) <= names
    assert {"document", "embed"} <= names


def test_event_page_renders_shared_blocks(client, events_index):
    document = Document.objects.create(
        title="Programma", file=ContentFile(b"%PDF-1.4 programma", name="programma.pdf")
    )
    event = make_event(
        events_index,
        start_date=_future(),
        body=[
            ("heading", {"text": "Come arrivare", "level": "h2"}),
            ("quote", {"quote": "Se vuoi la pace, prepara la pace.", "attribution": "Capitini"}),
            ("document", {"document": document, "title": "Il programma"}),
        ],
    )
    html = client.get(event.url).content.decode()
    assert '<h2 class="mt-5">Come arrivare</h2>' in html
    assert "<blockquote" in html and "Se vuoi la pace, prepara la pace." in html
    assert "Capitini" in html
    assert f'href="{document.url}">Il programma</a>' in html


def test_migration_moves_old_event_quotes_to_the_shared_shape(client, events_index):
    """An event quote stored before the shared library (text under "text") still shows."""
    event = make_event(events_index, start_date=_future())
    old_body = [
        {
            "type": "quote",
            "value": {"text": "La pace non è un sogno.", "attribution": "Autore"},
            "id": "0b4e6c1e-3f25-4c8a-9d8e-5d1c2a7f0a11",
        }
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE eventi_eventpage SET body = %s WHERE page_ptr_id = %s",
            [json.dumps(old_body), event.pk],
        )
    migration = import_module("eventi.migrations.0007_shared_block_library").Migration
    data_step = migration.operations[-1]
    data_step.code(apps, None)

    event.refresh_from_db()
    assert event.body.raw_data[0]["value"] == {
        "quote": "La pace non è un sogno.",
        "attribution": "Autore",
    }
    html = client.get(event.url).content.decode()
    assert "La pace non è un sogno." in html

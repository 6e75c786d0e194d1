"""Event listings page with `?pagina=N`; old `?page=N` bookmarks still open their page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.eventi.factories import make_event

pytestmark = pytest.mark.django_db


def test_event_listing_pages_with_pagina_and_keeps_the_filters(client, events_index):
    day = timezone.localdate() + timedelta(days=5)
    for n in range(21):
        make_event(events_index, title=f"Incontro {n}", start_date=day)
    body = client.get(events_index.url, {"q": "Incontro", "page": "2"}).content.decode()
    assert "Pagina 2 di 2" in body
    assert 'href="?q=Incontro&amp;pagina=1"' in body

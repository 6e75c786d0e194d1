"""The event filters render through the shared form renderer: typed values kept, errors linked."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_valid_date_filter_is_shown_back_as_an_iso_date(client, events_index):
    day = timezone.localdate() + timedelta(days=10)
    html = client.get(events_index.url, {"dal": day.isoformat(), "q": "pace"}).content.decode()
    assert f'type="date" name="dal" value="{day.isoformat()}"' in html
    assert 'type="search" name="q" value="pace"' in html


def test_bad_date_filter_keeps_the_input_and_links_the_error(client, events_index):
    response = client.get(events_index.url, {"dal": "31-12-2030"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="31-12-2030"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_dal_error"' in html
    assert 'id="id_dal_error"' in html

import pytest

from eventi.models import EventIndexPage


@pytest.fixture
def events_index(home_page):
    index = EventIndexPage(title="Eventi", slug="eventi", show_in_menus=True)
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return EventIndexPage.objects.get(pk=index.pk)

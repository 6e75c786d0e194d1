"""Fixtures shared by every test package."""

import pytest
from wagtail.models import Site

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _site_language_after_each_test():
    """Code run outside a request (a test's own rendering, an immediate task) uses the thread's
    active language, which an earlier English request may have left on: reset it after each test."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def site(db):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def home_page(site):
    return site.root_page.specific


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def verified_user(db):
    return UserFactory(verified=True)


def pytest_collection_modifyitems(items):
    """As Django's test runner does: tests that flush the database (transaction=True) run
    after all the others, so no module-scoped world built later loses the migrations' data."""

    def flushes(item) -> bool:
        marker = item.get_closest_marker("django_db")
        return bool(marker and marker.kwargs.get("transaction"))

    items.sort(key=flushes)

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

"""tests/queries.py: exact counts, and the SQL listed when a count is wrong."""

import pytest

from portal.taxonomy.models import Topic
from tests.factories import TopicFactory
from tests.queries import assert_counts, assert_fixed, assert_num_queries, capture

pytestmark = pytest.mark.django_db

FROM_TOPICS = f'FROM "{Topic._meta.db_table}"'


def test_exact_count_passes_and_a_wrong_one_lists_the_queries():
    TopicFactory(slug="pace")
    with assert_num_queries(1):
        assert Topic.objects.filter(slug="pace").count() == 1
    with pytest.raises(AssertionError) as failure, assert_num_queries(1):
        Topic.objects.filter(slug="pace").count()
        list(Topic.objects.all())
    message = str(failure.value)
    assert message.startswith("2 queries, expected 1:")
    assert message.count(FROM_TOPICS) == 2 and "  1. SELECT" in message and "  2. SELECT" in message


def test_a_growing_count_names_the_measurement_and_shows_both_lists():
    with capture() as one:
        list(Topic.objects.all())
    with capture() as two:
        list(Topic.objects.all())
        list(Topic.objects.all())
    assert_fixed(one, one, at_most=1)
    with pytest.raises(AssertionError) as failure:
        assert_fixed(one, two)
    message = str(failure.value)
    assert "measurement 2: 2 queries, expected 1" in message
    assert "expected these:" in message and message.count(FROM_TOPICS) == 3
    with pytest.raises(AssertionError, match="page: 2 queries, expected 1"):
        assert_counts({"page": two}, {"page": 1})
    with pytest.raises(AssertionError, match="at most 0 allowed"):
        assert_fixed(one, one, at_most=0)

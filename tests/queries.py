"""The one way tests count SQL queries: exact counts, and the queries listed when one is wrong.

* ``with capture() as queries:`` records the SQL of the block (``len(queries)``, ``queries.sql``);
* ``with assert_num_queries(3):`` fails unless the block ran exactly 3 queries;
* ``assert_counts(measured, expected)`` compares ``{name: Queries}`` with ``{name: int}`` (or with
  another measurement), naming each page whose count differs and listing its SQL;
* ``assert_fixed(one, many, at_most=15)``: a count that does not grow with the data;
* ``assert_at_most(measured, limit)`` is a budget for every page of ``{name: Queries}``;
* ``request_queries(client, url, cold=False)`` measures one GET in the steady state, or with
  every cache empty (``cold``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext


class Queries:
    """The SQL statements one block ran, in order."""

    def __init__(self) -> None:
        self.sql: list[str] = []
        self.response = None  # set by request_queries

    def __len__(self) -> int:
        return len(self.sql)

    def __eq__(self, other):
        # `a == b` would compare identities (or, with counts, print no SQL on failure).
        raise TypeError("compare query counts with assert_fixed or assert_counts")

    __hash__ = object.__hash__

    def listing(self) -> str:
        return "\n".join(f"  {number}. {sql}" for number, sql in enumerate(self.sql, 1))


@contextlib.contextmanager
def capture(using: str = DEFAULT_DB_ALIAS) -> Iterator[Queries]:
    queries = Queries()
    with CaptureQueriesContext(connections[using]) as context:
        yield queries
    queries.sql = [query["sql"] for query in context.captured_queries]


@contextlib.contextmanager
def assert_num_queries(expected: int, using: str = DEFAULT_DB_ALIAS) -> Iterator[Queries]:
    with capture(using) as queries:
        yield queries
    assert len(queries) == expected, (
        f"{len(queries)} queries, expected {expected}:\n{queries.listing()}"
    )


def _count(value: Queries | int) -> int:
    return value if isinstance(value, int) else len(value)


def assert_counts(measured: Mapping[str, Queries], expected: Mapping[str, Queries | int]) -> None:
    """The same names with the same number of queries; the differing ones are listed."""
    counts = {name: len(queries) for name, queries in measured.items()}
    wanted = {name: _count(value) for name, value in expected.items()}
    if counts == wanted:
        return
    report = [f"query counts {counts}\n      expected {wanted}"]
    for name in sorted(set(counts) | set(wanted)):
        if counts.get(name) == wanted.get(name):
            continue
        report.append(f"{name}: {counts.get(name)} queries, expected {wanted.get(name)}")
        if name in measured:
            report.append(measured[name].listing())
        if isinstance(expected.get(name), Queries):
            report.append("  expected these:\n" + expected[name].listing())
    raise AssertionError("\n".join(report))


def assert_at_most(measured: Mapping[str, Queries], limit: int) -> None:
    """A budget: no page runs more than `limit` queries; the ones over it are listed."""
    over = {name: queries for name, queries in measured.items() if len(queries) > limit}
    assert not over, "\n".join(
        f"{name}: {len(queries)} queries, at most {limit} allowed\n{queries.listing()}"
        for name, queries in over.items()
    )


def assert_fixed(first: Queries, *others: Queries, at_most: int | None = None) -> None:
    """The count does not grow with the data: each measurement ran as many queries as the first
    (and no more than `at_most`)."""
    assert_counts(
        {f"measurement {n}": queries for n, queries in enumerate(others, 2)},
        {f"measurement {n}": first for n in range(2, len(others) + 2)},
    )
    if at_most is not None:
        assert_at_most({"measurement 1": first}, at_most)


def request_queries(client, url: str, cold: bool = False) -> Queries:
    """The queries of a GET in the steady state, or (cold) with every cache emptied first."""
    client.get(url)  # the first request may create renditions or the portal settings
    client.get(url)  # fill the site/locale/settings caches
    if cold:
        cache.clear()
    with capture() as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    assert response.get("X-Cache") != "HIT", "the full-page cache would hide the queries"
    queries.response = response
    return queries

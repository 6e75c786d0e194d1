"""Events benchmark: full iCalendar feed (cold/warm), feed size, index and feed under load.

    DATABASE_URL=sqlite:////tmp/eventi_bench.sqlite3 .venv/bin/python bench/bench_events.py \
        [--events 10000] [--requests 200] [--threads 4]

Migrates the database if needed, loads the demo data and `bulk_data.ensure(events=N)`
(N events, one in twenty weekly recurring) unless they are there, then measures in-process
with Django's test client (no network): the cold full feed (empty cache), the warm feed
(from the cache), the index page (median, p95), and requests/second for index and feed
from a thread pool.
Each event's VEVENTs are serialised by icalendar when it is published (stored in
EventFeedComponent); the benchmark backfills them first if the database has none (and prints
how long that takes: what `manage.py build_event_ical` does once after a deploy).
Targets (issue 3): cold full feed < 1 s, warm feed from the cache, index median < 50 ms.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/eventi_bench.sqlite3")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

import bulk_data  # noqa: E402 (bench/bulk_data.py, next to this script)
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from eventi import feeds, ical  # noqa: E402
from eventi.models import EventFeedComponent, EventOccurrence, EventPage  # noqa: E402

FEED = "/eventi/calendario.ics"
INDEX = "/eventi/"


def out(text: str) -> None:
    sys.stdout.write(text + "\n")


def timed(client: Client, url: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(response.content), response.status_code


def load(url: str, requests: int, threads: int) -> float:
    """Requests/second for `url` from `threads` clients."""

    def worker(n: int) -> None:
        client = Client()
        for _ in range(n):
            assert client.get(url).status_code == 200

    per_thread = max(requests // threads, 1)
    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(worker, [per_thread] * threads))
    return per_thread * threads / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]

    call_command("migrate", verbosity=0)
    if EventPage.objects.count() < args.events:
        start = time.perf_counter()
        call_command("load_demo_data", quiet_credentials=True, verbosity=0)
        bulk_data.ensure(events=args.events)
        out(f"demo data + {args.events} bulk events: {time.perf_counter() - start:.1f} s")
    out(
        f"events: {EventPage.objects.count()} (recurring: "
        f"{EventPage.objects.exclude(frequency='none').count()}), "
        f"materialised occurrences: {EventOccurrence.objects.count()}"
    )

    live = EventPage.objects.live().count()
    stored = EventFeedComponent.objects.count()
    if stored < live:
        start = time.perf_counter()
        done = ical.store_all(EventPage.objects.live().filter(feed_component__isnull=True))
        out(
            f"backfill of stored VEVENTs (as manage.py build_event_ical): {done} events in "
            f"{time.perf_counter() - start:.1f} s"
        )

    client = Client()
    cache.clear()
    first = timed(client, FEED)[0]  # also pays the process's own start-up (URLs, i18n...)
    cold = []
    for _ in range(5):
        cache.clear()
        elapsed, size, _status = timed(client, FEED)
        cold.append(elapsed)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as ctx:
        cache.clear()
        client.get(FEED)
    feed_queries = len(ctx.captured_queries)
    rebuilt = []
    for _ in range(3):
        feeds.invalidate()  # what a publication does to cached feeds (VEVENTs stay stored)
        rebuilt.append(timed(client, FEED)[0])
    warm = [timed(client, FEED)[0] for _ in range(20)]
    etag = client.get(FEED)["ETag"]
    start = time.perf_counter()
    not_modified = client.get(FEED, HTTP_IF_NONE_MATCH=etag)
    conditional = time.perf_counter() - start
    out(f"full feed: {size / 1_000_000:.2f} MB, {feed_queries} SQL queries when cold")
    out(
        "  cold (empty cache; stored VEVENTs) build+serve: median "
        f"{statistics.median(cold):.2f} s (runs: " + ", ".join(f"{t:.2f}" for t in cold) + ")"
    )
    out(f"  first request of the process (empty cache, cold Python process): {first:.2f} s")
    out(
        f"  rebuilt after a publication (feed cache invalidated, VEVENTs stored): median "
        f"{statistics.median(rebuilt) * 1000:.0f} ms"
    )
    out(f"  warm (cache): median {statistics.median(warm) * 1000:.1f} ms")
    out(f"  If-None-Match: {not_modified.status_code} in {conditional * 1000:.1f} ms")

    personal_feed(client)

    page_cache = getattr(settings, "PAGE_CACHE_SECONDS", 0)
    for label, seconds in (("rendered (page cache off)", 0), ("page cache on", page_cache)):
        settings.PAGE_CACHE_SECONDS = seconds
        timed(client, INDEX)
        executed = []

        def count(run, sql, *rest, executed=executed):
            executed.append(sql)
            return run(sql, *rest)

        with connection.execute_wrapper(count):
            client.get(INDEX)
        index_times = sorted(timed(client, INDEX)[0] for _ in range(30))
        filtered = f"{INDEX}?argomento=pace&dal={datetime.date.today().isoformat()}"
        filtered_times = sorted(timed(client, filtered)[0] for _ in range(20))
        out(
            f"index {INDEX}, {label}: {len(executed)} SQL queries, median "
            f"{statistics.median(index_times) * 1000:.1f} ms, p95 "
            f"{index_times[int(len(index_times) * 0.95) - 1] * 1000:.1f} ms; filtered median "
            f"{statistics.median(filtered_times) * 1000:.1f} ms"
        )
    settings.PAGE_CACHE_SECONDS = 0

    out(f"load ({args.threads} threads, {args.requests} requests each URL, in-process):")
    out(f"  index (rendered): {load(INDEX, args.requests, args.threads):.0f} req/s")
    settings.PAGE_CACHE_SECONDS = page_cache
    out(f"  index (page cache): {load(INDEX, args.requests, args.threads):.0f} req/s")
    out(f"  feed (warm): {load(FEED, args.requests, args.threads):.0f} req/s")


def personal_feed(client: Client) -> None:
    """A user following the topic with most events: their personal feed built (cold), from
    the per-user cache (warm), and answered 304 to If-None-Match and If-Modified-Since
    (goal: warm within 5 ms)."""
    from django.db.models import Count

    from portal.accounts import follows
    from portal.accounts.models import User
    from portal.taxonomy.models import Topic

    user, _created = User.objects.get_or_create(
        email="bench-personal@example.org", defaults={"display_name": "Bench"}
    )
    topic = Topic.objects.annotate(n=Count("events")).order_by("-n").first()
    follows.follow(user, topic)
    url = f"/eventi/calendario/personale/{follows.calendar_token(user)}.ics"
    cold = []
    for _ in range(3):
        cache.clear()
        elapsed, size, _status = timed(client, url)
        cold.append(elapsed)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    warm = sorted(timed(client, url)[0] for _ in range(30))
    response = client.get(url)
    etag, modified = response["ETag"], response["Last-Modified"]
    conditional = {}
    for name, header in (
        ("If-None-Match", {"HTTP_IF_NONE_MATCH": etag}),
        ("If-Modified-Since", {"HTTP_IF_MODIFIED_SINCE": modified}),
    ):
        times = []
        for _ in range(30):
            start = time.perf_counter()
            answer = client.get(url, **header)
            times.append(time.perf_counter() - start)
            assert answer.status_code == 304, (name, answer.status_code)
        conditional[name] = statistics.median(times)
    events = response.content.count(b"BEGIN:VEVENT")
    out(f"personal feed (following '{topic.name}'): {events} VEVENTs, {size / 1_000_000:.2f} MB")
    out(f"  cold (empty cache) median {statistics.median(cold) * 1000:.0f} ms")
    out(
        f"  warm (per-user cache): median {statistics.median(warm) * 1000:.1f} ms, "
        f"p95 {warm[int(len(warm) * 0.95) - 1] * 1000:.1f} ms, {len(ctx.captured_queries)} SQL"
    )
    for name, value in conditional.items():
        out(f"  {name}: 304 in {value * 1000:.1f} ms (median)")


if __name__ == "__main__":
    main()

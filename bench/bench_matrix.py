"""The README's benchmark table: every public page on SQLite and PostgreSQL, with and without
Redis, with the anonymous page cache on and off (gunicorn, 2 workers, production settings).

    .venv/bin/python bench/bench_matrix.py [--events 10000 --proposals 2000]
        [--postgres-url postgres://postgres@127.0.0.1:5432/cdp_bench]
        [--redis-url redis://127.0.0.1:6379/7] [--duration 5] [--skip-prepare]

Each database is prepared once (`load_demo_data`, then bench/bulk_data.py at the asked scale;
the PostgreSQL database is dropped and created again); the Redis database is emptied before
each configuration. Prints the SQL queries per page (every cache empty / uncached steady
state / page-cache hit) and, for
each configuration, median and p99 latency and requests/second under `wrk` (or Python threads
when wrk is not installed). Exits non-zero on any 5xx or connection error.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_pages  # noqa: E402
import common  # noqa: E402
from common import print_table  # noqa: E402


def recreate_postgres(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin, "-q", "-c", sql], check=True, timeout=120)


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--proposals", type=int, default=2000)
    parser.add_argument("--comments-per-proposal", type=int, default=5)
    parser.add_argument(
        "--postgres-url", default="postgres://postgres@127.0.0.1:5432/cdp_bench", help="'' to skip"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7", help="'' to skip")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per page and config")
    parser.add_argument(
        "--concurrency", type=int, default=4, help="wrk connections with the page cache on"
    )
    parser.add_argument(
        "--uncached-concurrency",
        type=int,
        default=2,
        help="wrk connections with the page cache off: one per gunicorn worker, so the "
        "median is what one visitor waits for a page built for them, not time in a queue",
    )
    parser.add_argument("--port", type=int, default=8107)
    parser.add_argument("--skip-prepare", action="store_true")
    args = parser.parse_args(argv)

    sqlite_url = f"sqlite:////tmp/e2e-bench-{args.events}-{args.proposals}.sqlite3"
    databases = [("SQLite", sqlite_url)]
    if args.postgres_url:
        databases.append(("PostgreSQL", args.postgres_url))
    caches = [("file cache", "")] + ([("Redis", args.redis_url)] if args.redis_url else [])

    results: dict[tuple[str, str, bool], list[dict]] = {}
    started = time.monotonic()
    for db_name, db_url in databases:
        prepared = args.skip_prepare
        for cache_name, redis_url in caches:
            for page_cache in (False, True):
                if redis_url:
                    flush_redis(redis_url)
                else:  # the shared file cache (CACHE_DIR) starts empty too
                    shutil.rmtree(common.CACHE_DIR, ignore_errors=True)
                if not prepared and db_url.startswith("postgres"):
                    recreate_postgres(db_url)
                elif not prepared:
                    Path(db_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
                run_args = bench_pages.build_parser().parse_args(
                    [
                        "--events",
                        str(args.events),
                        "--proposals",
                        str(args.proposals),
                        "--comments-per-proposal",
                        str(args.comments_per_proposal),
                        "--database-url",
                        db_url,
                        "--redis-url",
                        redis_url,
                        "--duration",
                        str(args.duration),
                        "--concurrency",
                        str(args.concurrency if page_cache else args.uncached_concurrency),
                        "--port",
                        str(args.port),
                    ]
                    + ([] if page_cache else ["--no-page-cache"])
                    + ([] if not prepared else ["--skip-prepare"])
                )
                print(f"-- {bench_pages.describe(run_args)}", flush=True)
                results[(db_name, cache_name, page_cache)] = bench_pages.measure_pages(run_args)
                prepared = True

    first = next(iter(results.values()))
    print(
        f"\n{args.events} events, {args.proposals} proposals "
        f"({args.comments_per_proposal} comments each); gunicorn 2 workers, production "
        f"settings; wrk for {args.duration:.0f} s per page with {args.concurrency} connections "
        f"(page cache on) or {args.uncached_concurrency} (page cache off)\n"
    )
    print("SQL queries per request (every cache empty / uncached / page-cache hit) and size:\n")
    query_rows = []
    for n, page in enumerate(first):
        row = [page["name"]]
        for db_name, _ in databases:
            other = results[(db_name, "file cache", True)][n]
            row.append(
                f"{other['queries']} / {other['queries_uncached']} / {other['queries_warm']}"
            )
        row.append(f"{page['bytes'] / 1024:.1f}")
        query_rows.append(row)
    print_table(["page", *(f"SQL ({name})" for name, _ in databases), "KiB"], query_rows)

    for page_cache in (False, True):
        title = (
            f"anonymous page cache on, {args.concurrency} connections"
            if page_cache
            else f"page cache off (every view runs), {args.uncached_concurrency} connections"
        )
        print(f"\nMedian / p99 ms and requests/s, {title}:\n")
        headers = ["page"]
        columns = []
        for db_name, _ in databases:
            for cache_name, _ in caches:
                headers.append(f"{db_name}, {cache_name}")
                columns.append(results[(db_name, cache_name, page_cache)])
        rows = []
        for n, page in enumerate(first):
            rows.append(
                [page["name"]]
                + [
                    f"{c[n]['median_ms']:.1f} / {c[n]['p99_ms']:.0f} ms, {c[n]['rps']:.0f}/s"
                    for c in columns
                ]
            )
        print_table(headers, rows)

    errors = sum(page["errors"] for pages in results.values() for page in pages)
    print(
        f"\n5xx and connection errors in all runs: {errors}. "
        f"Took {(time.monotonic() - started) / 60:.0f} min; "
        f"measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}."
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

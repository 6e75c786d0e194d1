"""Page benchmarks: gunicorn (2 workers, production settings) on 127.0.0.1, a bounded load.

    .venv/bin/python bench/bench_pages.py [--events 10000 --proposals 2000]
        [--database-url postgres://postgres@127.0.0.1:5432/cdp_bench] [--redis-url redis://...]

Prints, for each public page: SQL queries per request (cold cache, measured in-process with
the same settings), response size, and under load (N requests from C threads over keep-alive
HTTP/1.1, bounded in count and time) median and p99 latency, requests/second and 5xx count.
Without --database-url a throwaway SQLite file under /tmp is used.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Gunicorn, hammer, prepare, print_table, run_helper, server_env  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--proposals", type=int, default=50)
    parser.add_argument("--comments-per-proposal", type=int, default=3)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=400, help="per page")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--time-limit", type=float, default=20.0, help="seconds per page, at most")
    parser.add_argument(
        "--no-manifest",
        action="store_true",
        help="un-hashed static names (bench/bench_settings.py) instead of pure production",
    )
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="PAGE_CACHE_SECONDS=0: measure every page uncached",
    )
    parser.add_argument("--skip-prepare", action="store_true", help="reuse the prepared database")
    args = parser.parse_args(argv)

    database_url = args.database_url or (
        f"sqlite:////tmp/e2e-bench-{args.events}-{args.proposals}.sqlite3"
    )
    settings = "bench.bench_settings" if args.no_manifest else "portal.settings.production"
    extra = {"PAGE_CACHE_SECONDS": "0"} if args.no_page_cache else {}
    env = server_env(database_url, args.port, args.redis_url, extra=extra, settings=settings)
    if not args.skip_prepare:
        took = prepare(env, args.events, args.proposals, args.comments_per_proposal)
        print(f"Prepared {database_url} in {took:.0f} s.")
    pages = run_helper(env, "urls")
    backend = database_url.split(":", 1)[0]
    cache = ("redis" if args.redis_url else "local memory") + (
        ", page cache off" if args.no_page_cache else ", anonymous page cache on"
    )
    print(
        f"\n{args.events} events, {args.proposals} proposals; {backend}; cache: {cache}; "
        f"gunicorn {args.workers} workers; {args.requests} requests x {args.concurrency} threads "
        f"per page (at most {args.time_limit:.0f} s)\n"
    )
    rows = []
    with Gunicorn(env, args.port, args.workers):
        for page in pages:
            hammer(args.port, page["url"], 20, 2, 10)  # warm up both workers
            measure = hammer(
                args.port, page["url"], args.requests, args.concurrency, args.time_limit
            )
            statuses = ",".join(f"{s}x{n}" for s, n in sorted(measure.statuses.items()))
            rows.append(
                [
                    page["name"],
                    page["url"][:48],
                    f"{page['queries']} / {page['queries_warm']}",
                    f"{page['bytes'] / 1024:.1f}",
                    f"{measure.median_ms():.1f}",
                    f"{measure.p99_ms():.1f}",
                    f"{measure.rps():.0f}",
                    measure.server_errors() + measure.errors,
                    statuses,
                ]
            )
    print_table(
        [
            "page",
            "URL",
            "SQL cold/warm",
            "KiB",
            "median ms",
            "p99 ms",
            "req/s",
            "5xx+err",
            "statuses",
        ],
        rows,
    )
    print(f"\nMeasured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.")
    return 1 if any(row[7] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())

"""Page benchmarks: gunicorn (2 workers, production settings) on 127.0.0.1, a bounded load.

    .venv/bin/python bench/bench_pages.py [--events 10000 --proposals 2000]
        [--database-url postgres://postgres@127.0.0.1:5432/cdp_bench] [--redis-url redis://...]

Prints, for each public page: SQL queries per request measured in-process with the same
settings (every cache empty / steady state with the full-page cache bypassed / full-page cache
hit), response size, and under load median and p99 latency, requests/second and 5xx count.
The load comes from `wrk` (Debian package `wrk`) when it is installed, over keep-alive
connections for --duration seconds; otherwise from Python threads (bounded in count and time),
which on a small machine measure the client as much as the server.
Without --database-url a throwaway SQLite file under /tmp is used.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    HOST,
    Gunicorn,
    Measure,
    hammer,
    prepare,
    print_table,
    run_helper,
    server_env,
)

# wrk's Lua hooks: count 5xx responses per thread, print the figures the table needs.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) server_errors = 0 end
function response(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 end
end
function done(summary, latency, requests)
  local errors = 0
  for _, thread in ipairs(threads) do errors = errors + thread:get("server_errors") end
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format("BENCH %d %f %f %f %d %d\\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors, socket))
end
"""


class WrkMeasure(Measure):
    def __init__(self, requests, seconds, median, p99, server_errors, socket_errors):
        super().__init__(errors=socket_errors, elapsed=seconds)
        self.requests, self.median, self.p99, self._5xx = requests, median, p99, server_errors

    def median_ms(self):
        return self.median

    def p99_ms(self):
        return self.p99

    def rps(self):
        return self.requests / self.elapsed if self.elapsed else 0.0

    def server_errors(self):
        return self._5xx


def wrk(
    port, path, duration: float, connections: int, threads: int = 2, headers=None
) -> WrkMeasure:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    completed = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration:.0f}s",
            "--timeout",
            "30s",
            *(f"-H{name}: {value}" for name, value in (headers or {}).items()),
            "-s",
            script.name,
            f"http://{HOST}:{port}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=True,
    )
    Path(script.name).unlink()
    line = next(x for x in completed.stdout.splitlines() if x.startswith("BENCH "))
    requests, seconds, median, p99, server_errors, socket_errors = line.split()[1:]
    return WrkMeasure(
        int(requests),
        float(seconds),
        float(median),
        float(p99),
        int(server_errors),
        int(socket_errors),
    )


def build_parser() -> argparse.ArgumentParser:
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
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per page with wrk")
    parser.add_argument(
        "--client",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator: wrk when installed (auto), or Python threads",
    )
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
    return parser


def database_url_of(args) -> str:
    return args.database_url or f"sqlite:////tmp/e2e-bench-{args.events}-{args.proposals}.sqlite3"


def environment(args) -> dict:
    settings = "bench.bench_settings" if args.no_manifest else "portal.settings.production"
    extra = {"PAGE_CACHE_SECONDS": "0"} if args.no_page_cache else {}
    return server_env(
        database_url_of(args), args.port, args.redis_url, extra=extra, settings=settings
    )


def uses_wrk(args) -> bool:
    return args.client == "wrk" or (args.client == "auto" and bool(shutil.which("wrk")))


def describe(args) -> str:
    backend = database_url_of(args).split(":", 1)[0]
    cache = ("redis" if args.redis_url else "file cache") + (
        ", page cache off" if args.no_page_cache else ", anonymous page cache on"
    )
    load = (
        f"wrk, {args.concurrency} connections x {args.duration:.0f} s per page"
        if uses_wrk(args)
        else f"{args.requests} requests x {args.concurrency} threads per page "
        f"(at most {args.time_limit:.0f} s)"
    )
    return (
        f"{args.events} events, {args.proposals} proposals; {backend}; cache: {cache}; "
        f"gunicorn {args.workers} workers; {load}"
    )


def measure_pages(args) -> list[dict]:
    """Every public page measured in-process (queries, size) and under load (latency)."""
    env = environment(args)
    if not args.skip_prepare:
        took = prepare(env, args.events, args.proposals, args.comments_per_proposal)
        print(f"Prepared {database_url_of(args)} in {took:.0f} s.", flush=True)
    pages = run_helper(env, "urls")
    with Gunicorn(env, args.port, args.workers):
        for page in pages:
            headers = page.get("headers") or {}
            warm = hammer(args.port, page["url"], 20, 2, 10, headers)  # warm up both workers
            if uses_wrk(args):
                measure = wrk(args.port, page["url"], args.duration, args.concurrency, 2, headers)
            else:
                measure = hammer(
                    args.port,
                    page["url"],
                    args.requests,
                    args.concurrency,
                    args.time_limit,
                    headers,
                )
            page.update(
                median_ms=measure.median_ms(),
                p99_ms=measure.p99_ms(),
                rps=measure.rps(),
                errors=measure.server_errors() + measure.errors + warm.server_errors(),
                warm_statuses=",".join(f"{s}x{n}" for s, n in sorted(warm.statuses.items())),
            )
    return pages


def main(argv=None):
    args = build_parser().parse_args(argv)
    pages = measure_pages(args)
    print(f"\n{describe(args)}\n")
    print_table(
        [
            "page",
            "URL",
            "SQL cold/uncached/cached",
            "KiB",
            "median ms",
            "p99 ms",
            "req/s",
            "5xx+err",
            "warm-up statuses",
        ],
        [
            [
                page["name"],
                page["url"][:48],
                f"{page['queries']} / {page['queries_uncached']} / {page['queries_warm']}",
                f"{page['bytes'] / 1024:.1f}",
                f"{page['median_ms']:.1f}",
                f"{page['p99_ms']:.1f}",
                f"{page['rps']:.0f}",
                page["errors"],
                page["warm_statuses"],
            ]
            for page in pages
        ],
    )
    print(f"\nMeasured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.")
    return 1 if any(page["errors"] for page in pages) else 0


if __name__ == "__main__":
    sys.exit(main())

"""Where an uncached page's time goes: SQL, cache round trips and the rest (Python, templates).

    .venv/bin/python bench/profile_pages.py [--events 10000 --proposals 2000]
        [--database-url postgres://...] [--redis-url redis://...] [--runs 20] [--page "month view"]

In-process (no web server), production settings, the full-page cache off and everything else
warm: the median of --runs requests per page. With --page, also prints the functions that take
the time (cProfile, cumulative). Uses the database `bench_pages.py` prepares (run it once first,
or pass --prepare).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pages import database_url_of  # noqa: E402
from common import prepare, print_table, run_helper, server_env  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--proposals", type=int, default=2000)
    parser.add_argument("--comments-per-proposal", type=int, default=5)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--page", default=None, help="a page name of the table, to profile")
    parser.add_argument("--prepare", action="store_true", help="load the demo data first")
    args = parser.parse_args(argv)

    env = server_env(database_url_of(args), 8000, args.redis_url)
    if args.prepare:
        prepare(env, args.events, args.proposals, args.comments_per_proposal)
    result = run_helper(env, "profile", str(args.runs), *([args.page] if args.page else []))
    backend = database_url_of(args).split(":", 1)[0]
    cache = "Redis" if args.redis_url else "file cache"
    print(f"\n{backend}, {cache}; median of {args.runs} uncached requests per page\n")
    print_table(
        ["page", "status", "total ms", "SQL", "SQL ms", "cache calls", "cache ms", "rest ms"],
        [
            [
                row["name"],
                row["status"],
                f"{row['wall_ms']:.1f}",
                f"{row['sql']:.0f}",
                f"{row['sql_ms']:.1f}",
                f"{row['cache_calls']:.0f}",
                f"{row['cache_ms']:.1f}",
                f"{row['wall_ms'] - row['sql_ms'] - row['cache_ms']:.1f}",
            ]
            for row in result["rows"]
        ],
    )
    if result["report"]:
        print(result["report"])


if __name__ == "__main__":
    main()

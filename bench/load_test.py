"""Mixed load on gunicorn (2 workers, production settings) on 127.0.0.1, then a write audit.

    .venv/bin/python bench/load_test.py [--users 50 --duration 60 --reload-at 30]

Each virtual user loops, for ``--duration`` seconds, over: anonymous page reads, iCalendar feed
polling and, logged in as its own verified citizen, supporting proposals and commenting (when
those endpoints exist). Halfway the app server's workers are restarted (SIGHUP) unless
``--reload-at 0``. Afterwards it prints a table and checks in the database that every write the
server accepted (a redirect after the POST) is stored exactly once. Exit status 1 on any 5xx or
any lost/duplicated write.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    Gunicorn,
    Measure,
    prepare,
    print_table,
    request,
    run_helper,
    server_env,
)

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
COMMENT_FORM = re.compile(r'<form method="post" action="([^"]*/commenti/\d+/\d+/)"')
SUPPORT_FORM = re.compile(r'action="([^"]*/sostieni/)"')


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.kinds: dict[str, Measure] = {}
        self.supports: list[tuple[int, int]] = []
        self.comments: list[str] = []

    def record(self, kind, status, took):
        with self.lock:
            measure = self.kinds.setdefault(kind, Measure())
            if status is None:
                measure.errors += 1
            else:
                measure.latencies.append(took)
                measure.statuses[status] = measure.statuses.get(status, 0) + 1


def timed(stats, kind, port, method, path, **kwargs):
    started = time.perf_counter()
    try:
        result = request(method, port, path, **kwargs)
    except OSError:
        stats.record(kind, None, 0)
        return None
    stats.record(kind, result[0], time.perf_counter() - started)
    return result


def cookie_value(headers, name):
    match = re.search(rf"{name}=([^;]+)", headers.get("set-cookie", ""))
    return match.group(1) if match else None


def virtual_user(n, args, pages, feeds, setup, stats, deadline):
    rng = random.Random(n)
    user = setup["users"][n]
    proposals = setup["proposals"]
    session = f"{setup['session_cookie']}={user['session']}"
    supported: set[int] = set()
    while time.monotonic() < deadline:
        roll = rng.random()
        if roll < 0.5 or (roll >= 0.7 and not proposals):
            timed(stats, "read page", args.port, "GET", rng.choice(pages))
        elif roll < 0.7:
            timed(stats, "poll feed", args.port, "GET", rng.choice(feeds or pages))
        else:
            proposal = rng.choice(proposals)
            got = timed(
                stats,
                "read (logged in)",
                args.port,
                "GET",
                proposal["url"],
                headers={"Cookie": session},
            )
            if not got or got[0] != 200:
                continue
            html = got[2].decode("utf-8", "replace")
            token_match = CSRF_INPUT.search(html)
            csrf = cookie_value(got[1], "csrftoken")
            if not token_match:
                continue
            cookies = session + (f"; csrftoken={csrf}" if csrf else "")
            headers = {
                "Cookie": cookies,
                "Content-Type": "application/x-www-form-urlencoded",
            }
            support = SUPPORT_FORM.search(html)
            comment = COMMENT_FORM.search(html)
            if roll < 0.8 and support and proposal["id"] not in supported:
                body = f"csrfmiddlewaretoken={token_match.group(1)}"
                result = timed(
                    stats,
                    "support",
                    args.port,
                    "POST",
                    support.group(1),
                    body=body,
                    headers=headers,
                )
                if result and result[0] in (302, 303):
                    supported.add(proposal["id"])
                    with stats.lock:
                        stats.supports.append((user["id"], proposal["id"]))
            elif comment:
                token = f"carico{uuid.uuid4().hex[:16]}"
                body = f"csrfmiddlewaretoken={token_match.group(1)}&body=Commento+di+prova+{token}"
                result = timed(
                    stats,
                    "comment",
                    args.port,
                    "POST",
                    comment.group(1),
                    body=body,
                    headers=headers,
                )
                if result and result[0] in (302, 303):
                    with stats.lock:
                        stats.comments.append(token)
        time.sleep(rng.uniform(0, args.think_time))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--think-time", type=float, default=0.5, help="max pause, seconds")
    parser.add_argument("--reload-at", type=float, default=30.0, help="0: no worker restart")
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--proposals", type=int, default=50)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--port", type=int, default=8107)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-manifest", action="store_true")
    args = parser.parse_args(argv)

    database_url = args.database_url or f"sqlite:////tmp/e2e-load-{uuid.uuid4().hex[:8]}.sqlite3"
    settings = "bench.bench_settings" if args.no_manifest else "portal.settings.production"
    env = server_env(database_url, args.port, args.redis_url, settings=settings)
    prepare(env, args.events, args.proposals, 2)
    urls = run_helper(env, "urls")
    pages = [u["url"] for u in urls if not u["url"].split("?")[0].endswith(".ics")]
    feeds = [u["url"] for u in urls if u["url"].split("?")[0].endswith(".ics")]
    setup = run_helper(env, "users", str(args.users))

    stats = Stats()
    with Gunicorn(env, args.port, args.workers) as server:
        started = time.monotonic()
        deadline = started + args.duration
        threads = [
            threading.Thread(
                target=virtual_user,
                args=(n, args, pages, feeds, setup, stats, deadline),
                daemon=True,
            )
            for n in range(args.users)
        ]
        for thread in threads:
            thread.start()
        if args.reload_at and args.reload_at < args.duration:
            time.sleep(args.reload_at)
            server.reload()
        for thread in threads:
            thread.join(args.duration + 60)
        elapsed = time.monotonic() - started

    accepted = Path(tempfile.gettempdir()) / f"e2e-load-accepted-{uuid.uuid4().hex[:8]}.json"
    accepted.write_text(json.dumps({"supports": stats.supports, "comments": stats.comments}))
    audit = run_helper(env, "check", str(accepted))

    rows = []
    server_errors = 0
    for kind, m in sorted(stats.kinds.items()):
        server_errors += m.server_errors()
        statuses = ",".join(f"{s}x{n}" for s, n in sorted(m.statuses.items()))
        rows.append(
            [
                kind,
                m.count,
                f"{m.count / elapsed:.1f}",
                f"{m.median_ms():.1f}",
                f"{m.p99_ms():.1f}",
                m.server_errors(),
                m.errors,
                statuses,
            ]
        )
    print(
        f"\n{args.users} users for {args.duration:.0f} s on {database_url.split(':')[0]}, "
        f"gunicorn {args.workers} workers"
        + (f", workers restarted at {args.reload_at:.0f} s" if args.reload_at else "")
        + "\n"
    )
    print_table(
        ["request", "count", "req/s", "median ms", "p99 ms", "5xx", "conn err", "statuses"], rows
    )
    print(
        f"\nAccepted writes: {audit['supports']} supports, {audit['comments']} comments; "
        f"in the database exactly once: {'yes' if not audit['problems'] else 'NO'}"
    )
    for problem in audit["problems"][:20]:
        print(f"  ! {problem}")
    return 1 if server_errors or audit["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())

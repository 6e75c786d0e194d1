"""Mixed load on gunicorn (production settings) on 127.0.0.1, a crash mid-run, a write audit.

    .venv/bin/python bench/load_test.py [--users 50 --duration 60 --restart kill --restart-at 30]
        [--database-url postgres://... --redis-url redis://...]

Each virtual user loops, for ``--duration`` seconds, over: anonymous page reads, iCalendar feed
polling and, logged in as its own verified citizen, supporting proposals and commenting.

Halfway (``--restart-at``) the app server goes down: by default (``--restart kill``) the gunicorn
master and all its workers get SIGKILL (a crash, requests in flight die with it) and a new
gunicorn is started on the same port, as a crash-restart or a deploy would; ``graceful`` sends
SIGHUP instead (workers finish their requests), ``none`` leaves the server alone.

Clients treat a connection error as "not accepted": it is neither a 5xx nor a write. A user
whose write failed that way reloads the proposal page and tries again (``--retries``), as a
person at a browser would: the page tells whether an earlier support went through (the button
reads "Togli il sostegno"), so the support is not sent twice; a comment sent again is a new
comment with a new token. Only writes answered with a redirect (success) are "accepted".

Afterwards it checks in the database that every accepted support and comment is stored exactly
once, that no unacknowledged comment is stored twice, and that every proposal's support_count
equals its support rows. Exit status 1 on any 5xx, any connection error outside the outage or
any problem of the check.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import signal
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
SUPPORT_FORM = re.compile(
    r'action="([^"]*/sostieni/)".*?<button[^>]*>\s*([^<]*?)\s*</button>', re.S
)
# The support button's label while the user does not support the proposal yet.
NOT_SUPPORTED_LABELS = {"sostieni", "support"}
ACCEPTED = (302, 303)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.kinds: dict[str, Measure] = {}
        self.conn_errors: list[tuple[str, float, float]] = []  # kind, started, ended
        self.supports: list[tuple[int, int]] = []
        self.comments: list[str] = []
        self.unacked_supports: list[tuple[int, int]] = []
        self.unacked_comments: list[str] = []
        self.supports_found_on_reload = 0
        self.retries = 0
        self.down_at: float | None = None
        self.up_at: float | None = None
        self.killed_at: float | None = None  # every process of the old server is gone
        self.first_ok: float | None = None  # first answer to a request sent after that

    def record(self, kind, status, started, ended):
        with self.lock:
            measure = self.kinds.setdefault(kind, Measure())
            if status is None:
                measure.errors += 1
                self.conn_errors.append((kind, started, ended))
            else:
                measure.latencies.append(ended - started)
                measure.statuses[status] = measure.statuses.get(status, 0) + 1
                if self.killed_at is not None and started >= self.killed_at:
                    self.first_ok = ended if self.first_ok is None else min(self.first_ok, ended)

    def in_outage(self, started, ended):
        """Did a request overlap the time the server was down (kill to first answer after)?"""
        if self.down_at is None:
            return False
        up = self.first_ok or self.up_at
        return ended >= self.down_at and (up is None or started <= up)

    def split_conn_errors(self, kind=None):
        outage = other = 0
        for k, started, ended in self.conn_errors:
            if kind is None or k == kind:
                if self.in_outage(started, ended):
                    outage += 1
                else:
                    other += 1
        return outage, other


def timed(stats, kind, port, method, path, **kwargs):
    """One request; None on a connection error (refused, reset, cut short, timed out)."""
    started = time.monotonic()
    try:
        result = request(method, port, path, **kwargs)
    except (OSError, http.client.HTTPException):
        stats.record(kind, None, started, time.monotonic())
        return None
    stats.record(kind, result[0], started, time.monotonic())
    return result


def cookie_value(headers, name):
    match = re.search(rf"{name}=([^;]+)", headers.get("set-cookie", ""))
    return match.group(1) if match else None


def write_once(want_support, proposal, user, session, supported, args, stats):
    """Open the proposal page logged in, then support it or comment on it.

    Returns False when a connection error cut the attempt short (worth another try)."""
    got = timed(
        stats, "read (logged in)", args.port, "GET", proposal["url"], headers={"Cookie": session}
    )
    if got is None:
        return False
    if got[0] != 200:
        return True
    html = got[2].decode("utf-8", "replace")
    token_match = CSRF_INPUT.search(html)
    if not token_match:
        return True
    csrf = cookie_value(got[1], "csrftoken")
    headers = {
        "Cookie": session + (f"; csrftoken={csrf}" if csrf else ""),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    csrf_field = f"csrfmiddlewaretoken={token_match.group(1)}"
    key = (user["id"], proposal["id"])
    support = SUPPORT_FORM.search(html)
    if support and support.group(2).strip().lower() not in NOT_SUPPORTED_LABELS:
        # The page says "supported": an earlier support whose answer was lost did go through.
        if proposal["id"] not in supported:
            supported.add(proposal["id"])
            with stats.lock:
                stats.supports_found_on_reload += 1
        support = None
    if want_support and support:
        result = timed(
            stats,
            "support",
            args.port,
            "POST",
            support.group(1),
            body=f"{csrf_field}&azione=sostieni",
            headers=headers,
        )
        if result is None:
            with stats.lock:
                stats.unacked_supports.append(key)
            return False
        if result[0] in ACCEPTED:
            supported.add(proposal["id"])
            with stats.lock:
                stats.supports.append(key)
        return True
    comment = COMMENT_FORM.search(html)
    if not comment:
        return True
    token = f"carico{uuid.uuid4().hex[:16]}"
    result = timed(
        stats,
        "comment",
        args.port,
        "POST",
        comment.group(1),
        body=f"{csrf_field}&body=Commento+di+prova+{token}",
        headers=headers,
    )
    if result is None:
        with stats.lock:
            stats.unacked_comments.append(token)
        return False
    if result[0] in ACCEPTED:
        with stats.lock:
            stats.comments.append(token)
    return True


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
            want_support = roll < 0.8 and proposal["id"] not in supported
            for attempt in range(args.retries + 1):
                if write_once(want_support, proposal, user, session, supported, args, stats):
                    break
                if attempt == args.retries or time.monotonic() >= deadline:
                    break
                with stats.lock:
                    stats.retries += 1
                time.sleep(rng.uniform(0.5, 1.5))  # the user waits a moment, then reloads
        time.sleep(rng.uniform(0, args.think_time))


def start_users(args, pages, feeds, setup, stats, deadline) -> list[threading.Thread]:
    """``args.users`` virtual users against 127.0.0.1:``args.port`` until ``deadline``."""
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
    return threads


def audit_writes(env, stats, run_id) -> dict:
    """Check in the database that every accepted write is stored exactly once.

    Returns the helper's answer: counts of accepted supports and comments, ``lost`` (accepted,
    not stored), ``doubled`` (stored more than once, unacknowledged comments included) and the
    list of ``problems``."""
    accepted = Path(tempfile.gettempdir()) / f"e2e-load-accepted-{run_id}.json"
    accepted.write_text(
        json.dumps(
            {
                "supports": stats.supports,
                "comments": stats.comments,
                "unacknowledged_comments": stats.unacked_comments,
            }
        )
    )
    return run_helper(env, "check", str(accepted))


def first_tracebacks(log: Path, limit: int = 3, lines: int = 40) -> list[str]:
    if not log.exists():
        return []
    text = log.read_text(errors="replace").splitlines()
    found = []
    for i, line in enumerate(text):
        if line.startswith("Traceback") and len(found) < limit:
            found.append("\n".join(text[max(0, i - 2) : i + lines]))
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--think-time", type=float, default=0.5, help="max pause, seconds")
    parser.add_argument(
        "--restart",
        choices=["none", "graceful", "kill"],
        default="kill",
        help="kill: SIGKILL gunicorn's process group and start a new one (default); "
        "graceful: SIGHUP; none",
    )
    parser.add_argument(
        "--restart-at", type=float, default=None, help="seconds into the run (default: half)"
    )
    parser.add_argument("--retries", type=int, default=5, help="per write cut by a conn error")
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--proposals", type=int, default=50)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--port", type=int, default=8107)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-manifest", action="store_true")
    args = parser.parse_args(argv)
    # gunicorn runs in its own process group: on SIGTERM leave through `with` to stop it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    restart_at = args.duration / 2 if args.restart_at is None else args.restart_at
    if restart_at <= 0 or restart_at >= args.duration:
        args.restart = "none"

    run_id = uuid.uuid4().hex[:8]
    database_url = args.database_url or f"sqlite:////tmp/e2e-load-{run_id}.sqlite3"
    settings = "bench.bench_settings" if args.no_manifest else "portal.settings.production"
    env = server_env(database_url, args.port, args.redis_url, settings=settings)
    prepare(env, args.events, args.proposals, 2)
    urls = run_helper(env, "urls")
    pages = [u["url"] for u in urls if not u["url"].split("?")[0].endswith(".ics")]
    feeds = [u["url"] for u in urls if u["url"].split("?")[0].endswith(".ics")]
    setup = run_helper(env, "users", str(args.users))
    log = Path(tempfile.gettempdir()) / f"e2e-load-gunicorn-{run_id}.log"

    stats = Stats()
    kill_took = 0.0
    with Gunicorn(env, args.port, args.workers, log=log) as server:
        started = time.monotonic()
        deadline = started + args.duration
        threads = start_users(args, pages, feeds, setup, stats, deadline)
        if args.restart != "none":
            time.sleep(max(0.0, started + restart_at - time.monotonic()))
            if args.restart == "graceful":
                server.reload()
            else:
                stats.down_at = time.monotonic()
                server.kill()
                stats.killed_at = time.monotonic()
                kill_took = stats.killed_at - stats.down_at
                server.start()
                stats.up_at = time.monotonic()
        for thread in threads:
            thread.join(max(1.0, deadline - time.monotonic()) + 60)
        elapsed = time.monotonic() - started

    audit = audit_writes(env, stats, run_id)

    rows = []
    total = server_errors = 0
    all_statuses: dict[int, int] = {}
    for kind, m in sorted(stats.kinds.items()):
        total += m.count + m.errors
        server_errors += m.server_errors()
        for status, n in m.statuses.items():
            all_statuses[status] = all_statuses.get(status, 0) + n
        outage, other = stats.split_conn_errors(kind)
        rows.append(
            [
                kind,
                m.count + m.errors,
                f"{m.count / elapsed:.1f}",
                f"{m.median_ms():.1f}",
                f"{m.p99_ms():.1f}",
                m.server_errors(),
                outage,
                other,
                ", ".join(f"{s}×{n}" for s, n in sorted(m.statuses.items())),
            ]
        )
    outage_errors, other_errors = stats.split_conn_errors()
    engine = database_url.split(":")[0].replace("postgresql", "postgres")
    cache = "Redis" if args.redis_url else "local memory"
    restart = {
        "none": "no restart",
        "graceful": f"graceful restart (SIGHUP) at {restart_at:.0f} s",
        "kill": f"SIGKILL of gunicorn master + workers at {restart_at:.0f} s, new gunicorn",
    }[args.restart]
    print(
        f"\n{args.users} users for {args.duration:.0f} s, {engine}, cache {cache}, "
        f"gunicorn {args.workers} sync workers; {restart}\n"
    )
    print_table(
        [
            "request",
            "sent",
            "resp/s",
            "median ms",
            "p99 ms",
            "5xx",
            "conn err (outage)",
            "conn err (other)",
            "statuses",
        ],
        rows,
    )
    outage = healthz = 0.0
    if stats.down_at and stats.up_at:
        healthz = stats.up_at - stats.down_at
        outage = (stats.first_ok or stats.up_at) - stats.down_at
    if args.restart == "kill":
        print(
            f"\nOutage: {outage:.1f} s from the SIGKILL to the first answer to a client "
            f"(process group gone in {kill_took:.2f} s; the new gunicorn's /healthz answered "
            f"the runner after {healthz:.1f} s, queued behind the users' requests); "
            f"{outage_errors} requests failed with a connection error during it, "
            f"{stats.retries} write retries by users."
        )
    print(
        f"In doubt (POST without an answer, not accepted): {len(stats.unacked_supports)} supports "
        f"({stats.supports_found_on_reload} found already stored when the user reloaded), "
        f"{len(stats.unacked_comments)} comments "
        f"({audit.get('unacknowledged_stored', '?')} of them stored)."
    )
    problems = list(audit["problems"])
    if other_errors:
        problems.append(f"{other_errors} connection errors outside the outage")
    print(
        f"Accepted writes: {audit['supports']} supports, {audit['comments']} comments; "
        f"each in the database exactly once and support_count = support rows: "
        f"{'yes' if not audit['problems'] else 'NO'}"
    )
    for problem in problems[:20]:
        print(f"  ! {problem}")

    print("\nSummary (one row per run, for README):\n")
    print_table(
        [
            "database",
            "cache",
            "restart",
            "requests",
            "5xx",
            "conn err in outage",
            "outage s",
            "accepted supports",
            "accepted comments",
            "stored exactly once",
        ],
        [
            [
                engine,
                cache,
                args.restart,
                total,
                server_errors,
                f"{outage_errors} (+{other_errors} other)" if other_errors else outage_errors,
                f"{outage:.1f}" if args.restart == "kill" else "-",
                audit["supports"],
                audit["comments"],
                "yes" if not audit["problems"] else "NO",
            ]
        ],
    )
    print(f"\nStatuses: {', '.join(f'{s}×{n}' for s, n in sorted(all_statuses.items()))}")
    print(f"gunicorn log: {log}")
    if server_errors:
        for traceback in first_tracebacks(log):
            print(f"\n{traceback}")
    return 1 if server_errors or problems else 0


if __name__ == "__main__":
    sys.exit(main())

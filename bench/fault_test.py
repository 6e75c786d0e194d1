"""Two nodes, one dies: two gunicorn nodes behind haproxy on PostgreSQL + Redis, one is killed.

    .venv/bin/python bench/fault_test.py [--users 30 --duration 40 --kill-at 20]

Topology (everything on 127.0.0.1): the virtual users of bench/load_test.py (anonymous reading,
feed polling, logged-in supports and comments) -> haproxy (Debian's package, started here in the
foreground from a config written to a temp dir) -> 2 x gunicorn (2 sync workers each, production
settings) -> one PostgreSQL database (created and dropped here, ``cdp_fault``) + Redis (db 9,
flushed first). Half-way one node's whole process group gets SIGKILL; it is not restarted.

haproxy's choices (see ``HAPROXY_CONFIG``):

- ``maxconn 2`` per server (= its sync workers): haproxy queues the excess itself instead of
  the node's kernel backlog, so at the kill at most 2 requests are inside the dead node, and the
  queued ones are simply sent to the surviving node.
- ``retries 3``, ``option redispatch 1`` (every retry goes to another server) and ``retry-on
  conn-failure empty-response response-timeout``: a refused connection (the node is gone) or a
  connection closed without any answer (the node died while handling the request) is replayed
  on the other node; the client never sees it.
- ``http-request disable-l7-retry unless METH_GET or HEAD``: POSTs are replayed only on
  conn-failure, when haproxy knows the request never reached the application. A POST that the
  dying node had already received may have been committed before the kill; replaying it could
  store a comment twice, so haproxy answers 502 instead and the user's browser logic of
  bench/load_test.py (reload the page, look whether the support is there, send again) decides.
- passive health checks, ``observe layer7 error-limit 1 on-error mark-down``: the first failed
  request marks the node down at once, without waiting for the active ``check inter 1s``
  (``GET /healthz``, ``fall 2 rise 2``).

Afterwards it prints a table: requests, failed requests (5xx + connection errors seen by
clients), accepted writes, lost writes (accepted, not stored) and doubled writes (stored more
than once). Exit status 1 when any of them is not 0. SQLite is not a multi-node setup (one
file, one machine), so the test runs on PostgreSQL only.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    HOST,
    Gunicorn,
    prepare,
    print_table,
    request,
    run_helper,
    server_env,
)
from load_test import Stats, audit_writes, first_tracebacks, start_users  # noqa: E402

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"

HAPROXY_CONFIG = """\
global
    maxconn 500
    log stderr format raw local0 info

defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 60s
    timeout server 30s
    timeout queue 30s
    timeout http-request 10s
    # A dead node: replay on the other one (redispatch on every retry, not only the last).
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout

frontend portal
    bind {host}:{port}
    default_backend nodes

backend nodes
    balance leastconn
    # POSTs only on conn-failure: the request never reached the app, a replay cannot double it.
    http-request disable-l7-retry unless METH_GET or {{ method HEAD }}
    option httpchk GET /healthz
    http-check expect status 200
    default-server check inter 1s fall 2 rise 2 maxconn 2
    default-server observe layer7 error-limit 1 on-error mark-down
{servers}

listen stats
    bind {host}:{stats_port}
    stats enable
    stats uri /stats
"""


class Haproxy:
    """haproxy in the foreground (``-db``), a child in its own process group, log to a file."""

    def __init__(self, port: int, stats_port: int, nodes: list[int], workdir: Path):
        self.port, self.stats_port = port, stats_port
        self.config = workdir / "haproxy.cfg"
        self.log = workdir / "haproxy.log"
        servers = "\n".join(f"    server node{i} {HOST}:{p}" for i, p in enumerate(nodes, 1))
        self.config.write_text(
            HAPROXY_CONFIG.format(host=HOST, port=port, stats_port=stats_port, servers=servers)
        )
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 15):
        binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
        subprocess.run([binary, "-c", "-q", "-f", str(self.config)], check=True, timeout=30)
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [binary, "-db", "-f", str(self.config)],
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if request("GET", self.port, "/healthz", timeout=2)[0] == 200:
                    return
            if self.process.poll() is not None:
                raise RuntimeError(f"haproxy exited at start, see {self.log}")
            time.sleep(0.1)
        raise RuntimeError(f"haproxy did not answer on port {self.port}")

    def server_stats(self) -> dict[str, dict]:
        """The stats page's CSV rows, by server name (BACKEND for the backend's totals)."""
        _, _, body = request("GET", self.stats_port, "/stats;csv", timeout=5)
        rows = csv.DictReader(io.StringIO(body.decode().lstrip("# ")))
        return {row["svname"]: row for row in rows if row["pxname"] == "nodes"}

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def require_haproxy():
    if not (shutil.which("haproxy") or Path("/usr/sbin/haproxy").exists()):
        raise SystemExit(
            "ERROR: haproxy is not installed; the fault test needs a real load balancer.\n"
            "Install Debian's package: apt-get install -y haproxy"
        )


def postgres(sql: str):
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--duration", type=float, default=40.0)
    parser.add_argument("--kill-at", type=float, default=None, help="seconds (default: half)")
    parser.add_argument("--think-time", type=float, default=0.5, help="max pause, seconds")
    parser.add_argument("--retries", type=int, default=5, help="per write cut by a conn error")
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--proposals", type=int, default=50)
    parser.add_argument("--database", default="cdp_fault", help="created and dropped")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9", help="flushed")
    parser.add_argument("--port", type=int, default=8120, help="haproxy; nodes on +1, +2")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    require_haproxy()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    kill_at = args.duration / 2 if args.kill_at is None else args.kill_at
    node_ports = [args.port + 1, args.port + 2]
    stats_port = args.port + 3

    import redis

    redis.Redis.from_url(args.redis_url, socket_timeout=5).flushdb()
    postgres(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    postgres(f'CREATE DATABASE "{args.database}"')
    database_url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    # SITE_URL is the balancer's address: the nodes are never reached directly by users.
    env = server_env(database_url, args.port, args.redis_url)
    run_id = uuid.uuid4().hex[:8]
    workdir = Path(tempfile.mkdtemp(prefix=f"e2e-fault-{run_id}-"))
    nodes = [
        Gunicorn(env, port, args.workers, log=workdir / f"gunicorn-node{i}.log")
        for i, port in enumerate(node_ports, 1)
    ]
    balancer = Haproxy(args.port, stats_port, node_ports, workdir)
    stats = Stats()
    try:
        prepare(env, args.events, args.proposals, 2)
        urls = run_helper(env, "urls")
        pages = [u["url"] for u in urls if not u["url"].split("?")[0].endswith(".ics")]
        feeds = [u["url"] for u in urls if u["url"].split("?")[0].endswith(".ics")]
        setup = run_helper(env, "users", str(args.users))
        for node in nodes:
            node.start()
        balancer.start()
        load = SimpleNamespace(
            port=args.port, users=args.users, retries=args.retries, think_time=args.think_time
        )
        started = time.monotonic()
        deadline = started + args.duration
        threads = start_users(load, pages, feeds, setup, stats, deadline)
        time.sleep(max(0.0, started + kill_at - time.monotonic()))
        stats.down_at = time.monotonic()
        nodes[1].kill()  # SIGKILL of node 2's master and workers; it stays down
        stats.killed_at = time.monotonic()
        for thread in threads:
            thread.join(max(1.0, deadline - time.monotonic()) + 60)
        elapsed = time.monotonic() - started
        haproxy_stats = balancer.server_stats()
    finally:
        balancer.stop()
        for node in nodes:
            node.kill()
    try:
        audit = audit_writes(env, stats, run_id)
    finally:
        postgres(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')

    requests = server_errors = conn_errors = 0
    statuses: dict[int, int] = {}
    for m in stats.kinds.values():
        requests += m.count + m.errors
        server_errors += m.server_errors()
        conn_errors += m.errors
        for status, n in m.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
    failed = server_errors + conn_errors
    accepted = audit["supports"] + audit["comments"]
    print(
        f"\n{args.users} users for {elapsed:.0f} s through haproxy, 2 gunicorn nodes × "
        f"{args.workers} sync workers, PostgreSQL + Redis; node 2 SIGKILLed at {kill_at:.0f} s "
        f"(process group gone in {stats.killed_at - stats.down_at:.2f} s), not restarted\n"
    )
    print_table(
        ["database", "requests", "failed (5xx + conn err)", "accepted writes", "lost", "doubled"],
        [
            [
                "PostgreSQL",
                requests,
                f"{failed} ({server_errors} + {conn_errors})",
                f"{accepted} ({audit['supports']} supports, {audit['comments']} comments)",
                audit["lost"],
                audit["doubled"],
            ],
            ["SQLite", "-", "-", "-", "-", "-"],
        ],
    )
    print("\n(SQLite: one file on one machine, not a multi-node setup; not run.)")
    print(f"Statuses: {', '.join(f'{s}×{n}' for s, n in sorted(statuses.items()))}")
    backend = haproxy_stats.get("BACKEND", {})
    print(
        f"haproxy: {backend.get('wretr', '?')} retries, {backend.get('wredis', '?')} "
        f"redispatches; per node: "
        + ", ".join(
            f"{name} {row['stot']} sessions, status {row['status']}"
            for name, row in haproxy_stats.items()
            if name.startswith("node")
        )
    )
    print(
        f"Writes without an answer (not accepted): {len(stats.unacked_supports)} supports, "
        f"{len(stats.unacked_comments)} comments ({audit['unacknowledged_stored']} stored); "
        f"{stats.retries} write retries by users."
    )
    for problem in audit["problems"][:20]:
        print(f"  ! {problem}")
    print(f"Logs (haproxy, gunicorn): {workdir}")
    if server_errors:
        for node in nodes:
            for traceback in first_tracebacks(node.log):
                print(f"\n{traceback}")
    return 1 if failed or audit["lost"] or audit["doubled"] or audit["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())

"""Shared plumbing of the benchmark scripts: a prepared database, gunicorn, a bounded client.

Everything talks to 127.0.0.1 only, every loop is bounded by a request count and a time limit.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The servers' shared file cache when no Redis is given (emptied by bench_matrix per run).
CACHE_DIR = Path(tempfile.gettempdir()) / "cdp-bench-cache"
PYTHON = sys.executable
HOST = "127.0.0.1"


def server_env(
    database_url: str,
    port: int,
    redis_url: str = "",
    extra: dict | None = None,
    settings: str = "portal.settings.production",
):
    """Production settings (DEBUG off), plain HTTP on the loopback."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": settings,
            "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
            "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "SITE_URL": f"http://{HOST}:{port}",
            "DATABASE_URL": database_url,
            "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "e2e-bench-static"),
            "CACHE_DIR": str(CACHE_DIR),
            "EMAIL_URL": "dummy://",
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(REPO),
        }
    )
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra or {})
    return env


def manage(env, *args, capture=False) -> str:
    completed = subprocess.run(
        [PYTHON, str(REPO / "manage.py"), *args],
        env=env,
        cwd=REPO,
        check=True,
        text=True,
        capture_output=capture,
        timeout=3600,
    )
    return completed.stdout if capture else ""


def prepare(env, events: int, proposals: int, comments: int) -> float:
    """Migrate, load the demo data at the asked scale, collect static files; returns seconds."""
    started = time.monotonic()
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "load_demo_data", "--quiet-credentials", "--force-production", capture=True)
    # (production settings: the demo accounts get random credentials; benchmarks never log in)
    subprocess.run(
        [
            PYTHON,
            str(REPO / "bench" / "bulk_data.py"),
            "--events",
            str(events),
            "--proposals",
            str(proposals),
            "--comments-per-proposal",
            str(comments),
        ],
        env=env,
        cwd=REPO,
        check=True,
        text=True,
        capture_output=True,
        timeout=3600,
    )
    manage(env, "collectstatic", "--no-input", "-v", "0")
    return time.monotonic() - started


def run_helper(env, *args) -> dict:
    """Run bench/_django_helper.py (Django set up with the server's settings), JSON out."""
    completed = subprocess.run(
        [PYTHON, str(REPO / "bench" / "_django_helper.py"), *args],
        env=env,
        cwd=REPO,
        check=False,
        text=True,
        capture_output=True,
        timeout=1800,
    )
    if completed.returncode:
        sys.stderr.write(completed.stderr)
        raise SystemExit(f"bench/_django_helper.py {' '.join(args)} failed")
    return json.loads(completed.stdout.strip().splitlines()[-1])


class Gunicorn:
    """gunicorn serving the portal on 127.0.0.1:``port``, in its own process group.

    ``log``: a file that receives gunicorn's stdout/stderr (tracebacks of 500s included);
    by default they go to this process's terminal.
    """

    def __init__(self, env, port: int, workers: int = 2, log: Path | str | None = None):
        self.env, self.port, self.workers = env, port, workers
        self.log = Path(log) if log else None
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.kill()  # __exit__ does not run when __enter__ fails
            raise
        return self

    def start(self, timeout: float = 60) -> float:
        """Start gunicorn and wait until /healthz answers 200; returns the seconds it took."""
        started = time.monotonic()
        output = self.log.open("ab") if self.log else None
        try:
            self.process = subprocess.Popen(
                [
                    str(Path(PYTHON).parent / "gunicorn"),
                    "portal.wsgi",
                    "--workers",
                    str(self.workers),
                    "--bind",
                    f"{HOST}:{self.port}",
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "30",
                    "--log-level",
                    "warning",
                ],
                env=self.env,
                cwd=REPO,
                stdout=output,
                stderr=subprocess.STDOUT if output else None,
                # Its own process group: kill() takes the master and every worker down at once.
                start_new_session=True,
            )
        finally:
            if output:
                output.close()
        deadline = started + timeout
        while time.monotonic() < deadline:
            try:
                status, _, _ = request("GET", self.port, "/healthz", timeout=2)
                if status == 200:
                    return time.monotonic() - started
            except (OSError, http.client.HTTPException):
                pass
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited at start")
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer on port {self.port}")

    def reload(self):
        """Graceful restart of the workers (SIGHUP): accepted requests must not be lost."""
        self.process.send_signal(signal.SIGHUP)

    def kill(self):
        """Crash: SIGKILL the master and all its workers (the process group), no cleanup."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        # The orphaned workers are in the same group: wait until none is left alive.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _group_alive(self.process.pid):
            time.sleep(0.05)

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def _group_alive(pgid: int) -> bool:
    """Is any non-zombie process left in process group ``pgid`` (Linux /proc)?"""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def request(method, port, path, body=None, headers=None, timeout=30, conn=None):
    """One HTTP request to 127.0.0.1; returns (status, headers dict, body bytes)."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        headers = {}
        for key, value in response.getheaders():
            key = key.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        return response.status, headers, data
    finally:
        if own:
            conn.close()


@dataclass
class Measure:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    elapsed: float = 0.0

    @property
    def count(self):
        return len(self.latencies)

    def median_ms(self):
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")

    def p99_ms(self):
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000

    def rps(self):
        return self.count / self.elapsed if self.elapsed else 0.0

    def server_errors(self):
        return sum(n for status, n in self.statuses.items() if status >= 500)


def hammer(port, path, total: int, concurrency: int, time_limit: float, headers=None) -> Measure:
    """GET ``path`` ``total`` times from ``concurrency`` threads, stopping at ``time_limit`` s."""
    measure = Measure()
    lock = threading.Lock()
    counter = iter(range(total))
    deadline = time.monotonic() + time_limit

    def worker():
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if next(counter, None) is None:
                    break
            started = time.perf_counter()
            try:
                status, _, _ = request("GET", port, path, headers=headers, conn=conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                with lock:
                    measure.errors += 1
                continue
            took = time.perf_counter() - started
            with lock:
                measure.latencies.append(took)
                measure.statuses[status] = measure.statuses.get(status, 0) + 1
        conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(time_limit + 30)
    measure.elapsed = time.monotonic() - started
    return measure


def print_table(headers: list[str], rows: list[list]) -> None:
    cells = [[str(c) for c in row] for row in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")

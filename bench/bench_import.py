"""Calendar importer benchmark (issue 14): first import, unchanged re-import, changes + removals.

    .venv/bin/python bench/bench_import.py [--events 2000] [--database-url postgres://...]
        [--profile first|unchanged|changes]

Generates an .ics of N events (single, weekly with EXDATE, monthly by ordinal weekday, all-day;
dates relative to today), migrates a fresh database (a temporary SQLite file unless
--database-url is given), and imports it the way a synchronised calendar is imported
(`eventi.sync.sync_source`, which runs `eventi.importer.import_calendar` then withdraws what is
gone; served from 127.0.0.1): the first import, the same file again (its stored digest cleared,
so the events are compared one by one), then the file with 100 events changed and 100 removed.
Prints wall-clock and CPU seconds (`time.process_time()`: the machine may be shared) and the
SQL query count of each step. Target (issue 14): a 2,000-event import under 10 s.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import os
import pstats
import shutil
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def calendar(count: int, today: date, changed: int = 0, removed: int = 0) -> bytes:
    """`count` events minus the last `removed`; the first `changed` have a new title."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//import//IT"]
    for n in range(count - removed):
        day = today + timedelta(days=n % 300 - 30)
        stamp = "20260101T000000Z" if n >= changed else "20260201T000000Z"
        title = f"Evento {n} di prova" + (" (spostato)" if n < changed else "")
        lines += ["BEGIN:VEVENT", f"UID:bench-{n}@example.org", f"DTSTAMP:{stamp}"]
        lines += [f"LAST-MODIFIED:{stamp}", f"SUMMARY:{title}"]
        lines.append(f"DESCRIPTION:Descrizione dell'evento {n}, con un testo di prova.")
        kind = n % 4
        if kind == 3:  # all-day, two days
            lines.append(f"DTSTART;VALUE=DATE:{day:%Y%m%d}")
            lines.append(f"DTEND;VALUE=DATE:{day + timedelta(days=2):%Y%m%d}")
        else:
            lines.append(f"DTSTART;TZID=Europe/Rome:{day:%Y%m%d}T180000")
            lines.append(f"DTEND;TZID=Europe/Rome:{day:%Y%m%d}T200000")
        if kind == 1:  # weekly, ten times, one date off
            lines.append("RRULE:FREQ=WEEKLY;COUNT=10")
            lines.append(f"EXDATE;TZID=Europe/Rome:{day + timedelta(days=14):%Y%m%d}T180000")
        elif kind == 2:  # monthly, the second weekday of the month, a year
            code = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][day.weekday()]
            lines.append(f"RRULE:FREQ=MONTHLY;BYDAY=2{code};COUNT=12")
        lines.append("LOCATION:Sala civica, via Roma 1, Cremona")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


class Server:
    """Serves one body at /bench.ics on 127.0.0.1 (what the sync fetches)."""

    def __init__(self):
        self.body = b""
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar; charset=utf-8")
                self.send_header("Content-Length", str(len(owner.body)))
                self.end_headers()
                self.wfile.write(owner.body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/bench.ics"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--changes", type=int, default=100, help="changed and removed events")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--profile", choices=["first", "unchanged", "changes"], default="")
    parser.add_argument(
        "--immediate-tasks",
        action="store_true",
        help="run the search and reference index tasks inside the import (as in dev) instead "
        "of queueing them for the worker (as in production)",
    )
    args = parser.parse_args()

    database, template = "", None
    if not args.database_url:
        database = tempfile.mktemp(prefix="bench-import-", suffix=".sqlite3")  # noqa: S306
        args.database_url = f"sqlite:///{database}"
        # A migrated empty database, kept for the next run while the migrations are the same.
        migrations = sorted(
            f"{path.relative_to(REPO)}:{path.stat().st_size}"
            for path in REPO.glob("*/**/migrations/*.py")
            if ".venv" not in path.parts
        )
        digest = hashlib.sha256("\n".join(migrations).encode()).hexdigest()[:16]
        template = Path(tempfile.gettempdir()) / f"bench-import-template-{digest}.sqlite3"
        if template.exists():
            shutil.copyfile(template, database)
    if not args.immediate_tasks:
        os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    os.environ["EMAIL_URL"] = "dummy://"

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from wagtail.models import Page

    from eventi import sync
    from eventi.models import CalendarSource, EventIndexPage, EventOccurrence, EventPage
    from partecipazione.models import Association

    settings.EVENTI_SYNC_ALLOW_PRIVATE_ADDRESSES = True  # the file is served from 127.0.0.1
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    sys.stdout.write(f"Fresh database migrated in {time.perf_counter() - started:.1f} s\n")
    if template is not None and not template.exists():
        connection.close()
        shutil.copyfile(database, template)
    home = Page.objects.get(depth=2)
    index = EventIndexPage(title="Eventi", slug="eventi")
    home.add_child(instance=index)
    index.save_revision().publish()
    association = Association.objects.create(name="Associazione di prova", slug="prova")
    server = Server()
    source = CalendarSource.objects.create(association=association, url=server.url)

    today = timezone.localdate()
    steps = [
        ("first", calendar(args.events, today)),
        ("unchanged", calendar(args.events, today)),
        ("changes", calendar(args.events, today, args.changes, args.changes)),
    ]
    rows = []
    for name, body in steps:
        server.body = body
        CalendarSource.objects.filter(pk=source.pk).update(content_sha256="", etag="")
        source.refresh_from_db()
        profiler = cProfile.Profile() if args.profile == name else None
        wall, cpu = time.perf_counter(), time.process_time()
        queries = []
        with connection.execute_wrapper(
            lambda run, sql, *rest, seen=queries: seen.append(1) or run(sql, *rest)
        ):
            if profiler:
                profiler.enable()
            sync.sync_source(source)
            if profiler:
                profiler.disable()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        source.refresh_from_db()
        assert source.last_status == "ok", source.last_message
        counts = f"{source.created_count}/{source.updated_count}/{source.withdrawn_count}"
        rows.append((name, wall, cpu, len(queries), counts))
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)

    sys.stdout.write(
        f"{args.events} events, {EventPage.objects.count()} pages, "
        f"{EventOccurrence.objects.count()} occurrences ({connection.vendor})\n"
    )
    sys.stdout.write("| step | wall s | CPU s | queries | created/updated/withdrawn |\n")
    sys.stdout.write("|------|--------|-------|---------|---------------------------|\n")
    for name, wall, cpu, count, counts in rows:
        sys.stdout.write(f"| {name} | {wall:.1f} | {cpu:.1f} | {count} | {counts} |\n")
    if database:
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(database + suffix).unlink(missing_ok=True)


if __name__ == "__main__":
    main()

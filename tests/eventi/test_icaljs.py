"""The feed a calendar re-exports after an import expands alike in icalendar and in ical.js.

ical.js (npm; `make icaljs` installs it into .venv/icaljs, as `make validator` does vnu-jar)
runs through node, as the browser tests run Chromium: a weekly series across both changes of
daylight-saving time, with an excluded date and a moved one, imported from a file, published
and read back from the public feed, gives the same instants in recurring-ical-events and in
ical.js. Without node or ical.js the test is skipped on a workstation and fails under CI=true.
"""

import json
import os
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import recurring_ical_events
from icalendar import Calendar

from eventi import ical
from eventi.importer import import_calendar
from eventi.models import EventPage

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("icaljs_expand.mjs")
MODULE = Path("icaljs") / "node_modules" / "ical.js" / "dist" / "ical.js"


def tool_missing(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: `make icaljs` must install it)", pytrace=False)
    pytest.skip(reason)


def icaljs_tools() -> tuple[str, Path]:
    """node and the ical.js module (or a skip, or a failure under CI=true)."""
    node = shutil.which("node")
    if node is None:
        tool_missing("node is missing")
    for venv in (os.environ.get("VIRTUAL_ENV"), ROOT / ".venv"):
        if venv and (Path(venv) / MODULE).is_file():
            return node, Path(venv) / MODULE
    tool_missing("ical.js is not installed (make icaljs)")


def first_sunday_before(day: date) -> date:
    return day - timedelta(days=(day.weekday() + 1) % 7 or 7)


def source() -> bytes:
    """Every Sunday 18:00 Rome from before the spring change to after the autumn one
    (next year), one date excluded, one moved to the Monday at 21:00."""
    year = date.today().year + 1
    first = first_sunday_before(date(year, 3, 20))
    excluded = first + timedelta(weeks=3)
    moved = first + timedelta(weeks=20)
    count = (date(year, 11, 10) - first).days // 7
    stamp = f"{year - 1}0101T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Associazione//Calendario//IT",
        # the zone's rules, as every client writes them
        ical.vtimezone().to_ical().decode().strip(),
        "BEGIN:VEVENT",
        "UID:serie-domenicale@associazione.example",
        f"DTSTAMP:{stamp}",
        "SUMMARY:Cerchio di pace",
        f"DTSTART;TZID=Europe/Rome:{first:%Y%m%d}T180000",
        f"DTEND;TZID=Europe/Rome:{first:%Y%m%d}T193000",
        f"RRULE:FREQ=WEEKLY;BYDAY=SU;COUNT={count}",
        f"EXDATE;TZID=Europe/Rome:{excluded:%Y%m%d}T180000",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:serie-domenicale@associazione.example",
        f"DTSTAMP:{stamp}",
        "SUMMARY:Cerchio di pace",
        f"RECURRENCE-ID;TZID=Europe/Rome:{moved:%Y%m%d}T180000",
        f"DTSTART;TZID=Europe/Rome:{moved + timedelta(days=1):%Y%m%d}T210000",
        f"DTEND;TZID=Europe/Rome:{moved + timedelta(days=1):%Y%m%d}T223000",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
    return "\r\n".join(lines).encode()


def window() -> tuple[datetime, datetime]:
    year = date.today().year + 1
    return datetime(year - 1, 12, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def python_instants(data: bytes) -> list[tuple]:
    start, end = window()
    found = []
    for event in recurring_ical_events.of(Calendar.from_ical(data)).between(start, end):
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        found.append(
            (
                str(event["UID"]),
                int(event["DTSTART"].dt.timestamp()),
                int(event["DTEND"].dt.timestamp()),
            )
        )
    return sorted(found)


def icaljs_instants(tools: tuple[str, Path], data: bytes) -> list[tuple]:
    node, module = tools
    start, end = window()
    window_args = [str(int(start.timestamp())), str(int(end.timestamp()))]
    result = subprocess.run(  # noqa: S603 - fixed arguments, local files
        [node, str(SCRIPT), str(module), *window_args],
        input=data,
        capture_output=True,
        timeout=60,
        check=True,
    )
    rows = json.loads(result.stdout)
    return sorted(
        (row["uid"], row["start"], row["end"]) for row in rows if row["status"] != "CANCELLED"
    )


def test_reexported_feed_expands_alike_in_icalendar_and_icaljs(client, events_index):
    module = icaljs_tools()
    data = source()
    report = import_calendar(data, events_index)
    assert len(report.created) == 1, report
    page = EventPage.objects.get()
    page.get_latest_revision().publish()
    page.refresh_from_db()
    imported = python_instants(data)
    assert imported == icaljs_instants(module, data)  # the two read the source alike
    feed = client.get("/eventi/calendario.ics")
    assert feed.status_code == 200
    python, javascript = python_instants(feed.content), icaljs_instants(module, feed.content)
    assert python == javascript
    # the same instants as the source, under the feed's own UID
    assert [row[1:] for row in python] == [row[1:] for row in imported]
    offsets = {
        datetime.fromtimestamp(row[1], UTC).astimezone(page.start.tzinfo).utcoffset()
        for row in python
    }
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}  # both sides of each change
    hours = {datetime.fromtimestamp(row[1], page.start.tzinfo).hour for row in python}
    assert hours == {18, 21}  # the wall-clock time kept, the moved date at its own

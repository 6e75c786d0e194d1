"""The one module that turns events into `icalendar.Calendar` objects.

Every VEVENT comes from `event_components`. A single event's feed is `build_calendar`;
the large feeds (whole calendar, filtered, personal) are `feed_bytes`, which puts each
event's VEVENTs, serialised by icalendar when the event was published and stored in
`EventFeedComponent`, inside a calendar envelope that icalendar writes too.
Times are written with TZID=Europe/Rome and a VTIMEZONE with the EU rules; all-day
events use VALUE=DATE with an exclusive DTEND; recurring events carry RRULE/EXDATE and
each moved or cancelled occurrence is an extra VEVENT with the same UID and RECURRENCE-ID.
"""

import functools
import hashlib
from datetime import datetime, time, timedelta
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vDuration,
    vText,
)

from eventi import queries, recurrence
from eventi.links import accessibility_lines, page_path, site_url, status_title
from eventi.models import EventFeedComponent, EventIndexPage, EventPage, EventStatus
from portal.core.sanitize import to_plain_text

PRODID = "-//Comune di Cremona//Città della Pace//IT"
REFRESH = timedelta(hours=6)


def vtimezone() -> Timezone:
    """VTIMEZONE for Europe/Rome with the EU rules (since 1996) as yearly RRULEs.

    icalendar's `Timezone.from_tzid` lists every transition as RDATEs, which dateutil-based
    parsers (vobject) misread; the RRULE form is what calendar clients themselves emit.
    A test checks it against zoneinfo for every transition of the coming years.
    """
    tz = Timezone()
    tz.add("tzid", recurrence.TIME_ZONE)
    tz.add("x-lic-location", recurrence.TIME_ZONE)
    daylight = TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("tzoffsetfrom", timedelta(hours=1))
    daylight.add("tzoffsetto", timedelta(hours=2))
    daylight.add("dtstart", datetime(1996, 3, 31, 2, 0))
    daylight.add("rrule", {"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "-1SU"})
    standard = TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("tzoffsetfrom", timedelta(hours=2))
    standard.add("tzoffsetto", timedelta(hours=1))
    standard.add("dtstart", datetime(1996, 10, 27, 3, 0))
    standard.add("rrule", {"FREQ": "YEARLY", "BYMONTH": 10, "BYDAY": "-1SU"})
    tz.add_component(daylight)
    tz.add_component(standard)
    return tz


# C0 controls and DEL; TEXT keeps tab and line feed (icalendar escapes the line feed as \\n).
_TEXT_CONTROLS = dict.fromkeys([*range(9), *range(11, 32), 127])


def ical_text(value, one_line: bool = False) -> str:
    """Text for an iCalendar property value (SUMMARY, DESCRIPTION, LOCATION...).

    Names and titles come from visitors and imported files: CR and CRLF become a line feed,
    which icalendar escapes; other control characters, which no parser accepts, are dropped.
    `one_line` (calendar names: icalendar does not escape NAME) makes every control a space.
    """
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    if one_line:
        return " ".join(text.translate(_TEXT_CONTROLS).split())
    return text.translate(_TEXT_CONTROLS)


def ical_param(value) -> str:
    """Text for a parameter value (CN=..., LABEL=...): one line, no control characters and no
    double quote (RFC 5545 forbids both inside a quoted parameter)."""
    return ical_text(value, one_line=True).replace('"', "'")


def new_calendar(name: str, description: str = "", url: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name, description = ical_text(name, one_line=True), ical_text(description)
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    if description:
        cal.add("description", description)
        cal.add("x-wr-caldesc", description)
    if url:
        cal.add("url", url)
    cal.add("x-wr-timezone", recurrence.TIME_ZONE)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    cal.add_component(vtimezone())
    return cal


def _description(page, url: str) -> str:
    lines = [page.summary] if page.summary else []
    if page.is_cancelled or page.is_postponed:
        lines.insert(0, f"{page.get_status_display().upper()}: {page.status_reason}".strip())
    if page.is_postponed:
        lines.insert(1, _("Le date indicate non sono confermate: saranno aggiornate."))
    if page.online_url:
        lines.append(_("Partecipa online: %(url)s") % {"url": page.online_url})
    if not page.is_free and page.cost:
        lines.append(_("Costo: %(cost)s") % {"cost": page.cost})
    if page.registration_url:
        lines.append(_("Iscrizioni: %(url)s") % {"url": page.registration_url})
    lines.append("\n".join(accessibility_lines(page)))
    lines.append(_("Tutti i dettagli: %(url)s") % {"url": url})
    return to_plain_text("\n\n".join(lines)) if "<" in "".join(lines) else "\n\n".join(lines)


def _common(event: Event, page, url: str, dtstamp: datetime) -> None:
    event.add("uid", page.ical_uid)
    event.add("dtstamp", dtstamp)
    event.add("sequence", page.sequence)
    event.add("summary", ical_text(status_title(page)))
    event.add("description", ical_text(_description(page, url)))
    event.add("url", url)
    if page.venue_id:
        venue = page.venue
        event.add("location", ical_text(venue.location_text))
        if venue.has_coordinates:
            event.add("geo", (float(venue.latitude), float(venue.longitude)))
    elif page.online_url:
        event.add("location", _("Online"))
    if page.online_url:
        event.add(
            "conference",
            page.online_url,
            parameters={
                "VALUE": "URI",
                "FEATURE": "VIDEO",
                "LABEL": ical_param(_("Partecipa online")),
            },
        )
    categories = list(page.topic_names)
    if page.event_type_id:
        categories.insert(0, page.event_type.name)
    if categories:
        event.add("categories", [ical_text(c) for c in categories])
    features = page.accessibility_features
    if features:
        # X-CDP-ACCESSIBILITY: step-free-access, sign-language, induction-loop (README)
        event.add("x-cdp-accessibility", ",".join(features))
    names = page.organiser_names
    if names:
        organizer = vCalAddress("mailto:" + (page.contact_email or "pace@comune.cremona.it"))
        organizer.params["CN"] = vText(ical_param(", ".join(names)))
        event.add("organizer", organizer)


def _set_times(event: Event, start: datetime, end: datetime, all_day: bool) -> None:
    if all_day:
        event.add("dtstart", recurrence.to_local(start).date())
        event.add("dtend", recurrence.to_local(end).date())  # exclusive
    else:
        event.add("dtstart", recurrence.to_local(start))
        if end > start:
            event.add("dtend", recurrence.to_local(end))


class PagePaths:
    """Paths of many pages under one index without a Site lookup per page."""

    def __init__(self, index=None):
        self.index = index
        self.prefix = page_path(index) if index is not None else None

    def from_url_path(self, url_path: str) -> str | None:
        """The path of a page under the index from its url_path (None if not under it)."""
        if self.index is not None and url_path.startswith(self.index.url_path):
            return self.prefix + url_path[len(self.index.url_path) :]
        return None

    def __call__(self, page) -> str:
        return self.from_url_path(page.url_path) or page_path(page)


def _status(page) -> str:
    if page.is_cancelled:
        return "CANCELLED"
    return "TENTATIVE" if page.is_postponed else "CONFIRMED"


def event_components(page, base_url: str | None = None, paths=page_path) -> list[Event]:
    """The VEVENTs of one page: the master (with RRULE/EXDATE) and its overrides."""
    url = (base_url or site_url()) + paths(page)
    schedule = page.schedule()
    created = page.first_published_at or page.latest_revision_created_at
    modified = page.modified_at or created
    dtstamp = modified or datetime(2026, 1, 1, tzinfo=recurrence.LOCAL)
    duration = schedule.duration()
    first_naive = schedule.first_start_naive()
    first_start = recurrence.make_aware(first_naive)
    first_end = recurrence.make_aware(first_naive + duration)

    master = Event()
    _common(master, page, url, dtstamp)
    if created:
        master.add("created", created)
    if modified:
        master.add("last-modified", modified)
    _set_times(master, first_start, first_end, schedule.all_day)
    # Postponed: the dates still shown are no longer confirmed (RFC 5545 STATUS:TENTATIVE);
    # when the new dates are known the editor sets them and the status back to scheduled,
    # and SEQUENCE tells clients to replace the old ones.
    master.add("status", _status(page))
    if not page.is_cancelled and page.is_postponed:
        master.add("x-cdp-status", "POSTPONED")
    components = [master]

    rule = recurrence.ical_rrule(schedule)
    if rule:
        master.add("rrule", rule)
    if schedule.has_series:
        extra = schedule.extra_starts()
        if extra:
            if schedule.all_day:
                master.add("rdate", [value.date() for value in extra])
            else:
                master.add("rdate", [recurrence.make_aware(value) for value in extra])
        excluded = sorted(schedule.excluded_dates)
        if excluded:
            if schedule.all_day:
                master.add("exdate", excluded)
            else:
                master.add(
                    "exdate",
                    [recurrence.make_aware(schedule.occurrence_start(d)) for d in excluded],
                )
        for override in sorted(schedule.overrides, key=lambda o: o.original_date):
            original = (
                override.original_date
                if schedule.all_day
                else recurrence.make_aware(schedule.occurrence_start(override.original_date))
            )
            child = Event()
            _common(child, page, url, dtstamp)
            if modified:
                child.add("last-modified", modified)
            child.add("recurrence-id", original)
            if override.cancelled and not page.is_cancelled:
                child["summary"] = vText(
                    ical_text(_("ANNULLATO: %(title)s") % {"title": page.title})
                )
            if override.cancelled or page.is_cancelled:
                start = (
                    recurrence.make_aware(datetime.combine(override.original_date, time.min))
                    if schedule.all_day
                    else original
                )
                _set_times(child, start, start + duration, schedule.all_day)
                child.add("status", "CANCELLED")
            else:
                start = override.new_start or (
                    original if isinstance(original, datetime) else first_start
                )
                end = override.new_end or (start + duration)
                if schedule.all_day:
                    day = recurrence.to_local(start).date()
                    start = recurrence.make_aware(datetime.combine(day, time.min))
                    end = start + duration
                _set_times(child, start, end, schedule.all_day)
                child.add("status", _status(page))
            components.append(child)
    return components


def build_calendar(pages, name: str, description: str = "", url: str = "", index=None) -> Calendar:
    """A calendar of `pages` (pass their events `index` to compute URLs quickly)."""
    cal = new_calendar(name, description, url)
    base = site_url()
    paths = PagePaths(index)
    for page in pages:
        for component in event_components(page, base, paths):
            cal.add_component(component)
    return cal


def to_bytes(cal: Calendar) -> bytes:
    """Serialised calendar (CRLF line endings, folded lines: icalendar does it)."""
    return cal.to_ical()


# --- Large feeds: VEVENTs stored once per published version --------------------------

END = b"END:VCALENDAR\r\n"
#: Changes whenever this module or eventi.recurrence changes: stored VEVENTs are rebuilt.
CODE_VERSION = hashlib.sha256(
    Path(__file__).read_bytes() + Path(recurrence.__file__).read_bytes()
).hexdigest()[:12]


class _LabelsOnly:
    """A page with every accessibility feature and no notes: all the section's words."""

    step_free_access = sign_language = induction_loop = True
    accessibility_notes = ""

    def accessibility_facts(self):
        return EventPage.accessibility_facts(self)

    is_online_only = False


@functools.lru_cache(maxsize=16)
def _labels_version(language: str) -> str:
    """Fingerprint of the translated words VEVENTs contain, in `language`."""

    with translation.override(language):
        labels = [
            _("Partecipa online: %(url)s"),
            _("Costo: %(cost)s"),
            _("Iscrizioni: %(url)s"),
            _("Tutti i dettagli: %(url)s"),
            _("Online"),
            _("Partecipa online"),
            _("ANNULLATO: %(title)s"),
            _("RINVIATO: %(title)s"),
            _("Le date indicate non sono confermate: saranno aggiornate."),
            *accessibility_lines(_LabelsOnly()),
            _("non garantito"),
            _("no"),
            *(str(label) for label in EventStatus.labels),
        ]
    return hashlib.sha256("|".join(labels).encode()).hexdigest()[:12]


def component_version(url, language, published, sequence, venue_id, type_id) -> str:
    """What a page's stored VEVENTs were built from (see models.EventFeedComponent)."""
    stamp = published.timestamp() if published else 0
    raw = (
        f"{CODE_VERSION}|{_labels_version(language)}|{language}|{url}|{stamp}|{sequence}|"
        f"{venue_id}|{type_id}"
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


def serialise_components(page, base_url: str | None = None, paths=page_path) -> str:
    """The VEVENTs of one page as icalendar writes them, in the page's own language."""
    with translation.override(page.locale.language_code):
        return b"".join(c.to_ical() for c in event_components(page, base_url, paths)).decode()


def store_components(pages, base_url: str | None = None, paths=page_path) -> dict[int, str]:
    """Serialise and save the VEVENTs of `pages` (loaded by `queries.with_feed_data`).

    Returns {page pk: text}. One upsert per 500 pages.
    """

    base = base_url or site_url()
    rows = []
    for page in pages:
        version = component_version(
            base + paths(page),
            page.locale.language_code,
            _latest(page.last_published_at, page.feed_modified_at),
            page.sequence,
            page.venue_id,
            page.event_type_id,
        )
        ics = serialise_components(page, base, paths)
        rows.append(EventFeedComponent(page_id=page.pk, version=version, ics=ics))
    EventFeedComponent.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["page"],
        update_fields=["version", "ics"],
    )
    return {row.page_id: row.ics for row in rows}


def store_page(page_id: int) -> None:
    """Store the VEVENTs of the live version of one page (after a publication)."""

    store_components(queries.with_feed_data(EventPage.objects.filter(pk=page_id)))


def store_all(qs, chunk: int = 2000) -> int:
    """Store the VEVENTs of every page of the EventPage queryset `qs` (by events index)."""

    base = site_url()
    done = 0
    for index in EventIndexPage.objects.all():
        ids = list(qs.descendant_of(index).order_by("pk").values_list("pk", flat=True))
        paths = PagePaths(index)
        for offset in range(0, len(ids), chunk):
            pages = queries.with_feed_data(
                qs.model.objects.filter(pk__in=ids[offset : offset + chunk])
            )
            done += len(store_components(pages, base, paths))
    return done


def _latest(*stamps):
    present = [value for value in stamps if value is not None]
    return max(present) if present else None


#: Last-Modified of a feed with no events (a fixed date: stable across restarts).
EMPTY_FEED_MODIFIED = datetime(2026, 1, 1, tzinfo=recurrence.LOCAL)


def feed_bytes(qs, index, name: str, description: str = "", url: str = "") -> bytes:
    """A whole feed for the EventPage queryset `qs`, serialised (see `feed_document`)."""
    return feed_document(qs, index, name, description, url)[0]


def feed_document(qs, index, name: str, description: str = "", url: str = ""):
    """A whole feed for the EventPage queryset `qs`, serialised, and when it last changed.

    The second value is the latest LAST-MODIFIED of its events (publication, or a change
    of their venue), so a feed's HTTP Last-Modified comes from its content and is the same
    in every worker and after a restart.

    One query reads the pages (chosen by `qs`: live, public, filtered in SQL) with their
    stored VEVENT text (models.EventFeedComponent, a LEFT JOIN); the stored blocks go, in
    order, inside the calendar envelope that icalendar writes (properties + VTIMEZONE).
    Pages whose stored VEVENTs are missing or out of date are rebuilt with
    `event_components` and saved, so the feed equals `build_calendar` on the same pages.
    """

    base = site_url()
    paths = PagePaths(index)
    rows = qs.order_by("start_date", "pk").values_list(
        "pk",
        "url_path",
        "locale__language_code",
        "last_published_at",
        "feed_modified_at",
        "sequence",
        "venue_id",
        "event_type_id",
        "feed_component__version",
        "feed_component__ics",
    )
    order, texts, stale, latest = [], {}, [], None
    for row in rows:
        pk, url_path, language, published, modified, sequence, venue_id, type_id = row[:8]
        stored, ics = row[8:]
        published = _latest(published, modified)
        latest = _latest(latest, published)
        order.append(pk)
        path = paths.from_url_path(url_path)
        if ics is not None and path is not None:
            version = component_version(
                base + path, language, published, sequence, venue_id, type_id
            )
            if version == stored:
                texts[pk] = ics
                continue
        stale.append(pk)
    for offset in range(0, len(stale), 2000):
        chunk = stale[offset : offset + 2000]
        pages = queries.with_feed_data(qs.model.objects.filter(pk__in=chunk))
        texts.update(store_components(pages, base, paths))
    envelope = to_bytes(new_calendar(name, description, url)).removesuffix(END)
    body = "".join(texts[pk] for pk in order if pk in texts)
    return b"".join([envelope, body.encode(), END]), latest or EMPTY_FEED_MODIFIED

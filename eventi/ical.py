"""The one module that turns events into `icalendar.Calendar` objects.

Every feed (whole calendar, filtered, per event, personal) goes through `build_calendar`.
Times are written with TZID=Europe/Rome and a VTIMEZONE with the EU rules; all-day
events use VALUE=DATE with an exclusive DTEND; recurring events carry RRULE/EXDATE and
each moved or cancelled occurrence is an extra VEVENT with the same UID and RECURRENCE-ID.
"""

import hashlib
from datetime import date, datetime, time, timedelta

from django.conf import settings
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

from eventi import recurrence
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


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def new_calendar(name: str, description: str = "", url: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
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


def page_path(page) -> str:
    """Path of a page in its site (with the language prefix), without the host."""
    parts = page.get_url_parts()
    return parts[2] if parts else page.url_path


def _local_dt(d: date, t: time) -> datetime:
    return recurrence.make_aware(datetime.combine(d, t))


def _description(page, url: str) -> str:
    lines = [page.summary] if page.summary else []
    if page.is_cancelled or page.is_postponed:
        lines.insert(0, f"{page.get_status_display().upper()}: {page.status_reason}".strip())
    if page.online_url:
        lines.append(_("Partecipa online: %(url)s") % {"url": page.online_url})
    if not page.is_free and page.cost:
        lines.append(_("Costo: %(cost)s") % {"cost": page.cost})
    if page.registration_url:
        lines.append(_("Iscrizioni: %(url)s") % {"url": page.registration_url})
    lines.append(_("Tutti i dettagli: %(url)s") % {"url": url})
    return to_plain_text("\n\n".join(lines)) if "<" in "".join(lines) else "\n\n".join(lines)


def _common(event: Event, page, url: str, dtstamp: datetime) -> None:
    event.add("uid", page.ical_uid)
    event.add("dtstamp", dtstamp)
    event.add("sequence", page.sequence)
    event.add("summary", page.title)
    event.add("description", _description(page, url))
    event.add("url", url)
    if page.venue_id:
        venue = page.venue
        event.add("location", venue.location_text)
        if venue.has_coordinates:
            event.add("geo", (float(venue.latitude), float(venue.longitude)))
    elif page.online_url:
        event.add("location", _("Online"))
    if page.online_url:
        event.add(
            "conference",
            page.online_url,
            parameters={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": _("Partecipa online")},
        )
    categories = list(page.topic_names)
    if page.event_type_id:
        categories.insert(0, page.event_type.name)
    if categories:
        event.add("categories", categories)
    names = page.organiser_names
    if names:
        organizer = vCalAddress("mailto:" + (page.contact_email or "pace@comune.cremona.it"))
        organizer.params["CN"] = vText(", ".join(names))
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

    def __call__(self, page) -> str:
        if self.index is not None and page.url_path.startswith(self.index.url_path):
            return self.prefix + page.url_path[len(self.index.url_path) :]
        return page_path(page)


def event_components(page, base_url: str | None = None, paths=page_path) -> list[Event]:
    """The VEVENTs of one page: the master (with RRULE/EXDATE) and its overrides."""
    url = (base_url or site_url()) + paths(page)
    schedule = page.schedule()
    created = page.first_published_at or page.latest_revision_created_at
    modified = page.last_published_at or created
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
    master.add("status", "CANCELLED" if page.is_cancelled else "CONFIRMED")
    if not page.is_cancelled and page.is_postponed:
        master.add("x-cdp-status", "POSTPONED")
    components = [master]

    rule = recurrence.ical_rrule(schedule)
    if rule:
        master.add("rrule", rule)
        excluded = sorted(schedule.excluded_dates)
        if excluded:
            if schedule.all_day:
                master.add("exdate", excluded)
            else:
                master.add("exdate", [_local_dt(d, schedule.start_time) for d in excluded])
        for override in sorted(schedule.overrides, key=lambda o: o.original_date):
            original = (
                override.original_date
                if schedule.all_day
                else _local_dt(override.original_date, schedule.start_time)
            )
            child = Event()
            _common(child, page, url, dtstamp)
            if modified:
                child.add("last-modified", modified)
            child.add("recurrence-id", original)
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
                child.add("status", "CONFIRMED")
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


# --- Large feeds: VEVENTs cached one by one -------------------------------------------

FRAGMENT_TIMEOUT = 60 * 60 * 24 * 7
END = b"END:VCALENDAR\r\n"


def _fragment_key(row, language: str, related_generation: int) -> str:
    pk, published, sequence, url_path, venue_id, type_id = row
    stamp = published.timestamp() if published else 0
    return (
        f"eventi:vevent:{pk}:{stamp}:{sequence}:{venue_id}:{type_id}:{related_generation}:"
        f"{language}:{hashlib.sha256(f'{site_url()}{url_path}'.encode()).hexdigest()[:16]}"
    )


def feed_bytes(qs, index, name: str, description: str = "", url: str = "") -> bytes:
    """A whole feed for the EventPage queryset `qs`, serialised.

    Each event's VEVENTs are serialised by icalendar once and cached under a key that
    changes with everything they show (publication, SEQUENCE, URL, venue, type, related
    names, language), so after one change only that event is rebuilt. The calendar
    envelope (with the VTIMEZONE) is icalendar's too; the cached VEVENT blocks go inside it.
    """
    from django.core.cache import cache
    from django.utils.translation import get_language

    from eventi import feeds, queries

    rows = list(
        qs.order_by("start_date", "pk").values_list(
            "pk", "last_published_at", "sequence", "url_path", "venue_id", "event_type_id"
        )
    )
    language = get_language() or "it"
    related = feeds.related_generation()
    keys = {row[0]: _fragment_key(row, language, related) for row in rows}
    found = cache.get_many(list(keys.values())) if keys else {}
    missing = [pk for pk, key in keys.items() if key not in found]
    base = site_url()
    paths = PagePaths(index)
    fresh = {}
    for offset in range(0, len(missing), 2000):
        chunk = missing[offset : offset + 2000]
        for page in queries.with_feed_data(qs.model.objects.filter(pk__in=chunk)):
            fresh[keys[page.pk]] = b"".join(
                component.to_ical() for component in event_components(page, base, paths)
            )
    if fresh:
        cache.set_many(fresh, FRAGMENT_TIMEOUT)
    found.update(fresh)
    envelope = to_bytes(new_calendar(name, description, url))
    body = [envelope.removesuffix(END)]
    body.extend(found[keys[row[0]]] for row in rows if keys[row[0]] in found)
    body.append(END)
    return b"".join(body)

"""Links of an event for people and search engines: its URL, add-to-calendar and
subscribe links (Google Calendar, Outlook, Microsoft 365, Apple), the title and
accessibility lines calendars show, and its schema.org JSON-LD."""

import json
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import vRecur

from eventi import recurrence


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def page_path(page) -> str:
    """Path of a page in its site (with the language prefix), without the host."""
    parts = page.get_url_parts()
    return parts[2] if parts else page.url_path


def _utc_stamp(value: datetime) -> str:
    return value.astimezone(recurrence.ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")


GOOGLE_RENDER = "https://calendar.google.com/calendar/render?"
OUTLOOK_COM = "https://outlook.live.com/calendar/0/"
OFFICE_365 = "https://outlook.office.com/calendar/0/"


def status_title(page) -> str:
    """The event's title as calendars show it: a cancelled or postponed event says so
    (STATUS alone is shown by few clients)."""
    if page.is_cancelled:
        return _("ANNULLATO: %(title)s") % {"title": page.title}
    if page.is_postponed:
        return _("RINVIATO: %(title)s") % {"title": page.title}
    return page.title


def accessibility_lines(page) -> list[str]:
    """The accessibility section of DESCRIPTION: only what the editors know, as on the event
    page (EventPage.accessibility_facts: nothing physical for an online-only event)."""
    yes, no = _("sì"), _("no")
    lines = [f"- {label}: {yes if value else no}" for label, value in page.accessibility_facts()]
    if page.accessibility_notes:
        lines.append(page.accessibility_notes)
    return [_("Accessibilità:"), *lines] if lines else []


def _google_recurrence(schedule) -> str | None:
    """RRULE, RDATE and EXDATE lines for Google's `recur` parameter (times in UTC, as
    Google's own recurrence lines), or None for an event that does not repeat."""
    rule = recurrence.ical_rrule(schedule)
    if not rule and not schedule.extra_starts():
        return None
    lines = ["RRULE:" + vRecur(rule).to_ical().decode()] if rule else []
    extra = schedule.extra_starts()
    excluded = sorted(
        set(schedule.excluded_dates) | {o.original_date for o in schedule.overrides if o.cancelled}
    )
    if schedule.all_day:
        if extra:
            lines.append("RDATE;VALUE=DATE:" + ",".join(f"{d:%Y%m%d}" for d in extra))
        if excluded:
            lines.append("EXDATE;VALUE=DATE:" + ",".join(f"{d:%Y%m%d}" for d in excluded))
    else:
        if extra:
            starts = [_utc_stamp(recurrence.make_aware(d)) for d in extra]
            lines.append("RDATE:" + ",".join(starts))
        if excluded:
            starts = [
                _utc_stamp(recurrence.make_aware(schedule.occurrence_start(d))) for d in excluded
            ]
            lines.append("EXDATE:" + ",".join(starts))
    return "\n".join(lines)


def calendar_links(page, slot, page_url: str, ics_url: str = "") -> dict:
    """One-click "add to my calendar" links for each calendar service.

    A single event is added with its date (the next one, or the first); a series with its
    whole rule: Google takes RRULE, RDATE and EXDATE in `recur` (from the series' first
    date); a series with moved dates, which Google's link cannot carry, and every series
    in Outlook (whose link never repeats) come from the event's own .ics feed instead:
    `google` is then None and `google_ics` True, and Outlook subscribes to the feed.
    A cancelled or postponed event says so in the title it adds.
    """
    schedule = page.schedule()
    title = status_title(page)
    location = page.venue.location_text if page.venue_id else page.online_url
    details = f"{page.summary}\n\n{page_url}"
    if page.is_cancelled or page.is_postponed:
        details = f"{title}. {page.status_reason}\n\n{details}".strip()
    recur = _google_recurrence(schedule) if schedule.has_series else None
    moved = any(not o.cancelled for o in schedule.overrides)
    if recur:  # the rule starts on the series' first date
        first = recurrence.make_aware(schedule.first_start_naive())
        slot = recurrence.Slot(
            start=first,
            end=first + schedule.duration(),
            all_day=schedule.all_day,
            original_start=first,
        )
    if slot.all_day:
        start_day = recurrence.to_local(slot.start).date()
        end_day = recurrence.to_local(slot.end).date()
        dates = f"{start_day:%Y%m%d}/{end_day:%Y%m%d}"
        out_start, out_end = start_day.isoformat(), end_day.isoformat()
    else:
        end = slot.end if slot.end > slot.start else slot.start + timedelta(hours=1)
        dates = f"{_utc_stamp(slot.start)}/{_utc_stamp(end)}"
        out_start, out_end = slot.start.isoformat(), end.isoformat()
    google = {
        "action": "TEMPLATE",
        "text": title,
        "dates": dates,
        "details": details,
        "location": location or "",
        "ctz": recurrence.TIME_ZONE,
    }
    if recur:
        google["recur"] = recur
    links = {
        "title": title,
        "repeats": bool(recur),
        "ics": ics_url,
        "google": None if (recur and moved) else GOOGLE_RENDER + urlencode(google),
        "google_ics": bool(recur and moved),
    }
    if recur and ics_url:
        subscribe = subscribe_links(ics_url, title)
        links["outlook"] = subscribe["outlook"]
        links["office365"] = subscribe["office365"]
        links["apple"] = subscribe["webcal"]
    else:
        compose = {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": title,
            "startdt": out_start,
            "enddt": out_end,
            "allday": "true" if slot.all_day else "false",
            "body": details,
            "location": location or "",
        }
        links["outlook"] = OUTLOOK_COM + "deeplink/compose?" + urlencode(compose)
        links["office365"] = OFFICE_365 + "deeplink/compose?" + urlencode(compose)
        links["apple"] = ics_url
    return links


def subscribe_links(feed_url: str, name: str) -> dict:
    """Links that subscribe each calendar client to the https feed at `feed_url`.

    Apple (macOS, iOS) opens webcal:// itself; Google takes the webcal URL in `cid=`;
    Outlook.com and Microsoft 365 "add from web"; Android and Thunderbird have no link
    that works: the page shows the https URL to copy, with a short how-to.
    """
    webcal = "webcal://" + feed_url.split("://", 1)[1]
    from_web = urlencode({"url": feed_url, "name": name})
    return {
        "https": feed_url,
        "webcal": webcal,
        "name": name,
        "google": GOOGLE_RENDER + urlencode({"cid": webcal}),
        "outlook": OUTLOOK_COM + "addfromweb?" + from_web,
        "office365": OFFICE_365 + "addfromweb?" + from_web,
    }


STATUS_SCHEMA = {
    "scheduled": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
    "postponed": "https://schema.org/EventPostponed",
}


def json_ld(page, slot, page_url: str) -> str:
    """Schema.org Event as JSON, escaped for a <script type="application/ld+json"> block."""
    locations = []
    if page.venue_id:
        venue = page.venue
        place = {
            "@type": "Place",
            "name": venue.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": venue.address,
                "postalCode": venue.postcode,
                "addressLocality": venue.city,
                "addressCountry": "IT",
            },
        }
        features = [
            {"@type": "LocationFeatureSpecification", "name": name, "value": value}
            for name, value in page.accessibility_facts()
        ]
        if features:  # only what the editors know
            place["amenityFeature"] = features
        if venue.has_coordinates:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(venue.latitude),
                "longitude": float(venue.longitude),
            }
        locations.append(place)
    if page.online_url:
        locations.append({"@type": "VirtualLocation", "url": page.online_url})
    mode = (
        "Mixed"
        if page.venue_id and page.online_url
        else "Online"
        if page.online_url
        else ("Offline")
    )
    start = recurrence.to_local(slot.start)
    end = recurrence.to_local(slot.end)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": page.title,
        "description": page.summary,
        "url": page_url,
        "identifier": page.ical_uid,
        "inLanguage": get_language() or "it",
        "startDate": start.date().isoformat() if slot.all_day else start.isoformat(),
        "endDate": (end - timedelta(days=1)).date().isoformat()
        if slot.all_day
        else end.isoformat(),
        "eventStatus": STATUS_SCHEMA.get(page.status),
        "eventAttendanceMode": f"https://schema.org/{mode}EventAttendanceMode",
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": [{"@type": "Organization", "name": name} for name in page.organiser_names],
        "isAccessibleForFree": page.is_free,
        "offers": {
            "@type": "Offer",
            "price": "0" if page.is_free else "",
            "priceCurrency": "EUR",
            "description": page.cost or (_("Ingresso gratuito") if page.is_free else ""),
            "url": page.registration_url or page_url,
        },
    }
    # The same facts as the feeds' accessibility section (accessibility_lines).
    data["accessibilitySummary"] = " ".join(accessibility_lines(page)[1:])
    text = json.dumps(data, ensure_ascii=False).translate(_json_script_escapes)
    return mark_safe(text)  # noqa: S308 - escaped like django.utils.html.json_script

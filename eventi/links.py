"""Links of an event for people and search engines: its URL, add-to-calendar links
(Google Calendar, Outlook) and its schema.org JSON-LD."""

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


def calendar_links(page, slot, page_url: str) -> dict:
    """Google Calendar and Outlook links for the next (or first) date of the event."""
    location = page.venue.location_text if page.venue_id else page.online_url
    details = f"{page.summary}\n\n{page_url}"
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
        "text": page.title,
        "dates": dates,
        "details": details,
        "location": location or "",
        "ctz": recurrence.TIME_ZONE,
    }
    rule = recurrence.ical_rrule(page.schedule())
    if rule and slot.start == page.start:
        google["recur"] = "RRULE:" + vRecur(rule).to_ical().decode()
    outlook = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": page.title,
        "startdt": out_start,
        "enddt": out_end,
        "allday": "true" if slot.all_day else "false",
        "body": details,
        "location": location or "",
    }
    return {
        "google": "https://calendar.google.com/calendar/render?" + urlencode(google),
        "outlook": "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(outlook),
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
            "amenityFeature": [
                {"@type": "LocationFeatureSpecification", "name": name, "value": value}
                for name, value in (
                    (_("Accesso senza barriere"), page.step_free_access),
                    (_("Interprete LIS"), page.sign_language),
                    (_("Anello a induzione magnetica"), page.induction_loop),
                )
            ],
        }
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
    if page.accessibility_notes:
        data["accessibilitySummary"] = page.accessibility_notes
    text = json.dumps(data, ensure_ascii=False).translate(_json_script_escapes)
    return mark_safe(text)  # noqa: S308 - escaped like django.utils.html.json_script

"""Importing an association's existing iCalendar as draft events.

De-duplicates by the source UID (kept in `EventPage.external_uid`) and updates a draft only
when the source's LAST-MODIFIED is newer than what was imported. Nothing is published:
editors review and publish.
"""

import urllib.request
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from icalendar import Calendar

from eventi import recurrence
from eventi.models import EventExcludedDate, EventPage, EventStatus, Venue
from portal.core.sanitize import to_plain_text

MAX_BYTES = 5 * 1024 * 1024
FREQUENCIES = {"DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "monthly"}
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
MAX_URL_LENGTH = 200  # EventPage's URLFields
URL_FIELDS = {"URL": "registration_url", "CONFERENCE": "online_url"}


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    # (event title, message): what was dropped from an imported event, e.g. an unsafe link
    warnings: list[tuple[str, str]] = field(default_factory=list)
    # (outcome, title, page id or None), in source order: for links in the admin
    entries: list[tuple[str, str, int | None]] = field(default_factory=list)

    def add(self, outcome: str, title: str, page_id: int | None = None) -> None:
        getattr(self, outcome).append(title)
        self.entries.append((outcome, title, page_id))


class ImportErrorMessage(Exception):
    """A problem with the source, explained in Italian for the operator."""


def read_source(source: str) -> bytes:
    if source.startswith(("http://", "https://")):
        headers = {"User-Agent": "CittaDellaPace/1.0"}
        request = urllib.request.Request(source, headers=headers)  # noqa: S310 - http(s) only
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - http(s) only
            data = response.read(MAX_BYTES + 1)
    else:
        try:
            with open(source, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as error:
            raise ImportErrorMessage(f"Impossibile leggere {source}: {error}") from error
    if len(data) > MAX_BYTES:
        raise ImportErrorMessage("Il calendario supera i 5 MB.")
    return data


def _local(value):
    """(date, time or None) in Europe/Rome for a DTSTART/DTEND value."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = recurrence.make_aware(value)
        local = recurrence.to_local(value)
        return local.date(), local.time().replace(second=0, microsecond=0)
    return value, None


def _links(vevent) -> tuple[dict, list[str]]:
    """The event's links (URL, CONFERENCE) that are safe http(s) URLs, and a warning for each
    one dropped: another scheme (javascript:, data:...), too long or not a valid URL."""
    values, warnings = {}, []
    validate = URLValidator(schemes=["http", "https"])
    for name, field_name in URL_FIELDS.items():
        url = str(vevent.get(name, "")).strip()
        if not url:
            continue
        shown = {"name": name, "url": url[:80]}
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            warnings.append(_("%(name)s non sicuro ignorato (solo http e https): %(url)s") % shown)
            continue
        if len(url) > MAX_URL_LENGTH:
            warnings.append(_("%(name)s troppo lungo ignorato (al massimo 200 caratteri).") % shown)
            continue
        try:
            validate(url)
        except ValidationError:
            warnings.append(_("%(name)s non valido ignorato: %(url)s") % shown)
            continue
        values[field_name] = url
    return values, warnings


def _fields(vevent) -> dict:
    start_date, start_time = _local(vevent["DTSTART"].dt)
    end_date, end_time = None, None
    if "DTEND" in vevent:
        end_date, end_time = _local(vevent["DTEND"].dt)
        if start_time is None:  # all-day: DTEND is exclusive
            end_date = end_date - timedelta(days=1)
    elif "DURATION" in vevent and start_time is not None:
        end = datetime.combine(start_date, start_time) + vevent["DURATION"].dt
        end_date, end_time = end.date(), end.time()
    if end_date is not None and end_date <= start_date:
        end_date = None
    description = to_plain_text(str(vevent.get("DESCRIPTION", "")))
    summary = description.split("\n")[0][:300] if description else ""
    values = {
        "title": str(vevent.get("SUMMARY", "")).strip()[:255] or "Evento importato",
        "summary": summary or str(vevent.get("SUMMARY", ""))[:300],
        "start_date": start_date,
        "start_time": start_time,
        "end_date": end_date,
        "end_time": end_time,
        "status": EventStatus.CANCELLED
        if str(vevent.get("STATUS", "")).upper() == "CANCELLED"
        else EventStatus.SCHEDULED,
        "status_reason": "Annullato dagli organizzatori."
        if str(vevent.get("STATUS", "")).upper() == "CANCELLED"
        else "",
        "frequency": "none",
        "interval": 1,
        "weekdays": [],
        "until": None,
        "count": None,
        "organised_by_city": False,
    }
    values["registration_url"] = ""
    location = str(vevent.get("LOCATION", "")).strip()
    if location:
        venue = Venue.objects.filter(name__iexact=location.split(",")[0].strip()).first()
        if venue:
            values["venue"] = venue
        else:
            values["accessibility_notes"] = f"Luogo indicato dagli organizzatori: {location}"
    rule = vevent.get("RRULE")
    if rule and rule.get("FREQ") and rule["FREQ"][0] in FREQUENCIES:
        values["frequency"] = FREQUENCIES[rule["FREQ"][0]]
        values["interval"] = int(rule.get("INTERVAL", [1])[0])
        values["weekdays"] = [
            WEEKDAYS.index(day[-2:]) for day in rule.get("BYDAY", []) if day[-2:] in WEEKDAYS
        ]
        if rule.get("COUNT"):
            values["count"] = int(rule["COUNT"][0])
        elif rule.get("UNTIL"):
            until = rule["UNTIL"][0]
            values["until"] = _local(until)[0] if isinstance(until, datetime) else until
    return values


def _excluded(vevent) -> list[date]:
    raw = vevent.get("EXDATE")
    if raw is None:
        return []
    days = []
    for item in raw if isinstance(raw, list) else [raw]:
        for value in item.dts:
            days.append(_local(value.dt)[0])
    return days


def _last_modified(vevent):
    for name in ("LAST-MODIFIED", "DTSTAMP"):
        if name in vevent:
            value = vevent[name].dt
            return value if isinstance(value, datetime) else None
    return None


def _unique_slug(index, title: str) -> str:
    base = slugify(title)[:60] or "evento"
    slug, n = base, 1
    siblings = set(index.get_children().values_list("slug", flat=True))
    while slug in siblings:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _apply(page, values, excluded):
    for name, value in values.items():
        setattr(page, name, value)
    page.excluded_dates = [EventExcludedDate(date=day) for day in excluded]


def import_calendar(data: bytes, index, user=None, organiser=None) -> ImportReport:
    """Import every VEVENT of `data` in one transaction: a file that fails changes nothing."""
    try:
        calendar = Calendar.from_ical(data)
    except ValueError as error:
        raise ImportErrorMessage(f"Il file non è un iCalendar valido: {error}") from error
    report = ImportReport()
    with transaction.atomic():
        for vevent in calendar.walk("VEVENT"):
            _import_event(vevent, index, user, organiser, report)
    return report


def _import_event(vevent, index, user, organiser, report: ImportReport) -> None:
    uid = str(vevent.get("UID", "")).strip()
    if not uid or "DTSTART" not in vevent or "RECURRENCE-ID" in vevent:
        report.add("skipped", str(vevent.get("SUMMARY", uid or "?")))
        return
    try:
        values = _fields(vevent)
        excluded = _excluded(vevent)
        modified = _last_modified(vevent)
    except (ValueError, TypeError, KeyError, AttributeError):
        # a broken property (e.g. an unparsable DTSTART): skip this event, not the file
        report.add("skipped", str(vevent.get("SUMMARY", uid)))
        return
    links, warnings = _links(vevent)
    values.update(links)
    try:
        page_id = _save_event(index, uid, values, excluded, modified, user, organiser, report)
    except ValidationError as error:
        problems = "; ".join(error.messages)
        raise ImportErrorMessage(
            _("Evento «%(title)s»: %(problems)s. Nessun evento è stato importato.")
            % {"title": values["title"], "problems": problems}
        ) from error
    if page_id is not None:
        report.warnings.extend((values["title"], warning) for warning in warnings)


def _save_event(index, uid, values, excluded, modified, user, organiser, report) -> int | None:
    """Create or update the draft of one event; its page id, None when nothing changed."""
    existing = EventPage.objects.filter(external_uid=uid[:255]).first()
    if existing is None:
        page = EventPage(
            slug=_unique_slug(index, values["title"]),
            live=False,
            external_uid=uid[:255],
            external_last_modified=modified,
            owner=user,
        )
        _apply(page, values, excluded)
        if organiser is not None:
            page.organisers = [organiser]
        index.add_child(instance=page)
        page.save_revision(user=user)
        report.add("created", page.title, page.pk)
        return page.pk
    if modified and (
        existing.external_last_modified is None or modified > existing.external_last_modified
    ):
        page = existing.get_latest_revision_as_object()
        _apply(page, values, excluded)
        page.external_last_modified = modified
        page.full_clean()  # a revision is not validated when saved
        page.save_revision(user=user)
        EventPage.objects.filter(pk=existing.pk).update(external_last_modified=modified)
        report.add("updated", page.title, existing.pk)
        return existing.pk
    report.add("skipped", existing.title, existing.pk)
    return None

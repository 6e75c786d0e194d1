"""Importing an association's existing iCalendar as draft events.

De-duplicates by the source UID (kept in `EventPage.external_uid`). An event already imported
gets a new revision only when what the source says differs from its latest draft (and the
source is not older than what was imported): re-importing the same file changes nothing.
Nothing is published: editors review and publish.

Everything the event model can hold is kept: the rule (eventi.recurrence: BYDAY with
ordinals, BYMONTHDAY, BYMONTH, BYSETPOS, YEARLY, COUNT/UNTIL), RDATE, EXDATE, moved and
cancelled dates (RECURRENCE-ID overrides), all-day and multi-day events, TZID (Windows names
too) and floating times, the HTML description. What it cannot hold is said per event in
`ImportReport.notes` ("regola non supportata: …"), never dropped silently. One import is
one transaction: an error half-way leaves the site as it was.
"""

import codecs
import enum
import re
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

from dateutil import rrule as dateutil_rrule
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, Q
from django.utils.text import slugify
from django.utils.translation import gettext as _
from icalendar import Calendar
from wagtail.rich_text import RichText

from eventi import recurrence
from eventi.models import (
    EventExcludedDate,
    EventOccurrenceOverride,
    EventPage,
    EventStatus,
    Venue,
)
from portal.core.pages import route_slugs
from portal.core.sanitize import clean_rich_text, to_plain_text

MAX_BYTES = 5 * 1024 * 1024
FREQUENCIES = {
    "DAILY": "daily",
    "WEEKLY": "weekly",
    "MONTHLY": "monthly",
    "YEARLY": "yearly",
}
WEEKDAYS = recurrence.WEEKDAY_CODES
#: Rule parts the model holds; any other is reported (and the dates kept one by one).
SUPPORTED_PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH"}
SUPPORTED_PARTS |= {"BYSETPOS", "WKST"}
URL_MAX = 2000


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    # (outcome, title, page id or None), in source order: for links in the admin
    entries: list[tuple[str, str, int | None]] = field(default_factory=list)
    # (title, message): what could not be imported as it was, in source order
    notes: list[tuple[str, str]] = field(default_factory=list)
    # every UID of an event in the source (read or not): what a synchronised calendar still has
    uids: set[str] = field(default_factory=set)

    def add(self, outcome: str, title: str, page_id: int | None = None) -> None:
        getattr(self, outcome).append(title)
        self.entries.append((outcome, title, page_id))

    def note(self, title: str, message: str) -> None:
        self.notes.append((title, message))


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


# --- Decoding and parsing --------------------------------------------------------------


def decode(data: bytes) -> str:
    """The text of an .ics file: UTF-8 (with or without BOM), UTF-16 with a BOM, else
    Windows-1252 (a superset of Latin-1 for text) if the result is plausible text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = None
        if text is not None and not any(
            ord(ch) < 32 and ch not in "\r\n\t" for ch in text
        ):  # control characters: binary, not a Western European text
            return text
    raise ImportErrorMessage(
        _(
            "Non riesco a leggere il testo del file: non è in UTF-8 né in Latin-1/Windows-1252. "
            "Esportalo di nuovo in UTF-8."
        )
    )


def parse(data: bytes) -> Calendar:
    text = decode(data)
    try:
        calendar = Calendar.from_ical(text)
    except ValueError as error:
        raise ImportErrorMessage(f"Il file non è un iCalendar valido: {error}") from error
    if not isinstance(calendar, Calendar):
        raise ImportErrorMessage("Il file non è un iCalendar valido: manca VCALENDAR.")
    return calendar


# --- From a VEVENT to the page's values ------------------------------------------------


def _local(value):
    """(date, time or None) in Europe/Rome for a DTSTART/DTEND value (floating: local)."""
    if isinstance(value, datetime):
        return _local_naive(value).date(), _local_naive(value).time()
    return value, None


def _local_naive(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(second=0, microsecond=0)
    return recurrence.to_local(value).replace(tzinfo=None, second=0, microsecond=0)


def _aware(value) -> datetime:
    """An aware datetime for a date-time (floating: local) or a date (local midnight)."""
    if isinstance(value, datetime):
        return recurrence.make_aware(_local_naive(value))
    return recurrence.make_aware(datetime.combine(value, time.min))


def _other_zone(value) -> bool:
    """A TZID whose offsets are not Rome's all year: repeated times could move by an hour."""
    if not isinstance(value, datetime) or value.tzinfo is None:
        return False
    for month in (1, 4, 7, 10):
        moment = value.replace(month=month, day=15)
        if moment.utcoffset() != recurrence.to_local(moment).utcoffset():
            return True
    return False


#: Elements whose content is not text for readers (Outlook's X-ALT-DESC has <head><style>)
HIDDEN_ELEMENTS = re.compile(
    r"<(script|style|head|title)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)


def _clean_html(value: str) -> str:
    return clean_rich_text(HIDDEN_ELEMENTS.sub("", value))


def _html_description(vevent) -> str:
    """The description as clean HTML (links kept): X-ALT-DESC (Outlook) or DESCRIPTION."""
    alt = vevent.get("X-ALT-DESC")
    for value in alt if isinstance(alt, list) else [alt] if alt is not None else []:
        if "html" in str(getattr(value, "params", {}).get("FMTTYPE", "")).lower():
            cleaned = _clean_html(str(value))
            if to_plain_text(cleaned):
                return cleaned
    return _clean_html(str(vevent.get("DESCRIPTION", "")))


def _url(value, title: str, name: str, report: ImportReport) -> str:
    """A link (URL, CONFERENCE) kept only when it is a valid http(s) URL; a note otherwise
    (another scheme such as javascript: or data:, too long, not a URL)."""
    url = str(value or "").strip()
    if not url:
        return ""
    shown = {"name": name, "url": url[:80]}
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        report.note(title, _("%(name)s non sicuro ignorato (solo http e https): %(url)s") % shown)
        return ""
    if len(url) > URL_MAX:
        report.note(
            title,
            _("%(name)s troppo lungo (oltre 2000 caratteri): non importato.") % {"name": name},
        )
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        report.note(title, _("%(name)s non valido ignorato: %(url)s") % shown)
        return ""
    return url


def _until(value, start_time: time | None) -> date:
    """The last day of UNTIL, as the local day of the last occurrence it allows."""
    if not isinstance(value, datetime):
        return value
    local = _local_naive(value)
    if start_time is not None and local.time() < start_time:
        return local.date() - timedelta(days=1)
    return local.date()


def _rule(vevent, values: dict, title: str, report: ImportReport) -> None:
    """The RRULE into `values` (frequency and the BY parts), or extra dates if unsupported."""
    rules = vevent.get("RRULE")
    if not rules:
        return
    if isinstance(rules, list):
        report.note(title, _("regola non supportata: più di una RRULE, importata la prima."))
        rules = rules[0]
    text = rules.to_ical().decode()
    parts = {key.upper() for key in rules}
    freq = rules.get("FREQ", [""])[0]
    unsupported = sorted(parts - SUPPORTED_PARTS)
    if freq not in FREQUENCIES:
        unsupported.insert(0, f"FREQ={freq}")
    wkst = rules.get("WKST", ["MO"])[0]
    if wkst != "MO" and freq == "WEEKLY" and int(rules.get("INTERVAL", [1])[0]) > 1:
        unsupported.append(f"WKST={wkst}")
    byday = [recurrence.parse_weekday_code(day) for day in rules.get("BYDAY", [])]
    if freq in ("DAILY", "WEEKLY") and any(n for n, _day in byday):
        unsupported.append("BYDAY")
    if unsupported:
        dates = _expanded(vevent, text, values)
        report.note(
            title,
            _("regola non supportata: %(rule)s (%(parts)s); importate %(count)s date singole.")
            % {"rule": text, "parts": ", ".join(unsupported), "count": len(dates)},
        )
        values["extra_dates"] = dates
        return
    values["frequency"] = FREQUENCIES[freq]
    values["interval"] = int(rules.get("INTERVAL", [1])[0])
    values["weekdays"] = sorted({day for n, day in byday if not n})
    values["nth_weekdays"] = [[n, day] for n, day in byday if n]
    values["month_days"] = [int(d) for d in rules.get("BYMONTHDAY", [])]
    values["months"] = [int(m) for m in rules.get("BYMONTH", [])]
    values["set_positions"] = [int(p) for p in rules.get("BYSETPOS", [])]
    if rules.get("COUNT"):
        values["count"] = int(rules["COUNT"][0])
    elif rules.get("UNTIL"):
        values["until"] = _until(rules["UNTIL"][0], values["start_time"])


def _expanded(vevent, text: str, values: dict) -> list[str]:
    """Dates of a rule the model cannot hold, one by one (as RDATEs), up to the horizon."""
    start = datetime.combine(values["start_date"], values["start_time"] or time.min)
    horizon = max(date.today(), values["start_date"]) + timedelta(days=recurrence.HORIZON_DAYS)
    rule_text = "\n".join(
        line for line in text.split(";") if not line.upper().startswith("UNTIL=")
    ).replace("\n", ";")
    until = vevent["RRULE"]["UNTIL"][0] if "UNTIL" in vevent["RRULE"] else None
    try:
        rule = dateutil_rrule.rrulestr(rule_text, dtstart=start)
    except (ValueError, TypeError):
        return []
    dates = []
    for value in rule:
        if value.date() > horizon or len(dates) >= recurrence.MAX_OCCURRENCES:
            break
        if until is not None and value.date() > _until(until, values["start_time"]):
            break
        if value != start:
            dates.append(
                value.date().isoformat()
                if values["start_time"] is None
                else (value.isoformat(timespec="minutes"))
            )
    return dates


def _date_list(vevent, name: str) -> list:
    raw = vevent.get(name)
    if raw is None:
        return []
    values = []
    for item in raw if isinstance(raw, list) else [raw]:
        values.extend(value.dt for value in item.dts)
    return values


def _fields(vevent, report: ImportReport) -> dict:
    dtstart = vevent["DTSTART"].dt
    start_date, start_time = _local(dtstart)
    title = str(vevent.get("SUMMARY", "")).strip()[:255] or "Evento importato"
    end_date, end_time = None, None
    if "DTEND" in vevent:
        end_date, end_time = _local(vevent["DTEND"].dt)
        if start_time is None:  # all-day: DTEND is exclusive
            end_date = end_date - timedelta(days=1)
    elif "DURATION" in vevent:
        if start_time is None:
            end_date = start_date + timedelta(days=vevent["DURATION"].dt.days - 1)
        else:
            end = datetime.combine(start_date, start_time) + vevent["DURATION"].dt
            end_date, end_time = end.date(), end.time()
    if end_date is not None and end_date <= start_date:
        end_date = None
    body = _html_description(vevent)
    description = to_plain_text(body)
    cancelled = str(vevent.get("STATUS", "")).upper() == "CANCELLED"
    values = {
        "title": title,
        "summary": (description[:297] + "…" if len(description) > 300 else description)
        or str(vevent.get("SUMMARY", ""))[:300],
        "body": [("paragraph", RichText(body))] if description else [],
        "start_date": start_date,
        "start_time": start_time,
        "end_date": end_date,
        "end_time": end_time,
        "status": EventStatus.CANCELLED if cancelled else EventStatus.SCHEDULED,
        "status_reason": "Annullato dagli organizzatori." if cancelled else "",
        "registration_url": _url(vevent.get("URL"), title, "URL", report),
        "frequency": "none",
        "interval": 1,
        "weekdays": [],
        "nth_weekdays": [],
        "month_days": [],
        "months": [],
        "set_positions": [],
        "extra_dates": [],
        "until": None,
        "count": None,
        "organised_by_city": False,
    }
    if "CONFERENCE" in vevent:
        values["online_url"] = _url(vevent["CONFERENCE"], title, "CONFERENCE", report)
    location = str(vevent.get("LOCATION", "")).strip()
    if location:
        venue = Venue.objects.filter(name__iexact=location.split(",")[0].strip()).first()
        if venue:
            values["venue"] = venue
        else:
            values["accessibility_notes"] = f"Luogo indicato dagli organizzatori: {location}"
    _rule(vevent, values, title, report)
    for day, moment in ((start_date, start_time), (end_date or start_date, end_time)):
        if moment is not None and recurrence.wall_time_problem(datetime.combine(day, moment)):
            report.note(
                title,
                _(
                    "l'orario %(time)s del %(date)s cade nel cambio dell'ora (2:00-3:00): "
                    "controlla l'ora."
                )
                % {"time": moment.strftime("%H:%M"), "date": day.isoformat()},
            )
    if values["frequency"] != "none" and _other_zone(dtstart):
        report.note(
            title,
            _(
                "fuso orario %(zone)s diverso da Europe/Rome: gli orari sono convertiti dalla "
                "prima data, controlla le ripetizioni dopo il cambio dell'ora."
            )
            % {"zone": dtstart.tzinfo},
        )
    extra = [
        (value.isoformat() if start_time is None else value.isoformat(timespec="minutes"))
        for value in _rdates(vevent, start_time, title, report)
    ]
    values["extra_dates"] = sorted(set(values["extra_dates"]) | set(extra))
    if values["frequency"] != "none" and not _first_is_an_occurrence(values):
        _move_start_to_rule(values)
    for name in ("EXRULE",):
        if name in vevent:
            report.note(title, _("regola non supportata: %(name)s ignorata.") % {"name": name})
    return values


def _rdates(vevent, start_time, title, report) -> list[datetime]:
    dates = []
    for value in _date_list(vevent, "RDATE"):
        if isinstance(value, tuple):  # PERIOD: a start and an end or a duration
            report.note(title, _("regola non supportata: RDATE con periodo, importato l'inizio."))
            value = value[0]
        if isinstance(value, datetime):
            dates.append(_local_naive(value) if start_time is not None else _day(value))
        else:
            dates.append(datetime.combine(value, start_time or time.min))
    return dates


def _day(value: datetime) -> datetime:
    return datetime.combine(_local_naive(value).date(), time.min)


def _schedule(values: dict, **extra) -> recurrence.EventSchedule:
    names = ["start_date", "start_time", "end_date", "end_time", "frequency", "interval"]
    names += ["weekdays", "until", "count", "month_days", "months", "set_positions"]
    fields = {name: values[name] for name in names}
    fields["nth_weekdays"] = [tuple(pair) for pair in values["nth_weekdays"]]
    fields["extra_dates"] = [datetime.fromisoformat(v) for v in values["extra_dates"]]
    fields.update(extra)
    return recurrence.EventSchedule(**fields)


def _first_is_an_occurrence(values: dict) -> bool:
    rule = _schedule(values, extra_dates=[]).rule()
    first = next(iter(rule), None) if rule is not None else None
    return first is not None and first.date() == values["start_date"]


def _move_start_to_rule(values: dict) -> None:
    """DTSTART off the rule (RFC 5545 counts it anyway): the rule starts at its own first
    date and DTSTART becomes an extra date, so every client reads the same dates."""
    schedule = _schedule(values, extra_dates=[])
    rule = schedule.rule()
    first = next(iter(rule), None) if rule is not None else None
    original = schedule.first_start_naive()
    values["extra_dates"] = sorted(
        set(values["extra_dates"])
        | {
            original.date().isoformat()
            if values["start_time"] is None
            else original.isoformat(timespec="minutes")
        }
    )
    if first is None:
        values["frequency"], values["count"], values["until"] = "none", None, None
        return
    length = schedule.duration()
    values["start_date"] = first.date()
    if values["end_date"] or values["end_time"]:
        end = first + length
        if values["start_time"] is None:
            end -= timedelta(days=1)
        values["end_date"] = end.date() if end.date() > first.date() else None


def _overrides(master_values: dict, children, title: str, report: ImportReport) -> list[dict]:
    """RECURRENCE-ID components: moved dates (new start/end) and cancelled dates."""
    schedule = _schedule(master_values)
    overrides = []
    for child in children:
        recurrence_id = child["RECURRENCE-ID"]
        if str(recurrence_id.params.get("RANGE", "")).upper() == "THISANDFUTURE":
            report.note(title, _("regola non supportata: RECURRENCE-ID con RANGE=THISANDFUTURE."))
        original = _local(recurrence_id.dt)[0]
        if not recurrence.occurs_on(schedule, original):
            report.note(
                title,
                _("modifica del %(date)s ignorata: non è una data della serie.")
                % {"date": original.isoformat()},
            )
            continue
        cancelled = str(child.get("STATUS", "")).upper() == "CANCELLED"
        row = {"original_date": original, "cancelled": cancelled, "new_start": None}
        row["new_end"], row["note"] = None, ""
        if not cancelled:
            start = _aware(child["DTSTART"].dt) if "DTSTART" in child else None
            if "DTEND" in child:
                end = _aware(child["DTEND"].dt)
            elif "DURATION" in child and start is not None:
                end = start + child["DURATION"].dt
            else:
                end = None
            natural = recurrence.make_aware(schedule.occurrence_start(original))
            length = schedule.duration()
            if start == natural and (end is None or end == natural + length):
                start = end = None  # same times: a change of other details
            row["new_start"], row["new_end"] = start, end
        summary = str(child.get("SUMMARY", "")).strip()
        if summary and summary != master_values["title"]:
            row["note"] = summary[:200]
        if row["new_start"] is None and not cancelled:
            if row["note"]:
                report.note(
                    title,
                    _("il %(date)s ha altri dettagli (%(note)s): solo il titolo è nella nota.")
                    % {"date": original.isoformat(), "note": row["note"]},
                )
            else:
                continue
            row["new_start"] = recurrence.make_aware(schedule.occurrence_start(original))
        overrides.append(row)
    return overrides


def _last_modified(vevent):
    for name in ("LAST-MODIFIED", "DTSTAMP"):
        if name in vevent:
            value = vevent[name].dt
            if not isinstance(value, datetime):
                return None
            # RFC 5545 wants UTC here; a floating value (no "Z") is read as UTC too
            return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


# --- Saving --------------------------------------------------------------------------


def _unique_slug(index, title: str) -> str:
    base = slugify(title)[:60] or "evento"
    slug, n = base, 1
    # Taken by a sibling, or by a route of the calendar (`mese`, `archivio`...).
    siblings = set(index.get_children().values_list("slug", flat=True))
    siblings |= route_slugs(index.specific_class or type(index))
    while slug in siblings:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _apply(page, values, excluded, overrides):
    for name, value in values.items():
        setattr(page, name, value)
    page.excluded_dates = [EventExcludedDate(date=day) for day in excluded]
    page.occurrence_overrides = [EventOccurrenceOverride(**row) for row in overrides]


def _snapshot(page, names) -> tuple:
    """What an import sets on a page, comparable between the draft and the source."""
    plain = []
    for name in names:
        value = getattr(page, name)
        if name == "venue":
            value = page.venue_id
        elif name == "body":
            value = [(block.block_type, str(block.value.source)) for block in value]
        plain.append(_plain(value))
    excluded = sorted(e.date for e in page.excluded_dates.all())
    overrides = sorted(
        (
            o.original_date,
            o.cancelled,
            o.new_start.timestamp() if o.new_start else None,
            o.new_end.timestamp() if o.new_end else None,
            o.note,
        )
        for o in page.occurrence_overrides.all()
    )
    return (repr(plain), excluded, overrides)


def _plain(value):
    """Choices as their values, tuples as lists: a draft's values compare with the source's."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _title(vevent) -> str:
    return str(vevent.get("SUMMARY", "")).strip() or str(vevent.get("UID", "?"))


def import_calendar(data: bytes, index, user=None, organiser=None, source=None) -> ImportReport:
    """Import `data` under `index`. With a CalendarSource (eventi.sync), the events are matched
    by UID among that source's own (and the organiser's imported by hand, which it adopts): a
    calendar never updates another's events by reusing their UIDs."""
    calendar = parse(data)
    report = ImportReport()
    children: dict[str, list] = {}
    masters = []
    for vevent in calendar.walk("VEVENT"):
        uid = str(vevent.get("UID", "")).strip()
        if uid and "RECURRENCE-ID" in vevent:
            children.setdefault(uid, []).append(vevent)
        else:
            masters.append((uid, vevent))
    master_uids = {uid for uid, _vevent in masters}
    report.uids = {uid[:255] for uid in master_uids if uid}
    context = (index, user, organiser, source)
    with transaction.atomic():
        for uid, vevent in masters:
            _import_one(uid, vevent, children.get(uid, []), context, report)
        for uid, orphans in children.items():
            if uid not in master_uids:
                for orphan in orphans:
                    report.add("skipped", _title(orphan))
                    report.note(_title(orphan), _("data modificata di una serie che non c'è."))
    return report


def _import_one(uid, vevent, children, context, report) -> None:
    title = _title(vevent)
    if not uid or "DTSTART" not in vevent:
        report.add("skipped", title)
        report.note(title, _("manca UID o DTSTART."))
        return
    try:
        values = _fields(vevent, report)
        excluded = sorted({_local(value)[0] for value in _date_list(vevent, "EXDATE")})
        overrides = _overrides(values, children, values["title"], report)
        modified = _last_modified(vevent)
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        # a broken property (e.g. an unparsable DTSTART): skip this event, not the file
        report.add("skipped", title)
        report.note(title, _("evento non leggibile (%(error)s).") % {"error": error})
        return
    try:
        _save(uid, values, excluded, overrides, modified, context, report)
    except ValidationError as error:
        raise ImportErrorMessage(
            _("Evento «%(title)s»: %(problems)s. Nessun evento è stato importato.")
            % {"title": values["title"], "problems": "; ".join(error.messages)}
        ) from error


def _existing(uid: str, organiser, source):
    pages = EventPage.objects.filter(external_uid=uid)
    if source is None:
        return pages.first()
    by_hand = Q(calendar_source__isnull=True, organisers=organiser) if organiser else Q(pk=None)
    own_first = F("calendar_source").desc(nulls_last=True)
    page = pages.filter(Q(calendar_source=source) | by_hand).order_by(own_first).first()
    if page is not None and page.calendar_source_id is None:
        EventPage.objects.filter(pk=page.pk).update(calendar_source=source)
    return page


def _save(uid, values, excluded, overrides, modified, context, report) -> None:
    """Create or update the draft of one event (nothing when the source did not change)."""
    index, user, organiser, source = context
    existing = _existing(uid[:255], organiser, source)
    if existing is None:
        page = EventPage(
            slug=_unique_slug(index, values["title"]),
            live=False,
            external_uid=uid[:255],
            external_last_modified=modified,
            owner=user,
            calendar_source=source,
        )
        _apply(page, values, excluded, overrides)
        if organiser is not None:
            page.organisers = [organiser]
        index.add_child(instance=page)
        page.save_revision(user=user)
        report.add("created", page.title, page.pk)
        return
    older = (
        modified
        and existing.external_last_modified
        and (modified < existing.external_last_modified)
    )
    page = existing.get_latest_revision_as_object()
    before = _snapshot(page, values)
    _apply(page, values, excluded, overrides)
    if older or _snapshot(page, values) == before:
        report.add("skipped", existing.title, existing.pk)
        return
    page.external_last_modified = modified
    page.full_clean()  # a revision is not validated when saved
    page.save_revision(user=user)
    EventPage.objects.filter(pk=existing.pk).update(external_last_modified=modified)
    report.add("updated", page.title, existing.pk)

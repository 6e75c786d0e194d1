"""Keeping an external calendar (a URL) in step with the portal's events.

One function per step: `check_url` (only http/https, `webcal://` read as https, never a
private, loopback or link-local address: every address the name resolves to is checked,
before the first request and after every redirect), `fetch` (conditional GET with the
ETag/Last-Modified of the last answer, connect/read timeouts and an overall deadline, a
streaming size cap), `sync_source` (the importer in one transaction, then withdrawal of the
events whose UID left the source, and the status the owner and the moderators read).

An event that disappears from the source is *withdrawn*, never deleted: the page is
unpublished (its revisions and history stay, editors still find it) and marked
`withdrawn_from_source_at`; if the UID comes back it is restored (published again when the
source publishes directly). A valid calendar with no events at all is treated as an error:
a broken export must not withdraw everything.

Known limit: the name is resolved again by the HTTP client when it connects, so a DNS answer
that changes between the check and the connection (rebinding) is not caught; a proxy that
enforces egress rules is the full answer in production.
"""

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

import requests
from django.db import transaction
from django.db.models import F, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from eventi.importer import ImportErrorMessage, import_calendar
from eventi.models import CalendarSource, EventIndexPage, EventPage, SyncStatus
from eventi.source_urls import SyncError, check_setting, check_url

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 3
CHUNK = 64 * 1024
USER_AGENT = "CittaDellaPace/1.0 (+calendario delle associazioni)"


@dataclass
class Fetched:
    changed: bool
    data: bytes = b""
    etag: str = ""
    last_modified: str = ""


# --- The request ---------------------------------------------------------------------------


def fetch(url: str, etag: str = "", last_modified: str = "") -> Fetched:
    """GET the calendar; `changed` is False when the server answers 304 Not Modified."""
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = (check_setting("CONNECT_TIMEOUT"), check_setting("READ_TIMEOUT"))
    deadline = time.monotonic() + check_setting("TOTAL_SECONDS")
    current = check_url(url)
    for _hop in range(MAX_REDIRECTS + 1):
        host = urlsplit(current).hostname
        try:
            response = requests.get(
                current, headers=headers, timeout=timeout, stream=True, allow_redirects=False
            )
        except requests.Timeout as error:
            raise SyncError(
                _("Il sito %(host)s non ha risposto in tempo.") % {"host": host}
            ) from error
        except requests.RequestException as error:
            raise SyncError(_("Impossibile collegarsi a %(host)s.") % {"host": host}) from error
        with response:
            if response.is_redirect:
                location = response.headers.get("Location", "")
                current = check_url(urljoin(current, location))
                continue
            if response.status_code == 304:
                return Fetched(changed=False, etag=etag, last_modified=last_modified)
            if response.status_code != 200:
                raise SyncError(
                    _("Il sito %(host)s ha risposto con il codice %(code)s.")
                    % {"host": host, "code": response.status_code}
                )
            data = _read(response, host, deadline)
            return Fetched(
                changed=True,
                data=data,
                etag=response.headers.get("ETag", "")[:255],
                last_modified=response.headers.get("Last-Modified", "")[:64],
            )
    raise SyncError(_("Troppi reindirizzamenti: controlla l'indirizzo del calendario."))


def _read(response, host: str, deadline: float) -> bytes:
    limit = check_setting("MAX_BYTES")
    too_big = SyncError(
        _("Il calendario supera %(size)s: non è stato importato.") % {"size": filesizeformat(limit)}
    )
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_big
    body = bytearray()
    try:
        for chunk in response.iter_content(CHUNK):
            body += chunk
            if len(body) > limit:
                raise too_big
            if time.monotonic() > deadline:
                raise SyncError(
                    _("Il sito %(host)s invia il calendario troppo lentamente.") % {"host": host}
                )
    except requests.RequestException as error:
        # a read timeout or a dropped connection half-way
        raise SyncError(
            _("Il sito %(host)s non ha inviato il calendario per intero.") % {"host": host}
        ) from error
    return bytes(body)


# --- Synchronising -------------------------------------------------------------------------


def due_sources(now=None):
    """Enabled sources not tried for EVENTI_SYNC_INTERVAL_MINUTES (never tried first)."""
    now = now or timezone.now()
    since = now - timedelta(minutes=check_setting("INTERVAL_MINUTES"))
    return (
        CalendarSource.objects.filter(enabled=True)
        .filter(Q(last_fetch_at__isnull=True) | Q(last_fetch_at__lt=since))
        .order_by(F("last_fetch_at").asc(nulls_first=True), "pk")
    )


def sync_source(source: CalendarSource) -> CalendarSource:
    """Fetch and import one source; its status fields say what happened. Never raises for a
    problem of the source (that is the status); the database is changed only by a success."""
    started = timezone.now()
    try:
        fetched = fetch(source.url, source.etag, source.last_modified_header)
        if not fetched.changed:
            _record(source, started, SyncStatus.UNCHANGED, _not_modified_message())
        else:
            _import(source, fetched, started)
    except (SyncError, ImportErrorMessage) as error:
        _record(source, started, SyncStatus.ERROR, str(error), success=False)
    except Exception:
        # a bug or a database problem: logged with its traceback, the owner sees a status and
        # the other sources of the same run still go ahead
        logger.exception("Sync of calendar source %s failed", source.pk)
        message = _("Errore imprevisto durante l'aggiornamento: riprova più tardi.")
        _record(source, started, SyncStatus.ERROR, message, success=False)
    return source


def _not_modified_message() -> str:
    return _("Il calendario non è cambiato dall'ultimo aggiornamento.")


def _record(source, started, status, message, success=True, **values) -> None:
    values |= {"last_fetch_at": started, "last_status": status, "last_message": message}
    if success:
        values["last_success_at"] = started
    if status == SyncStatus.UNCHANGED:
        values |= {"created_count": 0, "updated_count": 0, "withdrawn_count": 0}
    for name, value in values.items():
        setattr(source, name, value)
    CalendarSource.objects.filter(pk=source.pk).update(**values)


def _import(source, fetched: Fetched, started) -> None:
    digest = hashlib.sha256(fetched.data).hexdigest()
    headers = {"etag": fetched.etag, "last_modified_header": fetched.last_modified}
    if digest == source.content_sha256:
        _record(source, started, SyncStatus.UNCHANGED, _not_modified_message(), **headers)
        return
    index = EventIndexPage.objects.order_by("path").first()
    if index is None:
        raise SyncError(_("Il portale non ha ancora la pagina del calendario degli eventi."))
    with transaction.atomic():
        # one sync of a source at a time (the command and "Sincronizza ora" may meet)
        # (values and no ordering: the default ordering joins the nullable association)
        locked = CalendarSource.objects.filter(pk=source.pk).order_by().select_for_update()
        list(locked.values_list("pk", flat=True))
        report = import_calendar(fetched.data, index, organiser=source.association, source=source)
        if not report.uids:
            raise SyncError(_("Il calendario non contiene eventi: nessun evento è stato ritirato."))
        withdrawn = _withdraw_missing(source, report.uids, started)
        changed = _restore_returned(source, report.uids)
        changed |= {
            page_id
            for outcome, _title, page_id in report.entries
            if outcome in ("created", "updated") and page_id
        }
        if source.publishes:
            for page_id in sorted(changed):
                _publish(page_id)
        count = source.events.filter(withdrawn_from_source_at__isnull=True).count()
        message = _("%(created)s nuovi, %(updated)s aggiornati, %(withdrawn)s ritirati.") % {
            "created": len(report.created),
            "updated": len(report.updated),
            "withdrawn": withdrawn,
        }
        if report.notes:
            message += "\n" + "\n".join(f"{title}: {note}" for title, note in report.notes)
        _record(
            source,
            started,
            SyncStatus.OK,
            message,
            content_sha256=digest,
            event_count=count,
            created_count=len(report.created),
            updated_count=len(report.updated),
            withdrawn_count=withdrawn,
            error_count=len(report.notes),
            **headers,
        )


def _publish(page_id: int) -> None:
    page = EventPage.objects.get(pk=page_id)
    revision = page.get_latest_revision()
    if revision is not None:
        revision.publish(user=None)


def _withdraw_missing(source, uids: set[str], now) -> int:
    """Unpublish (never delete) the source's events whose UID is no longer in it. The UIDs
    are compared here, not in an `IN (...)` of thousands of parameters."""
    current = source.events.filter(withdrawn_from_source_at__isnull=True)
    gone = [pk for pk, uid in current.values_list("pk", "external_uid") if uid not in uids]
    for page in EventPage.objects.filter(pk__in=gone, live=True):
        page.unpublish()
    EventPage.objects.filter(pk__in=gone).update(withdrawn_from_source_at=now)
    return len(gone)


def _restore_returned(source, uids: set[str]) -> set[int]:
    """Withdrawn events whose UID is back in the source: no longer withdrawn (their ids)."""
    withdrawn = source.events.filter(withdrawn_from_source_at__isnull=False)
    ids = {pk for pk, uid in withdrawn.values_list("pk", "external_uid") if uid in uids}
    EventPage.objects.filter(pk__in=ids).update(withdrawn_from_source_at=None)
    return ids


def sync_due(now=None) -> list[CalendarSource]:
    """What `manage.py sync_calendars` runs: every due source, one after the other."""
    done = []
    for source in due_sources(now).select_related("association"):
        logger.info("Sync of calendar source %s", source.pk)
        done.append(sync_source(source))
    return done

"""Background work of the events app: synchronising a calendar never runs inside a request."""

from django_tasks import task

from eventi.models import CalendarSource
from eventi.sync import sync_source


@task()
def sync_calendar_source(source_id: int) -> str:
    source = CalendarSource.objects.select_related("association").filter(pk=source_id).first()
    if source is None or not source.enabled:
        return "skipped"
    return sync_source(source).last_status

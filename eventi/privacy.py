"""GDPR: what the events app exports and erases for a user (registered in apps.py).

The events a member proposed for an association and the calendar addresses they linked belong
to the association: erasing the person keeps them and forgets who proposed or linked them."""

from django.db import transaction

from eventi.models import CalendarSource, EventPage


def models() -> list[type]:
    return [EventPage, CalendarSource]


def export(user) -> dict:
    return {
        "proposed_events": [
            {"title": page.title, "url": page.url, "live": page.live}
            for page in EventPage.objects.filter(submitted_by=user).order_by("pk")
        ],
        "linked_calendars": list(
            CalendarSource.objects.filter(created_by=user)
            .order_by("pk")
            .values("name", "url", "association__name", "created_at")
        ),
    }


@transaction.atomic
def erase(user) -> None:
    # A queryset update: no revision, no re-publication, no notification to followers.
    EventPage.objects.filter(submitted_by=user).update(submitted_by=None)
    CalendarSource.objects.filter(created_by=user).update(created_by=None)

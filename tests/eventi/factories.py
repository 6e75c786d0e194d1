"""Factories and builders for event tests."""

from datetime import time

import factory

from eventi.models import EventPage, EventType, Venue
from tests.factories import next_weekday
from tests.wagtail_admin import admin_login, preview_data  # noqa: F401 (re-exported)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Sala {n}")
    slug = factory.Sequence(lambda n: f"sala-{n}")
    address = "Via Ugolani Dati 4"
    postcode = "26100"
    latitude = "45.133500"
    longitude = "10.024200"


def event_type(slug="conferenza") -> EventType:
    return EventType.objects.get(slug=slug)


def make_event(index, publish=True, **fields) -> EventPage:
    """Create an event under `index` (published through a revision, like the admin does)."""
    topics = fields.pop("topics", [])
    organisers = fields.pop("organisers", [])
    excluded = fields.pop("excluded_dates", [])
    overrides = fields.pop("overrides", [])
    defaults = {
        "title": "Incontro per la pace",
        "summary": "Un incontro aperto a tutta la cittadinanza.",
        "start_date": next_weekday(1, weeks=4),  # a Tuesday about a month ahead
        "start_time": time(18, 0),
        "end_time": time(20, 0),
    }
    defaults.update(fields)
    page = EventPage(**defaults)
    page.topics = topics
    page.organisers = organisers
    for day in excluded:
        page.excluded_dates.add(page.excluded_dates.model(date=day))
    for override in overrides:
        page.occurrence_overrides.add(page.occurrence_overrides.model(**override))
    index.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    else:
        page.live = False
        page.save_revision()
        page.save()
    page.refresh_from_db()
    return page


def edit_and_publish(page, **changes) -> EventPage:
    page = EventPage.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)

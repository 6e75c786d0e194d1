"""How an event's date reads in listings (eventi_tags), in each language."""

from datetime import date, datetime, time

from django.utils import timezone, translation

from eventi.templatetags.eventi_tags import event_when
from tests.factories import ON_CALENDAR_NOW

pytestmark = ON_CALENDAR_NOW

ROME = timezone.get_default_timezone()


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=ROME)


def test_same_day_event_reads_with_its_times_in_each_language():
    day = date(2030, 3, 5)
    with translation.override("it"):
        italian = event_when(at(day, 18), at(day, 20), False)
    with translation.override("en"):
        english = event_when(at(day, 18), at(day, 20), False)
    with translation.override("it"):
        again = event_when(at(day, 18), at(day, 20), False)
    assert italian == "Martedì 5 marzo 2030, 18:00–20:00"
    assert english == "Tuesday 5 March 2030, 18:00–20:00"
    assert again == italian  # the remembered day follows the active language


def test_multi_day_and_all_day_events():
    with translation.override("it"):
        assert (
            event_when(at(date(2030, 3, 5), 0), at(date(2030, 3, 8), 0), True)
            == "Dal martedì 5 marzo 2030 al giovedì 7 marzo 2030"
        )
        assert event_when(at(date(2030, 3, 5), 0), at(date(2030, 3, 6), 0), True) == (
            "Martedì 5 marzo 2030"
        )
        assert event_when(at(date(2030, 3, 5), 22), at(date(2030, 3, 6), 2), False) == (
            "Dal martedì 5 marzo 2030, 22:00 al mercoledì 6 marzo 2030, 02:00"
        )


def test_under_a_day_heading_a_date_on_that_day_reads_with_its_times_only():
    day = date(2030, 3, 5)
    with translation.override("it"):
        assert event_when(at(day, 18), at(day, 20), False, day=day) == "18:00–20:00"
        assert event_when(at(day, 18), at(day, 18), False, day=day) == "18:00"
        all_day = event_when(at(day, 0), at(date(2030, 3, 6), 0), True, day=day)
        assert all_day == "Tutto il giorno"
        # Dates that run past the heading's day (or another day) keep their dates.
        assert event_when(at(day, 22), at(date(2030, 3, 6), 2), False, day=day).startswith(
            "Dal martedì 5 marzo 2030, 22:00"
        )
        assert event_when(at(day, 0), at(date(2030, 3, 8), 0), True, day=day).startswith("Dal")
        assert event_when(at(day, 18), at(day, 20), False, day="") == (
            "Martedì 5 marzo 2030, 18:00–20:00"
        )
    with translation.override("en"):
        assert event_when(at(day, 0), at(date(2030, 3, 6), 0), True, day=day) == "All day"

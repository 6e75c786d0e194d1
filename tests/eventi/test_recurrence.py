"""Recurrence expansion in local time (eventi.recurrence)."""

from datetime import UTC, date, datetime, time, timedelta

from eventi import recurrence
from eventi.recurrence import EventSchedule, Override, expand, ical_rrule
from tests.factories import ON_CALENDAR_NOW

pytestmark = ON_CALENDAR_NOW


def local(*args) -> datetime:
    return recurrence.make_aware(datetime(*args))


def test_weekly_meeting_keeps_local_time_across_autumn_dst_change():
    # 2026-10-25 is the last Sunday of October: Italy goes from UTC+2 to UTC+1.
    schedule = EventSchedule(
        start_date=date(2026, 10, 15),
        start_time=time(18, 0),
        end_time=time(19, 30),
        frequency="weekly",
        count=4,
    )
    slots = expand(schedule)
    assert [s.start.astimezone(recurrence.LOCAL).hour for s in slots] == [18, 18, 18, 18]
    assert [s.start.utcoffset() for s in slots] == [timedelta(hours=2)] * 2 + [
        timedelta(hours=1)
    ] * 2
    # In UTC the meeting moves by one hour: that is what a naive UTC expansion gets wrong.
    assert slots[1].start.astimezone(UTC).hour == 16
    assert slots[2].start.astimezone(UTC).hour == 17
    assert all(s.end - s.start == timedelta(minutes=90) for s in slots)


def test_weekly_meeting_across_spring_dst_change():
    schedule = EventSchedule(
        start_date=date(2027, 3, 18), start_time=time(18, 0), frequency="weekly", count=3
    )
    slots = expand(schedule)
    assert [recurrence.to_local(s.start).time() for s in slots] == [time(18, 0)] * 3
    assert slots[0].start.utcoffset() == timedelta(hours=1)
    assert slots[2].start.utcoffset() == timedelta(hours=2)


def test_weekdays_interval_until_and_excluded_dates():
    schedule = EventSchedule(
        start_date=date(2030, 1, 7),  # a Monday
        start_time=time(9, 0),
        frequency="weekly",
        interval=2,
        weekdays=[0, 2],
        until=date(2030, 2, 6),
        excluded_dates={date(2030, 1, 23)},
    )
    days = [recurrence.to_local(s.start).date() for s in expand(schedule)]
    assert days == [
        date(2030, 1, 7),
        date(2030, 1, 9),
        date(2030, 1, 21),
        date(2030, 2, 4),
        date(2030, 2, 6),
    ]


def test_monthly_and_daily_rules():
    monthly = EventSchedule(
        start_date=date(2030, 1, 15), start_time=time(10, 0), frequency="monthly", count=3
    )
    assert [recurrence.to_local(s.start).date() for s in expand(monthly)] == [
        date(2030, 1, 15),
        date(2030, 2, 15),
        date(2030, 3, 15),
    ]
    daily = EventSchedule(start_date=date(2030, 1, 1), frequency="daily", count=2)
    assert len(expand(daily)) == 2


def test_overrides_move_or_cancel_one_occurrence():
    moved_to = local(2030, 1, 18, 21, 0)
    schedule = EventSchedule(
        start_date=date(2030, 1, 3),
        start_time=time(18, 0),
        end_time=time(19, 0),
        frequency="weekly",
        count=4,
        overrides=[
            Override(date(2030, 1, 10), cancelled=True),
            Override(date(2030, 1, 17), new_start=moved_to),
        ],
    )
    slots = expand(schedule)
    assert len(slots) == 4
    cancelled = [s for s in slots if s.cancelled]
    assert [recurrence.to_local(s.start).date() for s in cancelled] == [date(2030, 1, 10)]
    moved = next(s for s in slots if s.original_start == local(2030, 1, 17, 18, 0))
    assert moved.is_override and moved.start == moved_to
    assert moved.end - moved.start == timedelta(hours=1)  # keeps the duration


def test_all_day_multi_day_event_has_exclusive_end():
    schedule = EventSchedule(start_date=date(2030, 5, 1), end_date=date(2030, 5, 3))
    (slot,) = expand(schedule)
    assert slot.all_day
    assert recurrence.to_local(slot.start) == local(2030, 5, 1, 0, 0)
    assert recurrence.to_local(slot.end) == local(2030, 5, 4, 0, 0)


def test_open_ended_rules_stop_at_the_horizon():
    schedule = EventSchedule(start_date=date(2030, 1, 1), frequency="daily")
    slots = expand(schedule, horizon=date(2030, 1, 10))
    assert len(slots) == 10
    assert len(expand(schedule)) <= recurrence.MAX_OCCURRENCES


def test_ical_rrule_uses_utc_until_for_timed_events():
    schedule = EventSchedule(
        start_date=date(2030, 1, 7),
        start_time=time(18, 0),
        frequency="weekly",
        weekdays=[0, 3],
        until=date(2030, 3, 1),
        interval=2,
    )
    rule = ical_rrule(schedule)
    assert rule["FREQ"] == "WEEKLY" and rule["INTERVAL"] == 2 and rule["BYDAY"] == ["MO", "TH"]
    assert rule["UNTIL"].tzinfo is not None and rule["UNTIL"].utcoffset() == timedelta(0)
    all_day = EventSchedule(start_date=date(2030, 1, 7), frequency="daily", until=date(2030, 2, 1))
    assert ical_rrule(all_day)["UNTIL"] == date(2030, 2, 1)
    assert ical_rrule(EventSchedule(start_date=date(2030, 1, 1))) is None

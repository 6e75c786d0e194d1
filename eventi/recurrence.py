"""Expanding an event into its occurrences, in local time (Europe/Rome).

The rule is applied to naive local wall-clock datetimes with dateutil's rrule and only then
made aware, so a weekly meeting at 18:00 stays at 18:00 across the daylight-saving changes.
This module knows nothing about Django models: it works on an `EventSchedule`, which
`EventPage.schedule()` builds from a page (and the demo loader from plain values).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule

TIME_ZONE = "Europe/Rome"
LOCAL = ZoneInfo(TIME_ZONE)

NONE, DAILY, WEEKLY, MONTHLY = "none", "daily", "weekly", "monthly"
RRULE_FREQ = {DAILY: rrule.DAILY, WEEKLY: rrule.WEEKLY, MONTHLY: rrule.MONTHLY}
ICAL_FREQ = {DAILY: "DAILY", WEEKLY: "WEEKLY", MONTHLY: "MONTHLY"}
WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

#: Open-ended rules are expanded this far ahead, and never beyond this many occurrences.
HORIZON_DAYS = 550
MAX_OCCURRENCES = 800


def make_aware(naive: datetime) -> datetime:
    """Attach the local zone to a wall-clock time (zoneinfo picks the right offset)."""
    return naive.replace(tzinfo=LOCAL)


def to_local(value: datetime) -> datetime:
    return value.astimezone(LOCAL)


@dataclass(frozen=True)
class Override:
    original_date: date
    cancelled: bool = False
    new_start: datetime | None = None  # aware
    new_end: datetime | None = None  # aware


@dataclass
class EventSchedule:
    start_date: date
    start_time: time | None = None  # None: all-day
    end_date: date | None = None
    end_time: time | None = None
    frequency: str = NONE
    interval: int = 1
    weekdays: list[int] = field(default_factory=list)  # 0 = Monday
    until: date | None = None
    count: int | None = None
    excluded_dates: set[date] = field(default_factory=set)
    overrides: list[Override] = field(default_factory=list)

    @property
    def all_day(self) -> bool:
        return self.start_time is None

    @property
    def is_recurring(self) -> bool:
        return self.frequency in RRULE_FREQ

    def first_start_naive(self) -> datetime:
        return datetime.combine(self.start_date, self.start_time or time.min)

    def duration(self) -> timedelta:
        """Wall-clock length of one occurrence (all-day: whole days, end exclusive)."""
        if self.all_day:
            last = self.end_date if self.end_date and self.end_date >= self.start_date else None
            return timedelta(days=((last or self.start_date) - self.start_date).days + 1)
        end_date = self.end_date or self.start_date
        if self.end_time is None:
            return (
                timedelta(0)
                if end_date == self.start_date
                else (
                    datetime.combine(end_date, time.min)
                    - datetime.combine(self.start_date, time.min)
                )
            )
        delta = datetime.combine(end_date, self.end_time) - self.first_start_naive()
        return max(delta, timedelta(0))

    def rule(self) -> rrule.rrule | None:
        if not self.is_recurring:
            return None
        kwargs = {"dtstart": self.first_start_naive(), "interval": max(self.interval or 1, 1)}
        if self.frequency == WEEKLY and self.weekdays:
            kwargs["byweekday"] = sorted(set(self.weekdays))
        if self.count:
            kwargs["count"] = self.count
        elif self.until:
            kwargs["until"] = datetime.combine(self.until, time.max)
        return rrule.rrule(RRULE_FREQ[self.frequency], **kwargs)


@dataclass(frozen=True)
class Slot:
    """One occurrence: aware start/end (end exclusive for all-day), in local time."""

    start: datetime
    end: datetime
    all_day: bool
    cancelled: bool = False
    original_start: datetime | None = None
    is_override: bool = False


def _naive_starts(schedule: EventSchedule, horizon: datetime) -> list[datetime]:
    rule = schedule.rule()
    if rule is None:
        return [schedule.first_start_naive()]
    starts = []
    for value in rule:
        if value > horizon or len(starts) >= MAX_OCCURRENCES:
            break
        starts.append(value)
    return starts


def expand(schedule: EventSchedule, horizon: date | None = None) -> list[Slot]:
    """Every occurrence of the event, sorted, excluded dates removed, overrides applied."""
    if horizon is None:
        horizon = max(date.today(), schedule.start_date) + timedelta(days=HORIZON_DAYS)
    horizon_dt = datetime.combine(horizon, time.max)
    duration = schedule.duration()
    overrides = {o.original_date: o for o in schedule.overrides} if schedule.is_recurring else {}
    slots = []
    for naive in _naive_starts(schedule, horizon_dt):
        day = naive.date()
        if schedule.is_recurring and day in schedule.excluded_dates:
            continue
        start, end = make_aware(naive), make_aware(naive + duration)
        override = overrides.get(day)
        if override is None:
            slots.append(Slot(start, end, schedule.all_day, original_start=start))
        elif override.cancelled:
            slots.append(Slot(start, end, schedule.all_day, True, start, True))
        else:
            new_start = override.new_start or start
            new_end = override.new_end or (new_start + (end - start))
            if schedule.all_day:
                new_day = to_local(new_start).date()
                new_start = make_aware(datetime.combine(new_day, time.min))
                new_end = make_aware(datetime.combine(new_day, time.min) + duration)
            slots.append(Slot(new_start, new_end, schedule.all_day, False, start, True))
    slots.sort(key=lambda s: s.start)
    return slots


def ical_rrule(schedule: EventSchedule) -> dict | None:
    """The RRULE value (for icalendar's vRecur) of a recurring schedule."""
    if not schedule.is_recurring:
        return None
    value: dict = {"FREQ": ICAL_FREQ[schedule.frequency]}
    if (schedule.interval or 1) > 1:
        value["INTERVAL"] = schedule.interval
    if schedule.frequency == WEEKLY and schedule.weekdays:
        value["BYDAY"] = [WEEKDAY_CODES[d] for d in sorted(set(schedule.weekdays))]
    if schedule.count:
        value["COUNT"] = schedule.count
    elif schedule.until:
        if schedule.all_day:
            value["UNTIL"] = schedule.until
        else:
            # RFC 5545: with a TZID start, UNTIL is in UTC.
            until = make_aware(datetime.combine(schedule.until, time(23, 59, 59)))
            value["UNTIL"] = until.astimezone(ZoneInfo("UTC"))
    return value

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

NONE, DAILY, WEEKLY, MONTHLY, YEARLY = "none", "daily", "weekly", "monthly", "yearly"
RRULE_FREQ = {
    DAILY: rrule.DAILY,
    WEEKLY: rrule.WEEKLY,
    MONTHLY: rrule.MONTHLY,
    YEARLY: rrule.YEARLY,
}
ICAL_FREQ = {DAILY: "DAILY", WEEKLY: "WEEKLY", MONTHLY: "MONTHLY", YEARLY: "YEARLY"}
WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def weekday_code(ordinal: int, weekday: int) -> str:
    """RFC 5545 BYDAY value: (2, 5) -> "2SA", (-1, 4) -> "-1FR", (0, 0) -> "MO"."""
    return f"{ordinal or ''}{WEEKDAY_CODES[weekday]}"


def parse_weekday_code(code: str) -> tuple[int, int]:
    """The reverse of `weekday_code` ("+2SA" too); ValueError if it is not a BYDAY value."""
    code = code.strip().upper()
    day = code[-2:]
    if day not in WEEKDAY_CODES:
        raise ValueError(code)
    number = code[:-2]
    ordinal = int(number) if number not in ("", "+", "-") else 0
    if number in ("+", "-") or not -53 <= ordinal <= 53:
        raise ValueError(code)
    return ordinal, WEEKDAY_CODES.index(day)


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
    weekdays: list[int] = field(default_factory=list)  # 0 = Monday (BYDAY without ordinal)
    until: date | None = None
    count: int | None = None
    excluded_dates: set[date] = field(default_factory=set)
    overrides: list[Override] = field(default_factory=list)
    # (ordinal, weekday): (2, 5) is the second Saturday, (-1, 4) the last Friday (BYDAY=2SA,-1FR)
    nth_weekdays: list[tuple[int, int]] = field(default_factory=list)
    month_days: list[int] = field(default_factory=list)  # BYMONTHDAY (-1: the last day)
    months: list[int] = field(default_factory=list)  # BYMONTH, 1 = January
    set_positions: list[int] = field(default_factory=list)  # BYSETPOS
    extra_dates: list[datetime] = field(default_factory=list)  # RDATE, naive local starts

    @property
    def all_day(self) -> bool:
        return self.start_time is None

    @property
    def is_recurring(self) -> bool:
        return self.frequency in RRULE_FREQ

    @property
    def has_series(self) -> bool:
        """A rule or extra dates: excluded dates and overrides apply."""
        return self.is_recurring or bool(self.extra_dates)

    def extra_starts(self) -> list[datetime]:
        """The extra dates (RDATE) as naive local starts (all-day: at midnight)."""
        if self.all_day:
            return sorted({datetime.combine(d.date(), time.min) for d in self.extra_dates})
        return sorted(set(self.extra_dates))

    def occurrence_start(self, day: date) -> datetime:
        """Naive local start of the (unmoved) occurrence on `day`: an extra date's own time."""
        for value in self.extra_starts():
            if value.date() == day:
                return value
        return datetime.combine(day, self.start_time or time.min)

    def byday(self) -> list[str]:
        plain = [weekday_code(0, d) for d in sorted(set(self.weekdays))]
        return plain + [weekday_code(n, d) for n, d in self.nth_weekdays]

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
        byweekday = [rrule.weekday(d) for d in sorted(set(self.weekdays))]
        byweekday += [rrule.weekday(d, n or None) for n, d in self.nth_weekdays]
        if byweekday:
            kwargs["byweekday"] = byweekday
        if self.month_days:
            kwargs["bymonthday"] = list(self.month_days)
        if self.months:
            kwargs["bymonth"] = sorted(set(self.months))
        if self.set_positions:
            kwargs["bysetpos"] = list(self.set_positions)
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
    extra = schedule.extra_starts()
    if rule is None and not extra:
        return [schedule.first_start_naive()]
    dates = rrule.rruleset()
    if rule is not None:
        dates.rrule(rule)
    else:
        dates.rdate(schedule.first_start_naive())
    for value in extra:
        dates.rdate(value)
    starts = []
    for value in dates:
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
    overrides = {o.original_date: o for o in schedule.overrides} if schedule.has_series else {}
    slots = []
    for naive in _naive_starts(schedule, horizon_dt):
        day = naive.date()
        if schedule.has_series and day in schedule.excluded_dates:
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
    if schedule.months:
        value["BYMONTH"] = sorted(set(schedule.months))
    if schedule.month_days:
        value["BYMONTHDAY"] = list(schedule.month_days)
    if schedule.byday():
        value["BYDAY"] = schedule.byday()
    if schedule.set_positions:
        value["BYSETPOS"] = list(schedule.set_positions)
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


def occurs_on(schedule: EventSchedule, day: date) -> bool:
    """Whether the rule or the extra dates (not the overrides) give an occurrence on `day`."""
    if any(value.date() == day for value in schedule.extra_starts()):
        return True
    rule = schedule.rule()
    if rule is None:
        return day == schedule.start_date
    found = rule.after(datetime.combine(day, time.min), inc=True)
    return found is not None and found.date() == day


def wall_time_problem(naive: datetime) -> str | None:
    """ "gap" if the local time does not exist (clocks go forward), "overlap" if it is twice."""
    first, second = naive.replace(tzinfo=LOCAL, fold=0), naive.replace(tzinfo=LOCAL, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    back = first.astimezone(ZoneInfo("UTC")).astimezone(LOCAL).replace(tzinfo=None)
    return "gap" if back != naive else "overlap"

"""A recurring event's rule said in words: “ogni giovedì, 18:00–19:30, dal 7 gennaio al 25 marzo”.

Works on an `eventi.recurrence.EventSchedule`, like the rest of the schedule code, and speaks
the active language through gettext (Italian source strings, English in the catalogue).
Rules this module cannot say plainly (BYSETPOS, BYMONTH on a monthly rule) give None: the
page then lists the dates alone, which is always right.
"""

from __future__ import annotations

from datetime import date

from django.utils import formats
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from eventi import recurrence

WEEKDAYS = [
    gettext_lazy("lunedì"),
    gettext_lazy("martedì"),
    gettext_lazy("mercoledì"),
    gettext_lazy("giovedì"),
    gettext_lazy("venerdì"),
    gettext_lazy("sabato"),
    gettext_lazy("domenica"),
]
SUNDAY = 6

# "il secondo sabato", "la seconda domenica": Italian ordinals agree with the weekday.
NTH_MASCULINE = {
    1: gettext_lazy("il primo %(day)s"),
    2: gettext_lazy("il secondo %(day)s"),
    3: gettext_lazy("il terzo %(day)s"),
    4: gettext_lazy("il quarto %(day)s"),
    5: gettext_lazy("il quinto %(day)s"),
    -1: gettext_lazy("l'ultimo %(day)s"),
    -2: gettext_lazy("il penultimo %(day)s"),
}
NTH_FEMININE = {
    1: gettext_lazy("la prima %(day)s"),
    2: gettext_lazy("la seconda %(day)s"),
    3: gettext_lazy("la terza %(day)s"),
    4: gettext_lazy("la quarta %(day)s"),
    5: gettext_lazy("la quinta %(day)s"),
    -1: gettext_lazy("l'ultima %(day)s"),
    -2: gettext_lazy("la penultima %(day)s"),
}


def _join(words: list[str]) -> str:
    """“giovedì”, “lunedì e giovedì”, “lunedì, mercoledì e venerdì”."""
    words = [str(w) for w in words]
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s e %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def _day_month(value: date, with_year: bool) -> str:
    text = formats.date_format(value, "j F Y" if with_year else "j F")
    return text.lower() if (get_language() or "it").startswith("it") else text


def _nth(ordinal: int, weekday: int) -> str | None:
    table = NTH_FEMININE if weekday == SUNDAY else NTH_MASCULINE
    template = table.get(ordinal)
    return str(template) % {"day": WEEKDAYS[weekday]} if template else None


def _rhythm(schedule: recurrence.EventSchedule) -> str | None:
    n = max(schedule.interval or 1, 1)
    start = schedule.start_date
    if schedule.frequency == recurrence.DAILY:
        if schedule.weekdays or schedule.nth_weekdays or schedule.month_days:
            return None
        return _("ogni giorno") if n == 1 else _("ogni %(n)s giorni") % {"n": n}
    if schedule.frequency == recurrence.WEEKLY:
        days = _join([WEEKDAYS[d] for d in sorted(set(schedule.weekdays or [start.weekday()]))])
        if n == 1:
            return _("ogni %(days)s") % {"days": days}
        return _("ogni %(n)s settimane (%(days)s)") % {"n": n, "days": days}
    if schedule.frequency == recurrence.MONTHLY:
        if schedule.months or schedule.weekdays:
            return None
        if schedule.nth_weekdays:
            parts = [_nth(o, d) for o, d in schedule.nth_weekdays]
            if None in parts:
                return None
            which = _join(parts)
        elif schedule.month_days == [-1]:
            which = _("l'ultimo giorno")
        else:
            numbers = [d for d in (schedule.month_days or [start.day]) if d > 0]
            if not numbers or len(numbers) != len(schedule.month_days or [start.day]):
                return None
            which = ngettext("il giorno %(days)s", "i giorni %(days)s", len(numbers)) % {
                "days": _join([str(d) for d in sorted(numbers)])
            }
        if n == 1:
            return _("%(which)s di ogni mese") % {"which": which}
        return _("%(which)s, ogni %(n)s mesi") % {"which": which, "n": n}
    if schedule.frequency == recurrence.YEARLY:
        if schedule.nth_weekdays or schedule.weekdays or schedule.month_days:
            return None
        if schedule.months and schedule.months != [start.month]:
            return None
        day = _day_month(start, with_year=False)
        if n == 1:
            return _("ogni anno, il %(day)s") % {"day": day}
        return _("ogni %(n)s anni, il %(day)s") % {"n": n, "day": day}
    return None


def _hours(schedule: recurrence.EventSchedule) -> str:
    if schedule.all_day:
        return _("tutto il giorno")
    start = schedule.start_time
    end = schedule.end_time
    if end and (schedule.end_date in (None, schedule.start_date)) and end > start:
        return f"{start:%H:%M}–{end:%H:%M}"
    return _("alle %(time)s") % {"time": f"{start:%H:%M}"}


def _span(schedule: recurrence.EventSchedule, today: date) -> str:
    start = schedule.start_date
    if schedule.until:
        end = schedule.until
        return _("dal %(start)s al %(end)s") % {
            "start": _day_month(start, with_year=start.year != end.year),
            "end": _day_month(end, with_year=end.year != today.year or start.year != end.year),
        }
    first = _day_month(start, with_year=start.year != today.year)
    if schedule.count:
        return ngettext(
            "dal %(start)s, %(count)s volta", "dal %(start)s, %(count)s volte", schedule.count
        ) % {"start": first, "count": schedule.count}
    return _("dal %(start)s") % {"start": first}


def describe(schedule: recurrence.EventSchedule, today: date | None = None) -> str | None:
    """The rule in one sentence (lower case first, as it follows a heading), or None when
    the event does not repeat by a rule or the rule is beyond plain words."""
    if not schedule.is_recurring or schedule.set_positions:
        return None
    rhythm = _rhythm(schedule)
    if rhythm is None:
        return None
    today = today or date.today()
    return ", ".join([rhythm, _hours(schedule), _span(schedule, today)])

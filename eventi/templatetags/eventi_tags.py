"""Template helpers of the events app: how a date of an event reads."""

from datetime import timedelta
from functools import lru_cache
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from eventi import links, recurrence

register = template.Library()


def _day(value) -> str:
    """“martedì 5 marzo 2030” (Italian writes weekdays and months in lower case)."""
    return _day_in(value, get_language() or "it")


@lru_cache(maxsize=2048)
def _day_in(value, language: str) -> str:
    # A month page writes some 200 dates, most of them the same few days: formatting a
    # date asks the locale for each of its parts, so each day is written once per language.
    text = formats.date_format(value, "l j F Y")
    return text.lower() if language.startswith("it") else text


@register.simple_tag
def event_when(start, end, all_day, day=None) -> str:
    """How a date of an event reads; under a heading that names `day` (the month view), a
    date that begins and ends on that day reads with its times only."""
    return capfirst(_when(start, end, all_day, day or None))


def _when(start, end, all_day, day=None) -> str:
    """“sabato 3 ottobre 2026, 18:00–20:00”, “dal … al …”, “sabato 3 ottobre 2026”;
    on `day`: “18:00–20:00”, “tutto il giorno”."""
    start = recurrence.to_local(start)
    end = recurrence.to_local(end)
    if all_day:
        last = (end - timedelta(days=1)).date() if end > start else start.date()
        if last > start.date():
            return _("dal %(start)s al %(end)s") % {"start": _day(start.date()), "end": _day(last)}
        return _("tutto il giorno") if day == start.date() else _day(start.date())
    if day is not None and start.date() == day and end.date() <= day:
        return f"{start:%H:%M}–{end:%H:%M}" if end > start else f"{start:%H:%M}"
    if end.date() > start.date():
        return _("dal %(start)s, %(st)s al %(end)s, %(et)s") % {
            "start": _day(start.date()),
            "st": f"{start:%H:%M}",
            "end": _day(end.date()),
            "et": f"{end:%H:%M}",
        }
    if end > start:
        return f"{_day(start.date())}, {start:%H:%M}–{end:%H:%M}"
    return f"{_day(start.date())}, {start:%H:%M}"


@register.filter
def day_heading(value) -> str:
    """“Martedì 5 marzo 2030”: a day as the month view's headings write it."""
    return capfirst(_day(value))


@register.filter
def local_date(value):
    return recurrence.to_local(value).date()


@register.inclusion_tag("eventi/includes/subscribe.html")
def calendar_subscribe(
    feed_url="",
    name="",
    heading="",
    private=False,
    box_id="calendario-abbonati",
    heading_level=2,
    **filters,
):
    """The subscribe box for a feed: `feed_url` (the personal feed), or the public feed
    filtered by `filters` (argomento=, organizzatore=, luogo=: the topic, association and
    venue pages)."""
    if not feed_url:
        query = urlencode({key: value for key, value in filters.items() if value})
        feed_url = links.site_url() + reverse("eventi:feed") + (f"?{query}" if query else "")
    return {
        "subscribe": links.subscribe_links(feed_url, name or _("Città della Pace – Eventi")),
        "subscribe_heading": heading,
        "private": private,
        "box_id": box_id,
        "heading_level": heading_level,
    }

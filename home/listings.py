"""Lists that content pages borrow from the calendar and the participation apps.

Thin wrappers over the public query APIs of the lower layers (`eventi.queries`,
`partecipazione.queries`), imported when called so that loading `home.models` never
imports the other apps' models early.
"""

from __future__ import annotations

from eventi.queries import event_dates_and_summaries, upcoming_occurrences
from partecipazione.queries import featured_proposals


def upcoming_events(limit: int = 3, topic=None) -> list:
    """The next occurrences (items have .page, .start, .end, .all_day, .cancelled)."""

    return list(upcoming_occurrences(limit=limit, topic=topic))


def proposals_in_evidence(limit: int = 3, topic=None) -> list:
    """The most supported public proposals (title, summary, get_absolute_url, support_count)."""

    return list(featured_proposals(limit=limit, topic=topic))


def event_details(page_ids) -> dict:
    """Summary and next (else last) date of each event page: {id: {summary, start, end,
    all_day}}, one query."""

    return event_dates_and_summaries(page_ids)

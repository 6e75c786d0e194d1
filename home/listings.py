"""Lists that content pages borrow from the calendar and the participation apps.

`eventi.queries` and `partecipazione.queries` are imported lazily: the home page must render
(without that section) even while one of them is not installed.
"""

from __future__ import annotations


def upcoming_events(limit: int = 3, topic=None) -> list:
    try:
        from eventi.queries import upcoming_occurrences
    except ImportError:
        return []
    return list(upcoming_occurrences(limit=limit, topic=topic))


def proposals_in_evidence(limit: int = 3, topic=None) -> list:
    try:
        from partecipazione.queries import featured_proposals
    except ImportError:
        return []
    return list(featured_proposals(limit=limit, topic=topic))

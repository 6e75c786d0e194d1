"""Extension points of the participation app, for the apps above it (they connect receivers).

``proposal_realised``: a moderator marked an accepted proposal realised. Arguments:
``proposal``, ``event_id`` (the pk of the event page it became, or None) and ``user``. The
events app links the page to the proposal (``EventPage.source_proposal``); this app never
imports it.
"""

from django.dispatch import Signal

proposal_realised = Signal()

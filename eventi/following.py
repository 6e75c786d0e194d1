"""What the events area lets people follow, and where the profile links them to.

Registered in ``EventiConfig.ready()``: events (the whole series), venues, and the links of
topics (a lower app's model) to the calendar filtered by that topic.
"""

from eventi.models import EventIndexPage, EventPage, Venue
from partecipazione.following import may_follow
from portal.accounts import follows
from portal.core.pages import in_private_section
from portal.taxonomy.models import Topic


def _index():

    return EventIndexPage.objects.live().exclude(in_private_section()).order_by("path").first()


def venue_urls(venues) -> dict:
    """{pk: venue page URL} in one query (the events index)."""
    index = _index()
    if index is None:
        return {}
    base = index.url
    return {venue.pk: f"{base}luoghi/{venue.slug}/" for venue in venues}


def topic_urls(topics) -> dict:
    """{pk: calendar filtered by the topic} in one query (the events index)."""
    index = _index()
    if index is None:
        return {}
    base = index.url
    return {topic.pk: f"{base}?argomento={topic.slug}" for topic in topics}


def event_queryset():

    return EventPage.objects.live().public()


def register() -> None:

    follows.register_followable(Topic, may_follow=may_follow, get_urls=topic_urls, order=10)
    follows.register_followable(EventPage, queryset=event_queryset, may_follow=may_follow, order=20)
    follows.register_followable(Venue, may_follow=may_follow, get_urls=venue_urls, order=30)

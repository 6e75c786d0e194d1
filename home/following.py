"""Topics are followed from their topic page: the profile links each topic to that page."""

from eventi.following import topic_urls as calendar_urls
from home.models import TopicPage
from portal.accounts import follows
from portal.core.pages import in_private_section
from portal.taxonomy.models import Topic


def topic_urls(topics) -> dict:
    """{pk: URL of the topic's live page}, else the calendar filtered by the topic.

    At most two queries: the topic pages, and the events index for topics without one.
    """

    pages = (
        TopicPage.objects.live()
        .exclude(in_private_section())
        .filter(topic__in=[t.pk for t in topics])
        .order_by("-path")  # the first page of a topic wins
    )
    urls = {}
    for page in pages:
        url = page.url
        if url:
            urls[page.topic_id] = url
    missing = [topic for topic in topics if topic.pk not in urls]
    if missing:
        urls.update(calendar_urls(missing))
    return urls


def register() -> None:

    follows.register_followable(Topic, get_urls=topic_urls)

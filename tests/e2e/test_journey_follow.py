"""A newcomer follows a topic, an event, a venue and an association from their pages, with the
mouse only, then subscribes to the personal calendar from the profile: the feed a calendar app
reads holds the followed event and the events of what was followed.

A demo object the journey needs that is missing fails the test with the reason.
"""

from urllib.parse import urlsplit

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.e2e.helpers import missing
from tests.e2e.test_journey_participation import sign_up_and_verify

pytestmark = pytest.mark.browser


def followable_world():
    """An upcoming event with a venue, an association among its organisers and a topic that has
    a topic page; plus the pages where a person finds each of them."""
    from eventi.models import EventIndexPage, EventPage
    from home.models import TopicPage

    now = timezone.now()
    events = (
        EventPage.objects.live()
        .public()
        .filter(occurrences__start__gte=now, venue__isnull=False, organisers__isnull=False)
        .exclude(status__in=["cancelled", "postponed"])
        .distinct()
        .order_by("pk")
    )
    for event in events:
        topic_page = TopicPage.objects.live().filter(topic__in=event.topics.all()).first()
        if topic_page is not None:
            break
    else:
        missing("the demo data has no upcoming event with a venue, an association and a topic page")
    index = EventIndexPage.objects.live().first()
    venue_url = index.url + index.reverse_subpage("venue_route", args=[event.venue.slug])
    return {
        "event": event,
        "topic_page": topic_page,
        "venue_url": venue_url,
        "association": event.organisers.order_by("pk").first(),
    }


def click_follow(page, url):
    page.goto(url)
    button = page.locator("main form.follow-form button[aria-pressed=false]").first
    if button.count() == 0:
        missing(f"{url} offers no 'Segui' button")
    with page.expect_navigation():
        button.click()
    following = page.locator("main form.follow-form button[aria-pressed=true]").first
    assert following.is_visible(), f"{url}: no 'Non seguire più' after the click"
    assert "Non seguire più" in following.inner_text()


def test_newcomer_follows_four_kinds_and_reads_them_in_the_personal_feed(page, demo_server):
    world = followable_world()
    event, topic_page = world["event"], world["topic_page"]

    # An anonymous visitor is offered to sign in, not a button that cannot work.
    page.goto(topic_page.url)
    assert page.locator("main a.follow-login").first.is_visible()

    sign_up_and_verify(page, "nuova.iscritta@example.org", "Nadia", "Ferrari", "Nadia F.")
    click_follow(page, topic_page.url)
    click_follow(page, event.url)
    click_follow(page, world["venue_url"])
    click_follow(page, world["association"].get_absolute_url())

    # The profile lists what is followed and gives the personal calendar's address.
    page.goto(reverse("accounts:profile"))
    main = page.inner_text("main")
    for name in (topic_page.topic.name, event.title, event.venue.name, world["association"].name):
        assert name in main, f"the profile does not list {name!r}"
    field = page.locator("#calendario-personale-indirizzo")
    assert field.is_visible(), "the profile offers no personal calendar address to copy"
    feed_path = urlsplit(field.input_value()).path
    assert feed_path.endswith(".ics")

    # What a calendar app would read from that address.
    response = page.context.request.get(demo_server.url + feed_path)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.body())
    summaries = {str(vevent["SUMMARY"]) for vevent in calendar.walk("VEVENT")}
    assert event.title in summaries

    from eventi.models import EventPage

    now = timezone.now()
    upcoming = (
        EventPage.objects.live()
        .public()
        .filter(occurrences__start__gte=now)
        .exclude(status__in=["cancelled", "postponed"])  # their titles say so
        .distinct()
    )
    expected = {
        "topic": upcoming.filter(topics=topic_page.topic),
        "venue": upcoming.filter(venue=event.venue),
        "association": upcoming.filter(organisers=world["association"]),
    }
    for kind, events in expected.items():
        titles = {e.title for e in events}
        assert titles <= summaries, f"events of the followed {kind} missing: {titles - summaries}"

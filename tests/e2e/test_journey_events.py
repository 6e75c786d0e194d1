"""Journey 3: an event with a weekly recurrence is published in the admin; a visitor finds it
through the index filters, opens it and downloads a valid iCalendar file.

Staff sign in through allauth with TOTP (the demo secret of portal.accounts.demo).
"""

import datetime as dt

import pytest
from django.urls import NoReverseMatch, reverse
from icalendar import Calendar

from tests.e2e import pages
from tests.e2e.helpers import staff_login

pytestmark = pytest.mark.browser


def find_and_download(page, title: str, topic_slug: str):
    """As a visitor: filter the index by topic, open ``title``, fetch its .ics; the calendar."""
    index = pages.resolve("event_index")
    page.goto(index.path)
    form = page.locator("main form[method=get]").first
    form.locator("select[name=argomento]").select_option(topic_slug)
    with page.expect_navigation():
        form.locator("button[type=submit], input[type=submit]").first.click()
    assert f"argomento={topic_slug}" in page.url
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=title).first.click()
    assert title in page.inner_text("main h1")
    link = page.locator("main a[href$='.ics']").first
    href = link.get_attribute("href")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics"), download.suggested_filename
    response = page.context.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    with open(download.path(), "rb") as handle:
        calendar = Calendar.from_ical(handle.read())
    assert calendar.get("VERSION") == "2.0"
    events = [c for c in calendar.walk("VEVENT") if str(c.get("SUMMARY")) == title]
    assert events, f"no VEVENT «{title}» in {href}"
    return events[0]


def test_visitor_filters_opens_an_event_and_downloads_ics(page, demo_server):
    try:
        event_model = pages._model("eventi.EventPage")
        pages.resolve("event_index")
    except pages.Missing as exc:
        pytest.skip(str(exc))
    today = dt.date.today()
    event = (
        event_model.objects.live()
        .filter(start_date__gte=today, topics__isnull=False)
        .order_by("start_date", "pk")
        .first()
    )
    if event is None:
        pytest.skip("the demo data has no upcoming event with a topic")
    vevent = find_and_download(page, event.title, event.topics.first().slug)
    assert vevent.get("UID")
    assert vevent.get("DTSTART").dt.date() >= event.start_date


def test_staff_publish_weekly_event_and_visitor_gets_rrule(page, demo_server):
    try:
        index = pages._first_live_page("eventi.EventIndexPage")[0]
        add_url = reverse("wagtailadmin_pages:add", args=["eventi", "eventpage", index.pk])
    except (pages.Missing, NoReverseMatch) as exc:
        pytest.skip(str(exc))
    from eventi.models import EventPage

    # The approver is an editor who may also publish (the plain editor's drafts go through
    # the moderation workflow).
    staff_login(page, "approver")
    page.goto(add_url)
    title = "Cerchio di dialogo del giovedì"
    start = dt.date.today() + dt.timedelta(days=(3 - dt.date.today().weekday()) % 7 + 7)
    page.fill("#id_title", title)
    page.fill("[name=summary]", "Ogni giovedì sera, in biblioteca, un cerchio di dialogo.")
    page.fill("[name=start_date]", start.isoformat())
    page.keyboard.press("Escape")
    page.fill("[name=start_time]", "18:00")
    page.keyboard.press("Escape")
    # Open the collapsed panels (recurrence, place...) as an editor would.
    for toggle in page.locator("button.w-panel__toggle[aria-expanded=false]").all():
        if toggle.is_visible():
            toggle.click()
    page.select_option("[name=frequency]", "weekly")
    page.fill("[name=interval]", "1")
    page.locator("[name=weekdays][value='3']").check(force=True)
    page.fill("[name=count]", "8")
    topics = page.locator("[name=topics]")
    if topics.count() and topics.first.evaluate("e => e.tagName") == "SELECT":
        topics.first.select_option(index=0)
    elif topics.count():
        page.locator("[name=topics]").first.check(force=True)
    page.locator("footer .w-dropdown__toggle, footer [data-w-dropdown-target=toggle]").first.click()
    with page.expect_navigation():
        page.locator("button[name=action-publish]").click()
    event = EventPage.objects.get(title=title)
    assert event.live, page.inner_text("body")[:2000]
    assert event.frequency == "weekly"

    page.context.clear_cookies()
    topic = event.topics.first()
    assert topic is not None
    vevent = find_and_download(page, title, topic.slug)
    rrule = vevent.get("RRULE")
    assert rrule is not None and rrule["FREQ"] == ["WEEKLY"], vevent.to_ical()
    assert rrule.get("COUNT") == [8]

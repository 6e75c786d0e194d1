"""Journey 3: an editor creates a weekly event in the admin and submits it to the editorial
workflow; an approver approves it; a visitor finds it through the index filters, opens it and
downloads a valid iCalendar file whose recurrence expands to the expected dates.

Staff sign in through allauth with TOTP (the demo secret of portal.accounts.demo). The admin
runs in Italian (the tab's locale is it-IT and the demo staff have no other preference), so the
test finds the admin's controls by their names and values, not by their labels, wherever the
markup allows it.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from django.urls import NoReverseMatch, reverse
from icalendar import Calendar

from tests.e2e import pages
from tests.e2e.helpers import (
    admin_action_names,
    choose_in_chooser,
    expand_admin_panels,
    missing,
    staff_login,
    workflow_action_on_dashboard,
)

pytestmark = pytest.mark.browser

ROME = ZoneInfo("Europe/Rome")


def find_and_download(page, title: str, filters: dict[str, str]):
    """As a visitor: filter the index, open ``title``, fetch its .ics; the parsed calendar and
    the VEVENT called ``title``."""
    index = pages.resolve("event_index")
    page.goto(index.path)
    form = page.locator("main form[method=get]").first
    for name, value in filters.items():
        form.locator(f"select[name={name}]").select_option(value)
    with page.expect_navigation():
        form.locator("button[type=submit], input[type=submit]").first.click()
    for name, value in filters.items():
        assert f"{name}={value}" in page.url, page.url
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=title).first.click()
    assert title in page.inner_text("main h1")
    # The page also offers webcal and client links ending in .ics: the visitor clicks the download.
    link = page.locator("main").get_by_role("link", name="Scarica il file .ics")
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
    return calendar, events[0]


def test_visitor_filters_opens_an_event_and_downloads_ics(page, demo_server):
    try:
        event_model = pages._model("eventi.EventPage")
        pages.resolve("event_index")
    except pages.Missing as exc:
        missing(str(exc))
    today = dt.date.today()
    event = (
        event_model.objects.live()
        .filter(start_date__gte=today, topics__isnull=False)
        .order_by("start_date", "pk")
        .first()
    )
    if event is None:
        missing("the demo data has no upcoming event with a topic")
    topic_slug = event.topics.first().slug
    _calendar, vevent = find_and_download(page, event.title, {"argomento": topic_slug})
    assert vevent.get("UID")
    assert vevent.get("DTSTART").dt.date() >= event.start_date


def next_weekday(start: dt.date, weekday: int) -> dt.date:
    return start + dt.timedelta(days=(weekday - start.weekday()) % 7)


def test_editor_submits_weekly_event_approver_approves_visitor_gets_rrule(page, demo_server):
    try:
        index = pages._first_live_page("eventi.EventIndexPage")[0]
        add_url = reverse("wagtailadmin_pages:add", args=["eventi", "eventpage", index.pk])
    except (pages.Missing, NoReverseMatch) as exc:
        missing(str(exc))
    from wagtail.models import WorkflowState

    from eventi.models import EventPage, Venue
    from portal.taxonomy.models import Topic

    topic = Topic.objects.order_by("pk").last()
    venue = Venue.objects.order_by("name").first()
    assert topic is not None and venue is not None, "the demo data has no topics or venues"

    title = "Cerchio di dialogo del martedì e giovedì"
    # Tuesdays and Thursdays, every other week, from a Tuesday at least two weeks ahead, until
    # the Thursday four weeks after it (inclusive).
    start = next_weekday(dt.date.today() + dt.timedelta(days=14), 1)
    until = start + dt.timedelta(days=30)
    expected_days = [start + dt.timedelta(days=d) for d in (0, 2, 14, 16, 28, 30)]

    # 1. The editor drafts the event and submits it to the workflow.
    staff_login(page, "editor")
    page.goto(add_url)
    actions = admin_action_names(page)
    assert "action-submit" in actions, f"no 'submit to the workflow' action in {actions}"
    assert "action-publish" not in actions, "an editor may publish directly"
    page.fill("#id_title", title)
    page.fill("[name=summary]", "Un martedì e un giovedì ogni due settimane, in biblioteca.")
    page.fill("[name=start_date]", start.isoformat())
    page.keyboard.press("Escape")
    page.fill("[name=start_time]", "18:00")
    page.keyboard.press("Escape")
    page.fill("[name=end_time]", "19:30")
    page.keyboard.press("Escape")
    expand_admin_panels(page)
    page.select_option("[name=frequency]", "weekly")
    page.fill("[name=interval]", "2")
    for weekday in (1, 3):
        page.locator(f"[name=weekdays][value='{weekday}']").check(force=True)
    page.fill("[name=until]", until.isoformat())
    page.keyboard.press("Escape")
    topics = page.locator("[name=topics]")
    if topics.first.evaluate("e => e.tagName") == "SELECT":
        topics.first.select_option(str(topic.pk))
    else:
        page.locator(f"[name=topics][value='{topic.pk}']").check(force=True)
    choose_in_chooser(page, "venue", venue.name)
    assert page.locator("[name=venue]").input_value() == str(venue.pk)

    page.locator("footer [data-w-dropdown-target=toggle]").first.click()
    submit = page.locator("footer button[name=action-submit]")
    # "Submit to <workflow>" (in the admin's language): the editorial workflow of home.0004.
    assert index.get_workflow().name in submit.inner_text()
    with page.expect_navigation():
        submit.click()
    event = EventPage.objects.get(title=title)
    assert event.frequency == "weekly", page.inner_text("body")[:2000]
    assert not event.live, "the editor's submission went live without approval"
    assert event.workflow_in_progress, "the submission did not start the workflow"
    revision = event.latest_revision.as_object()
    assert (revision.interval, sorted(revision.weekdays), revision.until) == (2, [1, 3], until)
    assert revision.venue_id == venue.pk and [t.pk for t in revision.topics.all()] == [topic.pk]
    # The editor, back on the edit view, still has no way to publish.
    page.goto(reverse("wagtailadmin_pages:edit", args=[event.pk]))
    assert "action-publish" not in admin_action_names(page)
    # ...and finds it among their pages in the workflow on the dashboard.
    page.goto(reverse("wagtailadmin_home"))
    assert title in page.locator("#objects-in-workflow-section").inner_text()
    page_url = event.get_url()
    assert page_url

    # Visitors do not see it yet.
    page.context.clear_cookies()
    response = page.context.request.get(page_url)
    assert response.status == 404, f"{page_url} is public before approval ({response.status})"

    # 2. The approver finds it awaiting review on the dashboard and approves it.
    staff_login(page, "approver")
    workflow_action_on_dashboard(page, title, "approve", comment="Approvato, grazie.")
    event.refresh_from_db()
    assert event.live, "the approval did not publish the event"
    assert not event.workflow_in_progress
    workflow_state = WorkflowState.objects.for_instance(event).get()
    task_state = workflow_state.task_states.get()
    assert (workflow_state.status, workflow_state.requested_by.email) == (
        "approved",
        pages.demo_email("editor"),
    )
    assert (task_state.status, task_state.finished_by.email, task_state.comment) == (
        "approved",
        pages.demo_email("approver"),
        "Approvato, grazie.",
    )

    # 3. A visitor finds it through the index filters and downloads its calendar.
    page.context.clear_cookies()
    filters = {"argomento": topic.slug, "luogo": venue.slug}
    calendar, vevent = find_and_download(page, title, filters)
    rrule = vevent.get("RRULE")
    assert rrule is not None, vevent.to_ical()
    assert rrule["FREQ"] == ["WEEKLY"]
    assert rrule.get("INTERVAL") == [2]
    assert sorted(rrule["BYDAY"]) == ["TH", "TU"]
    dtstart = vevent.get("DTSTART")
    assert dtstart.params.get("TZID") == "Europe/Rome", vevent.to_ical()
    assert dtstart.dt == dt.datetime.combine(start, dt.time(18, 0), tzinfo=ROME)
    assert str(vevent.get("SUMMARY")) == title
    assert venue.name in str(vevent.get("LOCATION", ""))
    occurrences = recurring_ical_events.of(calendar).between(
        start - dt.timedelta(days=1), start + dt.timedelta(days=120)
    )
    starts = sorted(o.get("DTSTART").dt for o in occurrences if str(o.get("SUMMARY")) == title)
    assert [s.date() for s in starts] == expected_days
    assert {(s.hour, s.minute, s.utcoffset()) for s in starts} <= {
        (18, 0, dt.timedelta(hours=1)),
        (18, 0, dt.timedelta(hours=2)),
    }
    assert all(s.tzinfo is not None and s.astimezone(ROME).hour == 18 for s in starts)

"""An association admin runs the association's presence from the site: edits the public profile,
proposes an event from the members' area; an approver publishes it from the Wagtail dashboard;
the author is told and the event is public with the association as organiser.

A demo object the journey needs that is missing fails the test with the reason.
"""

import pytest
from django.urls import reverse

from tests.e2e.helpers import log_in, missing, staff_login, workflow_action_on_dashboard
from tests.e2e.pages import demo_email
from tests.factories import next_weekday

pytestmark = pytest.mark.browser

TITLE = "Cena dei popoli alla Casa della Pace"


def administered_association():
    from partecipazione.models import Membership

    membership = (
        Membership.objects.filter(
            user__email=demo_email("member"),
            role=Membership.Role.ADMIN,
            status=Membership.Status.ACTIVE,
        )
        .select_related("association")
        .order_by("pk")
        .first()
    )
    if membership is None:
        missing("the demo member administers no association")
    return membership.association


def test_association_admin_edits_the_profile_and_proposes_an_event_an_approver_publishes(
    page, browser, demo_server
):
    association = administered_association()
    log_in(page, demo_server.url, demo_email("member"))

    # The public profile, edited from its own page.
    page.goto(association.get_absolute_url())
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Modifica il profilo").click()
    description = (
        "Dal 1999 mettiamo in rete associazioni, parrocchie e scuole di Cremona per la pace. "
        "Ci trovi ogni martedì sera in via Speciano."
    )
    page.fill("textarea[name=description]", description)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    page.goto(association.get_absolute_url())
    assert "Ci trovi ogni martedì sera in via Speciano." in page.inner_text("main")

    # An event proposed from the members' area.
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Area associazione").click()
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Proponi un evento").click()
    day = next_weekday(4, weeks=3)  # a Friday three weeks ahead
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=summary]", "Piatti e racconti delle comunità che vivono in città.")
    page.fill("input[name=start_date]", day.isoformat())
    page.fill("input[name=start_time]", "19:30")
    page.fill("input[name=end_time]", "22:30")
    page.fill("input[name=online_url]", "https://www.example.org/cena-dei-popoli")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.locator(".is-invalid").count() == 0, page.inner_text("main")[:2000]
    area = page.inner_text("main")
    assert TITLE in area and "in revisione" in area, area[:2000]

    from eventi.models import EventPage

    draft = EventPage.objects.filter(title=TITLE).first()
    assert draft is not None and not draft.live
    assert page.context.request.get(demo_server.url + draft.url).status == 404

    # An approver publishes it from the dashboard, in a browser of their own.
    staff = browser.new_context(base_url=demo_server.url, locale="it-IT")
    try:
        approver = staff.new_page()
        staff_login(approver, "approver")
        workflow_action_on_dashboard(approver, TITLE, "approve")
    finally:
        staff.close()

    draft.refresh_from_db()
    assert draft.live, "the approved event is not published"
    page.goto(draft.url)
    main = page.inner_text("main")
    assert TITLE in main and association.name in main

    # The author is told, on the site.
    page.goto(reverse("partecipazione:notifications"))
    assert TITLE in page.inner_text("main")

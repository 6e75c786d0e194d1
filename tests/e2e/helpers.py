"""Small helpers shared by the end-to-end tests."""

from __future__ import annotations

import os
import re
import time
from typing import NoReturn

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.e2e.pages import demo_email

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def missing(reason: str) -> NoReturn:
    """A page, URL or demo object a browser test needs is missing: the test fails (never skips)."""
    pytest.fail(reason, pytrace=False)


def tool_missing(reason: str) -> NoReturn:
    """A tool (Chromium, Java, vnu.jar) is missing: a skip on a workstation, a failure in CI.

    Under ``CI=true`` (``.ci/run``, which installs them) a missing tool must not turn the browser
    tests into a green row of skips.
    """
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


def log_in(page, base_url: str, email: str) -> None:
    """Give the browser tab a session for ``email`` (no form: the login journey tests that)."""
    from portal.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "url": base_url,
            }
        ]
    )


def axe_violations(page) -> list[dict]:
    """axe-core's violations of the WCAG 2.1 A/AA rules on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return results.response["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']} "
            f"[{len(violation['nodes'])} node(s)] {violation.get('helpUrl', '')}"
        )
        for node in violation["nodes"][:4]:
            lines.append(f"    at {node['target']}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def last_link_in_outbox(to: str, pattern: str = r"https?://[^\s\"'<>]+") -> str:
    """The last URL in the last e-mail sent to ``to`` (path and query only)."""
    messages = [m for m in mail.outbox if to in m.to]
    assert messages, f"no e-mail sent to {to}; outbox has {[m.to for m in mail.outbox]}"
    links = re.findall(pattern, messages[-1].body)
    assert links, f"no link in the e-mail to {to}:\n{messages[-1].body}"
    link = links[-1]
    return "/" + link.split("/", 3)[3] if link.startswith("http") else link


def totp_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def staff_login(page, key: str) -> None:
    """Log a demo staff member in with password and TOTP, landing in the Wagtail admin."""
    from portal.core.demo import DEMO_PASSWORD

    page.goto(reverse("account_login") + "?next=/admin/")
    page.fill("input[name=login]", demo_email(key))
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    if page.locator("input[name=code]").count():
        try:
            from portal.accounts.demo import DEMO_TOTP_SECRET
        except ImportError:
            missing("portal.accounts.demo has no DEMO_TOTP_SECRET for the staff's TOTP")
        page.fill("input[name=code]", totp_code(DEMO_TOTP_SECRET))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/admin/.*"))


# --- Wagtail admin ---------------------------------------------------------------------------
# The admin speaks the staff member's language (Italian for the demo staff), so these helpers
# find controls by their names, values and Wagtail's data attributes rather than by labels.


def admin_action_names(page) -> list[str]:
    """The ``name`` of every button of the page editor's footer action menu (hidden or not)."""
    return page.locator("footer button[name^=action-]").evaluate_all(
        "buttons => buttons.map(b => b.name)"
    )


def expand_admin_panels(page) -> None:
    """Open the editor's collapsed panels (recurrence, place...) as an editor would."""
    for toggle in page.locator("button.w-panel__toggle[aria-expanded=false]").all():
        if toggle.is_visible():
            toggle.click()


def choose_in_chooser(page, field_name: str, label: str) -> None:
    """Pick ``label`` in the chooser modal of the admin field ``field_name`` (snippets, pages)."""
    chooser = page.locator(f"#id_{field_name}-chooser")
    chooser.scroll_into_view_if_needed()
    chooser.locator("button[data-chooser-action-choose]:visible").first.click()
    modal = page.locator(".modal.show, .modal:visible").first
    search = modal.locator("input[name=q]")
    if search.count():
        search.first.fill(label)
    modal.locator("a[data-chooser-modal-choice]", has_text=label).first.click()
    page.locator(f"#id_{field_name}-chooser:not(.blank)").wait_for()


def workflow_action_on_dashboard(page, title: str, action: str, comment: str = "") -> None:
    """From the admin dashboard's "awaiting your review" panel, take ``action`` (a workflow
    task action such as ``approve`` or ``reject``) on the object titled ``title``.

    With a ``comment``, the action's modal variant is used ("approve with comment") and the
    comment is written in it; without, the direct variant when there is one.
    """
    page.goto(reverse("wagtailadmin_home"))
    panel = page.locator("#awaiting-review-section")
    assert panel.count(), "the dashboard has no 'awaiting your review' panel"
    row = panel.locator("tbody tr").filter(has=page.get_by_role("link", name=title, exact=True))
    assert row.count() == 1, f"«{title}» is not awaiting review: {panel.inner_text()[:1000]}"
    buttons = row.locator(f"button[data-workflow-action-url*='/{action}/']")
    modal_wanted = bool(comment)
    chosen = None
    for button in buttons.all():
        if (button.get_attribute("data-launch-modal") is not None) == modal_wanted:
            chosen = button
            break
    if chosen is None:
        chosen = buttons.first
    row.locator("[data-w-dropdown-target=toggle]").first.click()
    if chosen.get_attribute("data-launch-modal") is None:
        with page.expect_navigation():
            chosen.click()
        return
    chosen.click()
    modal = page.locator(".modal.show, .modal:visible").first
    modal.locator("form").wait_for()
    text = modal.locator("textarea[name=comment]")
    if text.count():
        text.fill(comment or "OK")
    with page.expect_navigation():
        modal.locator("form button[type=submit]").click()

"""Small helpers shared by the end-to-end tests."""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.e2e.pages import demo_email

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


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
            pytest.skip("portal.accounts.demo has no DEMO_TOTP_SECRET for the staff's TOTP")
        page.fill("input[name=code]", totp_code(DEMO_TOTP_SECRET))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/admin/.*"))

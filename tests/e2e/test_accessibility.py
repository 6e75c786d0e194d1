"""axe-core (WCAG 2.0, 2.1 and 2.2 A and AA rules: `helpers.WCAG_TAGS`) finds no violation
on any public page type.

The page types come from ``pages.KINDS`` and resolve against the demo data at run time, so a
page type appears here as soon as its feature lands; a page type the demo lacks fails its test.
"""

import pytest
from django.test import Client

from tests.e2e import pages
from tests.e2e.helpers import axe_violations, describe_violations, log_in, missing

pytestmark = pytest.mark.browser


def resolve_or_fail(kind):
    try:
        return pages.resolve(kind, client=Client())
    except pages.Missing as exc:
        missing(f"{kind}: {exc}")


@pytest.mark.parametrize("kind", pages.KINDS)
def test_page_type_has_no_wcag_violations(kind, page, demo_server):
    target = resolve_or_fail(kind)
    if target.login_as:
        log_in(page, demo_server.url, pages.demo_email(target.login_as))
    response = page.goto(target.path)
    assert response.status == target.status, f"{target.path} answered {response.status}"
    page.wait_for_load_state("load")
    violations = axe_violations(page)
    assert not violations, f"{target.path}:\n{describe_violations(violations)}"


def test_open_phone_menu_has_no_wcag_violations(phone_page):
    """The phone layout, with the main menu opened, is accessible too."""
    phone_page.goto("/")
    phone_page.get_by_role("button", name="Mostra o nascondi il menu").click()
    phone_page.locator("#main-nav .nav-link").first.wait_for(state="visible")
    violations = axe_violations(phone_page)
    assert not violations, describe_violations(violations)

"""Journey 5: a visitor with the keyboard only, and a visitor on a 360 px wide phone."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.e2e import pages
from tests.e2e.helpers import log_in, missing

pytestmark = pytest.mark.browser

MAX_TABS = 60
PHONE = {"width": 360, "height": 740}


def active(page) -> dict:
    """What has the keyboard focus now."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = el ? getComputedStyle(el) : null;
            return {
                tag: el ? el.tagName.toLowerCase() : null,
                id: el ? el.id : null,
                name: el ? el.getAttribute("name") : null,
                text: el ? (el.innerText || el.value || "").trim() : "",
                href: el ? el.getAttribute("href") : null,
                inNav: !!(el && el.closest("#main-nav")),
                inHeaderToggler: !!(el && el.classList.contains("custom-navbar-toggler")),
                inFilter: !!(el && el.closest("main form[method=get], main form:not([method])")),
                type: el ? el.getAttribute("type") : null,
                outline: style ? style.outlineStyle + " " + style.outlineWidth : "",
                shadow: style ? style.boxShadow : "",
            };
        }"""
    )


def tab_until(page, predicate, what: str) -> dict:
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = active(page)
        if predicate(focused):
            return focused
    raise AssertionError(f"{what} not reached with {MAX_TABS} presses of Tab")


def has_visible_focus(focused: dict) -> bool:
    return not focused["outline"].startswith("none") or focused["shadow"] not in ("", "none")


def test_keyboard_skip_link_menu_and_login_form(page, demo_server):
    page.goto("/")
    # 1. The first Tab reaches the skip link, which is visible and moves the focus to <main>.
    page.keyboard.press("Tab")
    focused = active(page)
    assert focused["href"] == "#main-content", f"first focus is {focused}"
    assert page.locator(".skiplinks a").first.is_visible()
    assert has_visible_focus(focused), f"the skip link has no visible focus: {focused}"
    page.keyboard.press("Enter")
    assert active(page)["id"] == "main-content"

    # 2. The main menu is reachable and usable with the keyboard.
    page.goto("/")
    assert page.locator("#main-nav a.nav-link").count(), "the main menu has no links"
    link = tab_until(page, lambda f: f["inNav"] and f["tag"] == "a", "the main menu")
    assert has_visible_focus(link), f"menu link without a visible focus: {link}"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.rstrip("/").endswith(link["href"].rstrip("/"))

    # 3. A form filled in and sent with the keyboard only: the login form.
    page.goto(reverse("account_login"))
    tab_until(page, lambda f: f["name"] == "login", "the e-mail field")
    page.keyboard.type(pages.demo_email("citizen"))
    tab_until(page, lambda f: f["name"] == "password", "the password field")
    from portal.core.demo import DEMO_PASSWORD

    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("button", name="Esci").is_visible(), "not logged in after the form"


def test_keyboard_search_form(page, demo_server):
    try:
        url = reverse("home:search")
    except Exception:  # noqa: BLE001 - NoReverseMatch while the search page does not exist
        missing("the search page does not exist yet")
    page.goto(url)
    tab_until(page, lambda f: f["name"] == "q", "the search field")
    page.keyboard.type("pace")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=pace" in page.url
    assert page.locator("main h1").count() == 1


def test_keyboard_event_filters(page, demo_server):
    try:
        target = pages.resolve("event_index", client=Client())
    except pages.Missing as exc:
        missing(str(exc))
    page.goto(target.path)
    select = tab_until(
        page, lambda f: f["inFilter"] and f["tag"] == "select", "a filter of the event index"
    )
    page.keyboard.press("ArrowDown")  # closed <select>: the arrow picks the next option
    chosen = page.evaluate("() => document.activeElement.value")
    assert chosen, f"no option chosen in the filter {select}"
    tab_until(page, lambda f: f["inFilter"] and f["type"] == "submit", "the filter button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"{select['name']}={chosen}" in page.url, page.url


def test_phone_menu_opens_with_the_keyboard(phone_page):
    tab = phone_page
    tab.goto("/")
    toggler = tab.get_by_role("button", name="Mostra o nascondi il menu")
    assert toggler.is_visible()
    assert not tab.locator("#main-nav .nav-link").first.is_visible()
    tab_until(tab, lambda f: f["tag"] == "button" and f["inHeaderToggler"], "the menu button")
    tab.keyboard.press("Enter")
    tab.locator("#main-nav .nav-link").first.wait_for(state="visible")
    assert toggler.get_attribute("aria-expanded") == "true"
    link = tab_until(tab, lambda f: f["inNav"] and f["tag"] == "a", "a link of the open menu")
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert tab.url.rstrip("/").endswith(link["href"].rstrip("/"))


@pytest.mark.parametrize("kind", pages.KINDS)
def test_phone_viewport_has_no_horizontal_scroll(kind, phone_page, demo_server):
    try:
        target = pages.resolve(kind, client=Client())
    except pages.Missing as exc:
        missing(f"{kind}: {exc}")
    if target.login_as:
        log_in(phone_page, demo_server.url, pages.demo_email(target.login_as))
    phone_page.goto(target.path)
    phone_page.wait_for_load_state("load")
    width = phone_page.evaluate("() => document.scrollingElement.scrollWidth")
    if width > PHONE["width"]:
        wide = phone_page.evaluate(
            """(limit) => Array.from(document.querySelectorAll('body *'))
                .filter(el => el.getBoundingClientRect().right > limit + 1)
                .slice(0, 5).map(el => el.tagName.toLowerCase() + '.' +
                    (el.className || '').toString().replace(/ +/g, '.'))""",
            PHONE["width"],
        )
        raise AssertionError(f"{target.path} is {width}px wide at 360px; too wide: {wide}")

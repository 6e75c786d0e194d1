"""Bootstrap Italia under the strict Content Security Policy (style-src 'self', no inline).

Chromium reports every blocked inline style or script on the console: the home page and an
event page must report none, and the theme's typefaces must actually load (fonts.css). The
feedback component's second step must follow the rating as the municipal model asks.
"""

import re

import pytest

from eventi.models import EventPage

pytestmark = pytest.mark.browser

CSP_MESSAGE = re.compile(r"Content Security Policy|violates the following", re.I)


def csp_errors_on(page, path):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    page.wait_for_load_state("networkidle")
    return [text for text in messages if CSP_MESSAGE.search(text)]


def loaded_font_families(page):
    return set(
        page.evaluate(
            "() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
        )
    )


def test_home_page_breaks_no_csp_rule_and_loads_the_theme_fonts(page):
    assert csp_errors_on(page, "/") == []
    assert {"Titillium Web", "Lora"} <= {family.strip('"') for family in loaded_font_families(page)}


def test_event_page_breaks_no_csp_rule(page):
    event = EventPage.objects.live().public().order_by("pk").first()
    assert event is not None, "the demo data has no live event"
    assert csp_errors_on(page, event.url) == []


def test_feedback_second_step_follows_the_rating(page):
    page.goto("/")
    positive = page.locator('[data-element="feedback-rating-positive"]')
    negative = page.locator('[data-element="feedback-rating-negative"]')
    assert positive.is_hidden() and negative.is_hidden()
    page.locator('[data-element="feedback-rate-5"]').click()
    assert positive.is_visible() and negative.is_hidden()
    page.locator('[data-element="feedback-rate-2"]').click()
    assert negative.is_visible() and positive.is_hidden()

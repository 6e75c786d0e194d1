"""End-to-end fixtures: the demo site on an in-process live server, driven by Debian's Chromium.

* ``demo_server`` (module scope) loads the demo data into the test database, serves it with
  Django's live server thread (SQLite in memory is shared with the server thread) and, at the end
  of the module, puts the database back as the migrations left it, so later modules start clean.
* ``browser`` (session scope) is one headless Chromium (``/usr/bin/chromium``, never a downloaded
  build); the tests that need it SKIP with a clear message when it is missing, and FAIL under
  ``CI=true`` (``.ci/run`` installs it).
* ``page`` (function scope) is a fresh browser context and tab; the final state of every test is
  saved as a screenshot under ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
DEFAULT_TIMEOUT_MS = 15_000

_baseline: dict[str, str] = {}


def _baseline_contents() -> str:
    """The database as the migrations left it (serialised once, before any demo data)."""
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        return contents
    if "db" not in _baseline:
        from wagtail.models import Site

        if not Site.objects.exists():
            pytest.fail(
                "The test database lost its migration data (Wagtail root and site) before the "
                "end-to-end tests: a transactional test flushed it without serialized_rollback."
            )
        _baseline["db"] = connection.creation.serialize_db_to_string()
    return _baseline["db"]


def _restore(contents: str) -> None:
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, request, django_db_blocker):
    """Make sure the test database exists even when only these tests run.

    pytest-django creates it only for tests that ask for ``db``/``transactional_db``; the
    end-to-end tests manage their data per module (see ``demo_server``), so they create it here
    when nothing else did.
    """
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    aliases, _serialized = _get_databases_for_setup(request.session.items)
    if "default" in aliases:
        yield
        return
    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=0, interactive=False, aliases={"default"}, serialized_aliases={"default"}
        )
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=0)


@pytest.fixture(scope="module")
def demo_server(django_db_setup, django_db_blocker):
    """The demo site, served over HTTP on 127.0.0.1 (an ephemeral port) for one test module."""
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        baseline = _baseline_contents()
        call_command("load_demo_data", "--quiet-credentials", verbosity=0, stdout=_Null())
        server = LiveServer("127.0.0.1:0")
        try:
            yield server
        finally:
            server.stop()
            _restore(baseline)


class _Null:
    def write(self, *args, **kwargs):
        return 0

    def flush(self):
        return None


@pytest.fixture(scope="session")
def playwright_instance():
    if not CHROMIUM.exists():
        from tests.e2e.helpers import tool_missing

        tool_missing(
            f"Chromium is not installed at {CHROMIUM}: install Debian's package "
            "(apt-get install chromium) to run the browser tests."
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop on the main thread, where the tests also use
    # the ORM; Django would refuse that as "async unsafe" although nothing here is concurrent.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            yield pw
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


def _artifact_name(nodeid: str) -> str:
    name = nodeid.split("::", 1)[-1]
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")[:120] or "test"


PHONE = {"width": 360, "height": 740}


@contextlib.contextmanager
def open_tab(request, browser, server, **context_args):
    """A fresh context (own cookies) and tab; its final state is kept as a screenshot."""
    context_args.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(base_url=server.url, locale="it-IT", **context_args)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    tab = context.new_page()
    mail.outbox = []
    try:
        yield tab
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        try:
            if tab.url != "about:blank":
                tab.screenshot(
                    path=str(SCREENSHOTS / f"{_artifact_name(request.node.nodeid)}.png"),
                    full_page=True,
                )
        except Exception as exc:  # noqa: BLE001 - a missing screenshot must not hide the result
            request.node.warn(pytest.PytestWarning(f"no screenshot: {exc}"))
        context.close()


@pytest.fixture
def page(request, browser, demo_server):
    """A desktop-sized tab on the live server (1280x900)."""
    with open_tab(request, browser, demo_server) as tab:
        yield tab


@pytest.fixture
def phone_page(request, browser, demo_server):
    """A phone-sized tab on the live server (360x740, touch)."""
    with open_tab(request, browser, demo_server, viewport=PHONE, has_touch=True) as tab:
        yield tab


def pytest_collection_modifyitems(config, items):
    """Known defects of other issues' files are expected failures (see known_issues.py)."""
    from tests.e2e.known_issues import reason_for

    for item in items:
        if "tests/e2e/" not in item.nodeid:
            continue
        reason = reason_for(item.nodeid)
        if reason:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True))

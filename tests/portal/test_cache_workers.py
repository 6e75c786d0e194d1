"""Invalidation reaches every worker: two real gunicorn workers, production settings, no Redis.

The page cache of each worker is keyed by the content generation, which lives in the shared
cache (without REDIS_URL: Django's file-based cache in CACHE_DIR). A change made anywhere (here
by a third process, as a publish in the admin of one worker or a release command would) is
seen by both workers at their next request.
"""

import socket
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

from common import Gunicorn, manage, request, server_env  # noqa: E402

REQUESTS = 24  # spread over the two workers (a new connection each)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shell(env, code: str) -> str:
    """Run Python code with the server's settings in a third process (`manage.py shell -c`)."""
    return manage(env, "shell", "-c", textwrap.dedent(code), capture=True)


@pytest.fixture(scope="module")
def server():
    folder = Path(tempfile.mkdtemp(prefix="cdp-workers-"))
    port = free_port()
    env = server_env(f"sqlite:///{folder / 'db.sqlite3'}", port)
    env["CACHE_DIR"] = str(folder / "cache")
    env.pop("DATABASE_URL_TEST", None)
    assert "REDIS_URL" not in env
    manage(env, "migrate", "--no-input", "-v", "0")
    # Always: STATIC_ROOT is shared with the benchmarks, and a manifest left by an older checkout
    # lacks the newer files (production storage answers 500 for a file missing from it).
    manage(env, "collectstatic", "--no-input", "-v", "0")
    shell(
        env,
        """
        from home.models import HomePage, StandardPage
        home = HomePage.objects.get()
        for slug in ("da-ritirare", "da-riservare"):
            page = StandardPage(title=slug.title(), slug=slug, intro="Testo del programma")
            home.add_child(instance=page)
            page.save_revision().publish()
        """,
    )
    with Gunicorn(env, port, workers=2, log=folder / "gunicorn.log"):
        yield env, port


def answers(port, path):
    return [request("GET", port, path, timeout=10) for _ in range(REQUESTS)]


def test_a_page_unpublished_elsewhere_is_gone_from_both_workers(server):
    env, port = server
    before = answers(port, "/da-ritirare/")
    assert {status for status, _headers, _body in before} == {200}
    hits = [headers.get("x-cache") for _status, headers, _body in before]
    assert hits.count("HIT") >= REQUESTS - 2  # each worker stored the page once, then hits
    shell(env, 'from wagtail.models import Page; Page.objects.get(slug="da-ritirare").unpublish()')
    after = answers(port, "/da-ritirare/")
    assert {status for status, _headers, _body in after} == {404}


def test_a_page_made_private_elsewhere_is_private_in_both_workers(server):
    env, port = server
    before = answers(port, "/da-riservare/")
    assert {status for status, _headers, _body in before} == {200}
    assert all(b"Testo del programma" in body for _status, _headers, body in before)
    shell(
        env,
        """
        from wagtail.models import Page, PageViewRestriction
        page = Page.objects.get(slug="da-riservare")
        PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
        """,
    )
    after = answers(port, "/da-riservare/")
    for _status, headers, body in after:
        assert headers.get("x-cache") != "HIT"
        assert b"Testo del programma" not in body
        assert b'name="password"' in body  # Wagtail's password form instead

"""The anonymous full-page cache (portal.core.middleware) and its invalidation."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from portal.core import cache as portal_cache
from portal.core.middleware import PageCacheMiddleware
from portal.taxonomy.models import Topic
from tests.factories import UserFactory
from tests.home import factories
from tests.queries import assert_num_queries

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def page(home_page):
    return factories.standard_page(home_page, title="Chi siamo", body="<p>Il programma</p>")


def warm(client, url):
    """Request `url` until it is stored (the first request of a test may create settings)."""
    for _ in range(3):
        response = client.get(url)
        if response.get("X-Cache") == "MISS":
            return response
    raise AssertionError(f"{url} was never stored")


def test_hit_after_miss_serves_the_same_page_without_queries(client, page):
    first = warm(client, page.url)
    with assert_num_queries(0):
        second = client.get(page.url)
    assert second["X-Cache"] == "HIT"
    assert second.status_code == 200
    assert second.content == first.content
    assert not TOKEN_RE.search(second.content.decode())  # nobody's CSRF token in it
    assert second["Content-Type"] == first["Content-Type"]
    assert "Cookie" in second["Vary"]
    # The headers added on every response are still there on a hit.
    assert "Content-Security-Policy" in second
    assert second["X-Frame-Options"] == "DENY"


def test_app_pages_are_cached_and_keyed_by_sorted_query_string(client, home_page):
    warm(client, "/cerca/?q=pace&topic=pace")
    assert client.get("/cerca/?topic=pace&q=pace")["X-Cache"] == "HIT"
    assert client.get("/cerca/?q=diritti")["X-Cache"] == "MISS"


def test_languages_are_cached_apart(client, page):
    warm(client, "/cerca/")
    response = client.get("/en/cerca/")
    assert response.get("X-Cache") == "MISS"
    assert response.headers["Content-Language"] == "en"


def test_publishing_a_page_invalidates_at_once(client, page, home_page):
    warm(client, page.url)
    page.title = "Chi siamo davvero"
    page.save_revision().publish()
    response = client.get(page.url)
    assert response["X-Cache"] == "MISS"
    assert "Chi siamo davvero" in response.content.decode()

    warm(client, home_page.url)
    page.unpublish()
    assert client.get(home_page.url)["X-Cache"] == "MISS"


def test_saving_a_record_of_another_app_invalidates(client, page):
    warm(client, page.url)
    assert client.get(page.url)["X-Cache"] == "HIT"
    topic = Topic.objects.get(slug="pace")
    topic.name = "Pace e nonviolenza"
    topic.save()
    assert client.get(page.url)["X-Cache"] == "MISS"


def test_records_outside_the_content_apps_and_logins_do_not_invalidate(client, page):
    warm(client, page.url)
    generation = portal_cache.get_generation()
    user = UserFactory()
    user.save(update_fields=["last_login"])
    cache.set("unrelated", 1)
    assert portal_cache.get_generation() == generation
    assert client.get(page.url)["X-Cache"] == "HIT"


def test_rendering_pages_does_not_invalidate(client, page, home_page):
    for url in (page.url, home_page.url, "/cerca/"):
        warm(client, url)
    generation = portal_cache.get_generation()
    for url in (page.url, home_page.url, "/cerca/"):
        assert client.get(url)["X-Cache"] == "HIT"
    assert portal_cache.get_generation() == generation


def test_never_served_to_or_stored_for_logged_in_users(client, page):
    warm(client, page.url)
    user = UserFactory(display_name="Giulia Verdi")
    client.force_login(user)
    response = client.get(page.url)
    assert "X-Cache" not in response
    assert "Giulia Verdi" in response.content.decode()
    client.logout()
    anonymous = Client().get(page.url)
    assert anonymous["X-Cache"] == "HIT"
    assert "Giulia Verdi" not in anonymous.content.decode()


def test_visitors_with_pending_messages_bypass_the_cache(client, page):
    warm(client, page.url)
    session = client.session
    session["_messages"] = '[["__json_message",0,25,"Grazie per il commento"]]'
    session.save()
    client.cookies["sessionid"] = session.session_key
    response = client.get(page.url)
    assert "X-Cache" not in response
    assert "Grazie per il commento" in response.content.decode()


def test_post_is_never_cached(client, page):
    warm(client, page.url)
    response = client.post(page.url, {"x": "1"})
    assert "X-Cache" not in response
    response = client.post("/cerca/", {"q": "pace"})
    assert "X-Cache" not in response
    assert client.get("/cerca/")["X-Cache"] == "MISS"


def test_not_found_and_account_pages_are_not_cached(client, home_page):
    for _ in range(2):
        response = client.get("/non-esiste/")
        assert response.status_code == 404
        assert "X-Cache" not in response
    for _ in range(2):
        response = client.get(reverse("account_login"))
        assert "X-Cache" not in response


def test_disabled_when_page_cache_seconds_is_zero(client, page, settings):
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        assert "X-Cache" not in client.get(page.url)


def test_pages_whose_forms_carry_a_csrf_token_are_never_stored(home_page):
    """A form with a token sets the CSRF cookie: such a page is each visitor's own."""
    url = factories.contact_page(home_page).url
    for _ in range(2):
        response = Client(enforce_csrf_checks=True).get(url)
        assert response.status_code == 200
        assert TOKEN_RE.search(response.content.decode())
        assert "X-Cache" not in response


def test_the_rating_form_of_a_cached_page_works_without_a_token_from_this_site_only(page):
    """The page rating needs no CSRF token (portal.core.origin): same-site POSTs only."""
    visitor = Client(enforce_csrf_checks=True)
    assert warm(visitor, page.url)
    url = reverse("home:page_rating", args=[page.pk])
    cross_site = Client(enforce_csrf_checks=True).post(
        url,
        {"rating": "5"},
        headers={"Origin": "https://altro.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert cross_site.status_code == 403
    assert page.feedback.count() == 0
    accepted = visitor.post(
        url,
        {"rating": "5"},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert accepted.status_code == 302
    assert list(page.feedback.values_list("rating", flat=True)) == [5]


# --- the storing rules, on the middleware alone ---------------------------------------


def run_twice(make_response, path="/prova/"):
    """Run the middleware twice on a view; return the X-Cache header of each response."""
    middleware = PageCacheMiddleware(lambda request: make_response())
    results = []
    for _ in range(2):
        request = RequestFactory().get(path)
        request.session = SessionStore()
        request.user = AnonymousUser()
        results.append(middleware(request).get("X-Cache"))
    return results


def html(**headers):
    response = HttpResponse("<p>ciao</p>", content_type="text/html; charset=utf-8")
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def test_plain_html_is_stored(site):
    assert run_twice(html) == ["MISS", "HIT"]


def test_responses_setting_cookies_are_not_stored(site):
    def with_cookie():
        response = html()
        response.set_cookie("preferenza", "video")
        return response

    assert run_twice(with_cookie) == [None, None]


@pytest.mark.parametrize("cache_control", ["private", "no-store", "no-cache, max-age=0"])
def test_private_or_no_store_responses_are_not_stored(site, cache_control):
    assert run_twice(lambda: html(Cache_Control=cache_control)) == [None, None]


def test_responses_varying_on_what_the_key_lacks_are_not_stored(site):
    assert run_twice(lambda: html(Vary="Cookie")) == [None, None]
    assert run_twice(lambda: html(Vary="Accept-Language"), path="/altra/") == ["MISS", "HIT"]


def test_non_html_and_non_200_are_not_stored(site):
    def calendar():
        return HttpResponse("BEGIN:VCALENDAR", content_type="text/calendar")

    def gone():
        response = html()
        response.status_code = 410
        return response

    assert run_twice(calendar) == [None, None]
    assert run_twice(gone, path="/sparita/") == [None, None]


def test_head_requests_are_served_from_the_stored_get(client, page):
    warm(client, page.url)
    response = client.head(page.url)
    assert response["X-Cache"] == "HIT"
    assert response.status_code == 200


# --- the per-worker copy of recent entries (PageCacheMiddleware.local) --------------------


class CountingCache:
    """Counts the shared cache's reads of page entries (generation reads pass through)."""

    def __init__(self, monkeypatch):
        from portal.core import middleware

        self.page_reads = 0
        real_get = cache.get

        def get(key, *args, **kwargs):
            if key.startswith("portal:content:") and not key.endswith("generation"):
                self.page_reads += 1
            return real_get(key, *args, **kwargs)

        monkeypatch.setattr(middleware.cache, "get", get)


def test_hits_come_from_the_worker_copy_without_reading_the_shared_entry(client, page, monkeypatch):
    warm(client, page.url)
    reads = CountingCache(monkeypatch)
    for _ in range(3):
        assert client.get(page.url)["X-Cache"] == "HIT"
    assert reads.page_reads == 0
    # Another worker (its own middleware, an empty copy) reads the shared entry once.
    other = Client()
    assert other.get(page.url)["X-Cache"] == "HIT"
    assert other.get(page.url)["X-Cache"] == "HIT"
    assert reads.page_reads == 1


def test_a_publish_seen_by_another_worker_empties_every_worker_copy(client, page):
    other = Client()  # a second worker with its own copy
    warm(client, page.url)
    assert other.get(page.url)["X-Cache"] == "HIT"
    page.title = "Chi siamo oggi"
    page.save_revision().publish()
    rendered = client.get(page.url)
    assert rendered["X-Cache"] == "MISS"
    # The other worker's copy is under the old generation: it gets the new page.
    shared = other.get(page.url)
    assert shared["X-Cache"] == "HIT"
    for response in (rendered, shared):
        assert "Chi siamo oggi" in response.content.decode()


def test_the_worker_copy_expires_with_the_shared_entry(client, page, monkeypatch):
    import time as time_module

    warm(client, page.url)
    assert client.get(page.url)["X-Cache"] == "HIT"
    later = time_module.time() + 301
    monkeypatch.setattr("portal.core.middleware.time.time", lambda: later)
    cache.clear()  # the shared cache dropped it too
    assert client.get(page.url).get("X-Cache") != "HIT"


def test_the_worker_copy_is_bounded_and_drops_the_least_recent():
    from portal.core.middleware import LocalPages

    local = LocalPages(2)
    entry = {"content": b"x", "expires": 10**12}
    local.set("a", entry)
    local.set("b", entry)
    assert local.get("a") is entry  # "a" is now the most recent
    local.set("c", entry)
    assert len(local) == 2
    assert local.get("b") is None
    assert local.get("a") is entry and local.get("c") is entry
    LocalPages(0).set("a", entry)
    assert LocalPages(0).get("a") is None
    local.set("old", {"content": b"x", "expires": 1})  # already expired: not kept
    assert local.get("old") is None

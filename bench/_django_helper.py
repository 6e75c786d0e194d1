"""Runs inside Django (the benchmark server's settings) for the benchmark scripts; prints JSON.

_django_helper.py urls            the URLs to measure, with SQL queries and size per request
_django_helper.py users N         N verified citizens with a session, and proposals to use
_django_helper.py check FILE      every accepted write listed in FILE is in the DB exactly once
_django_helper.py profile N [PAGE [ORDER]] where an uncached request's time goes (N runs
                                  per page); with PAGE, also the functions that take it
                                  (cProfile, sorted by ORDER: cumulative or tottime)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

PUBLIC_STATES = ["submitted", "under_review", "accepted", "realised"]
GZIP = {"Accept-Encoding": "gzip"}


def first_page_url(label):
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    page = model.objects.live().public().order_by("path").first()
    return page.get_url() if page else None


def reverse_or_none(name, **kwargs):
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def filter_query(html: str) -> str | None:
    """First real option of the first <select> of the page's first GET form."""
    form = re.search(r"<form[^>]*method=\"get\"[^>]*>(.*?)</form>", html, re.S | re.I)
    if not form:
        return None
    select = re.search(r"<select[^>]*name=\"([^\"]+)\"[^>]*>(.*?)</select>", form.group(1), re.S)
    if not select:
        return None
    option = re.search(r"<option[^>]*value=\"([^\"]+)\"", select.group(2))
    return f"{select.group(1)}={option.group(1)}" if option else None


def ics_link(html: str) -> str | None:
    match = re.search(r"href=\"([^\"]+\.ics[^\"]*)\"", html)
    return match.group(1).replace("&amp;", "&") if match else None


def discover() -> list[tuple]:
    """(name, url) or (name, url, request headers) of each page to measure."""
    client = Client()
    urls = [("home", "/")]
    index = first_page_url("eventi.EventIndexPage")
    if index:
        urls.append(("event index", index))
        html = client.get(index).content.decode()
        query = filter_query(html)
        filtered_html = html
        if query:
            urls.append(("event index filtered", f"{index}?{query}"))
            filtered_html = client.get(f"{index}?{query}").content.decode()
        event = first_page_url("eventi.EventPage")
        if event:
            urls.append(("event page", event))
        urls.append(("month view", f"{index}mese/"))
        feed = ics_link(html)
        if feed:
            urls.append(("full feed", feed))
            # What calendar applications get: they all accept gzip.
            urls.append(("full feed, gzip", feed, GZIP))
            filtered_feed = ics_link(filtered_html)
            if filtered_feed and filtered_feed != feed:
                urls.append(("filtered feed", filtered_feed))
    proposal_list = reverse_or_none("partecipazione:proposal_list")
    if proposal_list:
        urls.append(("proposal list", proposal_list))
    try:
        proposal_model = apps.get_model("partecipazione.Proposal")
        proposal = (
            proposal_model.objects.filter(state__in=PUBLIC_STATES, is_hidden=False)
            .order_by("-comment_count", "pk")
            .first()
        )
        if proposal:
            urls.append(("proposal detail", proposal.get_absolute_url()))
    except LookupError:
        pass
    news = first_page_url("home.NewsPage")
    if news:
        urls.append(("news", news))
    search = reverse_or_none("home:search")
    if search:
        urls.append(("search", f"{search}?q=pace"))
    return [(item[0], item[1], item[2] if len(item) > 2 else {}) for item in urls]


def count_queries(client, url, headers=None):
    """(queries, response) of one GET; the count is taken at once (the log is capped at
    9,000 entries and CaptureQueriesContext reads it lazily)."""
    reset_queries()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, headers=headers)
    return len(context.captured_queries), response


def measure_urls():
    """Per page: queries with every cache empty, in the steady state with the full-page
    cache bypassed (what an uncached view costs) and on a full-page cache hit."""
    from django.test.utils import override_settings

    rows = []
    for name, url, headers in discover():
        client = Client(headers=headers)
        cache.clear()
        cold, response = count_queries(client, url)
        with override_settings(PAGE_CACHE_SECONDS=0):
            client.get(url)
            uncached, _ = count_queries(client, url)
        client.get(url)  # fills the full-page cache where the page is cacheable
        cached, response = count_queries(client, url)
        body = b"".join(response) if response.streaming else response.content
        rows.append(
            {
                "name": name,
                "url": url,
                "headers": headers,
                "status": response.status_code,
                "queries": cold,
                "queries_uncached": uncached,
                "queries_warm": cached,
                "cache_hit": response.get("X-Cache") == "HIT",
                "bytes": len(body),
            }
        )
    return rows


class CacheTimer:
    """Counts and times the calls to the default cache (Redis round trips, with REDIS_URL)."""

    METHODS = ("get", "set", "add", "get_many", "set_many", "incr", "delete", "touch")

    def __init__(self, target):
        self.target, self.calls, self.seconds, self.originals = target, 0, 0.0, {}

    def __enter__(self):
        import time

        for name in self.METHODS:
            original = getattr(self.target, name)
            self.originals[name] = original

            def timed(*args, _original=original, **kwargs):
                started = time.perf_counter()
                try:
                    return _original(*args, **kwargs)
                finally:
                    self.calls += 1
                    self.seconds += time.perf_counter() - started

            setattr(self.target, name, timed)
        return self

    def __exit__(self, *exc):
        for name in self.originals:
            delattr(self.target, name)


def profile(runs: int, only: str | None = None, order: str = "cumulative"):
    """Per page, the median of `runs` uncached requests (full-page cache off, frame cache
    warm): wall time, and of it SQL (count, ms) and cache calls (count, ms)."""
    import cProfile
    import io
    import pstats
    import statistics
    import time

    from django.core.cache import caches
    from django.test.utils import override_settings

    default_cache = caches["default"]
    rows, report = [], ""
    with override_settings(PAGE_CACHE_SECONDS=0):
        for name, url, headers in discover():
            if only and name != only:
                continue
            client = Client(headers=headers)
            client.get(url)
            client.get(url)
            walls, sql, sql_ms, calls, cache_ms = [], [], [], [], []
            for _ in range(runs):
                with CacheTimer(default_cache) as timer, CaptureQueriesContext(connection) as log:
                    started = time.perf_counter()
                    response = client.get(url)
                    if response.streaming:
                        b"".join(response)
                    walls.append((time.perf_counter() - started) * 1000)
                queries = log.captured_queries
                sql.append(len(queries))
                sql_ms.append(sum(float(q["time"]) for q in queries) * 1000)
                calls.append(timer.calls)
                cache_ms.append(timer.seconds * 1000)
            rows.append(
                {
                    "name": name,
                    "status": response.status_code,
                    "wall_ms": statistics.median(walls),
                    "sql": statistics.median(sql),
                    "sql_ms": statistics.median(sql_ms),
                    "cache_calls": statistics.median(calls),
                    "cache_ms": statistics.median(cache_ms),
                }
            )
            if only:
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(runs):
                    client.get(url)
                profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(60)
                report = out.getvalue()
    return {"rows": rows, "report": report}


def make_users(count: int):
    from importlib import import_module

    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from portal.accounts.models import User

    engine = import_module(settings.SESSION_ENGINE)
    users = []
    for n in range(count):
        email = f"carico{n:03d}@example.org"
        user, _ = User.objects.get_or_create(
            email=email, defaults={"display_name": f"Utente di prova {n}"}
        )
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        session = engine.SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        users.append({"email": email, "id": user.pk, "session": session.session_key})
    proposals = []
    try:
        proposal_model = apps.get_model("partecipazione.Proposal")
        ensure_proposals(proposal_model, 10)
        for proposal in proposal_model.objects.filter(
            state__in=["submitted", "under_review"], is_hidden=False
        ).order_by("pk")[:50]:
            proposals.append({"id": proposal.pk, "url": proposal.get_absolute_url()})
    except LookupError:
        pass
    return {"users": users, "proposals": proposals, "session_cookie": settings.SESSION_COOKIE_NAME}


def ensure_proposals(proposal_model, count):
    """Submitted proposals to support and comment on, when the demo data has too few."""
    from partecipazione import services
    from portal.accounts.models import User
    from portal.taxonomy.models import Topic

    existing = proposal_model.objects.filter(state__in=["submitted", "under_review"]).count()
    if existing >= count:
        return
    author, _ = User.objects.get_or_create(
        email="carico-autrice@example.org", defaults={"display_name": "Autrice di prova"}
    )
    topics = list(Topic.objects.all())
    for n in range(existing, count):
        services.create_proposal(
            proposal_model(
                title=f"Proposta di prova per il carico {n}",
                summary="Una proposta creata dal test di carico.",
                topic=topics[n % len(topics)] if topics else None,
            ),
            author,
            submit=True,
        )


def check(path: str):
    """Every accepted support/comment of the load test is stored exactly once."""
    accepted = json.loads(Path(path).read_text())
    support_model = apps.get_model("partecipazione.Support")
    comment_model = apps.get_model("partecipazione.Comment")
    proposal_model = apps.get_model("partecipazione.Proposal")
    problems = []
    lost = doubled = 0
    for user_id, proposal_id in accepted["supports"]:
        n = support_model.objects.filter(user_id=user_id, proposal_id=proposal_id).count()
        lost += n == 0
        doubled += n > 1
        if n != 1:
            problems.append(f"support user {user_id} proposal {proposal_id}: {n} rows")
    for token in accepted["comments"]:
        n = comment_model.objects.filter(body__contains=token).count()
        lost += n == 0
        doubled += n > 1
        if n != 1:
            problems.append(f"comment {token}: {n} rows")
    # Comments whose answer was lost (crash): stored at most once, counted for the report.
    unacknowledged_stored = 0
    for token in accepted.get("unacknowledged_comments", []):
        n = comment_model.objects.filter(body__contains=token).count()
        unacknowledged_stored += n
        doubled += n > 1
        if n > 1:
            problems.append(f"unacknowledged comment {token}: {n} rows")
    drift = [
        p.pk
        for p in proposal_model.objects.all()
        if p.support_count != support_model.objects.filter(proposal=p).count()
    ]
    if drift:
        problems.append(f"support_count differs from the rows for proposals {drift[:10]}")
    return {
        "supports": len(accepted["supports"]),
        "comments": len(accepted["comments"]),
        "unacknowledged_stored": unacknowledged_stored,
        "lost": lost,
        "doubled": doubled,
        "problems": problems,
    }


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "urls":
        result = measure_urls()
    elif command == "users":
        result = make_users(int(sys.argv[2]))
    elif command == "check":
        result = check(sys.argv[2])
    elif command == "profile":
        result = profile(int(sys.argv[2]), *sys.argv[3:5])
    else:
        raise SystemExit(__doc__)
    print(json.dumps(result))

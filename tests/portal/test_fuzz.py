"""A bounded fuzz test: every public page, feed and form fed hostile values answers clearly.

The demo site is built once for the module (inside a transaction rolled back at the end, so
no other test sees it). Every public GET endpoint gets its own filters filled with a fixed
corpus of hostile values (dates out of range, huge and negative numbers, NUL, 10 KB strings,
RTL and emoji text, markup), repeated and array parameters, invalid UTF-8 escapes; every public
form is posted the same corpus, also with wrong content types. No answer may be a 5xx.
"""

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from wagtail.models import Site

from eventi.models import EventIndexPage, EventPage, Venue
from home.models import (
    ContactPage,
    NewsIndexPage,
    NewsPage,
    SchoolProgrammePage,
    StandardPage,
    TopicPage,
)
from partecipazione.models import Association, Proposal
from portal.accounts.follows import calendar_token
from tests.factories import UserFactory

HOSTILE = [
    "9999-12-31",
    "0001-01-01",
    "-1",
    "-99999999999999999999",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "x" * 10240,
    "\u202e\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd 🕊️👩🏽‍🤝‍👩🏻",
    "<script>alert(1)</script>\"'",
    "' OR 1=1 --",
    "../../../etc/passwd",
    "%",
    " ",
]
NUL = "pace\x00"
RAW_QUERIES = [
    "%ff%fe%fd=%c3%28",  # invalid UTF-8 escapes in names and values
    "q=%ed%a0%80&pagina=%c0%af",
    "pagina=2&pagina=3&page=-1&page=abc",
    "q[]=a&q[]=b&argomento[]=pace",
    "&&&==&=%",
]
ANSWERS = {200, 301, 302, 400, 403, 404, 405, 429}

# Filters of each kind of listing (names read by the views and forms).
EVENT_FILTERS = ["q", "argomento", "tipo", "organizzatore", "luogo", "dal", "al", "pagina"]
SEARCH_FILTERS = ["q", "tipo", "argomento", "pagina", "kind", "topic"]
PROPOSAL_FILTERS = ["q", "state", "topic", "association", "sort", "page"]
ASSOCIATION_FILTERS = ["q", "topic", "page"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo site and the URLs to try, built once; rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo_data", "--quiet-credentials", stdout=StringIO())
        home = Site.objects.get(is_default_site=True).root_page.specific
        events = EventIndexPage.objects.live().first()
        event = EventPage.objects.live().first()
        proposal = Proposal.objects.filter(
            state__in=["accepted", "under_review"], is_hidden=False
        ).first()
        follower = UserFactory(verified=True)
        world = {
            "home": home.url,
            "events": events.url,
            "event": event.url,
            "event_slug": event.slug,
            "venue": events.url + f"luoghi/{Venue.objects.first().slug}/",
            "news_index": NewsIndexPage.objects.live().first().url,
            "news": NewsPage.objects.live().first().url,
            "topic": TopicPage.objects.live().first().url,
            "standard": StandardPage.objects.live().first(),
            "contact": ContactPage.objects.live().first().url,
            "school": SchoolProgrammePage.objects.live().first().url,
            "association": reverse(
                "partecipazione:association_detail", args=[Association.objects.first().slug]
            ),
            "proposal": reverse("partecipazione:proposal_detail", args=[proposal.slug]),
            "proposal_ct": ContentType.objects.get_for_model(Proposal).pk,
            "proposal_pk": proposal.pk,
            "token": calendar_token(follower),
        }
        world["standard_pk"] = world["standard"].pk
        world["standard"] = world["standard"].url
        yield world
        transaction.set_rollback(True)


def public_endpoints(world) -> list[tuple[str, list[str]]]:
    events = world["events"]
    return [
        (world["home"], []),
        ("/en/", []),
        ("/cerca/", SEARCH_FILTERS),
        (events, EVENT_FILTERS),
        (events + "mese/2030/3/", EVENT_FILTERS),
        (events + "archivio/", EVENT_FILTERS),
        (world["venue"], EVENT_FILTERS),
        (world["event"], []),
        ("/eventi/calendario.ics", EVENT_FILTERS),
        (f"/eventi/{world['event_slug']}/evento.ics", []),
        (f"/eventi/calendario/personale/{world['token']}.ics", []),
        ("/eventi/dati.json", EVENT_FILTERS),
        ("/eventi/dati.csv", EVENT_FILTERS),
        ("/partecipazione/proposte/", PROPOSAL_FILTERS),
        (world["proposal"], ["page"]),
        ("/partecipazione/associazioni/", ASSOCIATION_FILTERS),
        (world["association"], ["page"]),
        (world["news_index"], ["page", "pagina", "argomento"]),
        (world["news"], []),
        (world["topic"], []),
        (world["standard"], []),
        ("/sitemap.xml", ["p"]),
        ("/robots.txt", []),
    ]


ENDPOINT_IDS = [
    "home",
    "en-home",
    "search",
    "events",
    "month",
    "archive",
    "venue",
    "event",
    "feed",
    "event-feed",
    "personal-feed",
    "open-data-json",
    "open-data-csv",
    "proposals",
    "proposal",
    "associations",
    "association",
    "news-index",
    "news",
    "topic",
    "standard-page",
    "sitemap",
    "robots",
]


def rotated(names: list[str], i: int) -> dict:
    """Each filter a different hostile value; over len(HOSTILE) requests, every pair."""
    return {name: HOSTILE[(i + j) % len(HOSTILE)] for j, name in enumerate(names)}


def check(response, what: str, failures: list) -> None:
    if response.status_code >= 500 or response.status_code not in ANSWERS:
        failures.append(f"{response.status_code} {what}")


@pytest.mark.django_db
@pytest.mark.parametrize("position", range(len(ENDPOINT_IDS)), ids=ENDPOINT_IDS)
def test_public_get_endpoints_answer_hostile_filters_clearly(client, world, position):
    url, names = public_endpoints(world)[position]
    names = names or ["q"]
    failures: list[str] = []
    check(client.get(url), url, failures)
    for i in range(len(HOSTILE)):
        params = rotated(names, i)
        check(client.get(url, params), f"{url} {params!r:.200}", failures)
    for raw in RAW_QUERIES:
        check(client.get(f"{url}?{raw}"), f"{url}?{raw}", failures)
    check(client.get(url, {name: [HOSTILE[0], HOSTILE[2]] for name in names}), "repeated", failures)
    response = client.get(url, {names[0]: NUL})
    check(response, f"{url} NUL", failures)
    assert response.status_code == 400, "a NUL character is a 400"
    assert not failures, failures


def test_personal_feed_token_hostile_values(client, world):
    failures: list[str] = []
    for token in ["x" * 5000, "%00", "..%2f..%2f", "%ff%fe", "🕊️", "-1", "' OR 1=1 --"]:
        check(client.get(f"/eventi/calendario/personale/{token}.ics"), token[:40], failures)
    assert not failures, failures


def form_posts(client, url: str, fields: list[str], failures: list) -> None:
    for i in range(len(HOSTILE)):
        data = rotated(fields, i)
        check(client.post(url, data), f"POST {url} {data!r:.200}", failures)
    check(client.post(url, {name: [HOSTILE[0], HOSTILE[1]] for name in fields}), url, failures)
    check(client.post(url, {}), f"POST {url} empty", failures)
    for content_type, body in [
        ("application/json", b'{"a": [1, 2, {"b": null}]}'),
        ("text/plain", b"\xff\xfe\x00garbage"),
        ("multipart/form-data; boundary=xyz", b"--xyz\r\nnot a part\r\n"),
        ("multipart/form-data", b"no boundary"),
        ("application/x-www-form-urlencoded", b"%ff%fe=%c3%28&a=%00"),
    ]:
        check(client.post(url, body, content_type=content_type), f"{url} {content_type}", failures)
    response = client.post(url, {fields[0]: NUL})
    check(response, f"POST {url} NUL", failures)
    if response.status_code != 400:
        failures.append(f"{response.status_code} POST {url} NUL (expected 400)")


ANONYMOUS_FORMS = {
    "signup": ("/account/signup/", ["email", "password1", "password2", "first_name", "privacy"]),
    "login": ("/account/login/", ["login", "password", "remember"]),
    "contact": (None, ["nome", "e_mail", "messaggio"]),
    "booking": (None, ["school", "teacher", "email", "phone", "class_name", "pupils", "notes"]),
    "rating": (None, ["rating", "comment"]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ANONYMOUS_FORMS))
def test_public_forms_answer_hostile_input_clearly(client, world, name):
    url, fields = ANONYMOUS_FORMS[name]
    url = (
        url
        or {
            "contact": world["contact"],
            "booking": world["school"],
            "rating": reverse("home:page_rating", args=[world["standard_pk"]]),
        }[name]
    )
    failures: list[str] = []
    form_posts(client, url, fields, failures)
    assert not failures, failures


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["proposal", "comment"])
def test_verified_user_forms_answer_hostile_input_clearly(client, world, name):
    client.force_login(UserFactory(verified=True))
    if name == "proposal":
        url = reverse("partecipazione:proposal_create")
        fields = ["title", "summary", "body", "topics", "association", "submit"]
    else:
        url = reverse(
            "partecipazione:comment_post", args=[world["proposal_ct"], world["proposal_pk"]]
        )
        fields = ["body", "parent", "next"]
    failures: list[str] = []
    form_posts(client, url, fields, failures)
    assert not failures, failures

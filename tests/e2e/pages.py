"""The public page types the quality checks visit, found in the demo data at run time.

Each kind resolves to a concrete URL from what exists *now* (models, URL names, Wagtail page
types), so pages built later by the other issues are picked up without editing this list; a
kind whose feature does not exist raises ``Missing`` and its test fails with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlencode

from django.apps import apps
from django.urls import NoReverseMatch, reverse


class Missing(Exception):  # noqa: N818 - reads as "the page type is missing"
    """The page type does not exist (yet) in the code or in the demo data."""


@dataclass(frozen=True)
class Target:
    kind: str
    path: str
    login_as: str | None = None  # key of portal.accounts.demo.DEMO_USERS
    status: int = 200


# kind -> how to find it; the order is the order of the report.
KINDS = [
    "home",
    "standard",
    "accessibility_statement",
    "topic",
    "news_index",
    "news",
    "event_index",
    "event_index_filtered",
    "event",
    "month",
    "proposal_list",
    "proposal_detail",
    "proposal_new",
    "association",
    "signup",
    "login",
    "password_reset",
    "search",
    "not_found",
]


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError as exc:
        raise Missing(f"model {label} does not exist yet") from exc


def _reverse(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch as exc:
        raise Missing(f"URL name {name!r} does not exist yet") from exc


def _first_live_page(label: str):
    model = _model(label)
    page = model.objects.live().public().order_by("path").first()
    if page is None:
        raise Missing(f"the demo data has no live {label}")
    url = page.get_url()
    if not url:
        raise Missing(f"{label} {page.pk} has no URL (not under the default site)")
    return page, url


def _page_url(label: str) -> str:
    return _first_live_page(label)[1]


def demo_email(key: str) -> str:
    from portal.accounts.demo import DEMO_USERS

    return DEMO_USERS[key][0]


class _GetFormParser(HTMLParser):
    """Collects the first option of every <select> of the first GET form with a select."""

    def __init__(self):
        super().__init__()
        self.in_form = False
        self.done = False
        self.select: str | None = None
        self.choices: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.done:
            return
        if tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self.in_form = True
        elif self.in_form and tag == "select":
            self.select = attrs.get("name")
        elif self.in_form and tag == "option" and self.select and self.select not in self.choices:
            value = attrs.get("value")
            if value:
                self.choices[self.select] = value

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "form" and self.in_form:
            self.in_form = False
            self.done = bool(self.choices)


def filtered_query(html: str) -> str:
    """A query string choosing the first real option of each select of the page's filter form."""
    parser = _GetFormParser()
    parser.feed(html)
    if not parser.choices:
        raise Missing("the event index has no filter form with a <select> yet")
    return urlencode(parser.choices)


def resolve(kind: str, client=None) -> Target:  # noqa: C901, PLR0911, PLR0912 - one branch a kind
    """The URL to visit for ``kind`` (``client``: a Django test client, for filter discovery)."""
    if kind == "home":
        return Target(kind, "/")
    if kind == "standard":
        return Target(kind, _page_url("home.StandardPage"))
    if kind == "accessibility_statement":
        model = _model("home.StandardPage")
        page = model.objects.live().filter(slug="accessibilita").first()
        if page is None:
            raise Missing("the demo data has no accessibility statement page (slug accessibilita)")
        return Target(kind, page.get_url())
    if kind == "topic":
        return Target(kind, _page_url("home.TopicPage"))
    if kind == "news_index":
        return Target(kind, _page_url("home.NewsIndexPage"))
    if kind == "news":
        return Target(kind, _page_url("home.NewsPage"))
    if kind == "event_index":
        return Target(kind, _page_url("eventi.EventIndexPage"))
    if kind == "event_index_filtered":
        url = _page_url("eventi.EventIndexPage")
        if client is None:
            raise Missing("needs a client to read the filter form")
        response = client.get(url)
        return Target(kind, f"{url}?{filtered_query(response.content.decode())}")
    if kind == "event":
        return Target(kind, _page_url("eventi.EventPage"))
    if kind == "month":
        index, url = _first_live_page("eventi.EventIndexPage")
        if not hasattr(index, "month_route"):
            raise Missing("the event index has no month view yet")
        return Target(kind, f"{url}mese/")
    if kind == "proposal_list":
        return Target(kind, _reverse("partecipazione:proposal_list"))
    if kind == "proposal_detail":
        model = _model("partecipazione.Proposal")
        public = ["submitted", "under_review", "accepted", "realised"]
        visible = model.objects.filter(state__in=public, is_hidden=False)
        proposal = visible.order_by("-comment_count", "pk").first()
        if proposal is None:
            raise Missing("the demo data has no public proposal")
        return Target(kind, proposal.get_absolute_url())
    if kind == "proposal_new":
        return Target(kind, _reverse("partecipazione:proposal_create"), login_as="citizen")
    if kind == "association":
        model = _model("partecipazione.Association")
        filters = {}
        if any(f.name == "is_approved" for f in model._meta.fields):
            filters["is_approved"] = True
        association = model.objects.filter(**filters).order_by("pk").first()
        if association is None:
            raise Missing("the demo data has no association")
        return Target(kind, association.get_absolute_url())
    if kind == "signup":
        return Target(kind, _reverse("account_signup"))
    if kind == "login":
        return Target(kind, _reverse("account_login"))
    if kind == "password_reset":
        return Target(kind, _reverse("account_reset_password"))
    if kind == "search":
        return Target(kind, _reverse("home:search") + "?q=pace")
    if kind == "not_found":
        return Target(kind, "/questa-pagina-non-esiste/", status=404)
    raise AssertionError(f"unknown kind {kind}")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")

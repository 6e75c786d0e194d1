"""Site search across pages, events, proposals and associations.

Each kind runs one search query, capped at MAX_RESULTS on the kind's own listing and at
OVERVIEW_MAX_RESULTS on the overview of every kind (plus one row that tells whether there are
more), plus at most one query for the topic filter, and the events on show one more for their
dates: the page costs a fixed number of queries whatever the data size. Conditions the search
index cannot filter on (hidden proposals, association topics) are applied in Python to the
capped result list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from home.listings import event_details
from partecipazione.models import PUBLIC_STATES, Association, Proposal
from portal.taxonomy.models import Topic

MAX_QUERY_LENGTH = 200
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
MAX_RESULTS = 300
# The overview shows a few results of each kind and how many there are ("over 100" beyond):
# counting every match up to 300 would load 300 rows of each kind for a number.
OVERVIEW_MAX_RESULTS = 100
PER_PAGE = 10
PREVIEW_PER_KIND = 5
PAGE_RESULT_FIELDS = ("title", "search_description", "url_path", "first_published_at")

KINDS = {
    "pagine": _("Pagine"),
    "eventi": _("Eventi"),
    "proposte": _("Proposte"),
    "associazioni": _("Associazioni"),
}

# The "eventi" kind is the calendar's event pages; the events index is an ordinary page.
EVENT_APP, EVENT_MODEL = "eventi", "eventpage"


def clean_query(value) -> str:
    """Words only, lower case: punctuation and operator words (AND, NEAR, *) mean nothing.

    This keeps every backend's query parser (SQLite FTS5, PostgreSQL tsquery) out of trouble.
    """
    value = _NOT_WORD.sub(" ", str(value or "")[: MAX_QUERY_LENGTH * 2])
    return " ".join(value.lower().split())[:MAX_QUERY_LENGTH].strip()


def _is_event_model(model) -> bool:
    return (model._meta.app_label, model._meta.model_name) == (EVENT_APP, EVENT_MODEL)


def _page_models(events: bool):
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and model is not Page and _is_event_model(model) == events
    ]


def _pages_with_topic(topic, events: bool) -> set[int]:
    """Ids of pages tagged with `topic` through a FK `topic` or a M2M `topics` (one query)."""
    querysets = []
    for model in _page_models(events):
        names = {f.name for f in model._meta.get_fields()}
        if "topic" in names:
            querysets.append(
                model.objects.filter(topic=topic).order_by().values_list("pk", flat=True)
            )
        elif "topics" in names:
            querysets.append(
                model.objects.filter(topics=topic).order_by().values_list("pk", flat=True)
            )
    if not querysets:
        return set()
    first, *rest = querysets
    return set(first.union(*rest) if rest else first)


def _event_type_id() -> int | None:
    """The events' content type, from Django's per-process content type cache.

    The first call in a process loads the content types of every model with ONE query (the
    search backend then finds those of pages, proposals and associations cached instead of
    asking for each kind); later calls cost none.
    """
    types = ContentType.objects.get_for_models(*apps.get_models())
    return next((ct.pk for model, ct in types.items() if _is_event_model(model)), None)


def _title_rank(words: list[str], title: str) -> int:
    title = title.lower()
    hits = sum(word in title for word in words)
    return 0 if hits == len(words) else 1 if hits else 2


def _search(queryset, query, *, limit, recent_first=(), title="title") -> list:
    """At most `limit` + 1 matches of `query`, best first, in one query (the extra one only
    says that there are more than `limit`).

    PostgreSQL ranks by relevance inside the search query. SQLite's full-text backend ranks
    with a correlated sub-query run once per matching row, each a full-text match again:
    seconds for a word found in thousands of events (11 s for "pace" with 10,000 events).
    There the matches come in `recent_first` order (the model's ordering if empty) and the
    capped list is sorted in Python: every word in the title first, then some, then none.
    """
    backend = get_search_backend()
    if connection.vendor != "sqlite":
        return list(backend.search(query, queryset, operator="and")[: limit + 1])
    if recent_first:
        queryset = queryset.order_by(*recent_first)
    results = list(
        backend.search(query, queryset, operator="and", order_by_relevance=False)[: limit + 1]
    )
    words = query.split()
    return sorted(results, key=lambda item: _title_rank(words, str(getattr(item, title, ""))))


def search_pages(query, *, limit, events=False, topic=None, root=None) -> list:
    # Wagtail's `.public()`: the search backends read only plain filters (not `Exists`).
    pages = Page.objects.live().public()
    if root is not None:
        pages = pages.descendant_of(root, inclusive=True)
    event_type = _event_type_id()
    if events:
        pages = pages.filter(content_type_id=event_type)
    elif event_type is not None:
        pages = pages.exclude(content_type_id=event_type)
    if topic is not None:
        pages = pages.filter(id__in=list(_pages_with_topic(topic, events)))
    # Only what a result shows and its URL needs, out of some 30 page columns.
    pages = pages.only(*PAGE_RESULT_FIELDS)
    return _search(pages, query, limit=limit, recent_first=("-first_published_at",))


def search_proposals(query, *, limit, topic=None) -> list:

    proposals = Proposal.objects.filter(state__in=PUBLIC_STATES)
    if topic is not None:
        proposals = proposals.filter(topic_id=topic.pk)
    results = _search(proposals.only("title", "slug", "summary", "is_hidden"), query, limit=limit)
    return [p for p in results if not getattr(p, "is_hidden", False)]


def search_associations(query, *, limit, topic=None) -> list:

    associations = Association.objects.filter(is_verified=True)
    results = _search(associations, query, limit=limit, title="name")
    if topic is None:
        return list(results)
    with_topic = set(topic.associations.values_list("pk", flat=True))
    return [a for a in results if a.pk in with_topic]


def with_event_details(items: list) -> list:
    """Give the event results on show their summary and date (`item.event`): one query."""

    if not items:
        return items
    details = event_details(item.pk for item in items)
    for item in items:
        item.event = details.get(item.pk)
    return items


@dataclass
class SearchRequest:
    query: str = ""
    kind: str = ""
    topic: Topic | None = None
    errors: list = field(default_factory=list)

    @classmethod
    def from_get(cls, request) -> SearchRequest:
        params = request.GET
        result = cls(query=clean_query(params.get("q")))
        kind = params.get("tipo", "")
        if kind in KINDS:
            result.kind = kind
        elif kind:
            result.errors.append(_("Il tipo di contenuto richiesto non esiste: mostro tutto."))
        slug = params.get("argomento", "")
        if slug:
            result.topic = Topic.objects.filter(slug=slug[:80]).first()
            if result.topic is None:
                result.errors.append(_("L'argomento richiesto non esiste: mostro tutti."))
        return result

    def results_for(self, kind, root=None, limit=MAX_RESULTS) -> list:
        """Up to `limit` + 1 results of `kind` (the extra one: there are more)."""
        if kind == "pagine":
            return search_pages(self.query, limit=limit, events=False, topic=self.topic, root=root)
        if kind == "eventi":
            return search_pages(self.query, limit=limit, events=True, topic=self.topic, root=root)
        if kind == "proposte":
            return search_proposals(self.query, limit=limit, topic=self.topic)
        return search_associations(self.query, limit=limit, topic=self.topic)

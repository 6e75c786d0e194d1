"""Read-only queries other layers use (eventi, home): stable signatures, fixed query counts."""

from django.db.models import Case, F, Q, QuerySet, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from partecipazione.models import Proposal
from portal.core.pages import in_private_section


def public_proposals() -> QuerySet[Proposal]:
    """Proposals everyone may see (``Proposal.objects.public()``), with what a card shows."""
    return Proposal.objects.public().for_cards()


SORTS = {
    "newest": ("-created_at", "-pk"),
    "supported": ("-support_count", "-created_at", "-pk"),
    "discussed": ("-comment_count", "-created_at", "-pk"),
}


def filter_proposals(qs, data: dict):
    """The listing's filters (``ProposalFilterForm``'s cleaned data) and sort order: one
    function for the HTML listing and the open data, so both list the same proposals."""
    if data.get("state"):
        qs = qs.filter(state=data["state"])
    if data.get("topic"):
        qs = qs.filter(topic__slug=data["topic"])
    if data.get("association"):
        qs = qs.filter(association__slug=data["association"])
    if data.get("q"):
        q = data["q"]
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(body__icontains=q))
    return qs.order_by(*SORTS.get(data.get("sort") or "newest", SORTS["newest"]))


def featured_proposals(limit: int = 3, topic=None) -> list[Proposal]:
    """The most supported proposals that may be featured (``Proposal.objects.featured``).

    `topic` may be a Topic instance, its primary key or its slug. One query.
    """
    return list(Proposal.objects.featured(topic)[: max(int(limit), 0)])


def latest_proposals(limit: int = 5) -> list[Proposal]:
    return list(Proposal.objects.newest()[: max(int(limit), 0)])


def linked_event_pages(manager, limit: int | None = None, upcoming_first: bool = False):
    """Live, public event pages from a reverse relation defined by the events app.

    `manager` is ``proposal.event_pages`` or ``association.events`` (reverse relations of
    ``eventi.EventPage``: this app never imports ``eventi``). Their manager is Wagtail's
    PageManager, so ``live()`` is available. Wagtail's ``public()`` would first read every view
    restriction in Python (one more query); `in_private_section` runs inside the one query.
    """
    qs = manager.live().exclude(in_private_section())
    if upcoming_first:
        today = timezone.localdate()
        last_day = Coalesce("until", "end_date", "start_date")
        qs = qs.alias(last_day=last_day).annotate(
            is_past=Case(When(last_day__lt=today, then=True), default=False)
        )
        qs = qs.order_by(
            "is_past",
            Case(When(is_past=False, then=F("start_date"))).asc(),
            F("start_date").desc(),
            "pk",
        )
    else:
        qs = qs.order_by("start_date", "pk")
    return qs[:limit] if limit else qs


def _event_relation():
    """The link the events app defines (``EventPage.source_proposal``, reverse name
    ``event_pages``): reached through Django's model meta, so this app never imports it."""

    return Proposal._meta.get_field("event_pages")


def realisable_events(proposal):
    """Live event pages a proposal may be said to have become: not linked to another one."""
    relation = _event_relation()
    link = relation.field.name
    free = Q(**{f"{link}__isnull": True}) | Q(**{link: proposal})
    return relation.related_model.objects.live().filter(free).order_by("-start_date", "title")

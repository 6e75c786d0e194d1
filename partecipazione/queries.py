"""Read-only queries other layers use (eventi, home): stable signatures, fixed query counts."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, F, Q, QuerySet, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Page, TaskState, WorkflowState

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


# --- the association's area: its events in every editorial state ---------------------------

EVENT_PUBLISHED, EVENT_IN_REVIEW, EVENT_REJECTED, EVENT_DRAFT = (
    "published",
    "in_review",
    "rejected",
    "draft",
)


def association_event_rows(association, limit: int = 50) -> list[dict]:
    """The association's event pages, live or not, each with its editorial state.

    ``{"page", "state", "reason"}``: published, in review (a Wagtail workflow is in progress),
    rejected (the workflow was sent back: `reason` is the editor's comment) or draft. Three
    queries whatever the number of events (pages, their latest workflow states, the comments).
    """
    pages = list(
        association.events.order_by("-latest_revision_created_at", "-pk").only(
            "title", "slug", "url_path", "live", "start_date", "start_time", "locale_id"
        )[:limit]
    )
    if not pages:
        return []
    latest: dict[str, WorkflowState] = {}
    states = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=[str(page.pk) for page in pages],
    ).order_by("created_at", "pk")
    for state in states:
        latest[state.object_id] = state
    rejected = {
        task.workflow_state_id: task.comment
        for task in TaskState.objects.filter(
            workflow_state__in=[s.pk for s in latest.values()], status=TaskState.STATUS_REJECTED
        ).order_by("started_at", "pk")
    }
    rows = []
    for page in pages:
        state = latest.get(str(page.pk))
        status = state.status if state else None
        if status == WorkflowState.STATUS_IN_PROGRESS:
            kind, reason = EVENT_IN_REVIEW, ""
        elif page.live:
            kind, reason = EVENT_PUBLISHED, ""
        elif status == WorkflowState.STATUS_NEEDS_CHANGES:
            kind, reason = EVENT_REJECTED, rejected.get(state.pk, "")
        else:
            kind, reason = EVENT_DRAFT, ""
        rows.append({"page": page, "state": kind, "reason": reason})
    return rows

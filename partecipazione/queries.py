"""Read-only queries other layers use (eventi, home): stable signatures, fixed query counts."""

from django.db.models import QuerySet

from partecipazione.models import Proposal, ProposalState

NOT_PUBLIC_STATES = (ProposalState.DRAFT, ProposalState.WITHDRAWN)


def public_proposals() -> QuerySet[Proposal]:
    """Proposals everyone may see: not drafts, not withdrawn, not hidden by moderation."""
    return (
        Proposal.objects.exclude(state__in=NOT_PUBLIC_STATES)
        .filter(is_hidden=False)
        .select_related("topic", "author", "association")
    )


def featured_proposals(limit: int = 3, topic=None) -> list[Proposal]:
    """The most supported public proposals (newest first on ties), optionally of one topic.

    `topic` may be a Topic instance, its primary key or its slug. One query.
    """
    qs = public_proposals()
    if topic is not None:
        if hasattr(topic, "pk"):
            qs = qs.filter(topic=topic)
        elif isinstance(topic, int):
            qs = qs.filter(topic_id=topic)
        else:
            qs = qs.filter(topic__slug=str(topic))
    return list(qs.order_by("-support_count", "-created_at", "-pk")[: max(int(limit), 0)])


def latest_proposals(limit: int = 5) -> list[Proposal]:
    return list(public_proposals().order_by("-created_at", "-pk")[: max(int(limit), 0)])

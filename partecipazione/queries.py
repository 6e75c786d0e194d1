"""Read-only queries other layers use (eventi, home): stable signatures, fixed query counts."""

from django.db.models import Case, F, QuerySet, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from partecipazione.models import Proposal
from portal.core.pages import in_private_section


def public_proposals() -> QuerySet[Proposal]:
    """Proposals everyone may see (``Proposal.objects.public()``), with what a card shows."""
    return Proposal.objects.public().for_cards()


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

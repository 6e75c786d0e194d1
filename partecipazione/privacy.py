"""GDPR: what the participation area exports and erases for a user (registered in apps.py)."""

from django.db import transaction

from partecipazione import models as m
from partecipazione import services
from partecipazione.models import (
    Appeal,
    Association,
    Comment,
    Membership,
    ModerationLog,
    Notification,
    Proposal,
    ProposalEvent,
    ProposalVersion,
    Report,
    Support,
    Suspension,
)

ERASED_NAME = "utente cancellato"


def export(user) -> dict:

    return {
        "proposals": list(
            Proposal.objects.filter(author=user).values(
                "title", "slug", "summary", "body", "state", "created_at"
            )
        ),
        "comments": list(
            Comment.objects.filter(author=user).values("body", "created_at", "is_removed")
        ),
        "supports": list(Support.objects.filter(user=user).values("proposal__title", "created_at")),
        "memberships": list(
            Membership.objects.filter(user=user).values(
                "association__name", "role", "status", "created_at"
            )
        ),
        "reports": list(
            Report.objects.filter(reporter=user).values("reason", "note", "created_at")
        ),
        "notifications": list(
            Notification.objects.filter(recipient=user).values("message", "created_at")
        ),
        "suspensions": list(Suspension.objects.filter(user=user).values("reason", "created_at")),
        "appeals": list(
            Appeal.objects.filter(author=user).values("message", "status", "created_at")
        ),
    }


@transaction.atomic
def erase(user) -> None:
    """Threads stay readable: authorship goes ("utente cancellato"), the rest is removed."""

    Proposal.objects.filter(author=user).update(author=None)
    ProposalVersion.objects.filter(created_by=user).update(created_by=None)
    ProposalEvent.objects.filter(actor=user).update(actor=None)
    Comment.objects.filter(author=user).update(author=None)
    Report.objects.filter(reporter=user).update(reporter=None)
    Association.objects.filter(created_by=user).update(created_by=None)
    Association.objects.filter(verified_by=user).update(verified_by=None)
    Report.objects.filter(resolved_by=user).update(resolved_by=None)
    ModerationLog.objects.filter(actor=user).update(actor=None)
    Suspension.objects.filter(created_by=user).update(created_by=None)
    proposal_ids = list(Support.objects.filter(user=user).values_list("proposal_id", flat=True))
    Support.objects.filter(user=user).delete()
    for pid in proposal_ids:
        services._refresh_support_count(pid)
    Membership.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    Appeal.objects.filter(decided_by=user).update(decided_by=None)
    Appeal.objects.filter(author=user).delete()
    Suspension.objects.filter(user=user).delete()


def models():

    return [
        m.Association,
        m.Membership,
        m.Proposal,
        m.ProposalEvent,
        m.ProposalVersion,
        m.Support,
        m.Comment,
        m.Report,
        m.Suspension,
        m.ModerationLog,
        m.Notification,
        m.Appeal,
    ]

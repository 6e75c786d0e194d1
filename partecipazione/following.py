"""What the participation area lets people follow (registered in apps.py ready())."""

from partecipazione import permissions
from partecipazione.models import Association, Proposal
from portal.accounts import follows


def may_follow(user, obj) -> bool:

    return permissions.can(user, permissions.Action.FOLLOW, obj)


def may_view(user, obj) -> bool:

    return permissions.can(user, permissions.Action.VIEW, obj)


def register() -> None:

    follows.register_followable(Association, may_follow=may_follow, order=40)
    # Drafts and hidden proposals answer 404 to everyone who may not see them.
    follows.register_followable(Proposal, visible=may_view, may_follow=may_follow, order=50)

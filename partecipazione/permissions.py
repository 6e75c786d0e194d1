"""The one module that answers "may this user do this to that" for the participation area.

Views, templates (``{% can "support" proposal as may_support %}``) and the Wagtail admin hooks
all call :func:`can`. Facts about the user (verified e-mail, suspension, groups, memberships)
are read once per request and cached on the user object, so a page asks the database a fixed
number of times whatever it shows.

Matrix (see tests/partecipazione/test_permissions.py, which checks every cell):

* anonymous: read public content only;
* citizen with a verified e-mail: propose as self, support, comment, report, create an
  association, ask to join one; follow a topic, a published event, a venue, an association or
  a visible proposal (also while suspended: following writes nothing others see);
* active association member: also propose on behalf of that association;
* active association member: also see the association's area (its proposals, events and
  requests) and propose events on its behalf (drafts that the editors approve);
* association admin: also manage that association's members, edit its public profile and manage its
  synchronised calendar URL (moderators too; only moderators choose whether its events are published
  directly);
* author: edit/submit while draft or submitted, withdraw until decided, edit own comment for
  15 minutes, delete own comment;
* holders of the ``partecipazione.moderate_participation`` permission (the "Participation
  moderators" group has it) and superusers: moderation (queues, hide/restore, suspend, verify),
  only in a session that completed two-factor authentication (else treated as citizens);
* Wagtail "Editors": pages only, nothing more than a citizen here, except the button that
  turns an accepted proposal into a draft event page (with admin access, or superusers);
* a suspended user cannot post anything (propose, support, comment, report, edit).
"""

from datetime import timedelta
from enum import StrEnum

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from wagtail.models import Page

from partecipazione.models import (
    COMMENTABLE_STATES,
    EDITABLE_STATES,
    EVENTABLE_STATES,
    PUBLIC_STATES,
    REALISABLE_STATES,
    SUBMITTABLE_STATES,
    SUPPORTABLE_STATES,
    WITHDRAWABLE_STATES,
    Comment,
    Membership,
    Proposal,
    Suspension,
)
from portal.accounts import roles
from portal.accounts.mfa import session_passed_mfa
from portal.accounts.verification import has_verified_email

COMMENT_EDIT_WINDOW = timedelta(minutes=15)
#: The Django permission that makes a moderator (partecipazione.ModerationLog.Meta.permissions).
MODERATE_PERMISSION = "partecipazione.moderate_participation"


class Action(StrEnum):
    VIEW = "view"
    PROPOSE = "propose"
    PROPOSE_FOR = "propose_for"  # obj: Association
    EDIT = "edit"  # obj: Proposal
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    SUPPORT = "support"
    FOLLOW = "follow"
    COMMENT = "comment"  # obj: any commentable target
    EDIT_COMMENT = "edit_comment"  # obj: Comment
    DELETE_COMMENT = "delete_comment"
    REPORT = "report"  # obj: Comment or Proposal
    CREATE_ASSOCIATION = "create_association"
    JOIN = "join"  # obj: Association
    MANAGE_MEMBERS = "manage_members"  # obj: Association
    MANAGE_CALENDAR = "manage_calendar"  # obj: Association (its synchronised calendar URL)
    EDIT_ASSOCIATION = "edit_association"  # obj: Association (its public profile)
    ASSOCIATION_AREA = "association_area"  # obj: Association (the members' dashboard)
    PROPOSE_EVENT = "propose_event"  # obj: Association -> a draft event for the editors
    MODERATE = "moderate"
    CREATE_EVENT = "create_event"  # obj: Proposal (accepted) -> draft event page
    APPEAL = "appeal"  # obj: own hidden Comment or Proposal, or own Suspension in force
    MARK_REALISED = "mark_realised"  # obj: Proposal (accepted), optionally with its event


# --- facts about the user (cached per user object) -----------------------------------------


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def has_staff_session(user) -> bool:
    """Staff powers need a session that completed two-factor authentication (the login marks
    the request's user, portal.accounts.mfa); without it staff are treated as citizens."""
    return _authenticated(user) and session_passed_mfa(user)


def is_moderator(user) -> bool:
    if not has_staff_session(user):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_pp_moderator", None)
    if cached is None:
        # Django's ModelBackend reads the user's and the groups' permissions once and keeps
        # them on the user (shared with may_create_pages' access_admin check).
        cached = user.has_perm(MODERATE_PERMISSION)
        user._pp_moderator = cached
    return cached


def is_suspended(user) -> bool:
    if not _authenticated(user):
        return False
    cached = getattr(user, "_pp_suspended", None)
    if cached is None:
        cached = Suspension.objects.filter(user=user).active().exists()
        user._pp_suspended = cached
    return cached


def may_post(user) -> bool:
    """Verified e-mail, active account, not suspended: the baseline for writing anything."""
    return has_verified_email(user) and not is_suspended(user)


def active_roles(user) -> dict[int, str]:
    """{association id: role} of the user's ACTIVE memberships (one query, cached)."""
    if not _authenticated(user):
        return {}
    cached = getattr(user, "_pp_roles", None)
    if cached is None:
        cached = dict(
            Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).values_list(
                "association_id", "role"
            )
        )
        user._pp_roles = cached
    return cached


def may_create_pages(user) -> bool:
    """Wagtail editors (or superusers) with admin access: they may draft event pages."""
    if not _authenticated(user):
        return False
    if user.is_superuser and has_staff_session(user):
        return True
    cached = getattr(user, "_pp_page_creator", None)
    if cached is None:
        cached = user.groups.filter(name=roles.EDITORS).exists() and user.has_perm(
            "wagtailadmin.access_admin"
        )
        user._pp_page_creator = cached
    return cached


def forget(user) -> None:
    """Drop the cached facts (after a suspension or a membership change in the same request)."""
    for attr in (
        "_pp_moderator",
        "_pp_suspended",
        "_pp_roles",
        "_pp_page_creator",
        "_portal_verified_email",
    ):
        if hasattr(user, attr):
            delattr(user, attr)


# --- the rules -----------------------------------------------------------------------------


def _may_appeal(user, obj) -> bool:
    if isinstance(obj, Suspension):
        return obj.user_id == user.pk and Suspension.objects.active().filter(pk=obj.pk).exists()
    return _is_author(user, obj) and obj.is_hidden


def _is_author(user, obj) -> bool:
    return _authenticated(user) and getattr(obj, "author_id", None) == user.pk


def _proposal_visible(user, proposal) -> bool:
    if proposal.state in PUBLIC_STATES and not proposal.is_hidden:
        return True
    return _is_author(user, proposal) or is_moderator(user)


def _page_visible(page) -> bool:
    """Wagtail pages: live and public (no view restriction on the page or an ancestor).

    A page behind a password or a login is not offered to comments, reports or follows, even
    to a visitor who passed the restriction: those views do not go through Wagtail's check.
    """
    return bool(page.live) and not page.get_view_restrictions().exists()


def _visible(user, obj) -> bool:
    """May `user` see `obj` (a proposal, comment, page or any other target)?"""

    if obj is None:
        return False
    if isinstance(obj, Proposal):
        return _proposal_visible(user, obj)
    if isinstance(obj, Page):
        return _page_visible(obj)
    if isinstance(obj, Comment):
        if not _comment_shown(user, obj):
            return False
        try:
            target = obj.get_target()
        except ObjectDoesNotExist:
            return False
        return _visible(user, target)
    return True


def _comment_shown(user, comment) -> bool:
    """The comment itself (not its target): hidden and pending ones only to author/moderators."""
    return comment.is_visible or _is_author(user, comment) or is_moderator(user)


def may_view(user, obj) -> bool:
    """`can(user, Action.VIEW, obj)`, the check other apps register (e.g. the follow view)."""
    return can(user, Action.VIEW, obj)


def _target_open_for_comments(user, target) -> bool:

    if isinstance(target, Proposal):
        return (
            target.state in COMMENTABLE_STATES
            and not target.is_hidden
            and _proposal_visible(user, target)
        )
    return _visible(user, target)


def can(user, action, obj=None) -> bool:  # noqa: C901 - one flat table of rules reads best
    """True if `user` may perform `action` (an Action or its string value) on `obj`."""
    try:
        action = Action(action)
    except ValueError:
        return False

    if action is Action.VIEW:
        # The one visibility check: the report, comment and follow views all go through it.
        return obj is None or _visible(user, obj)
    if action is Action.MODERATE:
        return is_moderator(user)
    if action is Action.MARK_REALISED:
        return obj is not None and obj.state in REALISABLE_STATES and is_moderator(user)
    if action is Action.CREATE_EVENT:
        # Without a proposal: may this user turn proposals into events at all (the admin list).
        if obj is None:
            return may_create_pages(user)
        return obj.state in EVENTABLE_STATES and may_create_pages(user)
    if action is Action.FOLLOW:
        # anything visible (a proposal), or published (a Wagtail page: only live ones)
        return (
            has_verified_email(user)
            and (obj is None or can(user, Action.VIEW, obj))
            and bool(getattr(obj, "live", True))
        )
    if action is Action.APPEAL:
        # Before the posting gate: a suspended person may ask to review their suspension.
        return obj is not None and _authenticated(user) and _may_appeal(user, obj)
    if action is Action.MANAGE_CALENDAR:
        if obj is None or not _authenticated(user):
            return False
        if is_moderator(user):
            return True
        return may_post(user) and active_roles(user).get(obj.pk) == "admin"
    if action in (Action.MANAGE_MEMBERS, Action.EDIT_ASSOCIATION):
        if obj is None or not _authenticated(user):
            return False
        if user.is_superuser and has_staff_session(user):
            return True
        return may_post(user) and active_roles(user).get(obj.pk) == "admin"
    if action is Action.ASSOCIATION_AREA:
        # Reading only: a suspended member still sees what the association has under way.
        if obj is None or not _authenticated(user):
            return False
        return obj.pk in active_roles(user) or (user.is_superuser and has_staff_session(user))

    # Everything below writes something: verified e-mail and not suspended.
    if not may_post(user):
        return False

    if action in (Action.PROPOSE, Action.CREATE_ASSOCIATION):
        return True
    if action in (Action.PROPOSE_FOR, Action.PROPOSE_EVENT):
        return obj is not None and obj.pk in active_roles(user)
    if action is Action.JOIN:
        return obj is not None and obj.pk not in active_roles(user)
    if action in (Action.EDIT, Action.SUBMIT):
        if obj is None or not _is_author(user, obj) or obj.is_hidden:
            return False
        if action is Action.SUBMIT:
            return obj.state in SUBMITTABLE_STATES
        return obj.state in EDITABLE_STATES
    if action is Action.WITHDRAW:
        return obj is not None and _is_author(user, obj) and obj.state in WITHDRAWABLE_STATES
    if action is Action.SUPPORT:
        return (
            obj is not None
            and obj.state in SUPPORTABLE_STATES
            and not obj.is_hidden
            and not _is_author(user, obj)
        )
    if action is Action.COMMENT:
        return obj is not None and _target_open_for_comments(user, obj)
    if action is Action.EDIT_COMMENT:
        return (
            obj is not None
            and _is_author(user, obj)
            and not obj.is_removed
            and not obj.is_hidden
            and timezone.now() - obj.created_at <= COMMENT_EDIT_WINDOW
        )
    if action is Action.DELETE_COMMENT:
        return obj is not None and not obj.is_removed and _is_author(user, obj)
    if action is Action.REPORT:
        if obj is None or _is_author(user, obj):
            return False

        # A comment's target is checked by the report view (can VIEW); a thread asks this for
        # every comment and must not fetch the target again each time.
        return _comment_shown(user, obj) if isinstance(obj, Comment) else _visible(user, obj)
    return False

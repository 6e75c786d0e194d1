"""What happens when people act: the lifecycle, supports, comments, reports and moderation.

Views and the admin call these functions after checking ``permissions.can``; each one keeps the
denormalised counters, the public timeline, the versions and the moderation log consistent and
hands the "who must be told" question to ``notifications``.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log as log_action
from wagtail.models import Site

from partecipazione import notifications, signals
from partecipazione.models import (
    REALISABLE_STATES,
    SUBMITTABLE_STATES,
    WITHDRAWABLE_STATES,
    Comment,
    ModerationLog,
    ParticipationSettings,
    Proposal,
    ProposalEvent,
    ProposalState,
    ProposalVersion,
    Report,
    Support,
    Suspension,
)

S = ProposalState

# Transitions a moderator may make, and those an author may make.
MODERATOR_TRANSITIONS = {
    S.SUBMITTED: {S.UNDER_REVIEW, S.ACCEPTED, S.REJECTED},
    S.UNDER_REVIEW: {S.ACCEPTED, S.REJECTED, S.SUBMITTED},
    # Realised: through mark_realised (the queue's own action, with the event it became).
    S.ACCEPTED: {S.UNDER_REVIEW},
    S.REJECTED: {S.UNDER_REVIEW},
    S.REALISED: set(),
    S.DRAFT: set(),
    S.WITHDRAWN: set(),
}
NOTE_REQUIRED = {S.REJECTED}


RESERVED_SLUGS = {"nuova"}


class TransitionError(ValueError):
    pass


def unique_slug(title: str) -> str:
    base = slugify(title)[:160] or "proposta"
    slug = base
    while slug in RESERVED_SLUGS or Proposal.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(5, 'abcdefghijkmnpqrstuvwxyz23456789')}"
    return slug


def _snapshot(proposal, user) -> ProposalVersion:
    last = proposal.versions.aggregate(n=Max("number"))["n"] or 0
    return ProposalVersion.objects.create(
        proposal=proposal,
        number=last + 1,
        title=proposal.title,
        summary=proposal.summary,
        body=proposal.body,
        created_by=user,
    )


@transaction.atomic
def create_proposal(proposal: Proposal, user, submit: bool = False) -> Proposal:
    proposal.author = user
    proposal.slug = proposal.slug or unique_slug(proposal.title)
    proposal.state = S.DRAFT
    proposal.save()
    _snapshot(proposal, user)
    ProposalEvent.objects.create(
        proposal=proposal, kind=ProposalEvent.Kind.CREATED, to_state=S.DRAFT, actor=user
    )
    if submit:
        submit_proposal(proposal, user)
    return proposal


@transaction.atomic
def update_proposal(proposal: Proposal, user, changed_fields=()) -> Proposal:
    """Save an author's edit: a new version, a timeline entry, supporters told."""
    proposal.save()
    _snapshot(proposal, user)
    ProposalEvent.objects.create(
        proposal=proposal,
        kind=ProposalEvent.Kind.EDITED,
        actor=user,
        note=", ".join(str(f) for f in changed_fields),
    )
    notifications.proposal_changed(proposal, actor=user)
    return proposal


def _set_state(proposal, new_state, user, note=""):
    old = proposal.state
    proposal.state = new_state
    fields = ["state", "updated_at"]
    if note or new_state in NOTE_REQUIRED:
        proposal.state_note = note
        fields.append("state_note")
    if new_state == S.SUBMITTED and not proposal.submitted_at:
        proposal.submitted_at = timezone.now()
        fields.append("submitted_at")
    proposal.save(update_fields=fields)
    ProposalEvent.objects.create(
        proposal=proposal,
        kind=ProposalEvent.Kind.STATE,
        from_state=old,
        to_state=new_state,
        note=note,
        actor=user,
    )
    return old


@transaction.atomic
def submit_proposal(proposal, user):
    if proposal.state not in SUBMITTABLE_STATES:
        raise TransitionError(_("Solo una bozza può essere inviata."))
    _set_state(proposal, S.SUBMITTED, user)


@transaction.atomic
def withdraw_proposal(proposal, user, note=""):
    if proposal.state not in WITHDRAWABLE_STATES:
        raise TransitionError(_("Questa proposta non può più essere ritirata."))
    _set_state(proposal, S.WITHDRAWN, user, note)
    notifications.proposal_changed(proposal, actor=user)


@transaction.atomic
def moderate_transition(proposal, new_state, moderator, note=""):
    """A moderator moves a proposal on; a public reason is required to reject it."""
    new_state = S(new_state)
    if new_state not in MODERATOR_TRANSITIONS.get(S(proposal.state), set()):
        raise TransitionError(_("Passaggio di stato non consentito."))
    note = (note or "").strip()
    if new_state in NOTE_REQUIRED and not note:
        raise TransitionError(_("Per respingere una proposta serve una motivazione pubblica."))
    old = _set_state(proposal, new_state, moderator, note)
    log(moderator, ModerationLog.Action.STATE, proposal, f"{old} → {new_state}. {note}".strip())
    notifications.proposal_state_changed(proposal, actor=moderator)
    notifications.proposal_changed(proposal, actor=moderator)


@transaction.atomic
def mark_realised(proposal, moderator, note="", event=None):
    """An accepted proposal became reality, optionally as `event` (a live event page).

    The public timeline records the change (naming the event when no note is given); the
    author, the followers and the supporters are told; the events app links the page.
    """
    proposal.state = (
        Proposal.objects.select_for_update().values_list("state", flat=True).get(pk=proposal.pk)
    )
    if proposal.state not in REALISABLE_STATES:
        raise TransitionError(_("Solo una proposta accolta può essere segnata come realizzata."))
    note = (note or "").strip()
    if not note and event is not None:
        note = _("È diventata l'evento «%(title)s».") % {"title": event.title}
    old = _set_state(proposal, S.REALISED, moderator, note)
    log(moderator, ModerationLog.Action.STATE, proposal, f"{old} → {S.REALISED}. {note}".strip())
    signals.proposal_realised.send(
        sender=Proposal,
        proposal=proposal,
        event_id=getattr(event, "pk", None),
        user=moderator,
    )
    notifications.proposal_state_changed(proposal, actor=moderator)
    notifications.proposal_realised(proposal, actor=moderator)
    return proposal


# --- supports -------------------------------------------------------------------------------


def _refresh_support_count(proposal_id):
    """One UPDATE ... SET support_count = (SELECT COUNT(*) ...): always equal to the rows."""
    count = (
        Support.objects.filter(proposal_id=OuterRef("pk"))
        .order_by()
        .values("proposal_id")
        .annotate(c=Count("pk"))
        .values("c")
    )
    Proposal.objects.filter(pk=proposal_id).update(support_count=Coalesce(Subquery(count), 0))


def set_support(proposal, user, support: bool) -> bool:
    """Support (True) or withdraw support (False); returns whether it changed anything.

    Idempotent: sending the same wish twice (a double click, a form re-sent after a lost
    answer) leaves one support or none. Safe under concurrent requests.
    """
    with transaction.atomic():
        # Lock the proposal row first: concurrent requests on one proposal run one after the
        # other, so each COUNT(*) below sees every committed support (no lost update).
        list(Proposal.objects.select_for_update().filter(pk=proposal.pk).values_list("pk"))
        if support:
            try:
                with transaction.atomic():
                    Support.objects.create(proposal=proposal, user=user)
                changed = True
            except IntegrityError:
                changed = False  # already supported (by this or a concurrent request)
        else:
            deleted, _ = Support.objects.filter(proposal=proposal, user=user).delete()
            changed = bool(deleted)
        if changed:
            _refresh_support_count(proposal.pk)
    proposal.refresh_from_db(fields=["support_count"])
    return changed


def toggle_support(proposal, user) -> bool:
    """Support or withdraw support, whichever is not the case now; returns the new state."""
    supported = Support.objects.filter(proposal=proposal, user=user).exists()
    set_support(proposal, user, not supported)
    return not supported


# --- comments -------------------------------------------------------------------------------


class RateLimited(Exception):
    pass


def _parse_rate(rate: str) -> tuple[int, int]:
    try:
        count, period = str(rate).split("/")
        seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period.strip()[0].lower()]
        return max(int(count), 1), seconds
    except (ValueError, KeyError, IndexError):
        return 5, 60


def check_comment_rate(user) -> None:
    """Raise RateLimited when `user` posted too many comments in the current window (cache)."""
    limit, seconds = _parse_rate(getattr(settings, "PORTAL_COMMENT_RATE_LIMIT", "5/m"))
    window = int(timezone.now().timestamp() // seconds)
    key = f"partecipazione:comment-rate:{user.pk}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=seconds + 1)
        count = 1
    if count > limit:
        raise RateLimited


def _needs_premoderation(user, request=None) -> bool:

    if request is not None:
        conf = ParticipationSettings.for_request(request)
    else:
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            return False
        conf = ParticipationSettings.for_site(site)
    if not conf.premoderate_new_users:
        return False
    approved = Comment.objects.filter(author=user, is_pending=False, is_hidden=False).count()
    return approved < conf.premoderated_comments


def target_ct(target) -> ContentType:
    return ContentType.objects.get_for_model(target, for_concrete_model=True)


@transaction.atomic
def post_comment(target, user, body: str, parent: Comment | None = None, request=None) -> Comment:
    depth = 0
    if parent is not None:
        depth = min(parent.depth + 1, Comment.MAX_DEPTH)
        if parent.depth >= Comment.MAX_DEPTH:  # reply to the deepest level: attach to its parent
            parent = parent.parent
    comment = Comment.objects.create(
        content_type=target_ct(target),
        object_id=target.pk,
        parent=parent,
        depth=depth,
        author=user,
        body=body,
        is_pending=_needs_premoderation(user, request),
    )
    if not comment.is_pending:
        _refresh_comment_count(comment)
        notifications.comment_posted(comment, target)
    return comment


def _refresh_comment_count(comment):
    if comment.content_type.model_class() is not Proposal:
        return
    visible = Comment.objects.filter(
        content_type_id=comment.content_type_id,
        object_id=OuterRef("pk"),
        is_hidden=False,
        is_pending=False,
        is_removed=False,
    )
    count = visible.order_by().values("object_id").annotate(c=Count("pk")).values("c")
    Proposal.objects.filter(pk=comment.object_id).update(comment_count=Coalesce(Subquery(count), 0))


def edit_comment(comment, body):
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])


@transaction.atomic
def remove_comment(comment):
    """The author deletes: the text goes, the place in the thread stays ("commento rimosso")."""
    comment.is_removed = True
    comment.body = ""
    comment.save(update_fields=["is_removed", "body"])
    _refresh_comment_count(comment)


# --- reports and moderation -----------------------------------------------------------------


#: Wagtail's log action of each moderation action (registered in wagtail_hooks.py), so that
#: the admin's history of a proposal, a comment or a user shows it too.
LOG_ACTION_PREFIX = "partecipazione.moderation."


def log(actor, action, obj=None, reason="") -> ModerationLog:
    if obj is not None:
        log_action(
            obj, f"{LOG_ACTION_PREFIX}{action}", user=actor, data={"reason": str(reason)[:2000]}
        )
    return ModerationLog.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=getattr(obj, "pk", None),
        object_repr=str(obj)[:200] if obj is not None else "",
        reason=reason,
    )


def _pending_reports(obj):
    return Report.objects.filter(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        status=Report.Status.PENDING,
    )


@transaction.atomic
def report(obj, user, reason, note="") -> bool:
    """Flag a comment or a proposal; returns False if this user had already flagged it.

    After settings.PORTAL_REPORTS_TO_HIDE pending reports the content is hidden until reviewed.
    """
    try:
        with transaction.atomic():
            Report.objects.create(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=obj.pk,
                reporter=user,
                reason=reason,
                note=note,
            )
    except IntegrityError:
        return False
    pending = _pending_reports(obj).count()
    type(obj).objects.filter(pk=obj.pk).update(report_count=pending)
    obj.report_count = pending
    threshold = int(getattr(settings, "PORTAL_REPORTS_TO_HIDE", 3))
    if pending >= threshold and not obj.is_hidden:
        type(obj).objects.filter(pk=obj.pk).update(is_hidden=True)
        obj.is_hidden = True
        log(None, ModerationLog.Action.AUTO_HIDE, obj, _("%(n)d segnalazioni") % {"n": pending})
        if isinstance(obj, Comment):
            _refresh_comment_count(obj)
    return True


def _resolve_reports(obj, moderator, status):
    _pending_reports(obj).update(status=status, resolved_by=moderator, resolved_at=timezone.now())
    type(obj).objects.filter(pk=obj.pk).update(report_count=0)
    obj.report_count = 0


@transaction.atomic
def hide(obj, moderator, reason):
    type(obj).objects.filter(pk=obj.pk).update(is_hidden=True)
    obj.is_hidden = True
    _resolve_reports(obj, moderator, Report.Status.UPHELD)
    log(moderator, ModerationLog.Action.HIDE, obj, reason)
    if isinstance(obj, Comment):
        _refresh_comment_count(obj)
    else:
        ProposalEvent.objects.create(
            proposal=obj, kind=ProposalEvent.Kind.HIDDEN, note=reason, actor=moderator
        )
    notifications.content_hidden(obj, moderator, reason)


@transaction.atomic
def restore(obj, moderator, reason=""):
    """Show again (reports dismissed); for a pending comment this approves it."""
    was_pending = isinstance(obj, Comment) and obj.is_pending
    fields = {"is_hidden": False}
    if was_pending:
        fields["is_pending"] = False
    type(obj).objects.filter(pk=obj.pk).update(**fields)
    for k, v in fields.items():
        setattr(obj, k, v)
    _resolve_reports(obj, moderator, Report.Status.DISMISSED)
    action = ModerationLog.Action.APPROVE if was_pending else ModerationLog.Action.RESTORE
    log(moderator, action, obj, reason)
    if isinstance(obj, Comment):
        _refresh_comment_count(obj)
        if was_pending:
            notifications.comment_posted(obj, obj.get_target())
    else:
        ProposalEvent.objects.create(
            proposal=obj, kind=ProposalEvent.Kind.RESTORED, note=reason, actor=moderator
        )


@transaction.atomic
def suspend(user, moderator, reason, ends_at=None) -> Suspension:
    """Stop `user` from posting, until `ends_at` (None: until a moderator lifts it)."""
    suspension = Suspension.objects.create(
        user=user, reason=reason, created_by=moderator, ends_at=ends_at
    )
    log(moderator, ModerationLog.Action.SUSPEND, user, reason)
    notifications.user_suspended(suspension)
    return suspension


@transaction.atomic
def unsuspend(user, moderator, reason=""):
    Suspension.objects.filter(user=user, lifted_at__isnull=True).update(lifted_at=timezone.now())
    log(moderator, ModerationLog.Action.UNSUSPEND, user, reason)


@transaction.atomic
def verify_association(association, moderator, register_number=""):
    association.is_verified = True
    association.verified_at = timezone.now()
    association.verified_by = moderator
    if register_number:
        association.register_number = register_number
    association.save(update_fields=["is_verified", "verified_at", "verified_by", "register_number"])
    log(
        moderator,
        ModerationLog.Action.VERIFY,
        association,
        _("Numero di iscrizione: %(n)s") % {"n": association.register_number or "-"},
    )

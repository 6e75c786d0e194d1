"""Who is told what: the one place that decides the recipients of participation news.

Every notification is stored (the on-site page shows them); recipients who chose "immediate"
e-mails get them from a background task (the tasks at the end of this module, enqueued once
the change is committed), those who chose the daily digest get them from
``manage.py send_participation_digest``, "none" means on-site only.
"""

import functools

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from partecipazione.models import Appeal, Association, Comment, Notification, Proposal, Suspension
from portal.accounts import follows
from portal.accounts.models import EmailFrequency, User


def in_site_language(function):
    """Stored messages and e-mails are in the site's language, whoever acts (an editor whose
    admin is in English, a background worker) and whatever language is active."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


def _notify(recipients, kind, message, url="") -> list:

    unique = {u.pk: u for u in recipients if u is not None and u.is_active}
    if not unique:
        return []
    created = Notification.objects.bulk_create(
        [Notification(recipient_id=pk, kind=kind, message=message[:300], url=url) for pk in unique]
    )
    immediate = [
        n.pk
        for n in created
        if unique[n.recipient_id].email_notifications == EmailFrequency.IMMEDIATE
    ]
    if immediate and all(n.pk for n in created):
        # After the commit: the worker must find the rows, and a rollback sends nothing.
        transaction.on_commit(functools.partial(send_notification_emails.enqueue, immediate))
    return created


@in_site_language
def proposal_state_changed(proposal, actor=None):
    """The author hears about every state change made by someone else (with the public note)."""

    if proposal.author_id is None or proposal.author_id == getattr(actor, "pk", None):
        return []
    message = _("La tua proposta «%(title)s» ora è: %(state)s.") % {
        "title": proposal.title,
        "state": proposal.get_state_display(),
    }
    if proposal.state_note:
        message = f"{message} {proposal.state_note}"
    return _notify(
        [proposal.author],
        Notification.Kind.MY_PROPOSAL_STATE,
        message,
        proposal.get_absolute_url(),
    )


@in_site_language
def proposal_changed(proposal, actor=None):
    """Supporters hear about any change after their support (not the author, not the actor)."""

    excluded = {proposal.author_id, getattr(actor, "pk", None)}
    supporters = User.objects.filter(proposal_supports__proposal=proposal).exclude(
        pk__in=[pk for pk in excluded if pk]
    )
    message = _("La proposta che sostieni «%(title)s» è cambiata (stato: %(state)s).") % {
        "title": proposal.title,
        "state": proposal.get_state_display(),
    }
    return _notify(
        list(supporters),
        Notification.Kind.SUPPORTED_CHANGED,
        message,
        proposal.get_absolute_url(),
    )


@in_site_language
def proposal_realised(proposal, actor=None):
    """Followers and supporters (each once; not the author, told apart, nor the actor) hear
    that a proposal they care about was realised."""

    excluded = [pk for pk in {proposal.author_id, getattr(actor, "pk", None)} if pk]
    followers = follows.followers(proposal).values("pk")
    people = (
        User.objects.filter(Q(pk__in=followers) | Q(proposal_supports__proposal=proposal))
        .exclude(pk__in=excluded)
        .distinct()
    )
    message = _("La proposta «%(title)s» è stata realizzata.") % {"title": proposal.title}
    return _notify(
        list(people), Notification.Kind.FOLLOWED_REALISED, message, proposal.get_absolute_url()
    )


@in_site_language
def comment_posted(comment, target):
    """A reply tells the parent's author; a new comment tells a proposal's followers."""

    url = ""
    if hasattr(target, "get_url"):
        url = target.get_url() or ""
    elif hasattr(target, "get_absolute_url"):
        url = target.get_absolute_url()
    told = {comment.author_id}
    created = []
    parent = comment.parent
    if parent is not None and parent.author_id and parent.author_id not in told:
        created += _notify(
            [parent.author],
            Notification.Kind.REPLY,
            _("%(name)s ha risposto al tuo commento su «%(title)s».")
            % {"name": comment.author.public_name, "title": str(target)},
            url,
        )
        told.add(parent.author_id)
    if isinstance(target, Proposal):
        followers = follows.followers(target).exclude(pk__in=[pk for pk in told if pk])
        created += _notify(
            list(followers),
            Notification.Kind.FOLLOWED_COMMENT,
            _("Nuovo commento sulla proposta che segui «%(title)s».") % {"title": target.title},
            url,
        )
    return created


def association_invitation(association, email: str, invited=None) -> None:
    """An invitation to `association` sent to `email`, registered or not (the same e-mail).

    A registered person (`invited`) also finds it among their notifications, which they
    accept from the association's page. The e-mail goes out from a background task.
    """

    if invited is not None:
        Notification.objects.create(
            recipient=invited,
            kind=Notification.Kind.MEMBERSHIP,
            message=(
                _("Sei stato invitato a entrare in «%(assoc)s».") % {"assoc": association.name}
            )[:300],
            url=association.get_absolute_url(),
            emailed_at=timezone.now(),  # the invitation e-mail below is the e-mail
        )
    transaction.on_commit(functools.partial(send_invitation_email.enqueue, email, association.pk))


def email_invitation(email: str, association) -> None:
    body = render_to_string(
        "partecipazione/email/invitation.txt",
        {
            "association": association,
            "association_url": _absolute(association.get_absolute_url()),
            "site_url": settings.SITE_URL,
        },
    )
    subject = _("Città della Pace: un invito da «%(assoc)s»") % {"assoc": association.name}
    send_mail(subject, body, None, [email])


@in_site_language
def event_published(event, *, sources, new: bool, cancelled: bool, url: str = "") -> list:
    """A published event page: tell who follows it, directly or through `sources`.

    `event` is the event page (defined by the events app, which calls this from its
    ``page_published`` receiver), `sources` what it belongs to: its topics, organisers and
    venue. A *new* event tells the followers of its sources; a change of date, time, place
    or status (`cancelled` when it is now cancelled) tells the followers of the event too.
    Each person is told once, however many of these they follow.
    """

    message, kind, followed = _event_message(event, sources, new, cancelled)
    return _notify(list(follows.followers_of_any(followed)), kind, message, url)


@in_site_language
def event_submission_decided(event, author, *, approved: bool, reason: str = "", url: str = ""):
    """The member who proposed `event` for an association hears the editors' decision:
    published (with its link), or sent back with the editor's comment (the association's
    area shows it next to the event)."""
    if approved:
        message = _("L'evento che hai proposto «%(title)s» è stato approvato e pubblicato.") % {
            "title": event.title
        }
    else:
        message = _("L'evento che hai proposto «%(title)s» non è stato approvato.") % {
            "title": event.title
        }
        if reason:
            message = f"{message} {_('Motivo:')} {reason}"
    return _notify([author], Notification.Kind.MY_EVENT, message, url)


def _event_message(event, sources, new: bool, cancelled: bool):

    title = event.title
    if new:
        kind = Notification.Kind.FOLLOWED_NEW_EVENT
        followed = list(sources)
        message = _("Nuovo evento tra ciò che segui: «%(title)s».") % {"title": title}
    else:
        kind = Notification.Kind.FOLLOWED_EVENT
        followed = [event, *sources]
        if cancelled:
            message = _("L'evento che segui «%(title)s» è stato annullato.") % {"title": title}
        else:
            message = _(
                "L'evento che segui «%(title)s» è cambiato: controlla data, ora e luogo."
            ) % {"title": title}
    return message, kind, followed


def _absolute(url: str) -> str:
    if url.startswith("/"):
        return settings.SITE_URL.rstrip("/") + url
    return url


@in_site_language
def email_notifications(notifications, subject: str) -> None:
    """Send one e-mail per recipient listing `notifications` (already grouped by recipient)."""

    subject = str(subject)
    by_user: dict[int, list] = {}
    for n in notifications:
        by_user.setdefault(n.recipient_id, []).append(n)
    for items in by_user.values():
        recipient = items[0].recipient
        if recipient.email_notifications == EmailFrequency.NONE or not recipient.email:
            continue
        body = render_to_string(
            "partecipazione/email/notifications.txt",
            {
                "user": recipient,
                "items": [(n.message, _absolute(n.url)) for n in items],
                "site_url": settings.SITE_URL,
            },
        )
        send_mail(subject, body, None, [recipient.email])
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=timezone.now())


def send_daily_digests() -> int:
    """E-mail every "daily" user the notifications not yet e-mailed; returns e-mails sent."""

    pending = list(
        Notification.objects.filter(
            emailed_at__isnull=True,
            recipient__email_notifications=EmailFrequency.DAILY,
            recipient__is_active=True,
        )
        .select_related("recipient")
        .order_by("recipient_id", "created_at")
    )
    email_notifications(pending, gettext_lazy("Città della Pace: il riepilogo di oggi"))
    return len({n.recipient_id for n in pending})


def _short(reason: str) -> str:
    """A reason short enough that the review hint still fits the stored message."""
    return Truncator(reason.strip().rstrip(".")).chars(120)


def _review_hint() -> str:
    return _("Apri la notifica per chiedere una revisione ai moderatori.")


@in_site_language
def content_hidden(obj, moderator, reason: str) -> list:
    """The author of a comment or a proposal hidden by a moderator hears what, why (the
    public reason) and how to ask for a review. Hiding one's own content tells nobody."""
    if obj.author_id is None or obj.author_id == getattr(moderator, "pk", None):
        return []
    if isinstance(obj, Comment):
        target = obj.get_target()
        what = _("Il tuo commento su «%(title)s» è stato nascosto dalla moderazione.") % {
            "title": str(target)
        }
    else:
        what = _("La tua proposta «%(title)s» è stata nascosta dalla moderazione.") % {
            "title": obj.title
        }
    message = what
    if reason:
        message += " " + _("Motivo: %(reason)s.") % {"reason": _short(reason)}
    message = f"{message} {_review_hint()}"
    kind = "commento" if isinstance(obj, Comment) else "proposta"
    url = reverse("partecipazione:appeal", args=[kind, obj.pk])
    return _notify([obj.author], Notification.Kind.MODERATION, message, url)


@in_site_language
def user_suspended(suspension) -> list:
    """A suspended user hears why, until when and how to appeal; the link is their
    suspension page."""
    if suspension.ends_at:
        until = _("fino al %(date)s") % {
            "date": date_format(timezone.localtime(suspension.ends_at), "DATE_FORMAT")
        }
    else:
        until = _("fino a revoca")
    message = _(
        "Il tuo account è sospeso %(until)s: non puoi pubblicare contenuti. Motivo: %(reason)s."
    ) % {"until": until, "reason": _short(suspension.reason)}
    message = f"{message} {_review_hint()}"
    return _notify(
        [suspension.user],
        Notification.Kind.MODERATION,
        message,
        reverse("partecipazione:suspension"),
    )


@in_site_language
def appeal_decided(appeal, subject) -> list:
    """The person who asked for a review hears the outcome, with the moderator's note."""
    if isinstance(subject, Suspension):
        url = ""
        if appeal.status == Appeal.Status.REVERSED:
            message = _("La tua richiesta di revisione è stata accolta: la sospensione è revocata.")
        else:
            message = _("La tua richiesta di revisione è stata respinta: la sospensione resta.")
    else:
        target = subject if isinstance(subject, Proposal) else subject.get_target()
        url = target.get_url() if hasattr(target, "get_url") else target.get_absolute_url()
        if appeal.status == Appeal.Status.REVERSED:
            message = _(
                "La tua richiesta di revisione è stata accolta: il contenuto è di nuovo visibile."
            )
        else:
            message = _(
                "La tua richiesta di revisione è stata respinta: il contenuto resta nascosto."
            )
    if appeal.decision_note:
        message = f"{message} {_short(appeal.decision_note)}."
    return _notify([appeal.author], Notification.Kind.MODERATION, message, url)


# --- Background tasks: e-mails never go out inside a request ----------------------------


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    items = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .select_related("recipient")
        .order_by("recipient_id", "created_at")
    )
    email_notifications(items, gettext_lazy("Città della Pace: novità sulla partecipazione"))
    return len(items)


@task()
def send_invitation_email(email: str, association_id: int) -> int:
    association = Association.objects.filter(pk=association_id).first()
    if association is None:
        return 0
    email_invitation(email, association)
    return 1

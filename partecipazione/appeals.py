"""Appeals: a person asks the moderators to review a decision about them.

What can be appealed: one's own comment or proposal while a moderator keeps it hidden, one's own
suspension while it is in force; one pending appeal at a time for each. A moderator upholds or
reverses it in the admin (``admin_appeals``): reversing restores the item or lifts the
suspension (through ``services``, so the moderation log and history have it); the person is told.
"""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partecipazione import notifications, permissions, services
from partecipazione.models import Appeal, Comment, Proposal, Suspension

#: URL segment -> model of what can be appealed.
KINDS = {"commento": Comment, "proposta": Proposal, "sospensione": Suspension}


class AppealForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Perché chiedi la revisione?"),
        help_text=gettext_lazy("Spiega ai moderatori perché pensi che la decisione sia sbagliata."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={"required": gettext_lazy("Scrivi perché chiedi la revisione.")},
    )


def subject_for(user, kind: str, pk: int):
    """What `user` may appeal, given the URL's kind and id; None otherwise."""
    model = KINDS.get(kind)
    if model is None or not user.is_authenticated:
        return None
    subject = model.objects.filter(pk=pk).first()
    if subject is None or not permissions.can(user, permissions.Action.APPEAL, subject):
        return None
    return subject


def _filter(subject):
    if isinstance(subject, Suspension):
        return {"suspension": subject}
    return {
        "content_type": ContentType.objects.get_for_model(subject),
        "object_id": subject.pk,
    }


def pending_for(subject):
    return Appeal.objects.filter(status=Appeal.Status.PENDING, **_filter(subject)).first()


def request_review(user, subject, message: str) -> Appeal:
    return Appeal.objects.create(author=user, message=message, **_filter(subject))


@transaction.atomic
def decide(appeal, moderator, *, reverse: bool, note: str = "") -> None:
    """Uphold or reverse the decision under review; the person is told either way."""
    subject = appeal.subject()
    if reverse:
        if isinstance(subject, Suspension):
            services.unsuspend(subject.user, moderator, note or _("Revisione accolta"))
        else:
            services.restore(subject, moderator, note or _("Revisione accolta"))
    appeal.status = Appeal.Status.REVERSED if reverse else Appeal.Status.UPHELD
    appeal.decided_by = moderator
    appeal.decided_at = timezone.now()
    appeal.decision_note = note
    appeal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    notifications.appeal_decided(appeal, subject)

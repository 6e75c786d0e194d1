"""Background work: e-mails never go out inside a request."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    from partecipazione.models import Notification
    from partecipazione.notifications import email_notifications

    items = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .select_related("recipient")
        .order_by("recipient_id", "created_at")
    )
    email_notifications(items, _("Città della Pace: novità sulla partecipazione"))
    return len(items)


@task()
def send_invitation_email(email: str, association_id: int) -> int:
    from partecipazione.models import Association
    from partecipazione.notifications import email_invitation

    association = Association.objects.filter(pk=association_id).first()
    if association is None:
        return 0
    email_invitation(email, association)
    return 1

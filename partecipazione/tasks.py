"""The old import path of the e-mail tasks, which now live beside the notifications they
send (partecipazione.notifications): tasks queued before the move name this module."""

from partecipazione.notifications import send_invitation_email, send_notification_emails

__all__ = ["send_invitation_email", "send_notification_emails"]

"""E-mails sent to editors when a school asks to book a programme."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def send_booking_receipt(booking) -> int:
    """The requester's receipt, in the language of the page they booked from."""
    subject = _("Abbiamo ricevuto la tua richiesta: %(programme)s") % {
        "programme": booking.programme.title
    }
    body = render_to_string("home/emails/booking_receipt.txt", {"booking": booking})
    return send_mail(subject, body, None, [booking.email])


def send_booking_request(booking, recipients) -> int:
    if not recipients:
        return 0
    subject = _("Richiesta di prenotazione: %(programme)s") % {"programme": booking.programme.title}
    body = render_to_string("home/emails/booking_request.txt", {"booking": booking})
    return send_mail(subject, body, None, recipients)

"""manage.py build_event_ical: serialise the VEVENTs of every live event (backfill).

Feeds store each event's VEVENTs when it is published and rebuild any that are missing
or out of date on demand; run this after a deploy (or after changing SITE_URL) so that
the first feed request does not have to rebuild them all.
"""

from time import perf_counter

from django.core.management.base import BaseCommand

from eventi import feeds, ical
from eventi.models import EventFeedComponent, EventPage


class Command(BaseCommand):
    help = "Prepara il testo iCalendar (VEVENT) di tutti gli eventi pubblicati."

    def add_arguments(self, parser):
        parser.add_argument(
            "--clear", action="store_true", help="Cancella prima tutti i VEVENT salvati."
        )

    def handle(self, *args, clear=False, **options):
        start = perf_counter()
        if clear:
            EventFeedComponent.objects.all().delete()
        done = ical.store_all(EventPage.objects.live())
        feeds.invalidate()
        self.stdout.write(f"Eventi serializzati: {done} in {perf_counter() - start:.1f} s")

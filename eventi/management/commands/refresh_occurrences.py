"""manage.py refresh_occurrences: extend open-ended recurring events (run it weekly).

Occurrences of rules without an end are materialised HORIZON_DAYS ahead when the page is
published; this command rebuilds them from the live version so the horizon moves on.
"""

from django.core.management.base import BaseCommand

from eventi import feeds
from eventi.models import EventPage


class Command(BaseCommand):
    help = "Ricalcola le date degli eventi ricorrenti senza fine (da eseguire ogni settimana)."

    def handle(self, *args, **options):
        pages = (
            EventPage.objects.live()
            .exclude(frequency="none")
            .filter(until__isnull=True, count__isnull=True)
        )
        n = 0
        for page in pages.iterator():
            page.rebuild_occurrences()
            n += 1
        feeds.invalidate()
        self.stdout.write(f"Eventi ricorrenti aggiornati: {n}")

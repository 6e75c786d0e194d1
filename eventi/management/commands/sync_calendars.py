"""manage.py sync_calendars: fetch the registered calendar URLs that are due (for cron)."""

from django.core.management.base import BaseCommand, CommandError

from eventi.models import CalendarSource
from eventi.sync import sync_due, sync_source


class Command(BaseCommand):
    help = (
        "Aggiorna i calendari collegati (URL iCal) non aggiornati da "
        "EVENTI_SYNC_INTERVAL_MINUTES minuti; con --all tutti quelli attivi."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Anche quelli non scaduti.")
        parser.add_argument("--source", type=int, help="Solo il calendario con questo id.")

    def handle(self, *args, all=False, source=None, **options):
        if source is not None:
            found = CalendarSource.objects.filter(pk=source).first()
            if found is None:
                raise CommandError(f"Calendario collegato sconosciuto: {source}")
            done = [sync_source(found)]
        elif all:
            done = [sync_source(s) for s in CalendarSource.objects.filter(enabled=True)]
        else:
            done = sync_due()
        for item in done:
            self.stdout.write(
                f"{item.pk} {item}: {item.get_last_status_display()} - "
                f"{item.event_count} eventi, {item.error_count} errori"
            )
            if item.failed:
                self.stderr.write(f"  {item.last_message}")
        self.stdout.write(f"Calendari aggiornati: {len(done)}")

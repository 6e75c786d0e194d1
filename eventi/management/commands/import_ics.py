"""manage.py import_ics FILE_OR_URL: an association's calendar as draft events."""

from django.core.management.base import BaseCommand, CommandError

from eventi.importer import ImportErrorMessage, import_calendar, read_source
from eventi.models import EventIndexPage
from partecipazione.models import Association


class Command(BaseCommand):
    help = (
        "Importa un calendario iCalendar (file o URL) come eventi in bozza: niente duplicati "
        "(per UID), aggiornamento se LAST-MODIFIED è più recente."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="Percorso di un file .ics o URL http(s).")
        parser.add_argument(
            "--association", help="Slug dell'associazione che organizza gli eventi importati."
        )

    def handle(self, *args, source, association=None, **options):
        index = EventIndexPage.objects.order_by("path").first()
        if index is None:
            raise CommandError("Non esiste la pagina del calendario degli eventi.")
        organiser = None
        if association:
            organiser = Association.objects.filter(slug=association).first()
            if organiser is None:
                raise CommandError(f"Associazione sconosciuta: {association}")
        try:
            report = import_calendar(read_source(source), index, organiser=organiser)
        except ImportErrorMessage as error:
            raise CommandError(str(error)) from error
        for label, titles in (
            ("Creati", report.created),
            ("Aggiornati", report.updated),
            ("Saltati", report.skipped),
        ):
            self.stdout.write(f"{label}: {len(titles)}")
            for title in titles:
                self.stdout.write(f"  - {title}")
        if report.notes:
            self.stdout.write("Note:")
            for title, message in report.notes:
                self.stdout.write(f"  - {title}: {message}")

from django.core.management.base import BaseCommand

from partecipazione.notifications import send_daily_digests


class Command(BaseCommand):
    help = "Send the daily digest of participation notifications (run once a day, e.g. cron)."

    def handle(self, *args, **options):
        sent = send_daily_digests()
        self.stdout.write(f"{sent} digest e-mail(s) sent.")

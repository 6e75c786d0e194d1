"""Build a believable Città della Pace site; safe to run any number of times."""

from django.core.management.base import BaseCommand
from django.db import transaction

import eventi.demo
import home.demo
import partecipazione.demo
from portal.accounts import demo as accounts_demo
from portal.core.demo import DEMO_PASSWORD, DemoContext


class Command(BaseCommand):
    help = "Load the demo site (idempotent). The benchmarks' large data sets: bench/bulk_data.py."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet-credentials", action="store_true", help="Do not print the demo accounts."
        )

    def handle(self, *args, **options):
        ctx = DemoContext(stdout=self.stdout, options=options)
        with transaction.atomic():
            accounts_demo.load(ctx)
            home.demo.load(ctx)
            partecipazione.demo.load(ctx)
            eventi.demo.load(ctx)
        created = ", ".join(f"{n} {what}" for what, n in sorted(ctx.created.items()))
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created or 'nothing new'})."))
        if not options["quiet_credentials"]:
            self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
            for key, user in ctx.users.items():
                self.stdout.write(f"  {key:<10} {user.email}")

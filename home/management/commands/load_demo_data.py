"""Build a believable Città della Pace site; safe to run any number of times."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
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
        parser.add_argument(
            "--force-production",
            action="store_true",
            help=(
                "Run under production settings anyway; every demo account gets a random "
                "password and TOTP secret (printed) instead of the published ones."
            ),
        )

    def handle(self, *args, **options):
        production = not settings.DEBUG and not getattr(settings, "DEMO_DATA_ALLOWED", False)
        if production and not options["force_production"]:
            raise CommandError(
                "These are production settings (DEBUG is off): the demo data would create "
                "a superuser with the published password and TOTP secret. Use the dev or "
                "test settings, or --force-production for random credentials."
            )
        ctx = DemoContext(stdout=self.stdout, options=options)
        with transaction.atomic():
            accounts_demo.load(ctx)
            home.demo.load(ctx)
            partecipazione.demo.load(ctx)
            eventi.demo.load(ctx)
        created = ", ".join(f"{n} {what}" for what, n in sorted(ctx.created.items()))
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created or 'nothing new'})."))
        if options["quiet_credentials"]:
            return
        if options["force_production"]:
            self.stdout.write("Demo accounts (random passwords and TOTP secrets, keep them safe):")
            for key, user in ctx.users.items():
                credentials = ctx.credentials.get(key, {})
                line = f"  {key:<10} {user.email}  password {credentials.get('password')}"
                if credentials.get("totp_secret"):
                    line += f"  TOTP secret {credentials['totp_secret']}"
                self.stdout.write(line)
            return
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for key, user in ctx.users.items():
            self.stdout.write(f"  {key:<10} {user.email}")

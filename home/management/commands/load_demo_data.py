"""Build a believable Città della Pace site; safe to run any number of times."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction

import eventi.demo
import home.demo
import partecipazione.demo
from portal.accounts import demo as accounts_demo
from portal.core.demo import DEMO_PASSWORD, DemoContext


class Command(BaseCommand):
    help = (
        "Load the demo site (idempotent). --events/--proposals add large data sets for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--events", type=int, default=0, help="Make sure at least N events exist (benchmarks)."
        )
        parser.add_argument(
            "--proposals", type=int, default=0, help="Make sure at least N proposals exist."
        )
        parser.add_argument(
            "--comments-per-proposal",
            type=int,
            default=3,
            help="Comments for each generated proposal (with --proposals).",
        )
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
        if options["events"] or options["proposals"]:
            # The bulk rows skip the model signals that keep the search index up to date.
            call_command("update_index", verbosity=0)
            # Fresh planner statistics: without them PostgreSQL plans the page queries for
            # near-empty tables (seconds per page on 10,000 events until autovacuum runs).
            # Not on SQLite: its planner picks worse plans with sqlite_stat1 (5x slower pages).
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        created = ", ".join(f"{n} {what}" for what, n in sorted(ctx.created.items()))
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created or 'nothing new'})."))
        if not options["quiet_credentials"]:
            self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
            for key, user in ctx.users.items():
                self.stdout.write(f"  {key:<10} {user.email}")

"""`manage.py outbox [--retry-failed]`: what waits to be sent and what failed, per agency."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from services.outbox import actions, selectors


class Command(BaseCommand):
    help = "Show the outbox: messages waiting to be sent and failed ones, per agency."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="set failed messages back to pending (the sweeper sends them within a minute)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["retry_failed"]:
            counts = actions.retry_failed(None)
            self.stdout.write(
                f"{counts['central']} central and {counts['agency']} agency message(s) "
                "set back to pending."
            )
        rows = [("central IT", state, n) for state, n in selectors.central_counts().items()]
        for row in selectors.agency_counts():
            rows += [(row["slug"], state, row[state]) for state in ("pending", "failed")]
        rows = [row for row in rows if row[2]]
        if not rows:
            self.stdout.write("Nothing waiting, nothing failed.")
        for who, state, n in rows:
            self.stdout.write(f"{who}\t{state}\t{n}")

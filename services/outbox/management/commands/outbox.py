"""`manage.py outbox [--retry-failed]`: what waits to be sent and what failed, per agency."""

from django.core.management.base import BaseCommand
from django.db.models import Count

from services.crossindex.models import IndexEntry, IndexKind
from services.outbox.delivery import retry_failed
from services.outbox.models import CentralMessage


class Command(BaseCommand):
    help = "Show the outbox: messages waiting to be sent and failed ones, per agency."

    def add_arguments(self, parser):
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="set failed messages back to pending (the sweeper sends them within a minute)",
        )

    def handle(self, *args, **options):
        if options["retry_failed"]:
            counts = retry_failed()
            self.stdout.write(
                f"{counts['central']} central and {counts['agency']} agency message(s) "
                "set back to pending."
            )
        rows = [
            ("central IT", state, n)
            for state, n in CentralMessage.objects.exclude(state="sent")
            .values_list("state")
            .annotate(n=Count("id"))
            .order_by("state")
        ]
        rows += [
            (slug, state, n)
            for slug, state, n in IndexEntry.objects.filter(kind=IndexKind.OUTBOX)
            .values_list("agency__slug", "state")
            .annotate(n=Count("id"))
            .order_by("agency__slug", "state")
        ]
        if not rows:
            self.stdout.write("Nothing waiting, nothing failed.")
        for who, state, n in rows:
            self.stdout.write(f"{who}\t{state}\t{n}")

from typing import Any

from django.core.management.base import BaseCommand

from motovault.changes import compact


class Command(BaseCommand):
    help = (
        "Fold the rows that count changes to owners' data into one counter per owner, so that "
        "reading an owner's data version stays one short index scan. Safe to run from cron, "
        "on two servers at once; a no-op on SQLite."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        folded = compact()
        rows = "row" if folded == 1 else "rows"
        self.stdout.write(f"Folded {folded} change {rows} into the owners' counters.")

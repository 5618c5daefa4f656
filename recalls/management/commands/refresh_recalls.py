"""Daily, from cron or the compose scheduler: `python manage.py refresh_recalls`."""

from typing import Any

from django.core.management.base import BaseCommand

from recalls.services import refresh_all


class Command(BaseCommand):
    help = (
        "Ask NHTSA for the safety recalls of every make, model and year owners have, and store "
        "the new ones. Safe to run again; one that fails does not stop the others."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = refresh_all()
        self.stdout.write(
            f"Checked {summary.checked} make/model/years: {summary.new_campaigns} new "
            f"campaigns, {summary.new_recalls} new recalls on vehicles, "
            f"{len(summary.failures)} failed."
        )
        for failure in summary.failures:
            self.stderr.write(f"Failed: {failure}")

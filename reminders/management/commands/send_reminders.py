from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reminders.digest import send_due_digests, summary_lines


class Command(BaseCommand):
    help = (
        "Send each owner's daily reminder digest (e-mail, push) once their chosen hour has "
        "come. Run it every 15 minutes; safe to run twice at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be sent; send nothing."
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        outcomes = send_due_digests(dry_run=dry_run)
        verb = "Would send" if dry_run else "Sent"
        for outcome in outcomes:
            for line in summary_lines(outcome):
                self.stdout.write(line)
        sent = sum(bool(outcome.sent) for outcome in outcomes)
        self.stdout.write(f"{verb} {sent} digest(s).")

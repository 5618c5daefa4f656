from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from vehicles.models import VinCache


class Command(BaseCommand):
    help = "Delete VIN cache rows older than --days (default 30). Safe to run from cron."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30, help="Keep rows younger than this.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted, delete nothing."
        )

    def handle(self, *args: Any, days: int, dry_run: bool, **options: Any) -> None:
        if days < 0:
            raise CommandError("--days cannot be negative.")
        old = VinCache.objects.cached_before(timezone.now() - timedelta(days=days))
        if dry_run:
            count, verb = old.count(), "Would delete"
        else:
            (count, _by_model), verb = old.delete(), "Deleted"
        entries = "entry" if count == 1 else "entries"
        self.stdout.write(f"{verb} {count} VIN cache {entries} older than {days} days.")

from typing import Any

from django.core.management.base import BaseCommand

from attachments.cleanup import sweep


class Command(BaseCommand):
    help = (
        "Remove stored attachment files that no row names (older than an hour), and report "
        "rows whose file is missing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep()
        for pk in result.missing:
            self.stderr.write(f"Attachment {pk}: its file is missing from storage.")
        self.stdout.write(
            f"Removed {len(result.removed)} orphaned file(s); "
            f"{len(result.missing)} attachment(s) without their file."
        )

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from imports import archive


class Command(BaseCommand):
    help = (
        "Writes a user's account archive (the ZIP file “Download all my data” gives: "
        "everything they have, as JSON and CSV) to FILE."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="The username.")
        parser.add_argument("file", help="The ZIP file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"There is no user “{options['user']}”.")
        path = Path(options["file"])
        # Written beside the target and moved into place: a failure leaves no half a file.
        partial = path.with_name(path.name + ".partial")
        try:
            with partial.open("wb") as file:
                archive.write(user, file)
            partial.replace(path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
        self.stdout.write(f"Wrote the archive of {user.get_username()} to {path}.")

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from api.models import ApiToken


class Command(BaseCommand):
    help = (
        "Make an API token for a user and print it on the last line (shown this once: only "
        "its hash is stored)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="The owner's username.")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument(
            "--read-only", action="store_true", help="It may read, and change nothing."
        )

    def handle(self, *args: Any, user: str, name: str, read_only: bool, **options: Any) -> None:
        owner = User.objects.filter(username=user).first()
        if owner is None:
            raise CommandError(f"No user is named {user!r}.")
        token, secret = ApiToken.issue(owner, name, read_only=read_only)
        access = "read-only" if read_only else "read and write"
        self.stdout.write(f"Made the {access} token “{token.name}” for {owner.username}:")
        self.stdout.write(secret)

import time
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo import generator as demo


class Command(BaseCommand):
    help = (
        "Create demo owners with years of realistic data (vehicles, fuel, maintenance, stations)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")
        parser.add_argument("--users", type=int, default=1)
        parser.add_argument("--vehicles-per-user", type=int, default=3)
        parser.add_argument("--fuel-logs-per-vehicle", type=int, default=150)
        parser.add_argument("--maintenance-per-vehicle", type=int, default=12)
        parser.add_argument("--prefix", default="demo", help="Usernames: demo, demo2, demo3, ...")
        parser.add_argument("--password", default="demo-motovault")

    def handle(self, *args: Any, **options: Any) -> None:
        for name in (
            "users",
            "vehicles_per_user",
            "fuel_logs_per_vehicle",
            "maintenance_per_vehicle",
        ):
            if options[name] < 0:
                raise CommandError(f"--{name.replace('_', '-')} cannot be negative.")
        if options["vehicles_per_user"] > 0 and options["users"] < 1:
            raise CommandError("--users must be at least 1.")
        prefix = options["prefix"]
        if User.objects.filter(username=prefix).exists():
            raise CommandError(
                f"User {prefix!r} exists already: the demo data is there. "
                "Log in as that user, or pass another --prefix."
            )
        started = time.monotonic()
        demo.seed(
            seed=options["seed"],
            users=options["users"],
            vehicles_per_user=options["vehicles_per_user"],
            fuel_logs_per_vehicle=options["fuel_logs_per_vehicle"],
            maintenance_per_vehicle=options["maintenance_per_vehicle"],
            prefix=prefix,
            password=options["password"],
            progress=lambda line: self.stdout.write(f"  {line}"),
        )
        total_logs = (
            options["users"] * options["vehicles_per_user"] * options["fuel_logs_per_vehicle"]
        )
        self.stdout.write(
            f"Seeded {options['users']} owner(s), {total_logs:,} fuel logs in "
            f"{time.monotonic() - started:.1f} s. Log in as {prefix!r} with password "
            f"{options['password']!r}."
        )

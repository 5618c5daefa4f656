"""python manage.py import_history --user USERNAME [--format ...] [--vehicle NAME]
[--distance-unit mi|km] [--fuel-unit gal_us|l|gal_uk|kwh] [--date-order mdy|dmy|ymd]
[--map FIELD=COLUMN,...] [--dry-run] FILE"""

from dataclasses import replace
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.models import Preferences
from attachments.models import delete_files
from imports import archive, services
from imports.reading import ImportFileError
from imports.source import FORMATS, read
from motovault import l10n
from motovault.units import DistanceUnit, FuelUnit


class Command(BaseCommand):
    help = (
        "Import a history file (Fuelly, Fuelio, Drivvo, LubeLogger, MotoVault, any CSV, or an "
        "account archive) into a user's vehicles. Prints the preview's summary and the rows "
        "refused, then saves unless --dry-run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="The username to import for.")
        parser.add_argument("--format", default="", choices=[*FORMATS, "archive"])
        parser.add_argument("--vehicle", default="", help="The vehicle of a file naming none.")
        parser.add_argument("--distance-unit", choices=DistanceUnit.values)
        parser.add_argument("--fuel-unit", choices=FuelUnit.values)
        parser.add_argument("--date-order", choices=["mdy", "dmy", "ymd"])
        parser.add_argument("--map", default="", help="FIELD=COLUMN,... for --format csv.")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"There is no user “{options['user']}”.")
        preferences = Preferences.objects.filter(user=user).first()
        regional = preferences.regional if preferences else l10n.DEFAULT
        with l10n.override(regional):
            self._import(user, options)

    def _import(self, user: User, options: dict[str, Any]) -> None:
        try:
            file = open(options["file"], "rb")  # noqa: SIM115 (closed below)
        except OSError as error:
            raise CommandError(f"Cannot open {options['file']}: {error.strerror}.") from None
        with file:
            if options["format"] == "archive":
                self._restore(user, file, options["dry_run"])
                return
            try:
                found = read(
                    file,
                    format=options["format"],
                    mapping=_mapping(options["map"]),
                    date_order=options["date_order"],
                )
            except ImportFileError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(
                f"Read {found.fuel_rows:,} fill-ups and {found.cost_rows:,} costs from "
                f"{FORMATS[found.format]}."
            )
            unnamed = [v for v in found.vehicles if not services.source_name(v)]
            if unnamed and not options["vehicle"]:
                raise CommandError(
                    "This file names no vehicle: say which with --vehicle NAME (created if you "
                    "have none of that name)."
                )
            targets = services.default_targets(
                user, found.vehicles, vehicle_name=options["vehicle"]
            )
            for key, target in targets.items():
                if target.units_asked:
                    targets[key] = replace(
                        target,
                        distance_unit=(
                            options["distance_unit"]
                            if target.source.distance_unit is None and options["distance_unit"]
                            else target.distance_unit
                        ),
                        fuel_unit=(
                            options["fuel_unit"]
                            if target.source.fuel_unit is None and options["fuel_unit"]
                            else target.fuel_unit
                        ),
                    )
            progress = lambda stage, count: self.stdout.write(f"  {count:,} rows {stage}…")  # noqa: E731
            try:
                if options["dry_run"]:
                    made = services.plan(user, found, targets, progress=progress)
                else:
                    made, saved = services.save(user, found, targets, progress=progress)
            except ImportFileError as error:
                raise CommandError(str(error)) from None
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        created = [] if options["dry_run"] else saved.created
        for key, summary in made.summaries.items():
            target = summary.target
            new = target.is_new or key in created
            into = f"new vehicle “{target.name}”" if new else f"“{target.name}”"
            self.stdout.write(
                f"{services.source_name(target.source) or 'The file'} → {into}: "
                f"{summary.fill_ups:,} fill-ups, {summary.costs:,} services, "
                f"{summary.duplicates:,} duplicates skipped, {summary.errors:,} refused, "
                f"{summary.differences:,} economy differences"
                + (
                    f", {summary.first:%Y-%m-%d} to {summary.last:%Y-%m-%d}"
                    if summary.first and summary.last
                    else ""
                )
            )
        for entry in made.refused:
            self.stdout.write(f"  line {entry.line}: refused: {' '.join(entry.messages)}")
        if made.errors > len(made.refused):
            self.stdout.write(f"  and {made.errors - len(made.refused):,} more rows refused.")
        if options["dry_run"]:
            self.stdout.write(
                f"Dry run: would import {made.fill_ups:,} fill-ups and {made.costs:,} services; "
                "nothing saved."
            )
        else:
            self.stdout.write(
                f"Imported {saved.fill_ups:,} fill-ups, {saved.services:,} services, "
                f"{saved.next_services:,} next services scheduled, {saved.vehicles:,} new vehicles."
            )

    def _restore(self, user: User, file: Any, dry_run: bool) -> None:
        try:
            with transaction.atomic():
                summary = archive.restore(user=user, file=file)
                if dry_run:
                    transaction.set_rollback(True)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        if dry_run:
            # Their rows were rolled back.
            delete_files(summary.files_stored)
        self.stdout.write(f"Restored: {summary}" + (" (dry run, nothing saved)" if dry_run else ""))


def _mapping(text: str) -> dict[str, str] | None:
    if not text:
        return None
    mapping: dict[str, str] = {}
    for pair in text.split(","):
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise CommandError(f"--map takes FIELD=COLUMN pairs, not “{pair}”.")
        mapping[field.strip()] = column.strip()
    return mapping

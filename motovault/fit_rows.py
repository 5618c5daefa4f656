"""Rows written before MotoVault bounded dates and text, brought within the bounds so that the
migrations adding the CHECKs (vehicles.models.EARLIEST_DATE and LATEST_DUE_DATE,
motovault.text.MAX_TEXT_LENGTH) succeed, and `bounds()`, those migrations' operations for one
table. Every row stays; what changes is said in the row itself:

- A date before EARLIEST_DATE (a typing slip: 0001 for 2001) becomes EARLIEST_DATE, and the
  row's notes gain a line saying what the date was, so the owner can correct it; so does a due
  date after LATEST_DUE_DATE (9999 for 2025), which becomes LATEST_DUE_DATE.
- Text longer than MAX_TEXT_LENGTH keeps its first characters and ends with a line saying it
  was cut. Nobody types 10,000 characters into a notes box; such text came from a script.
"""

import datetime

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.operations.base import Operation
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from motovault.text import MultiLineField

# The bounds of the CHECKs these migrations add, frozen here rather than imported: what the
# migrations did must not change with the models.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DUE_DATE = datetime.date(2200, 12, 31)
MAX_TEXT_LENGTH = 10_000
CUT_MARKER = f"\n[Cut by a MotoVault upgrade: text is kept to {MAX_TEXT_LENGTH:,} characters.]"


def fit_rows(
    app_label: str,
    model_name: str,
    *,
    dates: tuple[str, ...] = (),
    due_dates: tuple[str, ...] = (),
    texts: tuple[str, ...] = (),
    notes: str | None = None,
) -> migrations.RunPython:
    """An operation bringing `dates` to EARLIEST_DATE at the earliest and `due_dates` to
    LATEST_DUE_DATE at the latest (saying so in `notes`, one of `texts`), and `texts` to
    MAX_TEXT_LENGTH characters at most. Reversing it changes nothing."""
    # (field, bound, the lookup of the dates beyond it)
    bounds = [(name, EARLIEST_DATE, "lt") for name in dates]
    bounds += [(name, LATEST_DUE_DATE, "gt") for name in due_dates]

    def forward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        model = apps.get_model(app_label, model_name)
        rows = model.objects.using(schema_editor.connection.alias)
        lengths = {f"{name}_length": Length(name) for name in texts}
        outside = Q()
        for name, bound, beyond in bounds:
            outside |= Q(**{f"{name}__{beyond}": bound})
        for alias in lengths:
            outside |= Q(**{f"{alias}__gt": MAX_TEXT_LENGTH})
        for row in rows.alias(**lengths).filter(outside).order_by("pk"):
            changes: dict[str, object] = {}
            moved: list[str] = []
            for name, bound, beyond in bounds:
                day = getattr(row, name)
                if day is not None and (day < bound if beyond == "lt" else day > bound):
                    changes[name] = bound
                    moved.append(
                        f"[{name.replace('_', ' ').capitalize()} was {day.isoformat()}, moved to "
                        f"{bound.isoformat()} by a MotoVault upgrade.]"
                    )
            for name in texts:
                value = getattr(row, name)
                if name == notes and moved:
                    tail = "\n".join(moved)
                    value = _cut(value, MAX_TEXT_LENGTH - len(tail) - 1)
                    value = f"{value}\n{tail}" if value else tail
                else:
                    value = _cut(value, MAX_TEXT_LENGTH)
                if value != getattr(row, name):
                    changes[name] = value
            # update(), not save(): the rows' updated_at stays when they were last edited.
            rows.filter(pk=row.pk).update(**changes)

    return migrations.RunPython(forward, migrations.RunPython.noop)


def bounds(
    app_label: str,
    model_name: str,
    *,
    prefix: str,
    dates: tuple[str, ...] = (),
    optional_dates: tuple[str, ...] = (),
    texts: dict[str, str] | None = None,
    notes: str | None = None,
) -> list[Operation]:
    """The operations bounding one table: fit_rows() first, then each of `texts` (a field and
    how its message names it, e.g. {"notes": "the notes"}) becomes a MultiLineField of at most
    MAX_TEXT_LENGTH characters, then a CHECK named `{prefix}_{field}_not_before_1900` on each of
    `dates` (required) and `optional_dates` (may be empty) and one named `{prefix}_{field}_length`
    on each of `texts`."""
    texts = texts or {}
    model = model_name.lower()
    operations: list[Operation] = [
        fit_rows(
            app_label, model_name, dates=dates + optional_dates, texts=tuple(texts), notes=notes
        )
    ]
    operations += [
        migrations.AlterField(
            model_name=model,
            name=name,
            field=MultiLineField(blank=True, max_length=MAX_TEXT_LENGTH),
        )
        for name in texts
    ]
    for name in dates + optional_dates:
        condition = Q(**{f"{name}__gte": EARLIEST_DATE})
        if name in optional_dates:
            condition = Q(**{f"{name}__isnull": True}) | condition
        operations.append(
            migrations.AddConstraint(
                model_name=model,
                constraint=models.CheckConstraint(
                    condition=condition,
                    name=f"{prefix}_{name}_not_before_1900",
                    violation_error_message="The date cannot be before January 1, 1900.",
                ),
            )
        )
    operations += [
        migrations.AddConstraint(
            model_name=model,
            constraint=models.CheckConstraint(
                condition=LessThanOrEqual(Length(name), MAX_TEXT_LENGTH),
                name=f"{prefix}_{name}_length",
                violation_error_message=f"Keep {what} to {MAX_TEXT_LENGTH:,} characters.",
            ),
        )
        for name, what in texts.items()
    ]
    return operations


def _cut(value: str, limit: int) -> str:
    """`value` if it has at most `limit` characters, else its start and CUT_MARKER within them."""
    if len(value) <= limit:
        return value
    return value[: limit - len(CUT_MARKER)] + CUT_MARKER

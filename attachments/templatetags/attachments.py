"""The seam through which the pages of other apps show files: a record's or vehicle's
attachments section, and a vehicle's photo. Their templates load this library; their Python
code never imports the attachments app."""

from typing import Any
from urllib.parse import urlencode

from django import template

from attachments.models import Attachment, Parent
from motovault.navigation import next_url
from vehicles.models import Vehicle

register = template.Library()


@register.inclusion_tag("attachments/_section.html", takes_context=True)
def attachments_section(context: template.Context, parent: Parent) -> dict[str, Any]:
    """The files on a vehicle (its own) or record, with a form to add one: one query."""
    kind = {
        "vehicle": "vehicle",
        "fuel_log": "fuel",
        "maintenance_record": "maintenance",
        "cost": "cost",
        "odometer_reading": "reading",
    }[Attachment.parent_field(parent)]
    request = context["request"]
    # Back here after an upload or a delete, with this page's own `next` if it is a safe one
    # (the rest of the query string is never echoed).
    here = request.path
    if back := next_url(request):
        here += "?" + urlencode({"next": back})
    return {
        "parent": parent,
        "kind": kind,
        "is_vehicle": isinstance(parent, Vehicle),
        "attachments": _files_of(parent),
        "here": here,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("attachments/_photo.html")
def vehicle_photo(vehicle: Vehicle) -> dict[str, Any]:
    """The vehicle's chosen photo, if it has one: the query of its files, which the vehicle
    page's section of files then reuses."""
    photo = next((file for file in _files_of(vehicle) if file.is_vehicle_photo), None)
    return {"photo": photo, "vehicle": vehicle}


def _files_of(parent: Parent) -> list[Attachment]:
    """The parent's files, read once per page (kept on the instance the page renders)."""
    files: list[Attachment] | None = getattr(parent, "_attachments_shown", None)
    if files is None:
        files = list(Attachment.objects.on(parent))
        setattr(parent, "_attachments_shown", files)  # noqa: B010 (not a field of the model)
    return files

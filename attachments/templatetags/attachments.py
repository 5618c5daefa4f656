"""The seam through which the pages of other apps show files: a record's or vehicle's
attachments section, and a vehicle's photo. Their templates load this library; their Python
code never imports the attachments app."""

from typing import Any

from django import template

from attachments.models import Attachment, Parent
from vehicles.models import Vehicle

register = template.Library()


@register.inclusion_tag("attachments/_section.html", takes_context=True)
def attachments_section(context: template.Context, parent: Parent) -> dict[str, Any]:
    """The files on a vehicle (its own) or record, with a form to add one: one query."""
    kind = {"vehicle": "vehicle", "fuel_log": "fuel", "maintenance_record": "maintenance"}[
        Attachment.parent_field(parent)
    ]
    request = context["request"]
    return {
        "parent": parent,
        "kind": kind,
        "is_vehicle": isinstance(parent, Vehicle),
        "attachments": list(Attachment.objects.on(parent)),
        "here": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("attachments/_photo.html")
def vehicle_photo(vehicle: Vehicle) -> dict[str, Any]:
    """The vehicle's chosen photo, if it has one: one query."""
    photo = Attachment.objects.filter(vehicle=vehicle, is_vehicle_photo=True).first()
    return {"photo": photo, "vehicle": vehicle}

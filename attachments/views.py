import uuid

from django.contrib import messages
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from attachments import services
from attachments.content import EXTENSIONS, PDF
from attachments.forms import UploadForm
from attachments.models import Attachment, Parent
from costs.models import Cost
from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord
from motovault.navigation import next_url
from motovault.request_types import AuthenticatedHttpRequest
from vehicles.models import OdometerReading, Vehicle

# The pages a file's parent is shown on, by the parent's kind in the upload address.
PARENTS: dict[
    str,
    tuple[
        type[Vehicle]
        | type[FuelLog]
        | type[MaintenanceRecord]
        | type[Cost]
        | type[OdometerReading],
        str,
    ],
] = {
    "vehicle": (Vehicle, "vehicles:detail"),
    "fuel": (FuelLog, "fuellogs:edit"),
    "maintenance": (MaintenanceRecord, "maintenance:edit"),
    "cost": (Cost, "costs:edit"),
    "reading": (OdometerReading, "vehicles:edit_reading"),
}

# A day in the browser's own cache: files never change under their address.
MAX_AGE = 86_400


@require_POST
def upload(request: AuthenticatedHttpRequest, kind: str, pk: uuid.UUID) -> HttpResponse:
    model, _page = PARENTS[kind]
    parent: Parent = model.objects.owned_or_404(request.user, pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.attach(parent, form.name, form.cleaned_data["file"])
        except services.LimitReached as reached:
            messages.error(request, str(reached))
        except services.ParentGone:
            raise Http404("Deleted meanwhile.") from None
        else:
            messages.success(request, f"Attached {attachment.name}.")
    else:
        for error in form.errors["file"]:
            messages.error(request, str(error))
    return redirect(next_url(request) or _parent_page(parent))


@require_safe
def download(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponseBase:
    attachment = Attachment.objects.owned_or_404(request.user, pk)
    return _serve(attachment, attachment.file, attachment.content_type)


@require_safe
def thumbnail(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponseBase:
    attachment = Attachment.objects.owned_or_404(request.user, pk)
    if not attachment.thumbnail:
        raise Http404("No thumbnail.")
    return _serve(attachment, attachment.thumbnail, "image/webp")


def _serve(attachment: Attachment, stored: FieldFile, content_type: str) -> HttpResponseBase:
    try:
        stream = stored.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    stem = attachment.name.rsplit(".", 1)[0] or "file"
    response = FileResponse(
        stream,
        content_type=content_type,
        filename=f"{stem}.{EXTENSIONS[attachment.content_type]}",
        # Only images and PDFs are ever stored; both are shown in the browser.
        as_attachment=False,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Scripts in a file (a PDF's, should one have slipped through) run in a sandbox without
    # this site's origin, and the file may load nothing.
    response["Content-Security-Policy"] = (
        "sandbox" if content_type == PDF else "sandbox; default-src 'none'; img-src 'self'"
    )
    response["Cache-Control"] = f"private, max-age={MAX_AGE}"
    return response


@require_http_methods(["GET", "POST"])
def delete(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    attachment = Attachment.objects.select_related(
        "vehicle",
        "fuel_log__vehicle",
        "maintenance_record__vehicle",
        "cost__vehicle",
        "odometer_reading__vehicle",
    ).owned_or_404(request.user, pk)
    back = next_url(request) or _parent_page(attachment.parent)
    if request.method == "POST":
        attachment.delete()  # its files go once this commits (models.connect_file_deletion)
        messages.success(request, f"Deleted {attachment.name}.")
        return redirect(back)
    return render(request, "attachments/delete.html", {"attachment": attachment, "back": back})


@require_POST
def set_photo(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    attachment = Attachment.objects.select_related("vehicle").owned_or_404(request.user, pk)
    if attachment.vehicle is None or not attachment.is_image:
        raise Http404("Only a vehicle's own images can be its photo.")
    services.set_vehicle_photo(attachment)
    messages.success(request, f"{attachment.name} is now the photo of {attachment.vehicle}.")
    return redirect(next_url(request) or _parent_page(attachment.vehicle))


def _parent_page(parent: Parent) -> str:
    for model, page in PARENTS.values():
        if isinstance(parent, model):
            return str(reverse(page, args=[parent.pk]))
    raise TypeError(parent)

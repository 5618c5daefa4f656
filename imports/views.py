from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import session_preferences
from accounts.models import Preferences
from imports import archive, services
from imports.forms import ChoicesForm, MappingForm, UploadForm
from imports.models import Upload
from imports.reading import ImportFileError, open_text
from imports.source import FORMATS, ImportFile, read
from motovault import l10n
from motovault.request_types import AuthenticatedHttpRequest
from vehicles.models import Vehicle

ZIP = b"PK\x03\x04"


@require_http_methods(["GET", "POST"])
def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        chosen = form.cleaned_data["format"]
        if chosen == "archive" or (not chosen and file.read(4) == ZIP):
            file.seek(0)
            try:
                summary = archive.restore(user=request.user, file=file)
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                # The restored locale, currency and time zone apply from the next page on.
                restored = Preferences.objects.filter(user=request.user).first()
                session_preferences.remember(request, restored or Preferences())
                messages.success(request, f"Your archive is restored: {summary}.")
                return redirect("dashboard")
        else:
            file.seek(0)
            Upload.objects.expired().delete_with_files()
            stored = Upload(user=request.user, name=file.name[:255], format=chosen)
            stored.file.save(f"{stored.pk}.csv", file, save=False)
            stored.save()
            if chosen != "csv":
                try:
                    with stored.file.open("rb"):
                        _read(stored, None)
                except ImportFileError as error:
                    Upload.objects.filter(pk=stored.pk).delete_with_files()
                    form.add_error("file", str(error))
                    return render(request, "imports/upload.html", {"form": form}, status=400)
            return redirect("imports:preview", pk=stored.pk)
    status = 400 if form.is_bound else 200
    return render(request, "imports/upload.html", {"form": form}, status=status)


def _read(stored: Upload, mapping: dict[str, str] | None) -> ImportFile:
    stored.file.seek(0)
    return read(stored.file, format=stored.format, mapping=mapping)


def _headers(stored: Upload) -> list[str]:
    stored.file.seek(0)
    first = next(open_text(stored.file, None).records(), None)
    return [cell.strip() for cell in first.cells] if first else []


@require_http_methods(["GET", "POST"])
def preview(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """The preview; posted, with the owner's choices changed ("Update preview": a post, so
    that the form's CSRF token never lands in a URL). Nothing is saved either way."""
    return _preview(request, pk, request.POST if request.method == "POST" else request.GET)


@require_POST
def confirm(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    return _preview(request, pk, request.POST, saving=True)


def _preview(
    request: AuthenticatedHttpRequest, pk: Any, data: QueryDict, *, saving: bool = False
) -> HttpResponse:
    stored = Upload.objects.owned_or_404(request.user, pk)
    try:
        stored.file.open("rb")
    except OSError:
        return _unreadable(request, stored, "The file uploaded is gone; upload it again.")
    with stored.file:
        return _page(request, stored, data, saving=saving)


def _page(
    request: AuthenticatedHttpRequest, stored: Upload, data: QueryDict, *, saving: bool
) -> HttpResponse:
    """The preview of the upload with the owner's choices in `data`, or, `saving`, the import
    itself."""
    context: dict[str, Any] = {"upload": stored, "formats": FORMATS}
    mapping = None
    if stored.format == "csv":
        try:
            headers = _headers(stored)
        except ImportFileError as error:
            return _unreadable(request, stored, str(error))
        mapping_form = MappingForm(data or None, headers=headers)
        context["mapping_form"] = mapping_form
        if not mapping_form.is_valid():
            return render(request, "imports/preview.html", context)
        mapping = mapping_form.mapping()
    try:
        found = _read(stored, mapping)
    except ImportFileError as error:
        if mapping is not None:
            context["mapping_error"] = str(error)
            return render(request, "imports/preview.html", context, status=400)
        return _unreadable(request, stored, str(error))
    vehicles = list(Vehicle.objects.for_owner(request.user))
    options: dict[str, Any] = {
        "user": request.user,
        "sources": found.vehicles,
        "date_order": found.date_order,
        "vehicles": vehicles,
    }
    choices = ChoicesForm(**options)
    if "vehicle_0" in data:
        choices = ChoicesForm(data, **options)
        if choices.unknown_vehicles():
            raise Http404("No such vehicle.")
    else:
        initial = QueryDict(mutable=True)
        for key in data:
            initial.setlist(key, data.getlist(key))
        for name, field in choices.fields.items():
            value = choices.get_initial_for_field(field, name)
            if value not in (None, ""):
                initial[name] = value
        choices = ChoicesForm(initial, **options)
    context.update(
        found=found,
        format_label=FORMATS.get(found.format, ""),
        choices=choices,
        date_field=choices["date_order"] if "date_order" in choices.fields else None,
        sources=[choices.rows_of(index) for index in range(len(found.vehicles))],
    )
    if not choices.is_valid():
        return render(request, "imports/preview.html", context, status=400 if saving else 200)
    targets = choices.targets()
    try:
        if saving:
            made, saved = services.save(
                request.user, found, targets, date_order=choices.chosen_date_order
            )
        else:
            made = services.plan(request.user, found, targets, date_order=choices.chosen_date_order)
    except ImportFileError as error:
        return _unreadable(request, stored, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("imports:preview", pk=stored.pk)
    if saving:
        Upload.objects.filter(pk=stored.pk).delete_with_files()
        messages.success(
            request,
            f"Imported {l10n.number(saved.fill_ups)} fill-ups and "
            f"{l10n.number(saved.services)} services"
            + (f" into {l10n.number(saved.vehicles)} new vehicles" if saved.vehicles else "")
            + (
                f"; {l10n.number(made.duplicates)} already stored were skipped"
                if made.duplicates
                else ""
            )
            + ".",
        )
        return redirect("fuellogs:index")
    shown, hidden = made.shown()
    abbreviations = {
        l10n.economy_abbreviation(target.vehicle_units()[1]) for target in targets.values()
    }
    context.update(
        plan=made,
        shown=shown,
        hidden=hidden,
        economy_unit=abbreviations.pop() if len(abbreviations) == 1 else "",
    )
    return render(request, "imports/preview.html", context)


def _unreadable(request: AuthenticatedHttpRequest, stored: Upload, message: str) -> HttpResponse:
    Upload.objects.filter(pk=stored.pk).delete_with_files()
    form = UploadForm(user=request.user)
    return render(request, "imports/upload.html", {"form": form, "file_error": message}, status=400)

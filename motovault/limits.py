"""A cap on request bodies as a whole.

DATA_UPLOAD_MAX_MEMORY_SIZE only counts form fields: a file part of a multipart post would
still be read and spooled to disk, however large. The import page's upload alone takes a file,
up to MAX_UPLOAD_BODY_SIZE, and the attachments' uploads, up to MAX_ATTACHMENT_BODY_SIZE."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string

# The JSON API's paths (api.urls): its clients read JSON, not a page.
API_PATH = "/api/"


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("Bad Content-Length.", status=400, content_type="text/plain")
        importing = request.path_info == settings.IMPORT_UPLOAD_PATH
        attaching = request.path_info.startswith(settings.ATTACHMENT_UPLOAD_PATH)
        api = request.path_info.startswith(API_PATH)
        if importing:
            limit = settings.MAX_UPLOAD_BODY_SIZE
        elif attaching:
            limit = settings.MAX_ATTACHMENT_BODY_SIZE
        elif api:
            # A JSON body is read whole (request.body), which Django refuses beyond this
            # with an error of its own, deep in the view.
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        else:
            limit = settings.MAX_REQUEST_BODY_SIZE
        if length > limit:
            # An upload's own limit is the file's, not the body's (which adds the form).
            if importing:
                shown = settings.IMPORT_MAX_BYTES
            elif attaching:
                shown = settings.ATTACHMENT_MAX_BYTES
            else:
                shown = limit
            if api:
                # A script reads JSON: the page's sentence, without the page.
                detail = (
                    f"MotoVault takes at most {filesizeformat(shown)} at once. Nothing was saved."
                )
                return JsonResponse({"detail": detail}, status=413)
            context = {"limit": shown, "importing": importing, "request_path": request.path}
            return HttpResponse(render_to_string("413.html", context), status=413)
        return self.get_response(request)

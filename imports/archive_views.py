"""The account archive's download ("Download all my data" on the account page)."""

import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from imports import archive
from motovault.replica import replica_view
from motovault.request_types import AuthenticatedHttpRequest


@require_safe
@replica_view
def download(request: AuthenticatedHttpRequest) -> FileResponse:
    """The owner's archive (imports.archive.write), built in a temporary file on disk, so that
    memory stays flat however long the history, then sent from it."""
    # FileResponse closes it once sent (which deletes it).
    spooled = tempfile.TemporaryFile()  # noqa: SIM115
    archive.write(request.user, spooled)
    spooled.seek(0)
    name = f"motovault-{request.user.get_username()}-{timezone.localdate():%Y-%m-%d}.zip"
    return FileResponse(spooled, as_attachment=True, filename=name, content_type="application/zip")

"""Storage and rows kept in step: files no row names are removed (an upload whose row was never
saved, a deletion whose commit hook did not run), and rows whose file is gone are reported."""

import datetime
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.files.storage import Storage, default_storage
from django.utils import timezone

from attachments.models import PREFIX, Attachment, delete_files

# A file this recent may belong to an upload whose row is not committed yet.
GRACE = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Sweep:
    removed: list[str]
    missing: list[uuid.UUID]


def sweep(storage: Storage = default_storage) -> Sweep:
    """Remove orphaned files older than GRACE; list the rows whose file is missing. Safe to
    run twice at once: deleting a file already gone does nothing."""
    started = timezone.now()
    present = set(_walk(storage, PREFIX.rstrip("/")))
    # Read after listing, so a row saved meanwhile protects its file.
    rows = Attachment.objects.values_list("pk", "file", "thumbnail", "created_at")
    known = {name for _pk, file, thumb, _at in rows for name in (file, thumb) if name}
    orphans = [name for name in sorted(present - known) if _older(storage, name, started - GRACE)]
    delete_files(orphans)
    missing = [pk for pk, file, _thumb, at in rows if file not in present and at < started]
    return Sweep(removed=orphans, missing=missing)


def _older(storage: Storage, name: str, moment: datetime.datetime) -> bool:
    """Whether the file was last written before `moment`; False once it is gone, as when a
    sweep on another server removed it after this one listed it."""
    try:
        return storage.get_modified_time(name) < moment
    except FileNotFoundError:
        return False


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}")

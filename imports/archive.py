"""Restores a whole account from the archive "Download all my data" writes (a ZIP file)."""

from typing import IO, Any

from django.contrib.auth.models import User

from imports.reading import ImportFileError


def restore(*, user: User, file: IO[bytes]) -> dict[str, Any]:
    """Recreate everything in the archive `file` for `user`, whose account has no vehicles, and
    return a summary of what was created. Raises ImportFileError, saving nothing, for a file
    that is not an archive MotoVault wrote (or one edited by hand)."""
    raise ImportFileError("Restoring an archive is not available yet.")

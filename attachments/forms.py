import unicodedata
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from attachments.content import Prepared, Refused, prepare


class UploadForm(forms.Form):
    """One file, checked for size and type; `prepared` holds what is stored of it."""

    file = forms.FileField(
        error_messages={
            "required": "Choose a file or take a photo.",
            "empty": "This file is empty.",
        }
    )

    def clean_file(self) -> Prepared:
        upload = self.cleaned_data["file"]
        limit = settings.ATTACHMENT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"This file is {filesizeformat(upload.size)}; files can be at most "
                f"{filesizeformat(limit)}."
            )
        self.name = display_name(upload.name or "")
        try:
            return prepare(upload.read())
        except Refused as refused:
            raise forms.ValidationError(str(refused)) from None


def display_name(name: str) -> str:
    """The owner's file name, for display: its last part only (browsers may send a path),
    without control or invisible characters, at most 255 characters."""
    last = PurePosixPath(name.replace("\\", "/")).name
    kept = "".join(
        char for char in last if unicodedata.category(char)[0] not in "CZ" or char == " "
    )
    return kept.strip()[:255] or "file"

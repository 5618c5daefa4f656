"""Text as people type it, and what MotoVault keeps of it.

Control characters (Unicode's Cc: C0, DEL and C1) are never kept: they are invisible, break
exports and terminals, and PostgreSQL refuses NUL outright. One-line text keeps none of them;
multi-line text keeps line breaks and tabs. The model fields below hand their forms the form
fields that do this, so every ModelForm (the owner's and the admin's) cleans the same way.
"""

import re
from typing import Any

from django import forms
from django.db import models

# The most a person writes in a notes box: about four typed pages. The forms and the database
# (a CHECK on each column) both hold it.
MAX_TEXT_LENGTH = 10_000

# Line breaks and other whitespace controls become a space, so "Main\nSt" stays two words.
_SPACING_CONTROLS = re.compile(r"[\t\n\v\f\r\x85]+")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROLS_BUT_TAB_AND_LF = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def single_line(value: str) -> str:
    """`value` without control characters; line breaks and tabs become one space."""
    return _CONTROLS.sub("", _SPACING_CONTROLS.sub(" ", value))


def multi_line(value: str) -> str:
    """`value` with line breaks as "\\n" (browsers send "\\r\\n"; a textarea's maxlength counts
    one character) and tabs; every other control character is dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS_BUT_TAB_AND_LF.sub("", value)


class SingleLineFormField(forms.CharField):
    def to_python(self, value: Any | None) -> str | None:
        if value not in self.empty_values:
            value = single_line(str(value))
        return super().to_python(value)


class MultiLineFormField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if self.max_length is not None:
            self.error_messages["max_length"] = (
                f"Keep this to {self.max_length:,} characters; it has %(show_value)d."
            )

    def to_python(self, value: Any | None) -> str | None:
        if value not in self.empty_values:
            value = multi_line(str(value))
        return super().to_python(value)


class SingleLineField(models.CharField):
    """A CharField whose forms drop control characters."""

    def formfield(self, **kwargs: Any) -> forms.Field | None:
        return super().formfield(**{"form_class": SingleLineFormField, **kwargs})


class MultiLineField(models.TextField):
    """A TextField of at most MAX_TEXT_LENGTH characters (in forms; the model's Meta adds the
    database's CHECK) whose forms drop control characters but line breaks and tabs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_TEXT_LENGTH)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs: Any) -> forms.Field | None:
        return super().formfield(**{"form_class": MultiLineFormField, **kwargs})

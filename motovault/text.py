"""Text as people type it, and what MotoVault keeps of it.

Control characters (Unicode's Cc: C0, DEL and C1) are never kept: they are invisible, break
exports and terminals, and PostgreSQL refuses NUL outright. Nor are the other characters that
show as nothing (`is_invisible`): a zero-width space makes two names that look the same differ,
a right-to-left override shows "Shell\u202eAB" as "ShellBA", a Hangul filler makes a name that
looks blank. Kept are only the few invisible characters that change how the visible ones around
them look (`_KEPT`). One-line text keeps no control character; multi-line text keeps line breaks
and tabs. The model fields below hand their forms the form
fields that do this, so every ModelForm (the owner's and the admin's) cleans the same way.
"""

import re
import unicodedata
from typing import Any

from django import forms
from django.db import models

# The most a person writes in a notes box: about four typed pages. The forms and the database
# (a CHECK on each column) both hold it.
MAX_TEXT_LENGTH = 10_000

# Line breaks and other whitespace controls become a space, so "Main\nSt" stays two words.
_SPACING_CONTROLS = re.compile(r"[\t\n\v\f\r\x85]+")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
_CONTROLS_BUT_TAB_AND_LF = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# Unicode's default-ignorable code points (DerivedCoreProperties.txt) that are not format
# characters (Cf): they show as nothing as well. U+034F COMBINING GRAPHEME JOINER, the Hangul
# fillers, Khmer inherent vowels, variation selectors, and the unassigned ones Unicode reserves
# as ignorable.
_OTHER_IGNORABLE = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u2065\u3164\ufe00-\ufe0f\uffa0"
    "\ufff0-\ufff8\U000e0000\U000e0002-\U000e001f\U000e0080-\U000e0fff]"
)
# The invisible characters text keeps, because they change how the visible ones around them
# look: ZWNJ and ZWJ (Persian and Indic scripts; emoji sequences such as the woman mechanic,
# U+1F469 U+200D U+1F527), the direction marks LRM, RLM and ALM (right-to-left text around
# numbers and punctuation; unlike embeddings, overrides and isolates they reorder nothing), and
# variation selectors (a red heart is U+2764 U+FE0F).
_KEPT = frozenset(
    "\u200c\u200d\u200e\u200f\u061c\u180b\u180c\u180d\u180f"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)


def is_invisible(char: str) -> bool:
    """Whether `char` shows as nothing: a control character (Cc), a format character (Cf, such
    as U+200B ZERO WIDTH SPACE, U+202E RIGHT-TO-LEFT OVERRIDE, U+FEFF, U+00AD SOFT HYPHEN), or
    another default-ignorable code point (U+3164 HANGUL FILLER, variation selectors)."""
    return unicodedata.category(char) in ("Cc", "Cf") or bool(_OTHER_IGNORABLE.match(char))


def single_line(value: str) -> str:
    """`value` without control or other invisible characters (but `_KEPT`); line breaks and
    tabs become one space."""
    return _visible(_SPACING_CONTROLS.sub(" ", value), _CONTROLS)


def multi_line(value: str) -> str:
    """`value` with line breaks as "\\n" (browsers send "\\r\\n"; a textarea's maxlength counts
    one character) and tabs; every other control or invisible character (but `_KEPT`) is
    dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _visible(value, _CONTROLS_BUT_TAB_AND_LF, keep="\t\n")


def _visible(value: str, ascii_controls: re.Pattern[str], keep: str = "") -> str:
    if value.isascii():  # the common case, quickly
        return ascii_controls.sub("", value)
    return "".join(
        char for char in value if char in keep or char in _KEPT or not is_invisible(char)
    )


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

import unicodedata
from urllib.parse import unquote, urlsplit

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

# Percent-decoding rounds checked: a double-encoded "%252F%252F" is still caught, and a value
# that keeps decoding further than this is refused rather than trusted.
DECODE_ROUNDS = 3


def same_site_path(value: str | None) -> str | None:
    """`value` when it is an absolute path on this site ("/vehicles/<id>/", "/stations/?q=x");
    None otherwise. Refused: a scheme ("https://", "javascript:"), "//host" and "/\\host"
    (browsers read both as another host), bare words, backslashes, whitespace and control
    characters (browsers drop tabs and newlines, so "/\\t/host" becomes "//host"), also after
    percent-decoding."""
    if not value or not value.startswith("/"):
        return None
    if any(char.isspace() or char == "\\" or _is_control(char) for char in value):
        return None
    decoded = value
    for _ in range(DECODE_ROUNDS + 1):
        if not _is_plain_path(decoded):
            return None
        decoded, previous = unquote(decoded), decoded
        if decoded == previous:
            return value
    return None


def next_url(request: HttpRequest) -> str | None:
    """The `next` address a form was opened with (e.g. the vehicle page), when it is a path on
    this site; None otherwise, so nobody can be sent elsewhere through a crafted link."""
    return same_site_path(request.POST.get("next") or request.GET.get("next"))


def back_url(request: HttpRequest, default: str) -> str:
    """The validated `next` page, else the page named `default` (a URL name of ours: what the
    request carries is only ever used as a path, never looked up as a view name)."""
    return next_url(request) or reverse(default)


def redirect_back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Redirect to `back_url(request, default)`."""
    return HttpResponseRedirect(back_url(request, default))


def _is_plain_path(value: str) -> bool:
    if not value.startswith("/") or value[1:2] in ("/", "\\"):
        return False
    if any(_is_control(char) for char in value):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc


def _is_control(char: str) -> bool:
    # Cc: C0/C1 controls such as tab, newline, NUL; Cf: invisible format characters.
    return unicodedata.category(char) in ("Cc", "Cf")

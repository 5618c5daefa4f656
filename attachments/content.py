"""What an uploaded file is, judged from its bytes alone (never its name or the browser's claim),
and the copy of it that is stored: images decoded and written again without their metadata
(EXIF and its GPS location, XMP, text chunks), with a thumbnail; HEIC photos converted to JPEG;
PDFs as they are, refused when they carry JavaScript."""

import io
import re
import warnings
import zlib
from dataclasses import dataclass

from pi_heif import register_heif_opener
from PIL import Image, ImageOps, UnidentifiedImageError

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
# What is stored: an upload of another type (HEIC) is stored as one of these.
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp", PDF: "pdf"}
# What Pillow calls each image format when it writes one.
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}

# The iPhone camera's format. Only Safari shows HEIC, so a HEIC photo is stored as a JPEG
# (decoded by libheif through pi-heif, written afresh like every image): it opens in every
# browser, and its metadata stays behind. pi-heif is pillow-heif without the encoders: its wheels
# bundle libheif and libde265 (LGPL) but not x265 (GPL), which decoding never needs.
HEIC = "image/heic"
HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
# What an image of each type is read as, and stored as.
_READ_AS = {**PILLOW_FORMATS, HEIC: "HEIF"}
_STORED_AS = {JPEG: JPEG, PNG: PNG, WEBP: WEBP, HEIC: JPEG}
# Only the main picture is read: no embedded thumbnail, depth map or auxiliary image.
register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)

# Larger images are refused rather than decoded: 50 megapixels is beyond any phone's photo,
# and a small file claiming more is a decompression bomb.
MAX_PIXELS = 50_000_000
THUMBNAIL_SIZE = (480, 480)
# Compressed PDF streams are inflated to look for JavaScript, up to this much in all.
MAX_PDF_INFLATED = 64 * 1024 * 1024

# A PDF name for JavaScript: /JS or /JavaScript, also with #xx escapes (/J#53).
_PDF_NAME = re.compile(rb"/[A-Za-z0-9#]+")
_PDF_STREAM = re.compile(rb"stream\r?\n")
_SCRIPT_NAMES = {b"/JS", b"/JavaScript"}

ACCEPTED = "JPEG, PNG, WebP, HEIC or PDF"


class Refused(Exception):
    """The file is not one MotoVault stores; the message says why, to the owner, and `reason`
    in a few words, for a summary of many files (an archive's restore)."""

    def __init__(self, message: str, reason: str = "not an allowed type") -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Prepared:
    """What is stored for an upload: its content, its type, and a thumbnail for images."""

    content: bytes
    content_type: str
    thumbnail: bytes | None


def sniff(head: bytes) -> str | None:
    """The type the first bytes of a file show (one of EXTENSIONS, or HEIC), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS:
        return HEIC
    return None


def prepare(data: bytes) -> Prepared:
    """The stored form of an upload's bytes (a HEIC photo becomes a JPEG); Refused with the
    owner's message otherwise."""
    kind = sniff(data[:32])
    if kind is None:
        raise Refused(f"This file is not a {ACCEPTED} file. Only those can be attached.")
    if kind == PDF:
        if has_javascript(data):
            raise Refused(
                "This PDF contains JavaScript, so it cannot be attached.", "a PDF with JavaScript"
            )
        return Prepared(data, PDF, None)
    return _clean_image(data, kind)


def _clean_image(data: bytes, kind: str) -> Prepared:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[_READ_AS[kind]])
            if image.width * image.height > MAX_PIXELS:
                raise _too_large()
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Refused(
            f"This image could not be read. Attach a {ACCEPTED} file.", "unreadable"
        ) from None
    except Image.DecompressionBombWarning:
        raise _too_large() from None
    # The camera's rotation is applied to the pixels, since its EXIF tag goes with the rest.
    upright = ImageOps.exif_transpose(image)
    stored_as = _STORED_AS[kind]
    content = _encode(upright, stored_as)
    thumb = upright.copy()
    thumb.thumbnail(THUMBNAIL_SIZE)
    return Prepared(content, stored_as, _encode(thumb, WEBP))


def _too_large() -> Refused:
    return Refused(
        "This image is too large (more than 50 megapixels).", "an image over 50 megapixels"
    )


def _encode(image: Image.Image, kind: str) -> bytes:
    """The image written afresh: pixels and color profile only. Pillow writes EXIF, XMP or
    text chunks only when given them, and nothing of the original's is passed on."""
    if kind == JPEG and image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    if kind == WEBP and image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    out = io.BytesIO()
    options: dict[str, object] = {}
    if profile := image.info.get("icc_profile"):
        options["icc_profile"] = profile
    if kind == JPEG:
        options["quality"] = 90
    image.save(out, format=PILLOW_FORMATS[kind], **options)
    return out.getvalue()


def has_javascript(pdf: bytes) -> bool:
    """Whether a PDF names JavaScript (an /JS or /JavaScript action), in its plain text or in
    any compressed stream, up to MAX_PDF_INFLATED of them inflated."""
    if _names_script(pdf):
        return True
    budget = MAX_PDF_INFLATED
    for match in _PDF_STREAM.finditer(pdf):
        inflater = zlib.decompressobj()
        try:
            text = inflater.decompress(pdf[match.end() :], budget)
        except zlib.error:
            continue
        budget -= len(text)
        if _names_script(text):
            return True
        if budget <= 0:
            # What could not be read is not trusted.
            return True
    return False


def _names_script(text: bytes) -> bool:
    return any(_unescape(name) in _SCRIPT_NAMES for name in _PDF_NAME.findall(text))


def _unescape(name: bytes) -> bytes:
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), name)

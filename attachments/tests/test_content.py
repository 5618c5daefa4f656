import io
import zlib

import pytest
from PIL import Image

from attachments.content import JPEG, PDF, PNG, WEBP, Refused, has_javascript, prepare
from attachments.tests.conftest import GPS_IFD, MINIMAL_PDF, image_bytes


@pytest.mark.parametrize(("fmt", "kind"), [("JPEG", JPEG), ("PNG", PNG), ("WEBP", WEBP)])
def test_it_keeps_each_image_type_with_a_thumbnail(fmt, kind):
    prepared = prepare(image_bytes(fmt, size=(1200, 900)))
    assert prepared.content_type == kind
    assert Image.open(io.BytesIO(prepared.content)).format == fmt
    thumb = Image.open(io.BytesIO(prepared.thumbnail))
    assert thumb.format == "WEBP"
    assert max(thumb.size) == 480


def test_it_keeps_a_pdf_as_it_is():
    prepared = prepare(MINIMAL_PDF)
    assert (prepared.content_type, prepared.content, prepared.thumbnail) == (PDF, MINIMAL_PDF, None)


def test_it_stores_a_heic_photo_as_a_jpeg_with_a_thumbnail():
    # A real HEIC file, as an iPhone writes it (made with pillow-heif; files/ holds them).
    heic = image_bytes("HEIF", size=(1200, 900))
    assert heic[4:12] == b"ftypheic"
    prepared = prepare(heic)
    assert prepared.content_type == JPEG
    stored = Image.open(io.BytesIO(prepared.content))
    assert (stored.format, stored.size) == ("JPEG", (1200, 900))
    assert stored.getpixel((600, 450)) == pytest.approx((200, 30, 30), abs=8)
    thumb = Image.open(io.BytesIO(prepared.thumbnail))
    assert (thumb.format, thumb.size) == ("WEBP", (480, 360))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_it_removes_the_exif_location(fmt):
    original = image_bytes(fmt, gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test's own premise
    stored = prepare(original).content
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"PhoneMaker" not in stored


def test_it_removes_xmp_and_png_text():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "48.8582,2.2945")
    png = prepare(image_bytes("PNG", pnginfo=info)).content
    jpeg = prepare(image_bytes("JPEG", xmp=b"<x:xmpmeta>exif:GPSLatitude 48</x:xmpmeta>")).content
    assert b"48.8582" not in png
    assert b"GPSLatitude" not in jpeg


def test_it_applies_the_camera_rotation_before_dropping_it():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    stored = prepare(image_bytes("JPEG", size=(64, 48), exif=exif)).content
    assert Image.open(io.BytesIO(stored)).size == (48, 64)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"<html><script>alert(1)</script></html>", "not a JPEG, PNG, WebP, HEIC or PDF"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "not a"),
        (b"GIF89a\x01\x00\x01\x00", "not a"),
        (b"\xff\xd8\xff\xe0 then nothing an image decoder can read", "could not be read"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "could not be read"),
        (b"\x00\x00\x00\x18ftypavif\x00\x00\x00\x00mif1avif", "not a"),
        (b"", "not a"),
    ],
    ids=["html", "svg", "gif", "broken-jpeg", "broken-heic", "avif", "empty"],
)
def test_it_refuses_what_is_not_an_allowed_type(data, words):
    with pytest.raises(Refused, match=words):
        prepare(data)


@pytest.mark.parametrize(
    "action",
    [
        b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
        b"/AA << /O << /S /J#61vaScript /J#53 (app.alert(1)) >> >>",
    ],
)
def test_it_refuses_a_pdf_with_javascript(action):
    pdf = MINIMAL_PDF.replace(b"/Type /Catalog", b"/Type /Catalog " + action)
    with pytest.raises(Refused, match="JavaScript"):
        prepare(pdf)


def test_it_finds_javascript_in_a_compressed_stream():
    hidden = zlib.compress(b"<< /S /JavaScript /JS (app.alert(1)) >>")
    pdf = MINIMAL_PDF + b"4 0 obj << /Filter /FlateDecode >> stream\n" + hidden + b"\nendstream"
    assert has_javascript(pdf)
    assert not has_javascript(MINIMAL_PDF + b"4 0 obj << >> stream\n" + zlib.compress(b"BT ET"))


def test_it_refuses_a_decompression_bomb():
    # A small PNG (one bit per pixel, all blank) that decodes to 60 megapixels.
    out = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(out, format="PNG")
    with pytest.raises(Refused, match="too large"):
        prepare(out.getvalue())

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from conftest import make_fill_up
from maintenance.models import MaintenanceRecord

# A PDF of one empty page, written by hand: header, catalog, pages, page, trailer.
MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n"
    b"%%EOF\n"
)

# EXIF's GPS IFD, and the latitude a photo taken at home carries.
GPS_IFD = 0x8825
HOME = {1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)}


# HEIC photos as an iPhone writes them (made once with pillow-heif's encoder, which MotoVault does
# not ship: it only decodes), of the same picture image_bytes draws: with its size and location.
HEIC_FILES = {
    ((1200, 900), False): "iphone-1200x900.heic",
    ((64, 48), True): "iphone-gps-64x48.heic",
}


def image_bytes(fmt: str = "JPEG", size=(64, 48), gps: bool = False, **options) -> bytes:
    if fmt == "HEIF":
        return (Path(__file__).parent / "files" / HEIC_FILES[size, gps]).read_bytes()
    image = Image.new("RGB", size, (200, 30, 30))
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif.get_ifd(GPS_IFD).update(HOME)
        options["exif"] = exif
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def upload(data: bytes, name: str = "receipt.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Every test stores its files in a directory of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def log(vehicle):
    return make_fill_up(vehicle, timezone.localdate() - datetime.timedelta(days=3), 42_100)


@pytest.fixture
def record(vehicle):
    return MaintenanceRecord.objects.create(
        user=vehicle.user,
        vehicle=vehicle,
        type="oil_change",
        is_completed=True,
        completed_date=timezone.localdate(),
    )

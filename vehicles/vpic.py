"""NHTSA vPIC VIN decoding, cached twice: Redis for 30 days, then the `vin_cache` table.

Look-up order: Redis (`vpic:vin:{vin}`) -> a `vin_cache` row younger than 30 days -> vPIC.
A successful decode is written to both; a failed call caches nothing. When vPIC cannot answer,
a stale row is used (with a note saying so), and failing that the offline decode, so adding a
vehicle never depends on the network.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from motovault import l10n
from motovault.http import UpstreamError, json_of, send, storable
from motovault.text import single_line
from vehicles.models import FIRST_MODEL_YEAR, LAST_STORABLE_YEAR, VinCache
from vehicles.vin import decode_offline

logger = logging.getLogger(__name__)

MAX_AGE = timedelta(days=30)

# Fields of the VinCache row (and of the cached dict), sized as the columns are.
_FIELD_LENGTH = 100
# Engines as vPIC describes them; a number outside these is not one.
_MAX_CYLINDERS = 24
_MAX_LITERS = Decimal(100)


# Bump when the cached dict changes shape, so that old entries are ignored.
CACHE_VERSION = 1


def cache_key(vin: str) -> str:
    return f"vpic:vin:{vin}"


class VpicError(Exception):
    """vPIC gave no usable decode: unreachable, an HTTP error, or an answer that is not one."""


class VpicUndecodable(VpicError):
    """vPIC answered, and its answer holds no decode of this VIN."""


@dataclass(frozen=True)
class VinDecode:
    """What is known about a VIN, and where it came from (`source`: "vpic", "cache", "stale"
    or "offline"). `notes` are for the owner: a partial decode, stale or offline data."""

    vin: str
    make: str = ""
    model: str = ""
    year: int | None = None
    engine_type: str = ""
    body_type: str = ""
    manufacturer: str = ""
    raw_data: dict = field(default_factory=dict)
    source: str = "vpic"
    cached_at: datetime | None = None
    notes: tuple[str, ...] = ()


def decode(vin: str) -> VinDecode:
    """Decode a normalized, valid VIN, from a cache when possible. Never raises: without vPIC
    and without a cached row the answer is what the VIN itself encodes."""
    if (hit := cache.get(cache_key(vin), version=CACHE_VERSION)) is not None:
        return _from_row(VinCache(**hit), source="cache")

    row = VinCache.objects.filter(vin=vin).first()
    if row is not None and row.cached_at > timezone.now() - MAX_AGE:
        _cache_in_redis(row)
        return _from_row(row, source="cache")

    try:
        return refresh(vin)
    except VpicError as exc:
        logger.warning("vPIC decode of %s failed: %s", vin, exc)
        failure = (
            "vPIC could not decode this VIN"
            if isinstance(exc, VpicUndecodable)
            else "vPIC could not be reached"
        )
        if row is not None:
            return _from_row(
                row,
                source="stale",
                extra_note=(
                    f"{failure}; this is what it said on "
                    f"{l10n.day(timezone.localdate(row.cached_at))}, which may be out of date."
                ),
            )
        return _offline(vin, failure)


def refresh(vin: str) -> VinDecode:
    """Ask vPIC, whatever is cached, and store a usable answer in both caches.
    Raises VpicError (and stores nothing) when there is no usable answer."""
    result = fetch(vin)
    row, _created = VinCache.objects.update_or_create(
        vin=vin,
        defaults={
            "make": result.make,
            "model": result.model,
            "year": result.year,
            "engine_type": result.engine_type,
            "body_type": result.body_type,
            "raw_data": result.raw_data,
            "cached_at": timezone.now(),
        },
    )
    _cache_in_redis(row)
    return _from_row(row, source="vpic")


def fetch(vin: str) -> VinDecode:
    """One call to vPIC's DecodeVinValues, parsed. Raises VpicError."""
    url = f"{settings.VPIC_BASE_URL}/vehicles/DecodeVinValues/{vin}"
    try:
        response = send("GET", url, params={"format": "json"})
    except UpstreamError as exc:
        raise VpicError(str(exc)) from exc
    try:
        payload = json_of(response)
    except ValueError as exc:
        raise VpicError("vPIC answered with something that is not JSON") from exc
    return parse(vin, payload)


def parse(vin: str, payload: object) -> VinDecode:
    """A DecodeVinValues answer as a VinDecode, whatever the JSON holds: its fields fit their
    columns, and its raw_data can be stored. Raises VpicError when it holds no decode."""
    results = payload.get("Results") if isinstance(payload, dict) else None
    if not isinstance(results, list) or not results or not isinstance(results[0], dict):
        raise VpicUndecodable("vPIC returned no results for this VIN")
    record = storable(results[0])
    result = VinDecode(
        vin=vin,
        make=_tidy_make(_text(record, "Make")),
        model=_text(record, "Model"),
        year=_year(record.get("ModelYear")),
        engine_type=_engine(record),
        body_type=_text(record, "BodyClass"),
        manufacturer=_text(record, "Manufacturer"),
        raw_data=record,
    )
    if not (result.make or result.model or result.year):
        error = _text(record, "ErrorText") or "no error text"
        raise VpicUndecodable(f"vPIC could not decode this VIN ({error})")
    return result


def _from_row(row: VinCache, *, source: str, extra_note: str = "") -> VinDecode:
    notes = [note for note in (_partial_note(row.raw_data), extra_note) if note]
    return VinDecode(
        vin=row.vin,
        make=row.make,
        model=row.model,
        year=row.year,
        engine_type=row.engine_type,
        body_type=row.body_type,
        manufacturer=_text(row.raw_data, "Manufacturer"),
        raw_data=row.raw_data,
        source=source,
        cached_at=row.cached_at,
        notes=tuple(notes),
    )


def _offline(vin: str, failure: str) -> VinDecode:
    offline = decode_offline(vin)
    known = [f"from {offline.country}" if offline.country else "", offline.manufacturer or ""]
    note = f"{failure}, so this is what MotoVault knows offline"
    if any(known):
        note += f" ({', '.join(part for part in known if part)})"
    return VinDecode(
        vin=vin,
        make=offline.make or "",
        model=offline.model or "",
        year=offline.year,
        manufacturer=offline.manufacturer or "",
        source="offline",
        notes=(note + ". Check the fields before saving.",),
    )


def _cache_in_redis(row: VinCache) -> None:
    """Cache the row until it turns 30 days old."""
    remaining = (row.cached_at + MAX_AGE - timezone.now()).total_seconds()
    if remaining <= 0:
        return
    value = {
        "vin": row.vin,
        "make": row.make,
        "model": row.model,
        "year": row.year,
        "engine_type": row.engine_type,
        "body_type": row.body_type,
        "raw_data": row.raw_data,
        "cached_at": row.cached_at,
    }
    cache.set(cache_key(row.vin), value, timeout=int(remaining), version=CACHE_VERSION)


def _partial_note(record: dict) -> str:
    """vPIC's ErrorCode "0" is a clean decode; anything else decoded only in part."""
    code = _text(record, "ErrorCode")
    if code in ("", "0"):
        return ""
    return f"vPIC decoded this VIN only in part: {_text(record, 'ErrorText') or code}."


def _text(record: dict, key: str) -> str:
    """A field of vPIC's answer as one line of text that is safe to show and store: without
    control characters (escape sequences) or invisible ones (a right-to-left override)."""
    value = record.get(key)
    # vPIC sends strings (and an occasional number); an object or a list in their place is no
    # value, not its Python repr.
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return single_line(str(value)).strip()[:_FIELD_LENGTH]


def _tidy_make(make: str) -> str:
    """vPIC spells makes in capitals; "FORD" reads better as "Ford", but "BMW" stays BMW."""
    return make.title() if len(make) > 3 and make.isupper() else make


def _year(value: object) -> int | None:
    """A model year a vehicle can have, or None."""
    year = _integer(value)
    return year if year is not None and FIRST_MODEL_YEAR <= year <= LAST_STORABLE_YEAR else None


def _integer(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        return int(value)
    # OverflowError: int(float("inf")); ValueError also for strings of over 4,300 digits.
    except (ValueError, OverflowError):
        return None


def _engine(record: dict) -> str:
    """e.g. "6 cyl, 3.5 L, Gasoline"."""
    parts = []
    cylinders = _integer(_text(record, "EngineCylinders"))
    if cylinders is not None and 0 < cylinders <= _MAX_CYLINDERS:
        parts.append(f"{cylinders} cyl")
    try:
        liters = Decimal(_text(record, "DisplacementL"))
    except InvalidOperation:
        liters = None
    # Checked before rounding: "1e999999999" is a Decimal, but no rounding of it is.
    if liters is not None and liters.is_finite() and 0 < liters < _MAX_LITERS:
        parts.append(f"{liters.quantize(Decimal('0.1'))} L")
    if fuel := _text(record, "FuelTypePrimary"):
        parts.append(fuel)
    return ", ".join(parts)[:_FIELD_LENGTH]

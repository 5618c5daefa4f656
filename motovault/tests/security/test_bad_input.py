"""Property tests: every form, fed arbitrary text, numbers at and beyond their columns' limits,
negative and huge values and dates far in the past and future, answers with the page or a form
error, never a 500; a refused post stores nothing; and the owner's pages still render."""

import datetime as dt
import itertools
import unicodedata
from decimal import Decimal

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import make_vin
from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord, MaintenanceType, latest_due_date
from motovault.text import MultiLineField, SingleLineField
from stations.models import FavoriteStation
from vehicles.models import Vehicle

SETTINGS = settings(
    max_examples=35,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # Examples are not kept between runs, so nothing is written into the repository.
    database=None,
)

NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n\t",
    "\x1b[31m",
    "\u202eevil",
    "😀" * 60,
    "<script>alert(1)</script>",
    "=1+2",
    "'; DROP TABLE vehicles; --",
    "x" * 101,
    "x" * 201,
    "x" * 5000,
]
text = st.one_of(st.text(max_size=300), st.sampled_from(NASTY_TEXT))

LIMITS = [
    "0",
    "-0",
    "-1",
    "1",
    "0.001",
    "0.0001",
    "999.999",
    "1000",
    "99999.999",
    "100000",
    "999999.99",
    "1000000",
    "9999999",
    "10000000",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "1e5",
    "1E+400",
    "NaN",
    "-Infinity",
    " 12 ",
    "12,5",
]
number = st.one_of(
    st.sampled_from(LIMITS),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    text,
)

FAR_DATES = [
    "0001-01-01",
    "1000-01-01",
    "1885-12-31",
    "1970-01-01",
    "9999-12-31",
    "10000-01-01",
    "-0001-01-01",
    "2024-02-30",
    "0000-00-00",
    "31/12/2020",
]
date = st.one_of(
    st.sampled_from(FAR_DATES),
    st.dates().map(dt.date.isoformat),
    st.dates(max_value=dt.date.today()).map(dt.date.isoformat),
    text,
)
checkbox = st.sampled_from(["on", ""])


def optional(strategy):
    """A field that is sometimes left out of the post altogether."""
    return st.one_of(st.none(), strategy)


# Valid values, as extreme as the columns allow: any character (the forms drop control
# characters, NUL included, which PostgreSQL refuses), up to the column's length; numbers up to
# the limit; dates within the vehicle's history.
def valid_text(max_size: int):
    return st.text(st.characters(exclude_categories=("Cs",)), max_size=max_size)


def valid_int(low: int, high: int):
    return st.one_of(st.sampled_from([low, high]), st.integers(low, high)).map(str)


def valid_decimal(high: str, places: int):
    top = Decimal(high)
    return st.one_of(
        st.sampled_from([top, Decimal(1).scaleb(-places)]),
        st.decimals(Decimal(1).scaleb(-places), top, places=places),
    ).map(str)


def valid_date(low, high=None):
    high = high or timezone.localdate()
    return st.one_of(st.sampled_from([low, high]), st.dates(low, high)).map(dt.date.isoformat)


@st.composite
def form_post(draw, valid: dict, nasty: dict):
    """A valid post with up to three of its fields replaced by anything at all (or left out),
    so that most examples get past the first error to the code behind it. The CSRF token
    field a browser always sends keeps even a post of no field a bound form."""
    data = {name: draw(strategy) for name, strategy in valid.items()}
    for name in draw(st.sets(st.sampled_from(sorted(nasty)), max_size=3)):
        value = draw(optional(nasty[name]))
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return {"csrfmiddlewaretoken": "x"} | data


def table_rows() -> dict:
    """Every row a form could write."""
    return {
        "vehicles": list(Vehicle.objects.order_by("pk").values()),
        "logs": list(FuelLog.objects.order_by("pk").values()),
        "records": list(MaintenanceRecord.objects.order_by("pk").values()),
        "favorites": list(FavoriteStation.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values()),
    }


def stored_control_characters() -> list[str]:
    """Control characters in stored text: none on one line, only line breaks and tabs in
    multi-line text."""
    found = []
    for model in (Vehicle, FuelLog, MaintenanceRecord, FavoriteStation):
        for field in model._meta.fields:
            if not isinstance(field, SingleLineField | MultiLineField):
                continue
            allowed = "\n\t" if isinstance(field, MultiLineField) else ""
            for value in model.objects.values_list(field.name, flat=True):
                found += [
                    f"{field}: {c!r}"
                    for c in value or ""
                    if unicodedata.category(c) == "Cc" and c not in allowed
                ]
    return found


def post_and_check(client, url: str, data: dict, pages: list[str]):
    """Post; a refused post changes no row, a saved one stores no control character; then
    every page renders."""
    before = table_rows()
    response = client.post(url, data)
    assert response.status_code in (200, 302), response.status_code
    event("saved" if response.status_code == 302 else "refused")
    if response.status_code == 200:
        assert response.context["form"].errors, "a re-shown form says what is wrong"
        assert table_rows() == before
    else:
        assert stored_control_characters() == []
    for page in pages:
        assert client.get(page).status_code == 200, page
    return response


# ---- vehicles -------------------------------------------------------------------------------

VEHICLE_VALID = {
    "vin": st.builds(make_vin),
    "year": valid_int(1886, timezone.localdate().year + 1),
    "make": valid_text(100),
    "model": valid_text(100),
    "nickname": valid_text(100),
    "color": valid_text(50),
    "license_plate": valid_text(20),
    "odometer_reading": valid_int(0, 9_999_999),
}
VEHICLE_FIELDS = {
    "vin": text,
    "vin_check_digit_waived": checkbox,
    "year": number,
    "make": text,
    "model": text,
    "nickname": text,
    "color": text,
    "license_plate": text,
    "odometer_reading": number,
}


def vehicle_pages(vehicle=None) -> list[str]:
    pages = [reverse("dashboard"), reverse("vehicles:index")]
    for v in Vehicle.objects.filter(pk=vehicle.pk) if vehicle else []:
        pages.append(v.get_absolute_url())
    return pages


@SETTINGS
@given(data=form_post(VEHICLE_VALID, VEHICLE_FIELDS))
def test_it_survives_anything_posted_to_vehicle_add(owner_client, owner, data):
    response = post_and_check(owner_client, reverse("vehicles:add"), data, vehicle_pages())
    if response.status_code == 302:
        assert owner_client.get(response["Location"]).status_code == 200


@SETTINGS
@given(data=form_post(VEHICLE_VALID, {**VEHICLE_FIELDS, "is_active": checkbox}))
def test_it_survives_anything_posted_to_vehicle_edit(owner_client, world, data):
    url = reverse("vehicles:edit", args=[world.vehicle.pk])
    post_and_check(owner_client, url, data, vehicle_pages(world.vehicle))


# ---- fuel logs ------------------------------------------------------------------------------

FUEL_FIELDS = {
    "date": date,
    "odometer_reading": number,
    "gallons": number,
    "price_per_gallon": number,
    "total_cost": number,
    "is_full_tank": checkbox,
    "missed_previous": checkbox,
    "station_name": text,
    "notes": text,
}


def fuel_data(world):
    valid = {
        "vehicle": st.just(str(world.vehicle.pk)),
        "date": valid_date(low=world.vehicle.earliest_date),
        "odometer_reading": valid_int(0, 9_999_999),
        "gallons": valid_decimal("99999.999", 3),
        "price_per_gallon": valid_decimal("999.999", 3),
        "is_full_tank": checkbox,
        "station_name": valid_text(200),
        "notes": valid_text(2000),
    }
    return form_post(valid, {"vehicle": text, **FUEL_FIELDS})


def fuel_pages(world) -> list[str]:
    return [
        reverse("fuellogs:index"),
        reverse("fuellogs:add"),
        reverse("fuellogs:export"),
        world.vehicle.get_absolute_url(),
    ]


@SETTINGS
@given(data=st.data())
def test_it_survives_anything_posted_to_fuel_add(owner_client, world, data):
    posted = data.draw(fuel_data(world))
    post_and_check(owner_client, reverse("fuellogs:add"), posted, fuel_pages(world))


@SETTINGS
@given(data=st.data())
def test_it_survives_anything_posted_to_fuel_edit(owner_client, world, data):
    posted = data.draw(fuel_data(world))
    url = reverse("fuellogs:edit", args=[world.log.pk])
    post_and_check(owner_client, url, posted, fuel_pages(world))


# ---- maintenance ----------------------------------------------------------------------------

RECORD_FIELDS = {
    "type": st.one_of(st.sampled_from(MaintenanceType.values), text),
    "description": text,
    "due_date": date,
    "due_mileage": number,
    "completed_date": date,
    "completed_mileage": number,
    "cost": number,
    "service_location": text,
    "interval_months": number,
    "interval_miles": number,
    "notes": text,
}


def record_data(world, **extra):
    valid = {
        "vehicle": st.just(str(world.vehicle.pk)),
        "kind": st.sampled_from(["scheduled", "done"]),
        "type": st.sampled_from(MaintenanceType.values),
        "description": valid_text(2000),
        "due_date": valid_date(low=world.vehicle.earliest_date, high=latest_due_date()),
        "due_mileage": valid_int(0, 9_999_999),
        "completed_date": valid_date(low=world.vehicle.earliest_date),
        "completed_mileage": valid_int(0, 9_999_999),
        "cost": valid_decimal("999999.99", 2),
        "service_location": valid_text(200),
        "interval_months": optional(valid_int(1, 240)),
        "interval_miles": optional(valid_int(1, 1_000_000)),
        "notes": valid_text(2000),
    }
    valid = {k: v for k, v in valid.items() if k != "kind" or extra}
    return form_post(valid, {"vehicle": text, **RECORD_FIELDS, **extra}).map(
        lambda data: {k: v for k, v in data.items() if v is not None}
    )


def maintenance_pages(world) -> list[str]:
    return [
        reverse("maintenance:index"),
        reverse("maintenance:upcoming"),
        reverse("maintenance:export") + f"?vehicle={world.vehicle.pk}",
        world.vehicle.get_absolute_url(),
        reverse("dashboard"),
    ]


_due = itertools.count(1)


def scheduled_record(world) -> MaintenanceRecord:
    """A fresh recurring scheduled record (an example may complete or edit the last one)."""
    return MaintenanceRecord.objects.create(
        user=world.vehicle.user,
        vehicle=world.vehicle,
        type="tire_rotation",
        due_date=timezone.localdate() + dt.timedelta(days=next(_due) % 400),
        interval_months=6,
        interval_miles=5_000,
    )


@SETTINGS
@given(data=st.data())
def test_it_survives_anything_posted_to_maintenance_add(owner_client, world, data):
    kind = st.one_of(st.sampled_from(["scheduled", "done"]), text)
    posted = data.draw(record_data(world, kind=kind))
    post_and_check(owner_client, reverse("maintenance:add"), posted, maintenance_pages(world))


@SETTINGS
@given(data=st.data())
def test_it_survives_anything_posted_to_maintenance_edit(owner_client, world, data):
    record = scheduled_record(world)
    posted = data.draw(record_data(world))
    url = reverse("maintenance:edit", args=[record.pk])
    post_and_check(owner_client, url, posted, maintenance_pages(world))


@SETTINGS
@given(data=st.data())
def test_it_survives_anything_posted_to_maintenance_complete(owner_client, world, data):
    record = scheduled_record(world)
    posted = data.draw(
        form_post(
            {
                "completed_date": valid_date(low=world.vehicle.earliest_date),
                "completed_mileage": valid_int(0, 9_999_999),
                "cost": valid_decimal("999999.99", 2),
                "service_location": valid_text(200),
            },
            {
                "completed_date": date,
                "completed_mileage": number,
                "cost": number,
                "service_location": text,
            },
        )
    )
    url = reverse("maintenance:complete", args=[record.pk])
    post_and_check(owner_client, url, posted, maintenance_pages(world))


# ---- stations -------------------------------------------------------------------------------


@SETTINGS
@given(
    q=st.one_of(valid_text(200), text),
    lat=optional(st.one_of(st.floats(-90, 90).map(str), number)),
    lng=optional(st.one_of(st.floats(-180, 180).map(str), number)),
)
def test_it_survives_any_station_search(owner_client, world, q, lat, lng):
    params = {"q": q} | {k: v for k, v in (("lat", lat), ("lng", lng)) if v is not None}
    before = table_rows()
    response = owner_client.get(reverse("stations:index"), params)
    assert response.status_code == 200
    # Without a Places key a search only reads stored stations.
    assert table_rows() == before


@SETTINGS
@given(note=optional(st.one_of(valid_text(200), text)))
def test_it_survives_any_favorite_note(owner_client, world, note):
    url = reverse("stations:edit", args=[world.favorite.pk])
    data = {"csrfmiddlewaretoken": "x"} | ({} if note is None else {"note": note})
    post_and_check(owner_client, url, data, [reverse("stations:index"), url])


# ---- signup ---------------------------------------------------------------------------------


@SETTINGS
@given(
    data=form_post(
        {
            "username": st.from_regex(r"\A[\w.@+-]{1,150}\Z"),
            "email": st.one_of(st.just(""), st.emails()),
            "password1": st.just("correct-horse-battery-staple"),
            "password2": st.just("correct-horse-battery-staple"),
        },
        {"username": text, "email": text, "password1": text, "password2": text},
    )
)
def test_it_survives_anything_posted_to_signup(db, data):
    client = Client()
    before = table_rows()
    response = client.post(reverse("signup"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response.context["form"].errors
        assert table_rows() == before
    else:
        assert User.objects.count() == len(before["users"]) + 1
        assert client.get(reverse("dashboard")).status_code == 200


# ---- list filters and pages -----------------------------------------------------------------


@SETTINGS
@given(
    vehicle=optional(text),
    date_from=optional(date),
    date_to=optional(date),
    status=optional(text),
    type_=optional(text),
    show=optional(text),
    page=optional(number),
)
def test_it_survives_any_list_filter(
    owner_client, world, vehicle, date_from, date_to, status, type_, show, page
):
    params = {
        name: value
        for name, value in {
            "vehicle": vehicle,
            "date_from": date_from,
            "date_to": date_to,
            "status": status,
            "type": type_,
            "show": show,
            "page": page,
        }.items()
        if value is not None
    }
    for url in (
        reverse("vehicles:index"),
        reverse("vehicles:deleted"),
        reverse("fuellogs:index"),
        reverse("maintenance:index"),
        reverse("stations:index"),
    ):
        assert owner_client.get(url, params).status_code == 200, url
    # An export answers the owner's vehicle's rows, or 404 for anything else.
    for url in (reverse("fuellogs:export"), reverse("maintenance:export")):
        assert owner_client.get(url, params).status_code in (200, 404), url

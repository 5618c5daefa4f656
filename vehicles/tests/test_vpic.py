import json
from datetime import timedelta

import pytest
import requests
import responses
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from conftest import make_vin
from motovault.tests.strategies import PARSE_SETTINGS, VIEW_SETTINGS, json_values
from motovault.text import single_line
from vehicles import vpic
from vehicles.models import FIRST_MODEL_YEAR, LAST_STORABLE_YEAR, VinCache
from vehicles.tests.conftest import FORD_VIN, vpic_url

BMW_VIN = "WBA3A5C51CF256987"


def test_it_decodes_a_recorded_answer(mocked_vpic, ford_response, db):
    mocked_vpic.get(vpic_url(FORD_VIN), json=ford_response)
    decoded = vpic.decode(FORD_VIN)
    assert (decoded.year, decoded.make, decoded.model) == (2021, "Ford", "F-150")
    assert decoded.engine_type == "6 cyl, 3.5 L, Gasoline"
    assert decoded.body_type == "Pickup"
    assert decoded.source == "vpic"
    assert decoded.notes == ()
    assert mocked_vpic.calls[0].request.url == vpic_url(FORD_VIN) + "?format=json"
    assert mocked_vpic.calls[0].request.headers["User-Agent"].startswith("MotoVault/")


def test_it_stores_a_decode_in_both_caches(mocked_vpic, ford_response, db):
    mocked_vpic.get(vpic_url(FORD_VIN), json=ford_response)
    vpic.decode(FORD_VIN)
    row = VinCache.objects.get(vin=FORD_VIN)
    assert (row.year, row.make, row.model, row.body_type) == (2021, "Ford", "F-150", "Pickup")
    assert row.raw_data["Trim"] == "SuperCrew-SSV"
    assert cache.get(vpic.cache_key(FORD_VIN), version=vpic.CACHE_VERSION)["model"] == "F-150"


def test_it_makes_no_call_for_a_second_decode(mocked_vpic, ford_response, db):
    mocked_vpic.get(vpic_url(FORD_VIN), json=ford_response)
    vpic.decode(FORD_VIN)
    second = vpic.decode(FORD_VIN)
    assert len(mocked_vpic.calls) == 1
    assert second.source == "cache"
    assert second.model == "F-150"


def test_it_uses_a_fresh_row_when_redis_has_nothing(mocked_vpic, db):
    VinCache.objects.create(vin=FORD_VIN, make="Ford", model="F-150", year=2021)
    decoded = vpic.decode(FORD_VIN)
    assert (decoded.source, decoded.model) == ("cache", "F-150")
    assert len(mocked_vpic.calls) == 0
    # ... and puts it back in Redis.
    assert cache.get(vpic.cache_key(FORD_VIN), version=vpic.CACHE_VERSION)["model"] == "F-150"


def test_it_asks_vpic_when_the_row_is_older_than_30_days(mocked_vpic, ford_response, db):
    old = timezone.now() - timedelta(days=31)
    VinCache.objects.create(vin=FORD_VIN, make="Ford", model="Old answer", cached_at=old)
    mocked_vpic.get(vpic_url(FORD_VIN), json=ford_response)
    decoded = vpic.decode(FORD_VIN)
    assert len(mocked_vpic.calls) == 1
    assert decoded.model == "F-150"
    row = VinCache.objects.get(vin=FORD_VIN)
    assert row.model == "F-150"
    assert row.cached_at > old


def test_it_keeps_a_partial_decode_and_says_so(mocked_vpic, partial_response, db):
    mocked_vpic.get(vpic_url(FORD_VIN), json=partial_response)
    decoded = vpic.decode(FORD_VIN)
    assert (decoded.year, decoded.make, decoded.model) == (2011, "BMW", "X3")
    assert decoded.notes == ("vPIC decoded this VIN only in part: 6 - Incomplete VIN.",)
    # The note comes back from the cache too.
    assert vpic.decode(FORD_VIN).notes == decoded.notes


@pytest.mark.parametrize(
    "response",
    [
        {"body": requests.ConnectTimeout("timed out")},
        {"body": requests.ReadTimeout("timed out")},
        {"status": 500, "body": "Internal Server Error"},
        {"status": 404, "body": "Not found"},
        {"body": "<!DOCTYPE html><html><body>Maintenance</body></html>"},
        {"json": {"Count": 0, "Message": "No results", "Results": []}},
        {"json": {"Results": "garbage"}},
        {"json": ["not", "an", "envelope"]},
        {
            "json": {
                "Results": [
                    {
                        "ErrorCode": "400",
                        "ErrorText": "400 - Invalid Characters Present",
                        "Make": "",
                        "Model": "",
                        "ModelYear": "",
                    }
                ]
            }
        },
    ],
    ids=[
        "connect-timeout",
        "read-timeout",
        "500",
        "404",
        "html",
        "empty",
        "garbage",
        "no-envelope",
        "error-code",
    ],
)
def test_it_raises_one_error_and_caches_nothing(mocked_vpic, response, db):
    mocked_vpic.get(vpic_url(FORD_VIN), **response)
    with pytest.raises(vpic.VpicError):
        vpic.fetch(FORD_VIN)
    with pytest.raises(vpic.VpicError):
        vpic.refresh(FORD_VIN)
    assert not VinCache.objects.exists()
    assert cache.get(vpic.cache_key(FORD_VIN), version=vpic.CACHE_VERSION) is None


def test_it_retries_once_on_a_500(mocked_vpic, ford_response, db):
    mocked_vpic.get(vpic_url(FORD_VIN), status=500)
    mocked_vpic.get(vpic_url(FORD_VIN), json=ford_response)
    assert vpic.decode(FORD_VIN).model == "F-150"
    assert len(mocked_vpic.calls) == 2


def test_it_says_why_vpic_failed(mocked_vpic, db):
    mocked_vpic.get(
        vpic_url(FORD_VIN),
        json={"Results": [{"ErrorCode": "400", "ErrorText": "400 - Invalid Characters Present"}]},
    )
    with pytest.raises(vpic.VpicError, match="400 - Invalid Characters Present"):
        vpic.fetch(FORD_VIN)


def test_it_falls_back_to_a_stale_row_with_a_note(mocked_vpic, db):
    VinCache.objects.create(
        vin=FORD_VIN,
        make="Ford",
        model="F-150",
        year=2021,
        cached_at=timezone.now() - timedelta(days=45),
    )
    mocked_vpic.get(vpic_url(FORD_VIN), status=503)
    decoded = vpic.decode(FORD_VIN)
    assert (decoded.source, decoded.make, decoded.model, decoded.year) == (
        "stale",
        "Ford",
        "F-150",
        2021,
    )
    assert "vPIC could not be reached; this is what it said on" in decoded.notes[0]
    assert "may be out of date" in decoded.notes[0]
    # The stale row is not refreshed, and Redis is not filled with it.
    assert cache.get(vpic.cache_key(FORD_VIN), version=vpic.CACHE_VERSION) is None


def test_it_decodes_offline_when_vpic_fails_and_nothing_is_cached(mocked_vpic, db):
    mocked_vpic.get(vpic_url(BMW_VIN), body=requests.ConnectionError("no route"))
    decoded = vpic.decode(BMW_VIN)
    assert (decoded.source, decoded.year, decoded.make, decoded.model) == (
        "offline",
        2012,
        "BMW",
        "328i",
    )
    assert decoded.notes == (
        "vPIC could not be reached, so this is what MotoVault knows offline "
        "(from Germany, BMW AG). Check the fields before saving.",
    )
    assert not VinCache.objects.exists()


def test_it_says_vpic_could_not_decode_rather_than_that_it_was_unreachable(mocked_vpic, db):
    mocked_vpic.get(
        vpic_url(BMW_VIN),
        json={"Results": [{"ErrorCode": "11", "ErrorText": "11 - Incorrect Model Year"}]},
    )
    decoded = vpic.decode(BMW_VIN)
    assert (decoded.source, decoded.make, decoded.model) == ("offline", "BMW", "328i")
    assert decoded.notes[0].startswith(
        "vPIC could not decode this VIN, so this is what MotoVault knows offline"
    )


def test_it_stores_a_decode_with_half_a_unicode_pair(mocked_vpic, ford_response, db):
    # Valid JSON, but "\ud800" is no character: neither UTF-8 nor PostgreSQL can hold it.
    body = json.dumps(ford_response).replace('"F-150"', '"F-150 \\ud800"', 1)
    assert "\\ud800" in body
    mocked_vpic.get(vpic_url(FORD_VIN), body=body, content_type="application/json")
    assert vpic.decode(FORD_VIN).model == "F-150 \ufffd"
    assert VinCache.objects.get().model == "F-150 \ufffd"


def test_it_replaces_a_fresh_row_on_refresh(mocked_vpic, ford_response, db):
    VinCache.objects.create(vin=FORD_VIN, make="Ford", model="Wrong")
    mocked_vpic.get(vpic_url(FORD_VIN), json=ford_response)
    vpic.refresh(FORD_VIN)
    assert VinCache.objects.get(vin=FORD_VIN).model == "F-150"


# ---- Answers no decode should fail on -------------------------------------------------------


def ford_answer_with(ford_response, **fields) -> dict:
    return {**ford_response, "Results": [{**ford_response["Results"][0], **fields}]}


def test_it_stores_a_decode_whose_numbers_are_out_of_range(mocked_vpic, ford_response, db):
    mocked_vpic.get(
        vpic_url(FORD_VIN),
        json=ford_answer_with(
            ford_response,
            ModelYear="99999999999999999999",
            DisplacementL="1e999999999",
            EngineCylinders="1e9",
        ),
    )
    decoded = vpic.decode(FORD_VIN)
    assert (decoded.year, decoded.make, decoded.model) == (None, "Ford", "F-150")
    assert decoded.engine_type == "Gasoline"
    row = VinCache.objects.get(vin=FORD_VIN)
    assert (row.year, row.engine_type) == (None, "Gasoline")
    assert row.raw_data["ModelYear"] == "99999999999999999999"


def test_it_stores_a_decode_with_nul_characters_without_them(mocked_vpic, ford_response, db):
    body = json.dumps(ford_answer_with(ford_response, Make="FO\x00RD", Trim="Super\x00Crew"))
    assert "\\u0000" in body
    mocked_vpic.get(vpic_url(FORD_VIN), body=body, content_type="application/json")
    assert vpic.decode(FORD_VIN).make == "Ford"
    row = VinCache.objects.get(vin=FORD_VIN)
    assert (row.make, row.raw_data["Make"], row.raw_data["Trim"]) == ("Ford", "FORD", "SuperCrew")


def test_it_stores_a_decode_without_escape_sequences_or_invisible_characters(
    mocked_vpic, ford_response, db
):
    answer = ford_answer_with(
        ford_response, Make="FO\u0000RD\u001b[2J\u202e", Model="F-150\u200b\t\u2066"
    )
    mocked_vpic.get(vpic_url(FORD_VIN), json=answer)
    decoded = vpic.decode(FORD_VIN)

    row = VinCache.objects.get(vin=FORD_VIN)
    assert (decoded.make, decoded.model) == (row.make, row.model) == ("Ford[2J", "F-150")


VPIC_FIELDS = [
    "Make",
    "Model",
    "ModelYear",
    "EngineCylinders",
    "DisplacementL",
    "FuelTypePrimary",
    "BodyClass",
    "Manufacturer",
    "ErrorCode",
    "ErrorText",
    "Trim",
]
# Any JSON at all, and answers shaped as vPIC's with any values in its fields.
vpic_answers = json_values | st.fixed_dictionaries(
    {
        "Results": st.lists(
            st.fixed_dictionaries({}, optional=dict.fromkeys(VPIC_FIELDS, json_values)),
            min_size=1,
            max_size=2,
        )
    }
)


@PARSE_SETTINGS
@given(payload=vpic_answers)
def test_it_parses_any_answer_into_a_storable_decode_or_a_vpic_error(payload):
    try:
        decoded = vpic.parse(FORD_VIN, payload)
    except vpic.VpicError:
        return
    assert decoded.year is None or FIRST_MODEL_YEAR <= decoded.year <= LAST_STORABLE_YEAR
    fields = (decoded.make, decoded.model, decoded.engine_type, decoded.body_type)
    # Nothing a text column would drop: no control characters, no invisible ones it does not keep.
    assert all(len(text) <= 100 and single_line(text) == text for text in fields)
    # Raises for NaN, Infinity and half a surrogate pair; PostgreSQL refuses NUL, too.
    stored = json.dumps(decoded.raw_data, allow_nan=False, ensure_ascii=False).encode()
    assert b"\\u0000" not in stored


@VIEW_SETTINGS
@given(payload=vpic_answers)
def test_it_decodes_on_the_add_page_whatever_vpic_answers(owner_client, payload):
    vin = make_vin()
    with responses.RequestsMock() as mock:
        mock.get(vpic_url(vin), body=json.dumps(payload), content_type="application/json")
        response = owner_client.post(
            reverse("vehicles:add"), {"action": "decode", "vin": vin, "odometer_reading": "0"}
        )
    assert response.status_code == 200
    assert response.context["decoded"].vin == vin
    # What was stored reads back as it was decoded.
    if row := VinCache.objects.filter(vin=vin).first():
        assert (row.make, row.model, row.year) == (
            response.context["decoded"].make,
            response.context["decoded"].model,
            response.context["decoded"].year,
        )


def test_a_field_that_is_an_object_is_no_value_rather_than_its_repr():
    decoded = vpic.parse(FORD_VIN, {"Results": [{"Make": {"Ford": None}, "Model": "F-150"}]})
    assert (decoded.make, decoded.model) == ("", "F-150")

"""vPIC recorded responses (vehicles/tests/fixtures/, copied from ../shared/fixtures/vpic/)."""

import json
from pathlib import Path

import pytest
import responses
from django.conf import settings

FIXTURES = Path(__file__).parent / "fixtures"

FORD_VIN = "1FTMW1T88MFA00001"  # 2021 Ford F-150, a clean decode


def load_fixture(name: str):
    return json.loads((FIXTURES / name).read_text())


def vpic_url(vin: str) -> str:
    return f"{settings.VPIC_BASE_URL}/vehicles/DecodeVinValues/{vin}"


@pytest.fixture
def ford_response():
    """The recorded DecodeVinValues answer for FORD_VIN (the capture's `content`)."""
    return load_fixture("1FTMW1T88MFA00001.decodevinvalues.capture.json")["content"]


@pytest.fixture
def partial_response():
    """A real partial decode (ErrorCode 6, "Incomplete VIN": 2011 BMW X3), taken from the
    recorded batch answer and put in the single-VIN envelope."""
    batch = load_fixture("5UXWX7C5-BA_5YJSA3DS-EF.decodevinvaluesbatch.capture.json")["content"]
    return {**batch, "Count": 1, "Results": batch["Results"][:1]}


@pytest.fixture
def mocked_vpic():
    """vPIC through `responses`: any request not registered fails the test."""
    with responses.RequestsMock() as mock:
        yield mock

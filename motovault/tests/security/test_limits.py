"""Oversized requests are refused before any view sees them (Django's limits, set on purpose)."""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fuellogs.models import FuelLog


def post(client, url, data, encoding):
    if encoding == "urlencoded":
        return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
    return client.post(url, data)


def test_it_sets_the_limits_on_purpose():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1_048_576
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 200


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_it_refuses_a_post_larger_than_the_limit(owner_client, world, encoding):
    notes = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = post(owner_client, reverse("fuellogs:add"), world.fill_up(notes=notes), encoding)
    assert response.status_code in (400, 413)
    assert FuelLog.objects.count() == 1


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_it_refuses_a_post_with_too_many_fields(owner_client, world, encoding):
    padding = {f"field{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)}
    response = post(owner_client, reverse("fuellogs:add"), world.fill_up(**padding), encoding)
    assert response.status_code in (400, 413)
    assert FuelLog.objects.count() == 1


@pytest.mark.parametrize("path", ["fuellogs:add", "login", "signup"])
def test_it_refuses_a_large_file_nobody_asked_for(owner_client, world, path):
    upload = SimpleUploadedFile("big.bin", b"x" * (settings.MAX_REQUEST_BODY_SIZE + 1))
    # Signing in and up are open to anybody.
    poster = owner_client if path == "fuellogs:add" else Client()
    response = poster.post(reverse(path), {**world.fill_up(), "attachment": upload})
    assert response.status_code == 413
    assert FuelLog.objects.count() == 1


def test_it_accepts_the_same_post_within_the_limits(owner_client, world):
    response = owner_client.post(reverse("fuellogs:add"), world.fill_up(notes="x" * 10_000))
    assert response.status_code == 302
    assert FuelLog.objects.count() == 2


def test_it_explains_an_import_file_over_the_limit(owner_client, settings):
    settings.IMPORT_MAX_BYTES = 1_000
    settings.MAX_UPLOAD_BODY_SIZE = 3_000
    upload = SimpleUploadedFile("history.csv", b"x" * 4_000)
    response = owner_client.post(reverse("imports:upload"), {"file": upload})
    assert response.status_code == 413
    page = response.content.decode()
    assert "MotoVault takes at most 1000" in page and "Nothing was saved." in page
    assert 'href="/import/"' in page

"""The README shows every screenshot `make screenshots` takes, and each one is in the repo."""

import re
from pathlib import Path

from django.conf import settings

from motovault.tests.browser.screenshots import PAGES, VIEWPORTS

BASE_DIR = Path(settings.BASE_DIR)
README = (BASE_DIR / "README.md").read_text()


def test_it_shows_every_screenshot_the_command_takes():
    shown = set(re.findall(r"docs/screenshots/([\w-]+\.png)", README))
    taken = {f"{page}-{device}.png" for page in PAGES for device in VIEWPORTS}
    assert shown == taken


def test_every_image_it_shows_is_in_the_repository():
    for path in re.findall(r"(docs/screenshots/[\w-]+\.png)", README):
        assert (BASE_DIR / path).is_file(), path

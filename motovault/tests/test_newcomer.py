"""A newcomer's first minutes: `.env.example` copied as it is runs the app locally, and the
README documents every setting the settings module reads."""

import os
import re
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
SETTINGS = (BASE_DIR / "motovault" / "settings.py").read_text()
README = (BASE_DIR / "README.md").read_text()

# Serves the sign-in page as `runserver` would be asked for it, with .env.example as the .env.
GET_SIGN_IN = """
import django
django.setup()
from django.test import Client
from django.conf import settings
response = Client().get("/accounts/login/", HTTP_HOST="127.0.0.1:8000")
print(response.status_code, settings.DEBUG, settings.DATABASES["default"]["ENGINE"])
"""


def test_env_example_copied_as_it_is_serves_the_app_locally():
    env = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": str(BASE_DIR / ".env.example"),
        "DJANGO_SETTINGS_MODULE": "motovault.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", GET_SIGN_IN],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    # 400 here was the old example's production ALLOWED_HOSTS; a redirect, its HTTPS settings.
    assert result.stdout.split() == ["200", "True", "django.db.backends.sqlite3"]


def test_the_readme_documents_every_setting():
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', SETTINGS))
    read |= set(re.findall(r'os\.environ\.get\(\s*"([A-Z][A-Z0-9_]+)"', SETTINGS))
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", README))
    assert read, "no settings found: the pattern no longer matches settings.py"
    assert read - documented == set()

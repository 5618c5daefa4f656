from motovault.tests.production import run_in_production


def test_it_sends_a_content_security_policy_with_no_inline_script(client, db):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "default-src 'self'" in policy


def test_it_forbids_framing_and_leaking_referrers(client, db):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_it_loads_no_asset_from_another_host(owner_client):
    html = owner_client.get("/").content.decode()
    assert "http://" not in html
    assert "https://" not in html


SIGNED_IN_PAGES_BEHIND_A_TLS_PROXY = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.models import User
from django.test import Client
client = Client()
client.force_login(User.objects.create_user("alice"))
pages = {}
for path in ["/", "/vehicles/", "/fuel/", "/maintenance/", "/stations/"]:
    https = client.get(path, headers={"X-Forwarded-Proto": "https"})
    plain = client.get(path)
    pages[path] = {
        "status": https.status_code,
        "signed_in": "alice" in https.content.decode(),
        "headers": dict(https.headers),
        "plain_http": [plain.status_code, plain.get("Location")],
    }
print(json.dumps(pages))
"""


def test_it_secures_every_signed_in_page_in_production(tmp_path):
    """Production settings (DEBUG off) behind a TLS-terminating proxy that says so in
    X-Forwarded-Proto; read at start-up, so in a fresh interpreter."""
    pages = run_in_production(
        SIGNED_IN_PAGES_BEHIND_A_TLS_PROXY,
        tmp_path,
        SECRET_KEY="production-" + "k3y-" * 15,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
    )
    for path, page in pages.items():
        assert (page["status"], page["signed_in"]) == (200, True), path
        headers = page["headers"]
        assert headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        ), path
        policy = dict(
            directive.strip().split(" ", 1)
            for directive in headers["Content-Security-Policy"].split(";")
        )
        assert "'unsafe-inline'" not in policy["script-src"].split(), path
        assert policy["frame-ancestors"] == "'none'", path
        assert headers["X-Frame-Options"] == "DENY", path
        assert headers["Referrer-Policy"] == "same-origin", path
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin", path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert page["plain_http"] == [301, f"https://testserver{path}"], path

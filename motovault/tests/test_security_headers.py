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

"""Debian's Chromium, as the browser tests and the screenshots script launch it. Playwright
cannot download its own browser here; without the background-networking flags Chromium keeps
trying to reach Google's hosts from a machine with no network."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

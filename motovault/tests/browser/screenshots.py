"""Screenshots of the main pages for the README, taken from a running server with demo data
(`make screenshots`, or `python -m motovault.tests.browser.screenshots --help`)."""

import argparse
import sys
from pathlib import Path

from motovault.tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS

BASE_DIR = Path(__file__).resolve().parents[3]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}
# Name -> path; the vehicle's pages are found by following the first vehicle on the list.
PAGES = {
    "dashboard": "/",
    "vehicles": "/vehicles/",
    "vehicle-add": "/vehicles/add/",
    "vehicle-detail": None,
    "vehicle-ownership": None,
    "fuel": "/fuel/",
    "fuel-add": "/fuel/add/",
    "maintenance": "/maintenance/",
    "maintenance-upcoming": "/maintenance/upcoming/",
    "costs": "/costs/",
    "stations": "/stations/",
}
# Shown by one section of their page, which a full page's screenshot would cut off.
SECTIONS = {"vehicle-ownership": "section.ownership-cost"}
# A full page taller than this is cut: a screenshot shows a page, not all 25 rows of a table.
MAX_HEIGHT = {"desktop": 2000, "phone": 2600}


class ScreenshotError(Exception):
    pass


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Save desktop and phone screenshots of the main pages into "
        "docs/screenshots/, from a running server logged in as the demo owner "
        "(manage.py seed_demo)."
    )
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--username", default="demo")
    parser.add_argument("--password", default="demo-motovault")
    parser.add_argument("--output", default=str(BASE_DIR / "docs" / "screenshots"))
    parser.add_argument(
        "--only", nargs="*", choices=sorted(PAGES), help="Just these pages (default: all)."
    )
    return parser.parse_args(argv)


def take(options: argparse.Namespace) -> int:
    """Save the screenshots; return how many."""
    from playwright.sync_api import Error, sync_playwright

    if not Path(CHROMIUM).exists():
        raise ScreenshotError(f"{CHROMIUM} is missing (apt-get install chromium).")
    output = Path(options.output)
    output.mkdir(parents=True, exist_ok=True)
    names = options.only or list(PAGES)
    saved = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for device, viewport in VIEWPORTS.items():
                context = browser.new_context(
                    base_url=options.base_url, viewport=viewport, color_scheme="light"
                )
                page = context.new_page()
                log_in(page, options.username, options.password)
                for name in names:
                    page.goto(PAGES[name] or first_vehicle_path(page))
                    path = output / f"{name}-{device}.png"
                    if name in SECTIONS:
                        page.locator(SECTIONS[name]).screenshot(
                            path=path, animations="disabled", caret="hide"
                        )
                    else:
                        save(page, path, viewport["width"], MAX_HEIGHT[device])
                    saved += 1
                context.close()
        except Error as error:
            raise ScreenshotError(f"Could not take the screenshots: {error}") from error
        finally:
            browser.close()
    return saved


def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    if "/accounts/login/" in page.url:
        raise ScreenshotError(
            f"Could not log in as {username!r}: run `manage.py seed_demo` on the server's "
            "database, or pass --username and --password."
        )


def first_vehicle_path(page) -> str:
    page.goto("/vehicles/")
    link = page.locator("table.data tbody tr a").first
    if not link.count():
        raise ScreenshotError("The demo owner has no vehicles: run `manage.py seed_demo`.")
    return link.get_attribute("href")


def save(page, path: Path, width: int, max_height: int) -> None:
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.screenshot(
        path=path,
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": min(height, max_height)},
        animations="disabled",
        caret="hide",
    )


def main(argv: list[str]) -> int:
    options = parse_args(argv)
    try:
        saved = take(options)
    except ScreenshotError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Saved {saved} screenshots in {options.output}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Screenshots of the main pages for the README, taken from a running server with demo data."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motovault.chromium import CHROMIUM, CHROMIUM_ARGS

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}
# Name -> path; "vehicle-detail" is found by following the first vehicle on the list.
PAGES = {
    "dashboard": "/",
    "vehicles": "/vehicles/",
    "vehicle-add": "/vehicles/add/",
    "vehicle-detail": None,
    "fuel": "/fuel/",
    "fuel-add": "/fuel/add/",
    "maintenance": "/maintenance/",
    "maintenance-upcoming": "/maintenance/upcoming/",
    "stations": "/stations/",
}
# A full page taller than this is cut: a screenshot shows a page, not all 25 rows of a table.
MAX_HEIGHT = {"desktop": 2000, "phone": 2600}


class Command(BaseCommand):
    help = (
        "Save desktop and phone screenshots of the main pages into docs/screenshots/, from a "
        "running server logged in as the demo owner (manage.py seed_demo)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default="demo-motovault")
        parser.add_argument(
            "--output", default=str(Path(settings.BASE_DIR) / "docs" / "screenshots")
        )
        parser.add_argument(
            "--only", nargs="*", choices=sorted(PAGES), help="Just these pages (default: all)."
        )

    def handle(self, *args, **options):
        from playwright.sync_api import Error, sync_playwright

        if not Path(CHROMIUM).exists():
            raise CommandError(f"{CHROMIUM} is missing (apt-get install chromium).")
        output = Path(options["output"])
        output.mkdir(parents=True, exist_ok=True)
        names = options["only"] or list(PAGES)
        saved = 0
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for device, viewport in VIEWPORTS.items():
                    context = browser.new_context(
                        base_url=options["base_url"], viewport=viewport, color_scheme="light"
                    )
                    page = context.new_page()
                    self._log_in(page, options["username"], options["password"])
                    for name in names:
                        page.goto(PAGES[name] or self._first_vehicle_path(page))
                        path = output / f"{name}-{device}.png"
                        self._save(page, path, viewport["width"], MAX_HEIGHT[device])
                        saved += 1
                    context.close()
            except Error as error:
                raise CommandError(f"Could not take the screenshots: {error}") from error
            finally:
                browser.close()
        self.stdout.write(f"Saved {saved} screenshots in {output}.")

    def _log_in(self, page, username: str, password: str) -> None:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        if "/accounts/login/" in page.url:
            raise CommandError(
                f"Could not log in as {username!r}: run `manage.py seed_demo` on the server's "
                "database, or pass --username and --password."
            )

    def _first_vehicle_path(self, page) -> str:
        page.goto("/vehicles/")
        link = page.locator("table.data tbody tr a").first
        if not link.count():
            raise CommandError("The demo owner has no vehicles: run `manage.py seed_demo`.")
        return link.get_attribute("href")

    def _save(self, page, path: Path, width: int, max_height: int) -> None:
        height = page.evaluate("() => document.documentElement.scrollHeight")
        page.screenshot(
            path=path,
            full_page=True,
            clip={"x": 0, "y": 0, "width": width, "height": min(height, max_height)},
            animations="disabled",
            caret="hide",
        )

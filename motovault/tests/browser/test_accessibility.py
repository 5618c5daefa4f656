"""axe-core on every main page, logged in with data in its tables, in the light and the dark
color scheme: no serious or critical violation. (Logged-out pages: test_accounts_journey.py.)"""

import pytest

from conftest import PASSWORD
from motovault.tests.browser.conftest import log_in, serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_it_has_no_serious_accessibility_violations_on_main_pages(new_page, main_pages, scheme):
    page = new_page(color_scheme=scheme, bypass_csp=True)
    log_in(page, "alice", PASSWORD)
    found = {}
    for path in main_pages:
        page.goto(path)
        if violations := serious_accessibility_violations(page):
            found[path] = violations
    assert found == {}

"""Browser-test fixtures: the demo data in the live server's database, and signing in through the real form.

Every module here is marked `browser` and `django_db(transaction=True)` (the live server runs in another
thread, so it must see committed rows). Without Debian's chromium the tests skip with a reason, which
`REQUIRE_BROWSER=1` (tests/conftest.py) turns into a failure in CI.
"""

import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

# playwright's sync API runs an event loop in the test thread; the ORM calls the tests make beside it are
# safe (one thread, no concurrent use), so Django's async-safety guard is lifted for this folder.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
SHOTS = os.environ.get("BROWSER_SHOTS")  # e.g. BROWSER_SHOTS=/tmp/shots to save screenshots while developing


# For each module's pytestmark: a clear reason when chromium is missing (a failure under REQUIRE_BROWSER=1).
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium).",
)


@pytest.fixture(autouse=True)
def _fresh_sign_in_counts():
    """Every browser test signs in from 127.0.0.1, and the sign-in limit counts per address in the cache:
    each test starts with a clean count, as each person at their own address would."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _live_server_media_url():
    """Let Django's live server thread start although the project sets MEDIA_URL = None.

    settings.MEDIA_URL is None on purpose (attachments are only served through a permission-checking view),
    but LiveServerThread wraps the app in _MediaFilesHandler, which does urlparse(MEDIA_URL): None gives a
    bytes result and every request fails with "startswith first arg must be str ... not bytes". A URL on
    another host makes that handler decline every request, so the live server still serves no media files.
    Autouse and session-scoped, so it runs before pytest-django's session-scoped live_server starts.
    """
    from django.conf import settings

    original = settings.MEDIA_URL
    if original is None:
        settings.MEDIA_URL = "http://media.invalid/"
    yield
    settings.MEDIA_URL = original


@pytest.fixture
def demo(live_server, transactional_db, settings):
    """The demo personas, company, restatement case and incidents, committed so the live server sees them.

    Passwords are hashed with a fast hasher for the test (the live server thread shares these settings): the
    production PBKDF2 cost is ~1 s per persona and per sign-in, which would dominate the suite's run time.
    """
    from compliance_site.demo import load_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return load_demo(now=timezone.now())


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    return page


def shot(page, name: str) -> None:
    """Save a full-page screenshot when BROWSER_SHOTS names a folder; a no-op otherwise."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def sign_in(page, live_server, username: str, password: str | None = None) -> None:
    """Fill the real login form and submit it; waits for the page the form leads to."""
    from compliance_site.demo import DEMO_PASSWORD

    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(DEMO_PASSWORD if password is None else password)
    with page.expect_navigation():
        form.get_by_role("button", name="Sign in").click()


def sign_out(page) -> None:
    """Sign out through the user menu in the navigation bar."""
    button = page.get_by_role("button", name="Sign out")
    if not button.is_visible():
        page.get_by_test_id("user-menu").click()
    with page.expect_navigation():
        button.click()


def confirm(page, action: str, *, says: str = "", keyboard: bool = False) -> None:
    """Answer the confirmation page of a step that freezes, approves, records money or closes: it says what
    will happen (`says`, when given, is part of it) and its "Confirm: <action>" button has the focus, so
    Enter confirms (`keyboard`) as well as a click."""
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if says:
        expect(page.get_by_test_id("confirm-statement")).to_contain_text(says)
    button = page.get_by_role("button", name=f"Confirm: {action}")
    expect(button).to_be_focused()
    with page.expect_navigation():
        if keyboard:
            page.keyboard.press("Enter")
        else:
            button.click()


def open_section(page, key: str) -> None:
    """Open a step of the case's workflow panel that is not the next one (a collapsed <details>), as a
    person does by clicking its heading; a no-op when it is the next step (its form is already shown)."""
    page.get_by_test_id("workflow-panel").wait_for(state="attached")  # the case page loads it after the page
    details = page.locator(f"#section-{key}")
    if details.count() and not details.evaluate("d => d.open"):
        details.locator("summary").click()

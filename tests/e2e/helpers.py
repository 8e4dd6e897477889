"""Helpers the browser tests share (fixtures live in conftest.py)."""

import contextlib
import re
from pathlib import Path

SCREENSHOTS = Path(__file__).parent / "screenshots"
PASSWORD = "secret-pass-123"  # what tests.factories.UserFactory gives every user
MESSAGES_SHOWN = """() => {
    const list = document.querySelector(".messages > ul");
    return !list || !list.children.length || getComputedStyle(list).opacity === "1";
}"""


def abort_request(route) -> None:
    route.abort()


def settle(page) -> None:
    """Wait until the page has no request in flight.

    The edit view pings /admin/editing-sessions/ in the background once it has loaded; reading
    the database from the test, or posting the form, while that ping runs would race with it on
    the live server's shared connection (in-memory SQLite). People do not click that fast either.
    """
    page.wait_for_load_state("networkidle")


def save_screenshot(page, test_name: str, step: str) -> Path:
    # Wagtail fades its messages in once the page is ready: let them finish, but never fail.
    with contextlib.suppress(Exception):
        page.wait_for_function(MESSAGES_SHOWN, timeout=2_000)
    SCREENSHOTS.mkdir(exist_ok=True)
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{test_name}--{step}").strip("-")
    path = SCREENSHOTS / f"{slug}.png"
    page.screenshot(path=path, full_page=True)
    return path


def log_in(page, username: str, password: str = PASSWORD) -> None:
    """Log into the Wagtail admin through its login form, as a person would."""
    from playwright.sync_api import expect

    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form").get_by_role("button", name=re.compile("sign in", re.I)).click()
    page.wait_for_url(re.compile(r"/admin/$"))
    expect(page.locator("#id_username")).to_have_count(0)

"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test here runs in a real browser against `live_server`, which needs a transactional
database: rows the test creates must be committed for the server thread to see them. After a
transactional test Django flushes every table, including the rows the data migrations seeded
(roles, ticket categories, the ticket counter, Wagtail's root page and site); `serialized_rollback`
puts them back before each browser test, so these tests run in any order and after any other.
"""

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.helpers import abort_request, log_in, save_screenshot

# Playwright's sync API runs an event loop in the test thread; Django then refuses ORM calls
# from that thread unless told they are safe (they are: the loop is not serving Django).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_CHROMIUM = "Chromium not found: install Debian's chromium package to run browser tests"
TIMEOUT_MS = 10_000


@pytest.hookimpl(tryfirst=True)  # before pytest-django sorts tests by their database marker
def pytest_collection_modifyitems(config, items) -> None:
    """Mark every test under tests/e2e: `e2e`, and a database that survives the flush."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)
            if item.get_closest_marker("django_db") is None:
                item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so `page` can screenshot a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def chromium_path() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Iterator:
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(f"{MISSING_CHROMIUM} (CI is set: browser tests may not be skipped)")
        pytest.skip(MISSING_CHROMIUM)

    from django.db import connections
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    test_connections = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        # Playwright's sync API leaves an asyncio loop running in this thread. Django's
        # connection registry (an asgiref Local) then looks connections up per async context
        # and would hand the test new connection objects: without the serialized data that
        # `serialized_rollback` restores, and (in-memory SQLite) not the ones the live server
        # shares. Register the test database's own connections for that context too.
        for alias, connection in test_connections.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request) -> Iterator:
    """A fresh browser context (no cookies) whose relative URLs go to the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-US",
        timezone_id="Europe/Paris",
        viewport={"width": 1280, "height": 1200},
    )
    context.set_default_timeout(TIMEOUT_MS)
    # Nothing leaves the machine: the admin's Gravatar images would otherwise be fetched from
    # the internet, which makes the tests slow or hang where there is no network.
    context.route(re.compile(r"^https?://(?!localhost[:/]|127\.0\.0\.1[:/])"), abort_request)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        # What the browser showed when the test failed, as an image and as HTML.
        path = save_screenshot(page, request.node.name, "FAILED")
        path.with_suffix(".html").write_text(page.content(), encoding="utf-8")
    context.close()


@pytest.fixture
def screenshot(page, request) -> Callable[[str], Path]:
    """screenshot("started") saves tests/e2e/screenshots/<test name>--<nn>-started.png."""
    counter = iter(range(1, 100))

    def take(step: str) -> Path:
        return save_screenshot(page, request.node.name, f"{next(counter):02d}-{step}")

    return take


@pytest.fixture
def e2e_agent(transactional_db):
    from tests.factories import UserFactory

    return UserFactory(
        username="agent", first_name="Alice", last_name="Agent", role="Support agents"
    )


@pytest.fixture
def e2e_marketer(transactional_db):
    from tests.factories import UserFactory

    return UserFactory(
        username="marketer", first_name="Marc", last_name="Marketer", role="Marketers"
    )


@pytest.fixture
def agent_page(page, e2e_agent):
    """A browser page already logged into the admin as a support agent."""
    log_in(page, e2e_agent.username)
    return page


@pytest.fixture
def marketer_page(page, e2e_marketer):
    """A browser page already logged into the admin as a marketer."""
    log_in(page, e2e_marketer.username)
    return page

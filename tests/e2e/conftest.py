"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factories import PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _unavailable(reason: str) -> None:
    # CI sets IRONTRIANGLE_REQUIRE_BROWSER=1 so that a machine without a browser fails instead of
    # passing with every browser test quietly skipped.
    if os.environ.get("IRONTRIANGLE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    executable = shutil.which("chromium")
    if executable is None:
        _unavailable("chromium is not installed")
    # Playwright's sync API keeps an event loop in this thread, and Django refuses database calls
    # from a thread with a running loop; the test thread's calls here are plain synchronous ones.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    try:
        try:
            launched = manager.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        except Error as error:
            _unavailable(f"chromium did not start: {error}")
        yield launched
        launched.close()
    finally:
        manager.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def page_width(page: Any) -> int:
    """The document's width once the page has finished loading: a stylesheet still on its way (a slow
    server under load) would otherwise be measured as missing."""
    page.wait_for_load_state("load")
    return int(page.evaluate("document.documentElement.scrollWidth"))


class Session:
    """One browser context (its own cookies) pointed at the live server."""

    def __init__(self, browser: Any, base_url: str, viewport: dict[str, int]) -> None:
        self.base_url = base_url
        self.context = browser.new_context(viewport=viewport, locale="en-US", base_url=base_url)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base_url + path)

    def login(self, username: str, password: str = PASSWORD) -> None:
        self.goto("/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(self.base_url + "/")

    def open_navbar_menu(self, testid: str) -> None:
        """Open a navbar dropdown and wait until its items are shown, on a phone unfolding the bar first."""
        toggler = self.page.locator(".navbar-toggler")
        # On a phone the menu folds away; open it unless it is open already (a second click closes it).
        # The fold animates, and a click on a dropdown while it slides lands on nothing: wait for the end.
        if toggler.is_visible() and not self.page.locator("#main-nav.show").count():
            toggler.click()
            self.page.locator("#main-nav.show").wait_for()
        self.page.click(f"[data-testid={testid}]")
        self.page.locator(f"[data-testid={testid}] + .dropdown-menu.show").wait_for()

    def switch_language(self, code: str) -> None:
        self.open_navbar_menu("language-menu")
        with self.page.expect_navigation():
            self.page.click(f".navbar [data-testid=lang-{code}]")

    def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.wait_for_load_state("networkidle")
        if self.page.locator("[data-chart]").count():
            self.page.wait_for_timeout(1200)  # let the chart finish its entrance animation
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_session(browser: Any, live_server: Any) -> Iterator[Any]:
    sessions: list[Session] = []

    def open_(viewport: dict[str, int] = DESKTOP) -> Session:
        session = Session(browser, live_server.url, viewport)
        sessions.append(session)
        return session

    yield open_
    for session in sessions:
        assert not session.errors, f"JavaScript errors: {session.errors}"
        session.close()

"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One browser per test module, a fresh context (cookies, storage) per test. The suite skips when
/usr/bin/chromium or Playwright is missing, except on CI (CI=true), where that is a failure.
Never download a browser: we use the system Chromium on purpose.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - dev dependency missing: the browser fixture skips
    if os.environ.get("CI", "").lower() == "true":
        raise
    expect = None
    PlaywrightTimeoutError = TimeoutError

CHROMIUM = Path(os.environ.get("WERKCENTRUM_CHROMIUM", "/usr/bin/chromium"))
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
TIMEOUT_MS = 10_000
REFERENCE = re.compile(r"V\d{6}")
if expect is not None:
    expect.set_options(timeout=TIMEOUT_MS)  # a loaded CI machine is slower than 5 s sometimes


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run on CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - dev dependency missing
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    # Playwright's sync API keeps an event loop running in this thread, so Django would refuse
    # ORM calls from the test itself (SynchronousOnlyOperation). Allowed only while it runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _new_context(browser, live_server, *, viewport=None, language="en", **options):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=viewport or DESKTOP,
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        **options,
    )
    if language:
        # The journeys assert on the English source strings; the language switch stores a cookie.
        context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def new_context(browser, live_server):
    """Factory for extra contexts (a second person at another desk); all closed afterwards."""
    contexts = []

    def make(**options):
        context = _new_context(browser, live_server, **options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def axe():
    """axe-core (bundled with axe-playwright-python) for WCAG checks."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def page(new_context):
    """A desktop page (1366 wide) in English."""
    return new_context().new_page()


def login(page, username: str, password: str) -> None:
    """Log in through the real login form and wait for the workspace to load."""
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    try:
        page.wait_for_url(lambda url: "/accounts/login" not in url)
    except PlaywrightTimeoutError:
        errors = page.locator(".form-field__error, .alert").all_inner_texts()
        raise AssertionError(f"login as {username} failed: {errors}") from None


def logout(page) -> None:
    page.locator("header form[action*='logout'] button").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")


def has_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "() => document.scrollingElement.scrollWidth > document.scrollingElement.clientWidth"
    )


def widest_elements(page, limit: int = 5) -> list[str]:
    """The elements that stick out to the right (for a helpful failure message)."""
    return page.evaluate(
        """(limit) => {
          const width = document.documentElement.clientWidth;
          const out = [];
          for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.right > width + 1) {
              out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}` +
                       `${el.className && typeof el.className === 'string' ? '.' +
                          el.className.trim().split(/\\s+/).join('.') : ''}` +
                       ` right=${Math.round(r.right)}`);
            }
          }
          return out.slice(0, limit);
        }""",
        limit,
    )

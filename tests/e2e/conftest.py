"""Browser tests: Playwright for Python driving Debian's Chromium.

Every test here is marked ``e2e``. Each gets a fresh browser context (a phone,
390x844, by default) whose traffic is watched: a request to any host other
than the live server (a CDN, an analytics beacon, a font service), a
Content Security Policy violation in the console or an uncaught JavaScript
error on a page fails the test.

Chromium is /usr/bin/chromium (``apt-get install chromium``); Playwright's own
browser downloads are never used. Without it the tests skip locally, but fail
in CI (``CI`` set), where a missing browser means a broken image.
"""

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an asyncio loop in the test thread, so Django's
# async-safety check would refuse the ORM calls the tests make to set up
# personas and read results. The calls really are synchronous, so this is safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    # A conftest's collection hook sees every item of the session, not only
    # this folder's: mark just the ones under tests/e2e.
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class TrafficGuard:
    """What a browser context did that a test must not allow."""

    origin: str
    foreign_requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob", "about"}:
            return True
        return f"{parts.scheme}://{parts.netloc}" == self.origin

    def on_request(self, request) -> None:
        if not self.is_local(request.url):
            self.foreign_requests.append(f"{request.method} {request.url}")

    def on_route(self, route) -> None:
        # Never let a foreign request leave the machine: the test fails
        # anyway (on_request recorded it), and a blocked request cannot hang it.
        if self.is_local(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def on_console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def on_web_error(self, web_error) -> None:
        # An exception no script caught: a broken page for the person using it.
        where = web_error.page.url if web_error.page else "?"
        self.script_errors.append(f"{web_error.error.message} (on {where})")

    def problems(self) -> list[str]:
        found = [f"request to a host other than the live server ({self.origin}): {r}" for r in self.foreign_requests]
        found += [f"Content Security Policy violation: {v}" for v in self.csp_violations]
        found += [f"uncaught JavaScript error: {e}" for e in self.script_errors]
        return found


@pytest.fixture
def browser_context_args() -> dict:
    """Override in a test module (or parametrize) for another device."""
    return {"viewport": PHONE, "locale": "en-US"}


@pytest.fixture
def context(request, browser, live_server, browser_context_args):
    guard = TrafficGuard(origin=live_server.url.rstrip("/"))
    context = browser.new_context(base_url=live_server.url, **browser_context_args)
    context.set_default_timeout(10_000)
    context.on("request", guard.on_request)
    context.on("console", guard.on_console)
    context.on("weberror", guard.on_web_error)
    context.route("**/*", guard.on_route)
    request.node.traffic_guard = (guard, context)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item) -> Iterator[None]:
    """Fail the test (not its teardown) on foreign traffic, CSP violations or script errors."""
    result = yield
    guarded = getattr(item, "traffic_guard", None)
    if guarded is not None:
        guard, context = guarded
        # Deliver console and request events the browser has sent but the
        # test did not wait for: one round trip per open page does it.
        for open_page in context.pages:
            # A closed or navigating page has nothing left to say.
            with contextlib.suppress(Exception):
                open_page.evaluate("0")
        problems = guard.problems()
        if problems:
            pytest.fail("\n".join(problems), pytrace=False)
    return result

"""What the consent journeys need besides the shared browser fixtures:

- signing a browser in without the sign-in pages (the foundation journeys
  cover those);
- a second person's browser (a recruiter next to the candidate), watched by
  the same traffic guard as the test's own context;
- one narrow exception to the traffic guard: a request to an exact foreign
  URL that the test answers itself with page.route, so nothing leaves the
  machine. The guard stays strict for every other URL, and for every other
  test (nothing changes unless a test asks for this fixture).
"""

from dataclasses import dataclass, field
from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.e2e.conftest import PHONE, TrafficGuard


def sign_in_with_session(context: BrowserContext, base_url: str, user) -> None:
    """Give the browser the session cookie of a signed-in test client (the
    session row is committed: the journeys run with transaction=True)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.value, "url": base_url}])


def load_migration_data() -> None:
    """Add back what data migrations create and a flush removes: the first
    Terms, Privacy Policy and Data Use Agreement, and the profile taxonomies.
    Both loaders only add what is missing.

    Why not serialized_rollback: pytest-django snapshots the database on the
    connection Django gives at setup. Once Playwright's sync API runs, an
    asyncio loop is "running" in the test thread, so Django's connection
    handler (asgiref Local, thread_critical) hands out another connection
    object, without the snapshot: the rollback then silently does nothing
    whenever an ordinary database test ran before the first browser test."""
    from django.apps import apps

    from profiles.taxonomy import load_taxonomies

    import_module("consents.migrations.0003_first_policies").load(apps, None)
    load_taxonomies(apps)


def employer_with_agreement(**employer_fields):
    """An employer whose admin accepted the current Data Use Agreement (as
    tests/conftest.py's persona does), with the given legal name etc."""
    from consents.models import PolicyKind
    from consents.services import current_policy, employer_agreement_accept
    from tests.accounts.factories import EmployerAdminFactory

    version = current_policy(PolicyKind.DATA_USE)
    assert version is not None, "no Data Use Agreement: call load_migration_data() first"
    admin = EmployerAdminFactory(**{f"employer__{name}": value for name, value in employer_fields.items()}).user
    employer_agreement_accept(actor=admin, version=version, language="en")
    return admin.employer_membership.employer


def guard_of(request: pytest.FixtureRequest) -> tuple[TrafficGuard, BrowserContext]:
    """The traffic guard conftest's `context` fixture put on the test item."""
    request.getfixturevalue("context")
    return request.node.traffic_guard


def flush_events(context: BrowserContext) -> None:
    """Deliver the console and request events Chromium has sent but the test
    did not wait for (conftest does this for its own context only)."""
    for open_page in context.pages:
        try:
            open_page.evaluate("0")
        except Exception:  # noqa: BLE001, S112 - a closed or navigating page has nothing left to say
            continue


@pytest.fixture
def other_browser(request, browser, live_server):
    """A second person's phone: new_page() in a context of its own (its own
    cookies), watched by the same guard as the test's `context`. Call
    `other_browser.finish()` at the end of the test so late events count."""
    guard, _ = guard_of(request)
    contexts: list[BrowserContext] = []

    class OtherBrowser:
        def new_page(self, **context_args) -> Page:
            args = {"viewport": PHONE, "locale": "en-US", **context_args}
            other = browser.new_context(base_url=live_server.url, **args)
            other.set_default_timeout(10_000)
            other.on("request", guard.on_request)
            other.on("console", guard.on_console)
            other.route("**/*", guard.on_route)
            contexts.append(other)
            return other.new_page()

        def finish(self) -> None:
            for other in contexts:
                flush_events(other)
            problems = guard.problems()
            assert not problems, "\n".join(problems)

    yield OtherBrowser()
    for other in contexts:
        other.close()


@dataclass
class RoutedForeignRequests:
    """Foreign requests the test answers itself, one exact URL at a time."""

    guard: TrafficGuard
    allowed: set[str] = field(default_factory=set)
    fulfilled: list[str] = field(default_factory=list)

    def on_request(self, request) -> None:
        # Exactly the URLs a test routed itself; everything else goes to the guard.
        if request.url not in self.allowed:
            self.guard.on_request(request)

    def answer(self, page: Page, url: str, *, body: str = "", content_type: str = "text/javascript") -> None:
        """From now on, `page` answers `url` (exactly) itself with `body`:
        the guard lets that one URL through, and it never reaches the network."""

        def fulfill(route: Route) -> None:
            self.fulfilled.append(route.request.url)
            route.fulfill(status=200, content_type=content_type, body=body)

        self.allowed.add(url)
        # A page's routes take precedence over the context's (the guard's abort).
        page.route(lambda candidate: candidate == url, fulfill)


@pytest.fixture
def routed_foreign_requests(request) -> RoutedForeignRequests:
    """Lets a test answer an exact foreign URL itself (see RoutedForeignRequests.answer)."""
    guard, context = guard_of(request)
    routed = RoutedForeignRequests(guard)
    # The guard's own listener is replaced by one that consults the allow-list first.
    context.remove_listener("request", guard.on_request)
    context.on("request", routed.on_request)
    return routed


# --- The cookie banner ----------------------------------------------------------


def cookie_banner(page: Page):
    return page.get_by_role("region", name="Cookies")


def banner_choices(page: Page) -> list:
    banner = cookie_banner(page)
    return [
        banner.get_by_role("button", name="Accept all", exact=True),
        banner.get_by_role("button", name="Reject all", exact=True),
        banner.get_by_role("link", name="Choose", exact=True),
    ]


def expect_equal_weight(page: Page, tolerance: float = 3) -> None:
    """'Accept all', 'Reject all' and 'Choose' are all visible, the same
    size and the same colours: none is nudged as the default."""
    choices = banner_choices(page)
    for choice in choices:
        expect(choice).to_be_visible()
    boxes = [choice.bounding_box() for choice in choices]
    widths = [box["width"] for box in boxes]
    heights = [box["height"] for box in boxes]
    assert max(widths) - min(widths) <= tolerance, f"unequal widths (accept, reject, choose): {widths}"
    assert max(heights) - min(heights) <= tolerance, f"unequal heights (accept, reject, choose): {heights}"
    looks = [
        choice.evaluate(
            """el => { const s = getComputedStyle(el);
                       return [s.backgroundColor, s.color, s.fontSize, s.fontWeight, s.borderTopWidth].join(' ') }"""
        )
        for choice in choices
    ]
    assert len(set(looks)) == 1, f"the three choices look different: {looks}"


def cookie_names(context: BrowserContext) -> set[str]:
    return {cookie["name"] for cookie in context.cookies()}


STRICTLY_NECESSARY_BEFORE_CHOICE = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}


def consent_cookie(context: BrowserContext) -> dict | None:
    found = [c for c in context.cookies() if c["name"] == settings.TSUNAGU_COOKIE_NAME]
    return found[0] if found else None

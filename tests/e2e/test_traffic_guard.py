"""The browser tests' own guard catches what it promises to catch: a test
that passed because the guard was deaf would prove nothing."""

import pytest
from playwright.sync_api import Page

from tests.e2e.consent_helpers import guard_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_uncaught_script_error_on_a_page_is_reported(page: Page, request):
    guard, _context = guard_of(request)
    page.goto("/en/")
    # A script that throws outside any handler, as a broken page's would.
    page.evaluate("setTimeout(() => { throw new Error('tsunagu-guard-probe') }, 0)")
    page.wait_for_timeout(200)
    page.evaluate("0")  # deliver the browser's events
    assert any("tsunagu-guard-probe" in problem for problem in guard.problems())
    guard.script_errors.clear()  # the probe was on purpose: the test itself passes
    assert guard.problems() == []

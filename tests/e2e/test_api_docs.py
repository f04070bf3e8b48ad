"""The API's readers (Swagger UI and Redoc, from drf-spectacular-sidecar's
own files) render in a real browser under the site's strict Content
Security Policy: the page shows the API and its operations, the console
has no error, and nothing is fetched from another host (tests/e2e/conftest.py
fails the test on any CSP violation or foreign request)."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

# The whole schema is generated for the page: on a busy test machine that
# takes longer than the usual wait.
SLOW = 60_000


def console_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def test_swagger_ui_renders_the_schema(page: Page):
    errors = console_errors(page)
    page.goto("/api/v1/schema/swagger/", timeout=SLOW)
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Tsunagu API", timeout=SLOW)
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() > 10
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/webhooks/").first).to_be_visible()
    assert errors == []


def test_redoc_renders_the_schema(page: Page):
    errors = console_errors(page)
    page.goto("/api/v1/schema/redoc/", timeout=SLOW)
    expect(page.locator("h1", has_text="Tsunagu API")).to_be_visible(timeout=SLOW)
    expect(page.get_by_text("Your company's webhook receivers").first).to_be_attached()
    # Redocly's logo is not fetched from its CDN, so Redoc hides it.
    expect(page.locator('img[alt="redocly logo"]')).to_have_count(0)
    assert errors == []

"""A candidate lets an app of another candidate in, in a real browser under
the strict CSP: the consent page is in their language, and "Allow" takes the
browser on to the app's own address (the page's CSP form-action names that
address: without it Chromium would refuse to follow the answer)."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from accounts.services import api_app_register
from tests.accounts.factories import CandidateFactory
from tests.api.factories import AUTHORIZE_URL, REDIRECT_URI, authorize_params, exchange, pkce_pair
from tests.e2e.consent_helpers import guard_of, sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)


def test_candidate_lets_an_app_in_and_the_browser_goes_back_to_it(page: Page, live_server, request):
    developer = CandidateFactory(full_name="Aung Kyaw")
    app = api_app_register(actor=developer, name="Job diary", redirect_uris=[REDIRECT_URI])
    candidate = CandidateFactory(full_name="Nguyễn Thị Lan", language="ja")
    sign_in_with_session(page.context, live_server.url, candidate)

    # The app's own address answers in this test, and only it may be reached
    # besides the live server (the traffic guard stays strict for the rest).
    guard, context = guard_of(request)
    arrived: list[str] = []

    def on_request(browser_request) -> None:
        if not browser_request.url.startswith(REDIRECT_URI + "?"):
            guard.on_request(browser_request)

    def fulfill(route: Route) -> None:
        arrived.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<p>Back in the app</p>")

    context.remove_listener("request", guard.on_request)
    context.on("request", on_request)
    page.route(lambda url: url.startswith(REDIRECT_URI + "?"), fulfill)

    verifier, challenge = pkce_pair()
    page.goto(f"{AUTHORIZE_URL}?{urlencode(authorize_params(app, challenge))}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Job diary の利用を許可しますか？")
    expect(page.locator("main")).to_contain_text("Aung Kyaw")
    page.get_by_role("button", name="許可する", exact=True).click()
    page.wait_for_url(REDIRECT_URI + "?**")
    expect(page.locator("body")).to_have_text("Back in the app")

    query = {k: v[0] for k, v in parse_qs(urlsplit(arrived[0]).query).items()}
    assert query["state"] == "xyz-state"
    response = exchange(app, query["code"], verifier)
    assert response.status_code == 200, response.content

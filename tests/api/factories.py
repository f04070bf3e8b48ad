"""API clients and tokens, made as an employer admin makes them (the
company's API page, accounts.services) and as a client gets a token (the
OAuth 2.0 token endpoint, client credentials); candidates' apps, made as a
candidate registers one and as a browser and an app go through
authorization code + PKCE."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

from django.test import Client

from accounts.oauth import CANDIDATE_SCOPES, EMPLOYER_SCOPES
from accounts.services import IssuedClient, api_app_register, api_client_register

TOKEN_URL = "/api/v1/oauth/token/"


def register(admin, scopes=EMPLOYER_SCOPES, days=90, name="Our ATS") -> IssuedClient:
    return api_client_register(actor=admin, name=name, scopes=list(scopes), days=days)


def token_response(issued: IssuedClient, scope: str | None = None, secret: str | None = None):
    data = {"grant_type": "client_credentials"}
    if scope is not None:
        data["scope"] = scope
    basic = base64.b64encode(f"{issued.client.client_id}:{secret or issued.secret}".encode()).decode()
    return Client().post(TOKEN_URL, data, HTTP_AUTHORIZATION=f"Basic {basic}")


def token(issued: IssuedClient, scope: str | None = None) -> str:
    response = token_response(issued, scope)
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def bearer(access_token: str, **headers) -> Client:
    """A test client that presents this token on every request."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {access_token}", **headers)


def api_for(admin, scopes=EMPLOYER_SCOPES) -> Client:
    return bearer(token(register(admin, scopes)))


# --- Candidates' own apps (authorization code + PKCE) ----------------------------------------

AUTHORIZE_URL = "/api/v1/oauth/authorize/"
REDIRECT_URI = "https://app.example/callback"


def register_app(candidate, redirect_uris=(REDIRECT_URI,), name="My job diary"):
    return api_app_register(actor=candidate, name=name, redirect_uris=list(redirect_uris))


def pkce_pair() -> tuple[str, str]:
    """(verifier, S256 challenge), RFC 7636."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize_params(app, challenge: str, **overrides) -> dict:
    params = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": " ".join(CANDIDATE_SCOPES),
        "state": "xyz-state",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v is not None}


def authorize(browser: Client, app, challenge: str, **overrides):
    """The candidate's browser: the consent page, then "Allow". Returns the
    final redirect response."""
    params = authorize_params(app, challenge, **overrides)
    page = browser.get(AUTHORIZE_URL, params)
    assert page.status_code == 200, page.content
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["allow"] = "on"
    return browser.post(AUTHORIZE_URL + "?" + urlencode(params), data)


def code_from(response) -> str:
    assert response.status_code == 302, response.content
    query = parse_qs(urlsplit(response["Location"]).query)
    return query["code"][0]


def exchange(app, code: str, verifier: str, redirect_uri: str = REDIRECT_URI):
    return Client().post(
        TOKEN_URL,
        {
            "grant_type": "authorization_code",
            "client_id": app.client_id,
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        },
    )


def app_tokens(candidate, app=None, scopes=CANDIDATE_SCOPES) -> dict:
    """The whole dance for a candidate: {access_token, refresh_token, ...}."""
    app = app or register_app(candidate)
    browser = Client()
    browser.force_login(candidate)
    verifier, challenge = pkce_pair()
    code = code_from(authorize(browser, app, challenge, scope=" ".join(scopes)))
    response = exchange(app, code, verifier)
    assert response.status_code == 200, response.content
    return response.json()


def me_api(candidate, scopes=CANDIDATE_SCOPES, app=None) -> Client:
    return bearer(app_tokens(candidate, app=app, scopes=scopes)["access_token"])

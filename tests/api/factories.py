"""API clients and tokens, made as an employer admin makes them (the
company's API page, accounts.services) and as a client gets a token (the
OAuth 2.0 token endpoint, client credentials)."""

import base64

from django.test import Client

from accounts.oauth import EMPLOYER_SCOPES
from accounts.services import IssuedClient, api_client_register

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

"""The API's common ground: schema, documentation pages under the strict
CSP, problem details in the caller's language, limits."""

import json

import pytest
from openapi_spec_validator import validate

from accounts.api_base import ClientRateThrottle
from tests.api.factories import api_for, bearer, register, token_response
from tests.consents.factories import EmployerWithAgreementFactory, admin_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return admin_of(EmployerWithAgreementFactory())


def test_the_schema_is_valid_openapi_and_documents_scopes_and_flows(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate(schema)
    assert schema["openapi"].startswith("3.")
    flows = schema["components"]["securitySchemes"]["oauth2"]["flows"]
    assert flows["clientCredentials"]["tokenUrl"] == "/api/v1/oauth/token/"
    assert "candidates:read" in flows["clientCredentials"]["scopes"]
    listing = schema["paths"]["/api/v1/applications/"]["get"]
    assert listing["security"] == [{"oauth2": ["applications:read"]}]
    assert {p["name"] for p in listing["parameters"]} >= {"cursor", "opening", "state", "updated_since"}
    board = schema["paths"]["/api/v1/board/openings/"]["get"]
    assert board.get("security") in ([], [{}], None)


@pytest.mark.parametrize("path", ["/api/v1/schema/swagger/", "/api/v1/schema/redoc/"])
def test_documentation_pages_use_our_files_only_under_the_strict_csp(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html and "<style>" not in html
    assert "https://" not in html  # no CDN: drf-spectacular-sidecar's files
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_swagger_init_script_is_served_as_a_file(client):
    response = client.get("/api/v1/schema/swagger/?script=")
    assert response.status_code == 200
    assert "SwaggerUIBundle" in response.content.decode()


def test_no_token_is_a_problem_document_with_a_bearer_challenge(client):
    response = client.get("/api/v1/applications/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401 and body["type"].startswith("urn:tsunagu:problem:")
    assert body["instance"] == "/api/v1/applications/"
    assert "no-store" in response["Cache-Control"]


def test_problem_details_speak_the_callers_language(client):
    response = client.get("/api/v1/applications/", HTTP_ACCEPT_LANGUAGE="ja")
    body = response.json()
    assert body["title"] == "認証が必要です"


def test_validation_errors_list_each_field(admin):
    api = api_for(admin)
    response = api.get("/api/v1/applications/?state=nonsense&updated_since=yesterday")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert {e["field"] for e in body["errors"]} == {"state", "updated_since"}


def test_a_body_over_the_limit_is_refused_unread(admin, settings):
    settings.TSUNAGU_API_MAX_BODY = 1000
    api = api_for(admin)
    response = api.post("/api/v1/openings/", {"title": "x" * 5000}, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_throttled_per_client_with_retry_after(admin, monkeypatch):
    monkeypatch.setitem(ClientRateThrottle.THROTTLE_RATES, "client", "3/min")
    issued = register(admin)
    first = bearer(token_response(issued).json()["access_token"])
    second = bearer(token_response(issued).json()["access_token"])
    assert [first.get("/api/v1/openings/").status_code for _ in range(2)] == [200, 200]
    assert second.get("/api/v1/openings/").status_code == 200
    # The limit is the client's, whichever of its tokens is used.
    response = second.get("/api/v1/openings/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert response.json()["code"] == "throttled"
    # Another company's client has its own allowance.
    other = api_for(admin_of(EmployerWithAgreementFactory()))
    assert other.get("/api/v1/openings/").status_code == 200


def test_unknown_api_path_is_404(client):
    assert client.get("/api/v1/nothing-here/").status_code == 404

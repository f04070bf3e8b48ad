"""A candidate's own data through the apps they let in (/api/v1/me/): the
same selectors and services as the website, the same ledger events with
channel `api`, and the same answers for a restricted or suspended account."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from consents.models import Channel, ConsentEvent, ConsentEventType, EmailPurposeConsent, ShareGrant
from consents.privacy.models import DataExport
from consents.privacy.services import restriction_start
from consents.selectors import ledger_of
from matching.models import ApplicationState
from tests.accounts.factories import CandidateFactory
from tests.api.factories import app_tokens, bearer, me_api, register, register_app, token
from tests.consents.factories import EmployerWithAgreementFactory, admin_of, give
from tests.matching.factories import ApplicationFactory, OpeningFactory
from tests.profiles.factories import FullCandidateProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lan():
    """A candidate with a full profile who applied to one opening."""
    return FullCandidateProfileFactory().user


def _problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["type"].startswith("urn:tsunagu:problem:")
    if code:
        assert body["code"] == code, body
    return body


# --- My profile and my applications ---------------------------------------------------------


def test_my_profile_has_every_field_group(lan):
    response = me_api(lan).get("/api/v1/me/profile/")
    assert response.status_code == 200
    body = response.json()
    profile = lan.candidate_profile
    assert body["profile_id"] == profile.pk and body["name"] == "NGUYEN THI LAN"
    assert set(body["field_groups"]) >= {"core", "contact", "address", "date_of_birth"}
    assert body["email"] == lan.email and body["date_of_birth"] == profile.date_of_birth.isoformat()
    assert "no-store" in response["Cache-Control"]


def test_no_profile_yet_is_404(candidate):
    _problem(me_api(candidate).get("/api/v1/me/profile/"), 404, "not_found")


def test_my_applications_are_mine_only_newest_first_in_pages(lan, other_candidate):
    first = ApplicationFactory(candidate=lan)
    second = ApplicationFactory(candidate=lan, state=ApplicationState.SCREENING)
    ApplicationFactory()  # someone else's
    api = me_api(lan)
    page = api.get("/api/v1/me/applications/?page_size=1", HTTP_ACCEPT_LANGUAGE="ja").json()
    assert [a["id"] for a in page["results"]] == [second.pk]
    assert page["results"][0]["state"] == "screening" and page["results"][0]["state_label"] != "Screening"
    assert page["results"][0]["employer_name"] == second.opening.employer.legal_name
    rest = api.get(page["next"]).json()
    assert [a["id"] for a in rest["results"]] == [first.pk] and rest["next"] is None
    assert me_api(other_candidate).get("/api/v1/me/applications/").json()["results"] == []


def test_my_applications_cost_a_fixed_number_of_queries(lan, django_assert_max_num_queries):
    api = me_api(lan)
    for _ in range(2):
        ApplicationFactory(candidate=lan)
    with django_assert_max_num_queries(12) as few:
        assert len(api.get("/api/v1/me/applications/").json()["results"]) == 2
    for _ in range(5):
        ApplicationFactory(candidate=lan)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get("/api/v1/me/applications/").json()["results"]) == 7


# --- My grants: read and withdraw ------------------------------------------------------------


def test_withdrawing_through_the_api_stops_the_employer_on_their_next_request(lan):
    employer = EmployerWithAgreementFactory()
    opening = OpeningFactory(employer=employer)
    application = ApplicationFactory(candidate=lan, opening=opening)
    ats = bearer(token(register(admin_of(employer))))
    profile_url = f"/api/v1/candidates/{lan.candidate_profile.pk}/"
    assert ats.get(profile_url).status_code == 200

    api = me_api(lan)
    grants = api.get("/api/v1/me/grants/").json()
    assert [(g["id"], g["employer"]["name"], g["active"]) for g in grants] == [
        (application.grant_id, employer.legal_name, True)
    ]
    response = api.post(f"/api/v1/me/grants/{application.grant_id}/withdraw/", content_type="application/json")
    assert response.status_code == 200
    assert response.json()["active"] is False and response.json()["end_reason"] == "withdrawn"

    assert ats.get(profile_url).status_code == 404
    assert ats.get(f"/api/v1/applications/{application.pk}/").json()["candidate_visible"] is False
    event = ledger_of(lan).get(event=ConsentEventType.WITHDRAW, grant_id=application.grant_id)
    assert event.channel == Channel.API == "api"
    # Once more changes nothing and writes nothing.
    assert (
        api.post(f"/api/v1/me/grants/{application.grant_id}/withdraw/", content_type="application/json").status_code
        == 200
    )
    assert ledger_of(lan).filter(event=ConsentEventType.WITHDRAW).count() == 1


def test_another_persons_grant_is_not_found(lan, other_candidate):
    grant = give(lan, EmployerWithAgreementFactory())
    _problem(
        me_api(other_candidate).post(f"/api/v1/me/grants/{grant.pk}/withdraw/", content_type="application/json"), 404
    )
    assert ShareGrant.objects.get(pk=grant.pk).ended_at is None


def test_withdrawing_needs_the_consents_scope(lan):
    grant = give(lan, EmployerWithAgreementFactory())
    api = me_api(lan, scopes=["me:read"])
    assert api.get("/api/v1/me/grants/").status_code == 200
    _problem(api.post(f"/api/v1/me/grants/{grant.pk}/withdraw/", content_type="application/json"), 403)
    assert ShareGrant.objects.get(pk=grant.pk).ended_at is None


# --- My email purposes ---------------------------------------------------------------------


def test_email_purposes_read_and_change_with_a_ledger_event(lan):
    api = me_api(lan)
    body = api.get("/api/v1/me/email-purposes/", HTTP_ACCEPT_LANGUAGE="ja").json()
    assert {p["purpose"]: p["granted"] for p in body["purposes"]}["job_openings"] is False
    assert all(p["label"] for p in body["purposes"])
    response = api.patch(
        "/api/v1/me/email-purposes/",
        {"job_openings": True, "statistics": False},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert response.status_code == 200
    assert {p["purpose"]: p["granted"] for p in response.json()["purposes"]}["job_openings"] is True
    assert EmailPurposeConsent.objects.get(user=lan, purpose="job_openings").granted is True
    event = ledger_of(lan).get(purpose="job_openings")
    assert (event.event, event.channel, event.language) == (ConsentEventType.GRANT, "api", "ja")
    assert not ConsentEvent.objects.filter(purpose="statistics").exists()  # off by default: nothing to record


def test_changing_purposes_needs_the_consents_scope_and_known_purposes(lan):
    _problem(
        me_api(lan, scopes=["me:read"]).patch(
            "/api/v1/me/email-purposes/", {"job_openings": True}, content_type="application/json"
        ),
        403,
    )
    body = _problem(
        me_api(lan).patch("/api/v1/me/email-purposes/", {"job_openings": "maybe"}, content_type="application/json"),
        400,
        "invalid",
    )
    assert [e["field"] for e in body["errors"]] == ["job_openings"]
    assert not EmailPurposeConsent.objects.exists()


def test_an_unknown_purpose_is_named_in_the_errors(lan):
    body = _problem(
        me_api(lan).patch("/api/v1/me/email-purposes/", {"spam": True}, content_type="application/json"), 400
    )
    assert body["errors"][0]["field"] == "spam"


# --- My data export ---------------------------------------------------------------------------


def test_export_start_status_and_download(lan, other_candidate, django_capture_on_commit_callbacks):
    api = me_api(lan)
    with django_capture_on_commit_callbacks(execute=True):
        started = api.post("/api/v1/me/exports/", content_type="application/json")
    assert started.status_code == 202
    export_id = started.json()["id"]
    status = api.get(f"/api/v1/me/exports/{export_id}/").json()
    assert status["state"] == "ready", status
    assert status["download_url"].endswith(f"/api/v1/me/exports/{export_id}/download/")
    download = api.get(status["download_url"], HTTP_ACCEPT="application/zip")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert "no-store" in download["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "NGUYEN THI LAN" in "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    assert DataExport.objects.get(pk=export_id).downloaded_at is not None
    # Nobody else finds it.
    other = me_api(other_candidate)
    _problem(other.get(f"/api/v1/me/exports/{export_id}/"), 404)
    _problem(other.get(f"/api/v1/me/exports/{export_id}/download/"), 404)


def test_an_export_past_its_time_is_not_offered_as_on_the_website(lan, django_capture_on_commit_callbacks):
    api = me_api(lan)
    with django_capture_on_commit_callbacks(execute=True):
        export_id = api.post("/api/v1/me/exports/", content_type="application/json").json()["id"]
    # Ready, but its 7 days are over and retention has not deleted it yet.
    DataExport.objects.filter(pk=export_id).update(expires_at=timezone.now() - timedelta(minutes=1))
    status = api.get(f"/api/v1/me/exports/{export_id}/").json()
    assert status["state"] == "ready" and status["download_url"] is None
    _problem(api.get(f"/api/v1/me/exports/{export_id}/download/"), 404)


def test_one_export_at_a_time_as_on_the_website(lan):
    api = me_api(lan)
    first = api.post("/api/v1/me/exports/", content_type="application/json").json()  # not built: no commit in this test
    second = api.post("/api/v1/me/exports/", content_type="application/json").json()
    assert first["id"] == second["id"] and first["download_url"] is None
    assert DataExport.objects.filter(user=lan).count() == 1


# --- Who reaches these endpoints ---------------------------------------------------------------

ME_ENDPOINTS = [
    ("get", "/api/v1/me/profile/", "me:read"),
    ("get", "/api/v1/me/applications/", "me:read"),
    ("get", "/api/v1/me/grants/", "me:read"),
    ("post", "/api/v1/me/grants/{grant}/withdraw/", "me:consents"),
    ("get", "/api/v1/me/email-purposes/", "me:read"),
    ("patch", "/api/v1/me/email-purposes/", "me:consents"),
    ("post", "/api/v1/me/exports/", "me:read"),
    ("get", "/api/v1/me/exports/{export}/", "me:read"),
    ("get", "/api/v1/me/exports/{export}/download/", "me:read"),
]
# What a suspended account may still do (the website's SCREENED_ALLOWED).
OPEN_WHEN_SUSPENDED = {"/api/v1/me/email-purposes/", "/api/v1/me/exports/", "/api/v1/me/exports/{export}/"}


@pytest.fixture
def world(lan):
    grant = give(lan, EmployerWithAgreementFactory())
    export = DataExport.objects.create(user=lan)
    return {"grant": grant.pk, "export": export.pk}


def _call(client, method, path, world):
    return getattr(client, method)(path.format(**world), {}, content_type="application/json")


@pytest.mark.parametrize(("method", "path", "scope"), ME_ENDPOINTS)
def test_each_me_endpoint_by_token(world, lan, other_candidate, method, path, scope):
    # The download answers 404 until the archive is built: the owner's right answer.
    ok = {"get": 200, "post": 202 if path.endswith("exports/") else 200, "patch": 200}[method]
    if path.endswith("download/"):
        ok = 404
    app = register_app(lan)
    assert _call(Client(), method, path, world).status_code == 401, "anonymous"
    assert _call(bearer("not-a-token"), method, path, world).status_code == 401, "unknown token"
    others = [s for s in ("me:read", "me:consents") if s != scope]
    _problem(_call(me_api(lan, scopes=others, app=app), method, path, world), 403)
    # An employer's system never reaches a candidate's endpoint, whatever its scopes.
    ats = bearer(token(register(admin_of(EmployerWithAgreementFactory()))))
    _problem(_call(ats, method, path, world), 403)
    # Another candidate's token: their own data, never this one's.
    theirs = _call(me_api(other_candidate, app=app), method, path, world)
    if "{" in path:
        assert theirs.status_code == 404, "another candidate's token"
    else:
        assert theirs.status_code in (200, 202, 404)
    tokens = app_tokens(lan, app=app)
    mine = bearer(tokens["access_token"])
    assert _call(mine, method, path, world).status_code == ok, "the candidate's token with the scope"


@pytest.mark.parametrize(("method", "path", "scope"), ME_ENDPOINTS)
def test_dead_tokens_and_closed_accounts(world, lan, method, path, scope):
    app = register_app(lan)
    # Revoked app.
    revoked = me_api(lan, app=app)
    app.revoked_at = app.updated
    app.save(update_fields=["revoked_at"])
    _problem(_call(revoked, method, path, world), 401)
    # Expired token.
    fresh_app = register_app(lan, name="Second app")
    tokens = app_tokens(lan, app=fresh_app)
    get_access_token_model().objects.filter(application=fresh_app).update(expires=app.created)
    _problem(_call(bearer(tokens["access_token"]), method, path, world), 401)


@pytest.mark.parametrize(("method", "path", "scope"), ME_ENDPOINTS)
def test_a_restricted_candidate_still_reaches_their_own_data(world, lan, method, path, scope):
    api = me_api(lan)
    restriction_start(user=lan, reason="test")
    ok = {"get": 200, "post": 202 if path.endswith("exports/") else 200, "patch": 200}[method]
    expected = 404 if path.endswith("download/") else ok
    assert _call(api, method, path, world).status_code == expected


@pytest.mark.parametrize(("method", "path", "scope"), ME_ENDPOINTS)
def test_a_suspended_candidate_reaches_what_the_website_leaves_open(world, lan, method, path, scope):
    api = me_api(lan, app=register_app(CandidateFactory()))  # (their own apps stop with their account)
    lan.screening = "suspended"
    lan.save(update_fields=["screening"])
    response = _call(api, method, path, world)
    if path in OPEN_WHEN_SUSPENDED:
        assert response.status_code in (200, 202)
    elif path.endswith("download/"):
        assert response.status_code == 404  # open to them, nothing built yet
    else:
        _problem(response, 403, "account_suspended")


def test_the_schema_documents_every_me_endpoint_with_its_scope(client):
    schema = json.loads(client.get("/api/v1/schema/?format=json").content)
    for method, path, scope in ME_ENDPOINTS:
        operation = schema["paths"][path.replace("{grant}", "{grant_id}").replace("{export}", "{id}")][method]
        assert operation["security"] == [{"oauth2": [scope]}], (path, method)
    flows = schema["components"]["securitySchemes"]["oauth2"]["flows"]
    assert flows["authorizationCode"]["authorizationUrl"] == "/api/v1/oauth/authorize/"
    assert {"me:read", "me:consents"} <= set(flows["authorizationCode"]["scopes"])

"""Employers' systems over the API: the same services, validation and
access decision as the web, decided again on every request."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from accounts.models import ApiClient, EmployerMember
from consents.models import AccessRecord, Channel, PolicyKind
from consents.services import current_policy, share_grant_withdraw
from matching.models import Application, ApplicationState, Message, Opening
from tests.api.factories import bearer, register, token, token_response
from tests.consents.factories import EmployerWithAgreementFactory, PolicyVersionFactory, admin_of, publish
from tests.matching.factories import ApplicationFactory, OpeningFactory, days_from_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer():
    return EmployerWithAgreementFactory()


@pytest.fixture
def admin(employer):
    return admin_of(employer)


@pytest.fixture
def issued(admin):
    return register(admin)


@pytest.fixture
def api(issued):
    return bearer(token(issued))


@pytest.fixture
def opening(employer):
    return OpeningFactory(employer=employer)


@pytest.fixture
def application(opening):
    return ApplicationFactory(opening=opening)


# --- Tokens and who they speak for -----------------------------------------------------


def test_the_secret_is_kept_hashed_and_works_once_shown(issued):
    stored = ApiClient.objects.get(pk=issued.client.pk)
    assert stored.client_secret != issued.secret and issued.secret not in stored.client_secret
    assert token_response(issued).status_code == 200
    assert token_response(issued, secret="wrong").status_code == 401


def test_a_client_gets_only_the_scopes_it_was_registered_with(admin):
    narrow = register(admin, scopes=["openings:read"])
    assert token_response(narrow, scope="applications:read").status_code == 400
    assert token_response(narrow).json()["scope"] == "openings:read"


def test_missing_scope_is_403(admin, application):
    api = bearer(token(register(admin, scopes=["openings:read"])))
    response = api.get("/api/v1/applications/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_last_used_is_recorded(api, issued):
    assert api.get("/api/v1/openings/").status_code == 200
    assert ApiClient.objects.get(pk=issued.client.pk).last_used_at is not None


def test_revoked_client_stops_on_the_next_request(api, issued, admin):
    assert api.get("/api/v1/openings/").status_code == 200
    from accounts.services import api_client_revoke

    api_client_revoke(actor=admin, client=ApiClient.objects.get(pk=issued.client.pk))
    assert api.get("/api/v1/openings/").status_code == 401
    assert token_response(issued).status_code == 401


def test_expired_client_and_expired_token_stop(api, issued):
    ApiClient.objects.filter(pk=issued.client.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api.get("/api/v1/openings/").status_code == 401
    ApiClient.objects.filter(pk=issued.client.pk).update(expires_at=timezone.now() + timedelta(days=1))
    assert api.get("/api/v1/openings/").status_code == 200
    get_access_token_model().objects.update(expires=timezone.now() - timedelta(seconds=1))
    assert api.get("/api/v1/openings/").status_code == 401


def test_member_who_leaves_takes_the_clients_with_them(api, admin):
    assert api.get("/api/v1/openings/").status_code == 200
    EmployerMember.objects.filter(user=admin).delete()
    assert api.get("/api/v1/openings/").status_code == 401


def test_deactivated_member_stops(api, admin):
    admin.is_active = False
    admin.save()
    assert api.get("/api/v1/openings/").status_code == 401


def test_agreement_not_current_stops_the_api(api):
    assert api.get("/api/v1/openings/").status_code == 200
    publish(PolicyVersionFactory(kind=PolicyKind.DATA_USE, version="2099-01-01"))
    assert current_policy(PolicyKind.DATA_USE).version == "2099-01-01"
    response = api.get("/api/v1/openings/")
    assert response.status_code == 401
    assert "Data Use Agreement" in response.json()["detail"]


def test_token_of_another_company_sees_nothing_of_ours(opening, application):
    other = bearer(token(register(admin_of(EmployerWithAgreementFactory()))))
    assert other.get(f"/api/v1/openings/{opening.pk}/").status_code == 404
    assert other.get(f"/api/v1/applications/{application.pk}/").status_code == 404
    assert other.get("/api/v1/applications/").json()["results"] == []
    profile_id = application.candidate.candidate_profile.pk
    assert other.get(f"/api/v1/candidates/{profile_id}/").status_code == 404


# --- Openings: the web form's validation, the same services ------------------------------


def _opening_body(**overrides):
    body = {
        "title": "Care worker (SSW)",
        "description": "Care for elderly residents. 介護の仕事です。",
        "category": "ssw_nursing_care",
        "employment_type": "full_time",
        "prefecture": "13",
        "salary_min": 220000,
        "salary_max": 280000,
        "salary_period": "month",
        "weekly_hours": 40,
        "start_date": str(days_from_today(60)),
    }
    body.update(overrides)
    return body


def test_create_gives_default_statuses_like_the_web(api):
    response = api.post("/api/v1/openings/", _opening_body(), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "draft"
    assert "specified_skilled_worker_i" in body["accepted_statuses"] or body["accepted_statuses"]
    opening = Opening.objects.get(pk=body["id"])
    assert opening.accepted_statuses.count() == len(body["accepted_statuses"])


def test_a_status_the_work_rules_refuse_is_refused_with_the_reason(api):
    response = api.post(
        "/api/v1/openings/",
        _opening_body(accepted_statuses=["student"]),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert any(e["field"] == "accepted_statuses" for e in errors)
    assert not Opening.objects.exists()


def test_an_opening_at_adult_entertainment_premises_is_saved_and_refuses_a_status_that_may_never_work_there(api):
    body = _opening_body(category="cleaning", employment_type="part_time", weekly_hours=10)
    created = api.post(
        "/api/v1/openings/", {**body, "adult_entertainment_premises": True}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["adult_entertainment_premises"] is True
    assert "student" not in created.json()["accepted_statuses"]
    opening = Opening.objects.get(pk=created.json()["id"])
    assert opening.adult_entertainment_premises

    refused = api.patch(
        f"/api/v1/openings/{opening.pk}/", {"accepted_statuses": ["student"]}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert any(
        e["field"] == "accepted_statuses" and "adult entertainment business (風俗営業), in any role" in e["message"]
        for e in refused.json()["errors"]
    ), refused.json()
    # Without the flag (a PATCH of it alone), a student may work 10 hours cleaning.
    changed = api.patch(
        f"/api/v1/openings/{opening.pk}/",
        {"adult_entertainment_premises": False, "accepted_statuses": ["student"]},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["adult_entertainment_premises"] is False


def test_the_adult_entertainment_answer_must_be_a_yes_or_no(api):
    response = api.post(
        "/api/v1/openings/", _opening_body(adult_entertainment_premises="perhaps"), content_type="application/json"
    )
    assert response.status_code == 400
    assert any(e["field"] == "adult_entertainment_premises" for e in response.json()["errors"])
    assert not Opening.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"salary_min": 300000, "salary_max": 100000},
        {"start_date": "2001-01-01"},
        {"category": "no-such-kind"},
        {"title": ""},
        {"weekly_hours": 999},
        # codes no entry can have: a NUL (PostgreSQL cannot even compare it), too long, not text
        {"prefecture": "1\x003"},
        {"category": "ssw_nursing_care\x00"},
        {"accepted_statuses": ["permanent_resident", "student\x00"]},
        {"required_level": "jlpt_n2\x00"},
        {"required_qualifications": ["x" * 65]},
        {"employment_type": {"code": "full_time"}},
    ],
)
def test_bad_openings_are_refused_as_on_the_web(api, overrides):
    response = api.post("/api/v1/openings/", _opening_body(**overrides), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]


def test_update_open_and_close(api):
    created = api.post("/api/v1/openings/", _opening_body(), content_type="application/json").json()
    changed = api.patch(
        f"/api/v1/openings/{created['id']}/", {"title": "介護職員（特定技能）"}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["title"] == "介護職員（特定技能）"
    assert changed.json()["salary_min"] == 220000  # the rest kept
    # An empty JSON body.
    assert (
        api.post(f"/api/v1/openings/{created['id']}/open/", {}, content_type="application/json").json()["state"]
        == "open"
    )
    assert (
        api.post(f"/api/v1/openings/{created['id']}/close/", {}, content_type="application/json").json()["state"]
        == "closed"
    )


def test_openings_need_openings_write_to_change(admin, opening):
    reader = bearer(token(register(admin, scopes=["openings:read"])))
    assert reader.get(f"/api/v1/openings/{opening.pk}/").status_code == 200
    assert reader.post(f"/api/v1/openings/{opening.pk}/close/", {}, content_type="application/json").status_code == 403


# --- Applications and candidates: only through the access decision -------------------------


def test_application_list_shows_candidates_only_with_the_scope_and_records_each_look(admin, application):
    profile = application.candidate.candidate_profile
    without = bearer(token(register(admin, scopes=["applications:read"])))
    row = without.get("/api/v1/applications/").json()["results"][0]
    assert row["candidate_visible"] is True and row["candidate"] is None
    assert not AccessRecord.objects.filter(channel=Channel.API).exists()

    api = bearer(token(register(admin)))
    row = api.get("/api/v1/applications/").json()["results"][0]
    assert row["candidate"] == {"profile_id": profile.pk, "name": profile.name_passport}
    record = AccessRecord.objects.get(channel=Channel.API)
    assert record.employer_id == application.opening.employer_id


def test_withdrawn_grant_hides_the_candidate_between_two_calls(api, application):
    profile_id = application.candidate.candidate_profile.pk
    assert api.get(f"/api/v1/candidates/{profile_id}/").status_code == 200
    share_grant_withdraw(actor=application.candidate, grant=application.grant)
    assert api.get(f"/api/v1/candidates/{profile_id}/").status_code == 404
    assert api.get(f"/api/v1/applications/{application.pk}/candidate/").status_code == 404
    row = api.get("/api/v1/applications/").json()["results"][0]
    assert row["candidate_visible"] is False and row["candidate"] is None
    assert api.get(f"/api/v1/applications/{application.pk}/notes/").status_code == 404


def test_expired_grant_hides_the_candidate(api, application):
    profile_id = application.candidate.candidate_profile.pk
    type(application.grant).objects.filter(pk=application.grant_id).update(
        granted_at=timezone.now() - timedelta(days=2), expires_at=timezone.now() - timedelta(days=1)
    )
    assert api.get(f"/api/v1/candidates/{profile_id}/").status_code == 404


def test_restriction_hides_the_candidate(api, application):
    from consents.models import ProcessingRestriction

    profile_id = application.candidate.candidate_profile.pk
    ProcessingRestriction.objects.create(user=application.candidate)
    assert api.get(f"/api/v1/candidates/{profile_id}/").status_code == 404


def test_candidate_fields_follow_the_grant(admin, opening):
    contact = ApplicationFactory(opening=opening, groups=("contact",))
    core_only = ApplicationFactory(opening=opening, groups=())
    api = bearer(token(register(admin)))
    shown = api.get(f"/api/v1/applications/{contact.pk}/candidate/").json()
    assert shown["email"] == contact.candidate.email and shown["field_groups"] == ["contact", "core"]
    assert shown["address"] is None and shown["date_of_birth"] is None
    hidden = api.get(f"/api/v1/applications/{core_only.pk}/candidate/").json()
    assert hidden["email"] is None and hidden["phone"] is None and hidden["field_groups"] == ["core"]
    assert AccessRecord.objects.filter(channel=Channel.API).count() == 2


def test_move_tells_the_candidate_as_on_the_web(api, application):
    response = api.post(
        f"/api/v1/applications/{application.pk}/move/", {"to_state": "screening"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "screening"
    assert Message.objects.filter(recipient=application.candidate, subject__contains="Screening").exists()
    again = api.post(
        f"/api/v1/applications/{application.pk}/move/", {"to_state": "applied"}, content_type="application/json"
    )
    assert again.status_code == 400
    assert Application.objects.get(pk=application.pk).state == ApplicationState.SCREENING


def test_notes_while_the_candidate_shares(api, application):
    url = f"/api/v1/applications/{application.pk}/notes/"
    created = api.post(url, {"body": "ဆက်သွယ်ရန် — 面接を調整"}, content_type="application/json")
    assert created.status_code == 201
    assert api.get(url).json()[0]["body"] == "ဆက်သွယ်ရန် — 面接を調整"
    assert api.post(url, {"body": "x" * 2001}, content_type="application/json").status_code == 400


def test_filters_and_polling_with_updated_since(api, opening, employer):
    first = ApplicationFactory(opening=opening)
    second_opening = OpeningFactory(employer=employer)
    second = ApplicationFactory(opening=second_opening)
    Application.objects.filter(pk=first.pk).update(updated_at=timezone.now() - timedelta(hours=2))
    since = (timezone.now() - timedelta(hours=1)).isoformat()
    ids = [r["id"] for r in api.get("/api/v1/applications/", {"updated_since": since}).json()["results"]]
    assert ids == [second.pk]
    ids = [r["id"] for r in api.get("/api/v1/applications/", {"opening": opening.pk}).json()["results"]]
    assert ids == [first.pk]
    assert api.get("/api/v1/applications/", {"state": "hired"}).json()["results"] == []


def test_cursor_pages_and_constant_queries(api, opening):
    for _ in range(5):
        ApplicationFactory(opening=opening)
    with CaptureQueriesContext(connection) as small:
        page = api.get("/api/v1/applications/", {"page_size": 2}).json()
    assert len(page["results"]) == 2 and page["next"]
    seen = [r["id"] for r in page["results"]]
    while page["next"]:
        page = api.get(page["next"]).json()
        seen += [r["id"] for r in page["results"]]
    assert sorted(seen) == sorted(Application.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as large:
        api.get("/api/v1/applications/", {"page_size": 5})
    assert len(large) == len(small)
    # One bulk insert of access records per page.
    inserts = [q for q in large.captured_queries if q["sql"].startswith('INSERT INTO "consents_accessrecord"')]
    assert len(inserts) == 1

"""Candidates' own apps: registered on /me/apps/, let in on our consent page
at /api/v1/oauth/authorize/ (authorization code + PKCE S256), refreshed with
rotation, revoked or disconnected with effect on the very next request."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oauth2_provider.models import get_grant_model

from accounts.exports import section as account_export_section
from accounts.models import ApiClient
from accounts.services import API_APPS_PER_CANDIDATE, api_app_register
from tests.accounts.factories import CandidateFactory
from tests.api.factories import (
    AUTHORIZE_URL,
    REDIRECT_URI,
    TOKEN_URL,
    app_tokens,
    authorize,
    authorize_params,
    bearer,
    code_from,
    exchange,
    pkce_pair,
    register,
    register_app,
    token,
)
from tests.consents.factories import EmployerWithAgreementFactory, admin_of

pytestmark = pytest.mark.django_db

# An employer endpoint answers a candidate's live token with 403
# (authenticated, the wrong kind of client) and a dead one with 401.
EMPLOYER_ENDPOINT = "/api/v1/openings/"
ME_ENDPOINT = "/api/v1/me/grants/"


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _query(response) -> dict:
    assert response.status_code == 302, (response.status_code, response.content[:300])
    return {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}


def _refresh(app, refresh_token: str):
    return Client().post(
        TOKEN_URL, {"grant_type": "refresh_token", "client_id": app.client_id, "refresh_token": refresh_token}
    )


# --- Registering an app ---------------------------------------------------------------------


def test_candidate_registers_an_app_and_sees_its_client_id(candidate):
    browser = _browser(candidate)
    url = reverse("accounts:my_apps")
    response = browser.post(
        url, {"name": "My job diary", "redirect_uris": "https://app.example/cb\nhttp://127.0.0.1/cb"}, follow=True
    )
    assert response.status_code == 200
    app = ApiClient.objects.get()
    assert app.kind == ApiClient.Kind.CANDIDATE_APP and app.user == candidate
    assert app.client_type == ApiClient.CLIENT_PUBLIC and app.client_secret == ""
    assert app.authorization_grant_type == ApiClient.GRANT_AUTHORIZATION_CODE
    assert app.redirect_uris.split() == ["https://app.example/cb", "http://127.0.0.1/cb"]
    html = response.content.decode()
    assert app.client_id in html and "My job diary" in html


@pytest.mark.parametrize(
    "uris",
    [
        "http://app.example/cb",  # http is for the loopback only
        "https://app.example/cb#frag",
        "https://user:pw@app.example/cb",
        "ftp://app.example/cb",
        "/relative/cb",
        "javascript:alert(1)",
        "https://app.example:notaport/cb",
        "\n".join(f"https://app.example/{n}" for n in range(6)),
        "",
    ],
)
def test_bad_redirect_addresses_are_refused_with_a_clear_error(candidate, uris):
    response = _browser(candidate).post(reverse("accounts:my_apps"), {"name": "App", "redirect_uris": uris})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not ApiClient.objects.exists()


@pytest.mark.parametrize("uri", ["http://127.0.0.1:8765/cb", "http://[::1]/cb", "http://localhost/cb"])
def test_loopback_addresses_are_accepted(candidate, uri):
    assert register_app(candidate, redirect_uris=[uri]).redirect_uris == uri


def test_only_candidates_register_apps(employer_admin):
    response = _browser(employer_admin).post(
        reverse("accounts:my_apps"), {"name": "App", "redirect_uris": "https://app.example/cb"}
    )
    assert response.status_code == 403
    assert not ApiClient.objects.exists()


def test_a_candidate_has_a_limited_number_of_apps(candidate):
    for n in range(API_APPS_PER_CANDIDATE):
        register_app(candidate, name=f"App {n}")
    with pytest.raises(Exception, match="revoke one"):
        api_app_register(actor=candidate, name="One more", redirect_uris=[REDIRECT_URI])


# --- The whole flow ---------------------------------------------------------------------


def test_register_authorize_token_call_refresh_revoke(candidate):
    app = register_app(candidate)
    browser = _browser(candidate)
    verifier, challenge = pkce_pair()
    params = authorize_params(app, challenge)

    page = browser.get(AUTHORIZE_URL, params)
    assert page.status_code == 200
    html = page.content.decode()
    assert "My job diary" in html and candidate.full_name in html  # the app and who registered it
    assert "app.example" in html  # where the person will be sent
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    # The browser may follow our answer to the app's own address.
    assert "https://app.example" in page["Content-Security-Policy"].split("form-action")[1].split(";")[0]

    back = _query(authorize(browser, app, challenge))
    assert back["state"] == "xyz-state"
    assert "iss" in back  # RFC 9207
    answer = exchange(app, back["code"], verifier)
    assert answer.status_code == 200, answer.content
    tokens = answer.json()
    assert tokens["scope"].split() == ["me:read", "me:consents"] and tokens["expires_in"] == 3600

    api = bearer(tokens["access_token"])
    assert api.get(ME_ENDPOINT).status_code == 200
    # A candidate's token never reaches an employer endpoint (it is known, and refused).
    assert api.get(EMPLOYER_ENDPOINT).status_code == 403
    app.refresh_from_db()
    assert app.last_used_at is not None

    # Refresh tokens rotate: the new pair works, the spent one does not.
    renewed = _refresh(app, tokens["refresh_token"])
    assert renewed.status_code == 200, renewed.content
    fresh = renewed.json()
    assert fresh["refresh_token"] != tokens["refresh_token"] and fresh["access_token"] != tokens["access_token"]
    assert bearer(fresh["access_token"]).get(ME_ENDPOINT).status_code == 200
    # The access token that came with the spent refresh token is spent too.
    assert bearer(tokens["access_token"]).get(ME_ENDPOINT).status_code == 401

    # Its registrant revokes it: every token stops on the very next request.
    response = browser.post(reverse("accounts:my_app_revoke", args=[app.pk]))
    assert response.status_code == 302
    assert bearer(fresh["access_token"]).get(ME_ENDPOINT).status_code == 401
    assert _refresh(app, fresh["refresh_token"]).status_code in (400, 401)
    # And nobody can let it in again.
    again = browser.get(AUTHORIZE_URL, authorize_params(app, challenge))
    assert "code=" not in again.get("Location", "")


def test_a_spent_refresh_token_replayed_ends_the_whole_family(candidate):
    app = register_app(candidate)
    tokens = app_tokens(candidate, app=app)
    fresh = _refresh(app, tokens["refresh_token"]).json()
    replay = _refresh(app, tokens["refresh_token"])
    assert replay.status_code == 400
    # RFC 9700 §4.14.2: the replay is taken as theft; the rotated tokens die too.
    assert bearer(fresh["access_token"]).get(EMPLOYER_ENDPOINT).status_code == 401


def test_another_candidate_lets_the_app_in_and_disconnects_it(candidate, other_candidate):
    app = register_app(candidate)
    theirs = app_tokens(other_candidate, app=app)
    mine = app_tokens(candidate, app=app)
    browser = _browser(other_candidate)
    page = browser.get(reverse("accounts:my_apps"))
    assert list(page.context["authorised"]) == [app]
    assert candidate.full_name in page.content.decode()  # who registered it
    assert browser.post(reverse("accounts:my_app_disconnect", args=[app.pk])).status_code == 302
    assert bearer(theirs["access_token"]).get(EMPLOYER_ENDPOINT).status_code == 401
    assert _refresh(app, theirs["refresh_token"]).status_code in (400, 401)
    # The registrant's own authorisation is untouched.
    assert bearer(mine["access_token"]).get(EMPLOYER_ENDPOINT).status_code == 403
    assert list(browser.get(reverse("accounts:my_apps")).context["authorised"]) == []


def test_only_the_registrant_revokes_an_app(candidate, other_candidate):
    app = register_app(candidate)
    response = _browser(other_candidate).post(reverse("accounts:my_app_revoke", args=[app.pk]))
    assert response.status_code == 404
    app.refresh_from_db()
    assert app.revoked_at is None


def test_saying_no_sends_the_person_back_with_access_denied(candidate):
    app = register_app(candidate)
    browser = _browser(candidate)
    _verifier, challenge = pkce_pair()
    params = authorize_params(app, challenge)
    form = browser.get(AUTHORIZE_URL, params).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    back = _query(browser.post(AUTHORIZE_URL, data))
    assert back == {"error": "access_denied", "state": "xyz-state", **({"iss": back["iss"]} if "iss" in back else {})}
    assert not get_grant_model().objects.exists()


# --- PKCE, redirect URI, codes -----------------------------------------------------------


def test_pkce_is_required(candidate):
    app = register_app(candidate)
    response = _browser(candidate).get(AUTHORIZE_URL, authorize_params(app, "", code_challenge=None))
    back = _query(response)
    assert back["error"] == "invalid_request" and back["state"] == "xyz-state"
    assert "code" not in back


def test_plain_pkce_is_refused(candidate):
    app = register_app(candidate)
    verifier, _challenge = pkce_pair()
    response = _browser(candidate).get(AUTHORIZE_URL, authorize_params(app, verifier, code_challenge_method="plain"))
    back = _query(response)
    assert back["error"] == "invalid_request" and "code" not in back


def test_the_code_needs_the_right_verifier(candidate):
    app = register_app(candidate)
    _verifier, challenge = pkce_pair()
    code = code_from(authorize(_browser(candidate), app, challenge))
    other_verifier, _ = pkce_pair()
    response = exchange(app, code, other_verifier)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"
    missing = Client().post(
        TOKEN_URL,
        {"grant_type": "authorization_code", "client_id": app.client_id, "code": code, "redirect_uri": REDIRECT_URI},
    )
    assert missing.status_code == 400


@pytest.mark.parametrize(
    "redirect_uri",
    ["https://evil.example/callback", "https://app.example/callback/more", "https://app.example/callback?x=1"],
)
def test_a_redirect_uri_not_registered_exactly_is_never_redirected_to(candidate, redirect_uri):
    app = register_app(candidate)
    _verifier, challenge = pkce_pair()
    response = _browser(candidate).get(AUTHORIZE_URL, authorize_params(app, challenge, redirect_uri=redirect_uri))
    assert response.status_code == 400
    assert "Location" not in response
    assert "evil.example" not in response.get("Content-Security-Policy", "")


def test_a_loopback_redirect_may_use_any_port(candidate):
    app = register_app(candidate, redirect_uris=["http://127.0.0.1/cb"])
    verifier, challenge = pkce_pair()
    back = _query(authorize(_browser(candidate), app, challenge, redirect_uri="http://127.0.0.1:51234/cb"))
    response = exchange(app, back["code"], verifier, redirect_uri="http://127.0.0.1:51234/cb")
    assert response.status_code == 200


def test_the_token_request_must_repeat_the_same_redirect_uri(candidate):
    app = register_app(candidate, redirect_uris=[REDIRECT_URI, "https://app.example/other"])
    verifier, challenge = pkce_pair()
    code = code_from(authorize(_browser(candidate), app, challenge))
    assert exchange(app, code, verifier, redirect_uri="https://app.example/other").status_code == 400


def test_a_code_works_once(candidate):
    app = register_app(candidate)
    verifier, challenge = pkce_pair()
    code = code_from(authorize(_browser(candidate), app, challenge))
    assert exchange(app, code, verifier).status_code == 200
    again = exchange(app, code, verifier)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_a_code_expires_within_a_minute(candidate):
    app = register_app(candidate)
    verifier, challenge = pkce_pair()
    code = code_from(authorize(_browser(candidate), app, challenge))
    grant = get_grant_model().objects.get()
    assert grant.expires <= timezone.now() + timedelta(seconds=60)
    get_grant_model().objects.update(expires=timezone.now() - timedelta(seconds=1))
    response = exchange(app, code, verifier)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_a_code_is_for_the_app_it_was_given_to(candidate):
    app = register_app(candidate)
    other_app = register_app(CandidateFactory())
    verifier, challenge = pkce_pair()
    code = code_from(authorize(_browser(candidate), app, challenge))
    assert exchange(other_app, code, verifier).status_code == 400


def test_an_app_asks_only_for_candidate_scopes(candidate):
    app = register_app(candidate)
    _verifier, challenge = pkce_pair()
    response = _browser(candidate).get(AUTHORIZE_URL, authorize_params(app, challenge, scope="candidates:read"))
    back = _query(response)
    assert back["error"] == "invalid_scope"


# --- Who may let an app in ------------------------------------------------------------------


def test_signed_out_people_sign_in_first_and_come_back(candidate):
    app = register_app(candidate)
    _verifier, challenge = pkce_pair()
    response = Client().get(AUTHORIZE_URL, authorize_params(app, challenge))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"] and "next=" in response["Location"]


@pytest.mark.parametrize("persona", ["employer_admin", "employer_recruiter", "coordinator", "privacy_officer"])
def test_employer_members_and_staff_cannot_authorize_candidate_apps(candidate, persona, request):
    app = register_app(candidate)
    _verifier, challenge = pkce_pair()
    browser = _browser(request.getfixturevalue(persona))
    params = authorize_params(app, challenge)
    assert browser.get(AUTHORIZE_URL, params).status_code == 403
    data = {**params, "scope": "me:read me:consents", "allow": "on"}
    assert browser.post(AUTHORIZE_URL, data).status_code == 403
    assert not get_grant_model().objects.exists()


def test_a_screened_candidate_cannot_let_an_app_in(candidate):
    app = register_app(CandidateFactory())
    candidate.screening = "suspended"
    candidate.save(update_fields=["screening"])
    _verifier, challenge = pkce_pair()
    response = _browser(candidate).get(AUTHORIZE_URL, authorize_params(app, challenge))
    assert response.status_code == 302 and reverse("accounts:screening_notice") in response["Location"]


def test_an_employer_systems_client_id_gets_no_code(candidate):
    issued = register(admin_of(EmployerWithAgreementFactory()))
    _verifier, challenge = pkce_pair()
    params = authorize_params(issued.client, challenge)
    response = _browser(candidate).get(AUTHORIZE_URL, params)
    assert response.status_code == 400 and "Location" not in response


def test_an_employer_systems_token_is_refused_at_the_consent_endpoints_and_candidate_tokens_at_employers(candidate):
    employer_token = token(register(admin_of(EmployerWithAgreementFactory())))
    assert bearer(employer_token).get(EMPLOYER_ENDPOINT).status_code == 200
    candidate_token = app_tokens(candidate)["access_token"]
    for path in ["/api/v1/openings/", "/api/v1/applications/"]:
        assert bearer(candidate_token).get(path).status_code == 403


def test_a_deactivated_candidates_token_stops(candidate):
    tokens = app_tokens(candidate)
    candidate.is_active = False
    candidate.save(update_fields=["is_active"])
    assert bearer(tokens["access_token"]).get(EMPLOYER_ENDPOINT).status_code == 401


def test_an_app_stops_when_its_registrant_is_suspended(candidate, other_candidate):
    app = register_app(candidate)
    tokens = app_tokens(other_candidate, app=app)
    candidate.screening = "suspended"
    candidate.save(update_fields=["screening"])
    assert bearer(tokens["access_token"]).get(EMPLOYER_ENDPOINT).status_code == 401


# --- The consent page speaks the person's language -------------------------------------------


def test_the_consent_page_is_in_the_persons_language(candidate):
    candidate.language = "ja"
    candidate.save(update_fields=["language"])
    app = register_app(candidate)
    _verifier, challenge = pkce_pair()
    page = _browser(candidate).get(AUTHORIZE_URL, authorize_params(app, challenge))
    assert page["Content-Language"] == "ja"
    html = page.content.decode()
    assert '<html lang="ja">' in html and "My job diary の利用を許可しますか？" in html
    assert "プロフィールの共有をやめること" in html  # me:consents, in plain words
    # The app may ask for another of our languages (OpenID's ui_locales).
    page = _browser(candidate).get(AUTHORIZE_URL, authorize_params(app, challenge, ui_locales="xx-YY vi ja"))
    assert page["Content-Language"] == "vi"
    # Its language links keep the request and change only the language.
    html = page.content.decode()
    assert "ui_locales=ne" in html and "code_challenge=" in html


def test_an_app_revokes_its_own_token(candidate):
    app = register_app(candidate)
    tokens = app_tokens(candidate, app=app)
    response = Client().post("/api/v1/oauth/revoke/", {"token": tokens["refresh_token"], "client_id": app.client_id})
    assert response.status_code == 200
    assert _refresh(app, tokens["refresh_token"]).status_code == 400
    assert bearer(tokens["access_token"]).get(ME_ENDPOINT).status_code == 401


def test_the_data_export_lists_the_apps_one_registered_and_let_in(candidate, other_candidate):
    mine = register_app(candidate, name="My job diary")
    theirs = register_app(other_candidate, name="Their planner")
    app_tokens(candidate, app=theirs)
    _name, data = account_export_section(candidate)
    assert [a["client_id"] for a in data["apps_you_registered"]] == [mine.client_id]
    assert data["apps_you_registered"][0]["redirect_uris"] == [REDIRECT_URI]
    assert data["apps_you_let_in"] == [{"name": "Their planner", "client_id": theirs.client_id}]


def test_a_suspended_candidate_still_takes_back_access_but_registers_nothing(candidate, other_candidate):
    theirs = register_app(other_candidate)
    tokens = app_tokens(candidate, app=theirs)
    candidate.screening = "suspended"
    candidate.save(update_fields=["screening"])
    browser = _browser(candidate)
    page = browser.get(reverse("accounts:my_apps"))
    assert page.status_code == 200 and page.context["form"] is None
    response = browser.post(reverse("accounts:my_apps"), {"name": "App", "redirect_uris": REDIRECT_URI})
    assert response.status_code == 403
    assert browser.post(reverse("accounts:my_app_disconnect", args=[theirs.pk])).status_code == 302
    assert _refresh(theirs, tokens["refresh_token"]).status_code in (400, 401)


def test_a_tampered_consent_form_sends_nobody_to_another_address(candidate):
    app = register_app(candidate)
    browser = _browser(candidate)
    _verifier, challenge = pkce_pair()
    form = browser.get(AUTHORIZE_URL, authorize_params(app, challenge)).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(allow="on", redirect_uri="https://evil.example/callback")
    response = browser.post(AUTHORIZE_URL, data)
    assert "evil.example" not in response.get("Location", "")
    assert not get_grant_model().objects.exists()

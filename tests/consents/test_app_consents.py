"""A candidate's own apps in the consent ledger: letting one in (on our
consent page, recorded when the app gets its token), letting it do more,
and every way its access ends, each a row of the person's history, receipt
and data export, like every other consent. Driven through the real
authorization code + PKCE flow (tests/api/factories.py)."""

import base64
import hashlib
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from accounts.models import AppConsentShown
from accounts.oauth import CANDIDATE_SCOPES, consent_page_text
from accounts.services import account_reinstate, account_screen, api_app_revoke
from consents.exports import section as consents_export_section
from consents.models import Actor, Channel, ConsentEvent, ConsentEventType, ConsentKind, PolicyKind
from consents.privacy.services import account_erase
from consents.selectors import subject_key_of
from consents.services import app_authorisations_expire_due, current_policy
from tests.accounts.factories import CandidateFactory
from tests.api.factories import (
    AUTHORIZE_URL,
    REDIRECT_URI,
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

REVOKE_URL = "/api/v1/oauth/revoke/"
ME_ENDPOINT = "/api/v1/me/grants/"


def app_rows(user) -> list[ConsentEvent]:
    rows = ConsentEvent.objects.filter(subject_key=subject_key_of(user), kind=ConsentKind.APP)
    return list(rows.order_by("occurred_at", "pk"))


def ending(row: ConsentEvent) -> tuple:
    """How a row ended an app's access: (event, channel, actor, why)."""
    return (row.event, row.channel, row.actor, row.scope.get("ended_by"))


def signed_in(user, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_letting_an_app_in_writes_one_grant_with_its_scopes_name_and_client_id(candidate):
    app = register_app(CandidateFactory(), name="Shift planner")
    app_tokens(candidate, app=app)
    [row] = app_rows(candidate)
    assert row.event == ConsentEventType.GRANT
    assert row.scope == {"scopes": ["me:consents", "me:read"]}
    assert (row.app_name, row.app_client_id) == ("Shift planner", app.client_id)
    assert (row.channel, row.actor, row.actor_staff_id) == (Channel.WEB, Actor.SUBJECT, None)
    assert row.employer_id is None and row.grant_id is None


def test_letting_it_in_again_with_the_same_scopes_or_refreshing_writes_nothing(candidate):
    app = register_app(candidate)
    tokens = app_tokens(candidate, app=app)
    app_tokens(candidate, app=app)  # the consent page and "Allow" again, while a token lives
    refreshed = Client().post(
        "/api/v1/oauth/token/",
        {"grant_type": "refresh_token", "client_id": app.client_id, "refresh_token": tokens["refresh_token"]},
    )
    assert refreshed.status_code == 200
    assert [r.event for r in app_rows(candidate)] == [ConsentEventType.GRANT]


def test_more_scopes_later_are_a_change_with_everything_the_app_may_now_do(candidate):
    app = register_app(candidate)
    app_tokens(candidate, app=app, scopes=["me:read"])
    app_tokens(candidate, app=app, scopes=["me:consents"])
    rows = app_rows(candidate)
    assert [(r.event, r.scope["scopes"]) for r in rows] == [
        (ConsentEventType.GRANT, ["me:read"]),
        (ConsentEventType.CHANGE, ["me:consents", "me:read"]),
    ]


def test_disconnecting_on_the_apps_page_withdraws_and_a_new_authorisation_is_a_new_grant(candidate):
    app = register_app(CandidateFactory())
    tokens = app_tokens(candidate, app=app)
    response = signed_in(candidate).post(reverse("accounts:my_app_disconnect", args=[app.pk]))
    assert response.status_code == 302
    assert bearer(tokens["access_token"]).get(ME_ENDPOINT).status_code == 401
    withdrawal = app_rows(candidate)[-1]
    assert ending(withdrawal) == (ConsentEventType.WITHDRAW, Channel.WEB, Actor.SUBJECT, "disconnected")
    assert withdrawal.scope["scopes"] == ["me:consents", "me:read"] and withdrawal.app_client_id == app.client_id
    # Disconnecting what is already disconnected records nothing more.
    signed_in(candidate).post(reverse("accounts:my_app_disconnect", args=[app.pk]))
    app_tokens(candidate, app=app)
    assert [r.event for r in app_rows(candidate)] == [
        ConsentEventType.GRANT,
        ConsentEventType.WITHDRAW,
        ConsentEventType.GRANT,
    ]


@pytest.mark.parametrize("which", ["refresh_token", "access_token"])
def test_an_app_giving_up_its_token_withdraws_through_the_api(candidate, which):
    app = register_app(candidate)
    tokens = app_tokens(candidate, app=app)
    response = Client().post(REVOKE_URL, {"token": tokens[which], "client_id": app.client_id})
    assert response.status_code == 200
    assert ending(app_rows(candidate)[-1]) == (ConsentEventType.WITHDRAW, Channel.API, Actor.SUBJECT, "app")


def test_an_app_giving_up_one_of_two_authorisations_withdraws_nothing(candidate):
    app = register_app(candidate)
    first = app_tokens(candidate, app=app)
    app_tokens(candidate, app=app)
    Client().post(REVOKE_URL, {"token": first["refresh_token"], "client_id": app.client_id})
    assert [r.event for r in app_rows(candidate)] == [ConsentEventType.GRANT]


def test_its_registrant_revoking_the_app_withdraws_for_everyone_it_reached(candidate, other_candidate):
    app = register_app(candidate)
    app_tokens(candidate, app=app)
    app_tokens(other_candidate, app=app)
    stranger = CandidateFactory()
    api_app_revoke(actor=candidate, client=app)
    assert ending(app_rows(other_candidate)[-1]) == (ConsentEventType.WITHDRAW, Channel.SYSTEM, Actor.SYSTEM, "revoked")
    assert ending(app_rows(candidate)[-1]) == (ConsentEventType.WITHDRAW, Channel.WEB, Actor.SUBJECT, "disconnected")
    assert app_rows(stranger) == []


def test_an_app_deleted_with_its_registrants_account_withdraws_for_the_others(candidate, other_candidate):
    app = register_app(candidate)
    app_tokens(other_candidate, app=app)
    their_app = register_app(other_candidate)
    app_tokens(candidate, app=their_app)
    key = subject_key_of(candidate)
    account_erase(user=candidate)
    theirs = app_rows(other_candidate)[-1]
    assert ending(theirs) == (ConsentEventType.WITHDRAW, Channel.SYSTEM, Actor.SYSTEM, "deleted")
    assert theirs.app_client_id == app.client_id
    # The erased person's own history says their app lost its access when
    # the account closed (and now names nobody).
    mine = ConsentEvent.objects.filter(subject_key=key, kind=ConsentKind.APP).order_by("occurred_at", "pk")
    assert [(r.event, r.scope.get("ended_by")) for r in mine] == [
        (ConsentEventType.GRANT, None),
        (ConsentEventType.WITHDRAW, "account_deleted"),
    ]


def test_an_employer_systems_token_writes_nothing(candidate):
    issued = register(admin_of(EmployerWithAgreementFactory()))
    access_token = token(issued)
    basic = base64.b64encode(f"{issued.client.client_id}:{issued.secret}".encode()).decode()
    response = Client().post(REVOKE_URL, {"token": access_token}, HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 200
    assert not ConsentEvent.objects.filter(kind=ConsentKind.APP).exists()


def test_the_history_shows_both_rows_in_the_persons_language(candidate):
    app = register_app(CandidateFactory(), name="Shift planner")
    app_tokens(candidate, app=app, scopes=["me:read"])
    signed_in(candidate).post(reverse("accounts:my_app_disconnect", args=[app.pk]))
    with translation.override("ja"):
        url = reverse("consents:my_consents")
    page = signed_in(candidate, "ja").get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("あなたが使うアプリ: Shift planner") == 2
    assert "あなたのデータの閲覧" in html  # me:read, in a few words
    assert "あなたが接続を解除しました" in html  # why it ended
    with translation.override("en"):
        url = reverse("consents:my_consents")
    english = signed_in(candidate).get(url).content.decode()
    assert "An app of your own: Shift planner (read your data)" in english
    assert "Withdrawn (you disconnected it)" in english


def test_the_receipt_names_the_app_and_its_whole_history(candidate):
    app = register_app(CandidateFactory(), name="Shift planner")
    app_tokens(candidate, app=app)
    signed_in(candidate).post(reverse("accounts:my_app_disconnect", args=[app.pk]))
    row = app_rows(candidate)[0]
    receipt = signed_in(candidate).get(reverse("consents:consent_receipt", args=[row.pk])).json()
    assert receipt["record_id"] == f"app:{app.client_id}"
    assert receipt["recipients"][0]["name"] == "Shift planner"
    assert receipt["state"] == "withdrawn"
    assert [e["event"] for e in receipt["events"]] == ["grant", "withdraw"]


def test_the_data_export_has_both_rows(candidate):
    app = register_app(CandidateFactory(), name="Shift planner")
    app_tokens(candidate, app=app)
    signed_in(candidate).post(reverse("accounts:my_app_disconnect", args=[app.pk]))
    _name, data = consents_export_section(candidate)
    rows = [r for r in data["ledger"] if r["kind"] == ConsentKind.APP]
    assert [(r["event"], r["app"], r["app_client_id"], r["channel"]) for r in rows] == [
        (ConsentEventType.GRANT, "Shift planner", app.client_id, Channel.WEB),
        (ConsentEventType.WITHDRAW, "Shift planner", app.client_id, Channel.WEB),
    ]
    assert rows[0]["scope"]["scopes"] == ["me:consents", "me:read"]


def test_the_grant_records_the_consent_page_as_read_in_its_language(candidate):
    """The ledger row proves what the page said: the hash of its words in the
    language the person read it in (here the one the app asked for), under
    the Privacy Policy in force, like every other consent."""
    app = register_app(CandidateFactory(full_name="Minh Tran"), name="Shift planner")
    browser = Client()
    browser.force_login(candidate)
    verifier, challenge = pkce_pair()
    page = browser.get(AUTHORIZE_URL, authorize_params(app, challenge, ui_locales="ja"))
    code = code_from(authorize(browser, app, challenge, ui_locales="ja"))
    assert exchange(app, code, verifier).status_code == 200

    [row] = app_rows(candidate)
    with translation.override("ja"):
        shown = consent_page_text(
            app_name="Shift planner",
            registrant_name="Minh Tran",
            scopes=list(CANDIDATE_SCOPES),
            email=candidate.email,
            redirect_uri=REDIRECT_URI,
        )
    assert row.language == "ja"
    assert row.notice_sha256 == hashlib.sha256(shown.encode()).hexdigest()
    assert row.notice_version_id == current_policy(PolicyKind.PRIVACY).pk
    # Each line of that text is on the page the person saw.
    html = unescape(page.content.decode())
    for line in shown.splitlines():
        for part in line.split(": ", 1)[-1].split("; "):
            assert part.split(" — ")[0] in html, part


def test_erasure_forgets_which_consent_pages_were_read(candidate):
    app_tokens(candidate)
    assert AppConsentShown.objects.filter(user=candidate).exists()
    account_erase(user=candidate)
    assert not AppConsentShown.objects.filter(user_id=candidate.pk).exists()


def _lapse(user, *, days_ago: int = 400) -> None:
    """Every token of the person lapses: the access tokens ran out long ago,
    past the refresh tokens' lifetime (as when an app stops coming back)."""
    past = timezone.now() - timedelta(days=days_ago)
    get_access_token_model().objects.filter(user=user).update(expires=past)


def test_an_app_whose_tokens_lapsed_is_recorded_as_expired_once(candidate):
    app = register_app(CandidateFactory())
    app_tokens(candidate, app=app)
    other = CandidateFactory()
    app_tokens(other, app=app)  # still holds a live token: nothing for them

    assert app_authorisations_expire_due() == 0
    _lapse(candidate)
    assert app_authorisations_expire_due() == 1
    assert app_authorisations_expire_due() == 0  # once
    rows = app_rows(candidate)
    assert [(r.event, r.channel, r.actor) for r in rows] == [
        (ConsentEventType.GRANT, Channel.WEB, Actor.SUBJECT),
        (ConsentEventType.EXPIRE, Channel.SYSTEM, Actor.SYSTEM),
    ]
    assert rows[-1].scope == {"scopes": ["me:consents", "me:read"]}
    assert [r.event for r in app_rows(other)] == [ConsentEventType.GRANT]
    history = signed_in(candidate).get(reverse("consents:my_consents"))
    assert history.status_code == 200 and "Expired" in history.content.decode()
    # Let in again later: a new grant.
    app_tokens(candidate, app=app)
    assert [r.event for r in app_rows(candidate)][-1] == ConsentEventType.GRANT


def test_a_revoked_chain_is_recorded_as_expired_too(candidate):
    app = register_app(CandidateFactory())
    app_tokens(candidate, app=app)
    get_access_token_model().objects.filter(user=candidate).update(expires=timezone.now() - timedelta(minutes=1))
    assert app_authorisations_expire_due() == 0  # the refresh token still works
    get_refresh_token_model().objects.filter(user=candidate).update(revoked=timezone.now())
    assert app_authorisations_expire_due() == 1


def test_the_hourly_check_asks_the_same_queries_however_many_apps_are_let_in():
    app = register_app(CandidateFactory())
    app_tokens(CandidateFactory(), app=app)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert app_authorisations_expire_due() == 0
        return len(captured)

    few = count()
    for _ in range(3):
        app_tokens(CandidateFactory(), app=register_app(CandidateFactory()))
    assert count() == few


# --- Narrowed or ended by anyone: watched at the token models (accounts.app_access) ---


def refresh(app, refresh_token: str, scope: str | None = None):
    data = {"grant_type": "refresh_token", "client_id": app.client_id, "refresh_token": refresh_token}
    if scope is not None:
        data["scope"] = scope
    return Client().post("/api/v1/oauth/token/", data)


def staff_admin(user) -> Client:
    user.is_staff = user.is_superuser = True
    user.save()
    return signed_in(user)


def admin_revoke(admin: Client, model: str, pks: list[int]):
    """The admin's "Revoke selected … tokens" action (django-oauth-toolkit's
    admin offers no raw delete of a token)."""
    changelist = f"/en/staff/admin/oauth2_provider/{model}/"
    response = admin.post(changelist, {"action": "revoke_tokens", "_selected_action": pks})
    assert response.status_code == 302, response.content
    return response


def test_an_app_giving_up_the_token_with_more_scopes_is_a_change_to_what_is_left_once(candidate):
    app = register_app(CandidateFactory())
    app_tokens(candidate, app=app, scopes=["me:read"])
    wider = app_tokens(candidate, app=app, scopes=["me:read", "me:consents"])
    response = Client().post(REVOKE_URL, {"token": wider["access_token"], "client_id": app.client_id})
    assert response.status_code == 200
    Client().post(REVOKE_URL, {"token": wider["refresh_token"], "client_id": app.client_id})  # already dead
    rows = app_rows(candidate)
    assert [(r.event, r.scope["scopes"]) for r in rows] == [
        (ConsentEventType.GRANT, ["me:read"]),
        (ConsentEventType.CHANGE, ["me:consents", "me:read"]),
        (ConsentEventType.CHANGE, ["me:read"]),
    ]
    assert (rows[-1].channel, rows[-1].actor) == (Channel.API, Actor.SUBJECT)
    english = signed_in(candidate).get(reverse("consents:my_consents")).content.decode()
    assert "Changed" in english


def test_a_refresh_asking_fewer_scopes_is_a_change_and_the_next_refresh_records_nothing(candidate):
    app = register_app(CandidateFactory())
    tokens = app_tokens(candidate, app=app)
    narrowed = refresh(app, tokens["refresh_token"], scope="me:read")
    assert narrowed.status_code == 200 and narrowed.json()["scope"] == "me:read"
    again = refresh(app, narrowed.json()["refresh_token"])
    assert again.status_code == 200
    assert [(r.event, r.scope["scopes"], r.channel) for r in app_rows(candidate)] == [
        (ConsentEventType.GRANT, ["me:consents", "me:read"], Channel.WEB),
        (ConsentEventType.CHANGE, ["me:read"], Channel.API),
    ]
    # The narrowed token really lost the scope it gave up.
    narrow = bearer(again.json()["access_token"])
    assert narrow.post("/api/v1/me/grants/999999/withdraw/", {}, content_type="application/json").status_code == 403


def test_staff_revoking_its_only_access_token_in_the_admin_withdraws_once(candidate, coordinator):
    app = register_app(CandidateFactory(), name="Shift planner")
    tokens = app_tokens(candidate, app=app)
    access = get_access_token_model().objects.get(user=candidate)
    admin = staff_admin(coordinator)
    admin_revoke(admin, "accesstoken", [access.pk])
    assert bearer(tokens["access_token"]).get(ME_ENDPOINT).status_code == 401
    assert refresh(app, tokens["refresh_token"]).status_code == 400
    admin_revoke(admin, "refreshtoken", list(get_refresh_token_model().objects.values_list("pk", flat=True)))
    rows = app_rows(candidate)
    assert [r.event for r in rows] == [ConsentEventType.GRANT, ConsentEventType.WITHDRAW]
    assert ending(rows[-1]) == (ConsentEventType.WITHDRAW, Channel.SYSTEM, Actor.SYSTEM, "staff")
    assert rows[-1].scope["scopes"] == ["me:consents", "me:read"]
    history = signed_in(candidate).get(reverse("consents:my_consents")).content.decode()
    assert "Withdrawn (Tsunagu staff removed its access)" in unescape(history)


def test_staff_revoking_its_refresh_token_in_the_admin_withdraws_too(candidate, coordinator):
    app = register_app(CandidateFactory())
    tokens = app_tokens(candidate, app=app)
    admin_revoke(staff_admin(coordinator), "refreshtoken", [get_refresh_token_model().objects.get(user=candidate).pk])
    assert bearer(tokens["access_token"]).get(ME_ENDPOINT).status_code == 401
    assert [ending(r) for r in app_rows(candidate)][-1][3] == "staff"


def test_staff_revoking_one_of_its_tokens_with_fewer_scopes_left_is_a_change(candidate, coordinator):
    app = register_app(CandidateFactory())
    app_tokens(candidate, app=app, scopes=["me:read"])
    app_tokens(candidate, app=app, scopes=["me:consents"])
    wider = get_access_token_model().objects.get(user=candidate, scope="me:consents")
    admin_revoke(staff_admin(coordinator), "accesstoken", [wider.pk])
    assert [(r.event, r.scope["scopes"], r.channel) for r in app_rows(candidate)][-1] == (
        ConsentEventType.CHANGE,
        ["me:read"],
        Channel.SYSTEM,
    )


def test_a_token_whose_scopes_are_cut_outside_any_service_is_a_change_once(candidate):
    """As staff editing it on the admin's change form: watched at the model."""
    app = register_app(CandidateFactory())
    app_tokens(candidate, app=app)
    access = get_access_token_model().objects.get(user=candidate)
    access.scope = "me:read"
    access.save()
    access.save()  # saved again unchanged: nothing more
    rows = app_rows(candidate)
    assert [(r.event, r.scope["scopes"], r.channel, r.actor) for r in rows] == [
        (ConsentEventType.GRANT, ["me:consents", "me:read"], Channel.WEB, Actor.SUBJECT),
        (ConsentEventType.CHANGE, ["me:read"], Channel.SYSTEM, Actor.SYSTEM),
    ]


def test_staff_revoking_all_its_tokens_at_once_in_the_admin_withdraws_once(candidate, coordinator):
    app = register_app(CandidateFactory())
    app_tokens(candidate, app=app)
    app_tokens(candidate, app=app)
    pks = list(get_access_token_model().objects.filter(user=candidate).values_list("pk", flat=True))
    admin_revoke(staff_admin(coordinator), "accesstoken", pks)
    assert not get_access_token_model().objects.filter(user=candidate).exists()
    assert [r.event for r in app_rows(candidate)] == [ConsentEventType.GRANT, ConsentEventType.WITHDRAW]


def test_the_app_deleted_by_any_path_withdraws_once_for_each_person(candidate, other_candidate, coordinator):
    app = register_app(CandidateFactory())
    app_tokens(candidate, app=app)
    app_tokens(candidate, app=app)
    app_tokens(other_candidate, app=app)
    admin = staff_admin(coordinator)
    # The admin will not delete an app whose tokens it may not delete (they are revoked there)…
    assert admin.post(f"/en/staff/admin/accounts/apiclient/{app.pk}/delete/", {"post": "yes"}).status_code == 403
    assert [r.event for r in app_rows(candidate)] == [ConsentEventType.GRANT]
    # …any other path is watched at the models all the same.
    app.delete()
    for person in (candidate, other_candidate):
        rows = app_rows(person)
        assert [r.event for r in rows] == [ConsentEventType.GRANT, ConsentEventType.WITHDRAW]
        assert rows[-1].scope["ended_by"] == "deleted"


def test_its_registrant_suspended_withdraws_for_everyone_it_reached_once(candidate, other_candidate, coordinator):
    registrant = CandidateFactory()
    app = register_app(registrant)
    tokens = app_tokens(candidate, app=app)
    app_tokens(other_candidate, app=app)
    bystander_app = register_app(CandidateFactory())
    app_tokens(candidate, app=bystander_app)
    account_screen(actor=coordinator, user=registrant, decision="suspended", reason="Spam.")
    account_screen(actor=coordinator, user=registrant, decision="refused", reason="Still spam.")
    assert bearer(tokens["access_token"]).get(ME_ENDPOINT).status_code == 401
    for person in (candidate, other_candidate):
        mine = [r for r in app_rows(person) if r.app_client_id == app.client_id]
        assert [ending(r) for r in mine][1:] == [
            (ConsentEventType.WITHDRAW, Channel.SYSTEM, Actor.SYSTEM, "registrant_screened")
        ]
    # Another registrant's app is untouched.
    assert [r.event for r in app_rows(candidate) if r.app_client_id == bystander_app.client_id] == [
        ConsentEventType.GRANT
    ]
    history = signed_in(candidate).get(reverse("consents:my_consents")).content.decode()
    assert "whoever registered the app was suspended from Tsunagu" in unescape(history)
    # Reinstated: the app works again only once the person lets it in again.
    account_reinstate(actor=coordinator, user=registrant, reason="Appeal upheld.")
    app_tokens(candidate, app=app)
    assert [r.event for r in app_rows(candidate) if r.app_client_id == app.client_id][-1] == ConsentEventType.GRANT


def test_a_spent_refresh_token_presented_again_withdraws_as_reused(candidate):
    app = register_app(CandidateFactory())
    tokens = app_tokens(candidate, app=app)
    assert refresh(app, tokens["refresh_token"]).status_code == 200
    assert refresh(app, tokens["refresh_token"]).status_code == 400  # the thief, or a confused app
    assert ending(app_rows(candidate)[-1]) == (ConsentEventType.WITHDRAW, Channel.SYSTEM, Actor.SYSTEM, "reused")
    assert [r.event for r in app_rows(candidate)] == [ConsentEventType.GRANT, ConsentEventType.WITHDRAW]

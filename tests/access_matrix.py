"""The access matrix: every URL of the project × every persona → the answer.

tests/test_access_matrix.py fails when a URL pattern exists that is not
declared here, so every new page must state who may see it. Each later
feature adds its rows.

Expected answers:
  200, 403, 404, 405, 410 — that status code
  LOGIN — redirected to the sign-in page
  MFA   — redirected to set up two-factor authentication
  AWAY  — redirected elsewhere (e.g. a signed-in user sent away from sign-up)
"""

from dataclasses import dataclass, field

from tests.conftest import PERSONAS
from tests.profiles.factories import CandidateProfileWithPhotoFactory

LOGIN = "login"
MFA = "mfa"
AWAY = "away"

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]
STAFF = ["coordinator", "privacy_officer", "support"]
EMPLOYERS = ["employer_admin", "employer_recruiter", "employer_with_grant", "revoked_employer"]
# Recruiters of other employers: unless a row says otherwise, they get what
# employer_recruiter gets.
LIKE_RECRUITER = ["employer_with_grant", "revoked_employer"]
CANDIDATES = ["candidate", "other_candidate"]


def answers(default, **by_persona) -> dict:
    """Everyone gets `default`, except the persona overrides; a staff member
    without MFA is sent to MFA setup unless said otherwise."""
    result = dict.fromkeys(PERSONAS, default)
    result["staff_without_mfa"] = MFA
    for key, value in by_persona.items():
        result[key] = value
    for persona in LIKE_RECRUITER:
        if persona not in by_persona:
            result[persona] = result["employer_recruiter"]
    return result


def signed_in_only(default=200, **by_persona) -> dict:
    return answers(default, anonymous=LOGIN, **by_persona)


def only(allowed: list[str], ok=200, denied=403, **by_persona) -> dict:
    result = answers(denied, anonymous=LOGIN, **by_persona)
    for p in allowed:
        if p not in by_persona:
            result[p] = ok
    if "employer_recruiter" in allowed:
        for p in LIKE_RECRUITER:
            if p not in by_persona:
                result[p] = ok
    return result


@dataclass
class Row:
    expect: dict
    kwargs: dict = field(default_factory=dict)
    # A callable(fixtures) -> kwargs, for URLs that need a real object.
    kwargs_from: object = None


def webhook_endpoint_pk(f) -> dict:
    return {"pk": f["webhook_endpoint"].pk}


PUBLIC = answers(200)
ANONYMOUS_ONLY = answers(AWAY, anonymous=200)

ROWS: dict[str, Row] = {
    # --- project ---
    "healthz": Row(answers(200, staff_without_mfa=200)),
    "readyz": Row(answers(200, staff_without_mfa=200)),
    # Search engines' sitemaps (open openings and company pages): public.
    "sitemap": Row(PUBLIC),
    "sitemap_section": Row(PUBLIC, kwargs={"section": "openings"}),
    "favicon": Row(answers(AWAY, staff_without_mfa=AWAY)),  # to the static icon
    "home": Row(PUBLIC),
    "consents:cookie_settings": Row(PUBLIC),
    "consents:policy_list": Row(PUBLIC),
    "consents:policy": Row(PUBLIC, kwargs={"kind": "terms"}),
    "consents:policy_version": Row(PUBLIC, kwargs={"kind": "terms", "version": "2026-11-23"}),
    # Nothing to accept for personas: sent on to where they were going.
    "consents:policy_accept": Row(signed_in_only(AWAY)),
    # Closing a revision banner is a POST (anyone: per account or per browser).
    "consents:policy_banner_dismiss": Row(answers(405)),
    # --- consents: the candidate's own consents ---
    "consents:my_consents": Row(only(CANDIDATES)),
    "consents:consent_receipt": Row(only(CANDIDATES, ok=404), kwargs={"event_id": 999999}),
    "consents:sharing": Row(only(CANDIDATES)),
    "consents:grant_withdraw": Row(only(CANDIDATES, ok=405), kwargs={"grant_id": 999999}),
    "consents:share_with_employer": Row(only(CANDIDATES), kwargs_from=lambda f: {"employer_id": f["employer"].pk}),
    "consents:access_log": Row(only(CANDIDATES)),
    "consents:email_preferences": Row(signed_in_only()),
    # --- consents: what employers see (the access decision) ---
    "consents:employer_agreement": Row(only(EMPLOYERS)),
    # employer_admin/recruiter's company has not accepted the agreement: 403 page.
    "consents:employer_candidates": Row(only(EMPLOYERS, employer_admin=403, employer_recruiter=403)),
    "consents:employer_candidate": Row(
        only(EMPLOYERS, ok=404, employer_with_grant=200),
        kwargs_from=lambda f: {"profile_id": f["candidate_profile"].pk},
    ),
    "consents:employer_candidate_photo": Row(
        only(EMPLOYERS, ok=404, employer_with_grant=404),
        kwargs_from=lambda f: {"profile_id": f["candidate_profile"].pk, "size": "thumb"},
    ),
    "consents:staff_candidates": Row(only(STAFF)),
    "consents:staff_candidate": Row(only(STAFF), kwargs_from=lambda f: {"profile_id": f["candidate_profile"].pk}),
    # Anonymised statistics: every staff group (nobody can be identified in them).
    "consents:staff_statistics": Row(only(STAFF)),
    "consents:staff_statistics_csv": Row(only(STAFF)),
    # --- accounts ---
    "accounts:dashboard": Row(signed_in_only()),
    "accounts:invitation_accept": Row(answers(404), kwargs={"token": "not-a-real-token"}),
    "accounts:company": Row(only(EMPLOYERS)),
    "accounts:company_invitation_revoke": Row(only(["employer_admin"], ok=405), kwargs={"pk": 999999}),
    "accounts:staff_employer_list": Row(only(["coordinator", "support"])),
    "accounts:staff_employer_create": Row(only(["coordinator", "support"])),
    "accounts:staff_employer_detail": Row(
        only(["coordinator", "support"]), kwargs_from=lambda f: {"pk": f["employer"].pk}
    ),
    "accounts:staff_screening": Row(only(["coordinator", "support"])),
    "accounts:staff_account_screen": Row(
        only(["coordinator", "support"]), kwargs_from=lambda f: {"pk": f["candidate"].pk}
    ),
    # Nobody here is under a screening decision: sent on to My page.
    "accounts:screening_notice": Row(signed_in_only(AWAY)),
    # The language of one's own email and notices: everyone signed in.
    "accounts:language": Row(signed_in_only()),
    # --- profiles: the candidate's own profile ---
    "profiles:overview": Row(only(CANDIDATES)),
    "profiles:postal_code": Row(only(CANDIDATES), kwargs={"code": "1000013"}),
    # Without ?opening= there is nothing to get ready for.
    "ready_to_apply": Row(only(CANDIDATES, ok=404)),
    "consents:profile_preview": Row(only(CANDIDATES)),
    "profiles:section": Row(only(CANDIDATES), kwargs={"section": "basics"}),
    "profiles:entry_add": Row(only(CANDIDATES), kwargs={"section": "work"}),
    # Another person's entry id is simply not found.
    "profiles:entry_edit": Row(only(CANDIDATES, ok=404), kwargs={"section": "work", "pk": 999999}),
    "profiles:entry_delete": Row(only(CANDIDATES, ok=405), kwargs={"section": "work", "pk": 999999}),
    # --- profiles: staff moderation and verification ---
    "profiles:moderation_queue": Row(only(["coordinator", "support"])),
    "consents:staff_moderation_case": Row(only(["coordinator", "support"], ok=404), kwargs={"pk": 999999}),
    "profiles:moderation_report": Row(
        only(["coordinator", "support"]), kwargs_from=lambda f: {"profile_id": f["candidate_profile"].pk}
    ),
    "consents:staff_status_verify": Row(
        only(["coordinator", "support"]), kwargs_from=lambda f: {"profile_id": f["candidate_profile"].pk}
    ),
    # The work rules the engine applies: coordinators keep them, privacy officers answer for them.
    "profiles:work_rules": Row(only(["coordinator", "privacy_officer"])),
    # --- profiles: the photo (never public; served only through these views) ---
    "profiles:photo_upload": Row(only(CANDIDATES)),
    "profiles:photo_delete": Row(only(CANDIDATES, ok=405)),
    # The personas have no photo: their own is not found.
    "profiles:photo_own": Row(only(CANDIDATES, ok=404), kwargs={"size": "thumb"}),
    # Staff reach a photo only through the signed link of a staff page that
    # recorded its look (tests/consents/test_staff_looks.py): without it, 404.
    "consents:staff_candidate_photo": Row(
        only(STAFF, ok=404),
        kwargs_from=lambda f: {"profile_id": CandidateProfileWithPhotoFactory().pk, "size": "thumb"},
    ),
    # --- matching: the public job board ---
    "matching:board": Row(PUBLIC),
    "matching:opening": Row(PUBLIC, kwargs_from=lambda f: {"pk": f["opening"].pk}),
    "matching:company": Row(PUBLIC, kwargs_from=lambda f: {"pk": f["opening"].employer_id}),
    # A company without a logo: nothing to serve, to anyone.
    "matching:company_logo": Row(answers(404), kwargs_from=lambda f: {"pk": f["opening"].employer_id}),
    # --- matching: candidates (personas' profiles are empty: told what is missing, 409) ---
    "matching:apply": Row(only(CANDIDATES, ok=409), kwargs_from=lambda f: {"pk": f["opening"].pk}),
    "matching:my_applications": Row(only(CANDIDATES)),
    "matching:my_application": Row(only(CANDIDATES, ok=404), kwargs={"pk": 999999}),
    "matching:my_application_withdraw": Row(only(CANDIDATES, ok=405), kwargs={"pk": 999999}),
    "matching:my_proposals": Row(only(CANDIDATES)),
    "matching:my_proposal": Row(only(CANDIDATES, ok=404), kwargs={"pk": 999999}),
    "matching:recommendations": Row(only(CANDIDATES)),
    "matching:messages": Row(signed_in_only()),
    "matching:my_application_message": Row(only(CANDIDATES, ok=405), kwargs={"pk": 999999}),
    "matching:my_application_interview": Row(only(CANDIDATES, ok=405), kwargs={"pk": 999999}),
    "matching:my_application_interview_ics": Row(only(CANDIDATES, ok=404), kwargs={"pk": 999999}),
    # Either side of the conversation reports a message; nobody else finds it
    # (the employer only while the candidate still shares: revoked → 404).
    "matching:message_report": Row(
        signed_in_only(404, candidate=200, employer_with_grant=200),
        kwargs_from=lambda f: {"pk": f["conversation_message"].pk},
    ),
    # --- matching: employers (only their own company's openings) ---
    "matching:employer_openings": Row(only(EMPLOYERS)),
    # The public company page is written by the company's admins only.
    "matching:employer_company_page": Row(only(["employer_admin"])),
    "matching:employer_opening_new": Row(only(EMPLOYERS)),
    "matching:employer_opening": Row(
        only(EMPLOYERS, employer_with_grant=404, revoked_employer=404), kwargs_from=lambda f: {"pk": f["opening"].pk}
    ),
    "matching:employer_opening_edit": Row(
        only(EMPLOYERS, employer_with_grant=404, revoked_employer=404), kwargs_from=lambda f: {"pk": f["opening"].pk}
    ),
    "matching:employer_application": Row(only(EMPLOYERS, ok=404), kwargs={"pk": 999999}),
    "matching:employer_application_message": Row(only(EMPLOYERS, ok=405), kwargs={"pk": 999999}),
    "matching:employer_opening_board": Row(
        only(EMPLOYERS, employer_with_grant=404, revoked_employer=404), kwargs_from=lambda f: {"pk": f["opening"].pk}
    ),
    "matching:employer_message_templates": Row(only(EMPLOYERS)),
    "matching:employer_message_template": Row(only(EMPLOYERS, ok=404), kwargs={"pk": 999999}),
    # --- matching: staff ---
    "matching:staff_openings": Row(only(["coordinator", "support"])),
    "matching:staff_message_reports": Row(only(["coordinator", "support"])),
    "matching:staff_opening": Row(only(["coordinator"]), kwargs_from=lambda f: {"pk": f["opening"].pk}),
    "matching:staff_opening_unpublish": Row(
        only(["coordinator", "support"], ok=405), kwargs_from=lambda f: {"pk": f["opening"].pk}
    ),
    # --- saved jobs and job alerts (the candidate's own; staff see counts) ---
    "saved:save": Row(only(CANDIDATES, ok=405), kwargs_from=lambda f: {"pk": f["opening"].pk}),
    "saved:saved_jobs": Row(only(CANDIDATES)),
    "saved:alerts": Row(only(CANDIDATES)),
    "saved:alert_new": Row(only(CANDIDATES)),
    "saved:alert": Row(only(CANDIDATES, ok=404), kwargs={"pk": 999999}),
    "saved:alert_unsubscribe": Row(answers(400), kwargs={"token": "not-a-signed-token"}),
    "saved:staff_alerts": Row(only(["coordinator", "privacy_officer"])),
    # --- the API (/api/v1/, docs/api.md): bearer tokens only, a session counts for nothing ---
    "accounts:company_api": Row(only(["employer_admin"])),
    "accounts:company_api_revoke": Row(only(["employer_admin"], ok=405), kwargs={"pk": 999999}),
    "matching:employer_webhooks": Row(only(["employer_admin"])),
    # A receiver of employer_admin's company (`webhook_endpoint`): its admins
    # only; its recruiter, other companies' members, candidates and staff are
    # refused (403); the question pages answer GET, the actions only POST
    # (405). Another company's admin finds nothing: OTHER_COMPANY_ADMIN.
    "matching:employer_webhook": Row(only(["employer_admin"]), kwargs_from=webhook_endpoint_pk),
    "matching:employer_webhook_stop": Row(only(["employer_admin"], ok=405), kwargs_from=webhook_endpoint_pk),
    "matching:employer_webhook_start": Row(only(["employer_admin"], ok=405), kwargs_from=webhook_endpoint_pk),
    "matching:employer_webhook_rotate": Row(only(["employer_admin"], ok=405), kwargs_from=webhook_endpoint_pk),
    "matching:employer_webhook_replace_secret": Row(only(["employer_admin"]), kwargs_from=webhook_endpoint_pk),
    "matching:employer_webhook_delete": Row(only(["employer_admin"]), kwargs_from=webhook_endpoint_pk),
    "matching:employer_webhook_test": Row(only(["employer_admin"], ok=405), kwargs_from=webhook_endpoint_pk),
    # Candidates' own apps: registered, revoked and disconnected on their page;
    # let in on the consent page (no request parameters here: 400 for candidates).
    "accounts:my_apps": Row(only(CANDIDATES)),
    "accounts:my_app_revoke": Row(only(CANDIDATES, ok=405), kwargs={"pk": 999999}),
    "accounts:my_app_disconnect": Row(only(CANDIDATES, ok=405), kwargs={"pk": 999999}),
    "api:authorize": Row(only(CANDIDATES, ok=400)),
    "api:token": Row(answers(405)),
    "api:revoke": Row(answers(405)),
    "api:schema": Row(answers(200)),
    "api:swagger": Row(answers(200)),
    "api:redoc": Row(answers(200)),
    "api:openings": Row(answers(401)),
    "api:opening": Row(answers(401), kwargs_from=lambda f: {"pk": f["opening"].pk}),
    "api:opening_open": Row(answers(401), kwargs_from=lambda f: {"pk": f["opening"].pk}),
    "api:opening_close": Row(answers(401), kwargs_from=lambda f: {"pk": f["opening"].pk}),
    "api:applications": Row(answers(401)),
    "api:application": Row(answers(401), kwargs={"pk": 999999}),
    "api:application_move": Row(answers(401), kwargs={"pk": 999999}),
    "api:application_notes": Row(answers(401), kwargs={"pk": 999999}),
    "api:application_messages": Row(answers(401), kwargs={"pk": 999999}),
    "api:application_interviews": Row(answers(401), kwargs={"pk": 999999}),
    "api:application_interview_cancel": Row(answers(401), kwargs={"pk": 999999, "interview_id": 999999}),
    "api:application_candidate": Row(answers(401), kwargs={"pk": 999999}),
    "api:candidate": Row(answers(401), kwargs_from=lambda f: {"profile_id": f["candidate_profile"].pk}),
    "api:webhooks": Row(answers(401)),
    # A real receiver: a session opens nothing, not even its own company's
    # (tokens by scope and company: tests/api/test_webhooks_api.py).
    "api:webhook": Row(answers(401), kwargs_from=webhook_endpoint_pk),
    "api:webhook_deliveries": Row(answers(401), kwargs_from=webhook_endpoint_pk),
    "api:webhook_test": Row(answers(401), kwargs_from=webhook_endpoint_pk),
    "api:webhook_rotate_secret": Row(answers(401), kwargs_from=webhook_endpoint_pk),
    "api_not_found": Row(answers(404), kwargs={"rest": "v1/openings/-1/"}),
    "api:me_profile": Row(answers(401)),
    "api:me_applications": Row(answers(401)),
    "api:me_grants": Row(answers(401)),
    "api:me_grant_withdraw": Row(answers(401), kwargs={"grant_id": 999999}),
    "api:me_email_purposes": Row(answers(401)),
    "api:me_exports": Row(answers(401)),
    "api:me_export": Row(answers(401), kwargs={"pk": 999999}),
    "api:me_export_download": Row(answers(401), kwargs={"pk": 999999}),
    "api:board_openings": Row(answers(200)),
    "api:board_opening": Row(answers(200), kwargs_from=lambda f: {"pk": f["opening"].pk}),
    "api:board_company": Row(answers(200), kwargs_from=lambda f: {"pk": f["opening"].employer_id}),
    # --- email: webhooks, unsubscribe, campaigns, outbox ---
    # Postmark's webhook takes POST only (with the secret: tests/accounts/test_outbox*).
    "postmark_tracking_webhook": Row(answers(405)),
    "campaigns:unsubscribe": Row(answers(400), kwargs={"token": "not-a-signed-token"}),
    "campaigns:staff_campaigns": Row(only(["coordinator"])),
    "campaigns:staff_campaign_new": Row(only(["coordinator"])),
    "campaigns:staff_campaign": Row(only(["coordinator"], ok=404), kwargs={"pk": 999999}),
    "campaigns:staff_campaign_edit": Row(only(["coordinator"], ok=404), kwargs={"pk": 999999}),
    "campaigns:staff_campaign_confirm": Row(only(["coordinator"], ok=404), kwargs={"pk": 999999}),
    "outbox:staff_outbox": Row(only(STAFF)),
    "outbox:staff_outbox_email": Row(only(STAFF, ok=404), kwargs={"pk": 999999}),
    "outbox:staff_suppressions": Row(only(STAFF)),
    # --- the contact desk (anyone writes; staff answer) ---
    "contact:contact": Row(PUBLIC),
    "contact:contact_thanks": Row(PUBLIC),
    "contact:staff_inquiries": Row(only(STAFF)),
    "contact:staff_inquiry": Row(only(STAFF, ok=404), kwargs={"pk": 999999}),
    # --- privacy rights ---
    "privacy:centre": Row(only(CANDIDATES)),
    "privacy:export_start": Row(only(CANDIDATES, ok=405)),
    "privacy:export": Row(only(CANDIDATES, ok=404), kwargs={"pk": 999999}),
    "privacy:export_download": Row(only(CANDIDATES, ok=404), kwargs={"pk": 999999, "token": "not-signed"}),
    "privacy:restriction": Row(only(CANDIDATES, ok=405)),
    "privacy:withdraw": Row(only(CANDIDATES)),
    "privacy:goodbye": Row(PUBLIC),
    # People without an account use it too; employer members and staff are not data subjects here.
    "privacy:request_new": Row(answers(404, anonymous=200, candidate=200, other_candidate=200)),
    "privacy:request_thanks": Row(PUBLIC),
    "privacy:california": Row(PUBLIC),
    "privacy:export_schema": Row(PUBLIC),
    "privacy:staff_requests": Row(only(["privacy_officer"])),
    "privacy:staff_request": Row(only(["privacy_officer"], ok=404), kwargs={"pk": 999999}),
    "privacy:staff_request_new": Row(only(["privacy_officer"])),
    "privacy:staff_incidents": Row(only(["privacy_officer"])),
    "privacy:staff_incident": Row(only(["privacy_officer"], ok=404), kwargs={"pk": 999999}),
    # --- allauth: sign-in and sign-up (signed-in people are sent on) ---
    "account_login": Row(ANONYMOUS_ONLY),
    "account_signup": Row(ANONYMOUS_ONLY),
    "account_request_login_code": Row(ANONYMOUS_ONLY),
    "accounts:password_login": Row(ANONYMOUS_ONLY),
    "account_confirm_login_code": Row(answers(AWAY)),  # no pending code: back to sign-in
    "account_reset_password": Row(answers(200)),
    "account_confirm_password_reset_code": Row(answers(AWAY)),
    "account_complete_password_reset": Row(answers(AWAY)),
    "account_password_reset_completed": Row(answers(200)),
    "account_logout": Row(answers(200, anonymous=AWAY, staff_without_mfa=200)),
    "account_inactive": Row(answers(200)),
    "account_email_verification_sent": Row(answers(AWAY)),
    # Tests sign in without an authentication record, so allauth asks to
    # re-authenticate before security changes (AWAY); candidates, who have no
    # password, are refused re-authentication by password (403).
    "account_reauthenticate": Row(signed_in_only(candidate=403, other_candidate=403, staff_without_mfa=200)),
    "account_email": Row(signed_in_only()),
    # Candidates have no password: the password pages send them away.
    "account_change_password": Row(signed_in_only(candidate=AWAY, other_candidate=AWAY)),
    "account_set_password": Row(signed_in_only(AWAY)),
    # --- allauth MFA ---
    "mfa_index": Row(signed_in_only(staff_without_mfa=200)),
    "mfa_authenticate": Row(answers(AWAY, staff_without_mfa=AWAY)),
    "mfa_reauthenticate": Row(
        signed_in_only(
            AWAY,
            candidate=403,
            other_candidate=403,
            employer_admin=200,
            coordinator=200,
            privacy_officer=200,
            support=200,
            staff_without_mfa=AWAY,
        )
    ),
    "mfa_activate_totp": Row(
        signed_in_only(AWAY, candidate=200, other_candidate=200, employer_recruiter=AWAY, staff_without_mfa=AWAY)
    ),
    "mfa_deactivate_totp": Row(
        signed_in_only(AWAY, candidate=404, other_candidate=404, employer_recruiter=404, staff_without_mfa=404)
    ),
    "mfa_view_recovery_codes": Row(signed_in_only(404, staff_without_mfa=404)),
    "mfa_generate_recovery_codes": Row(
        signed_in_only(AWAY, candidate=200, other_candidate=200, staff_without_mfa=AWAY)
    ),
    "mfa_download_recovery_codes": Row(signed_in_only(404, staff_without_mfa=404)),
    "mfa_list_webauthn": Row(signed_in_only(staff_without_mfa=200)),
    "mfa_add_webauthn": Row(signed_in_only(AWAY, candidate=200, other_candidate=200, staff_without_mfa=AWAY)),
    "mfa_reauthenticate_webauthn": Row(
        signed_in_only(AWAY, candidate=403, other_candidate=403, staff_without_mfa=AWAY)
    ),
    "mfa_remove_webauthn": Row(
        signed_in_only(AWAY, candidate=404, other_candidate=404, staff_without_mfa=AWAY), kwargs={"pk": 999999}
    ),
    "mfa_edit_webauthn": Row(
        signed_in_only(AWAY, candidate=404, other_candidate=404, staff_without_mfa=AWAY), kwargs={"pk": 999999}
    ),
    "mfa_login_webauthn": Row(answers(AWAY, staff_without_mfa=AWAY)),
    # --- allauth social accounts (401: allauth's "sign-in failed" page) ---
    "socialaccount_login_cancelled": Row(answers(200)),
    "socialaccount_login_error": Row(answers(401)),
    "socialaccount_signup": Row(answers(AWAY)),  # no pending social sign-up
    "socialaccount_connections": Row(signed_in_only()),
    "google_login": Row(answers(200)),
    "google_callback": Row(answers(401)),  # no state: an error page, never a sign-in
    "google_login_by_token": Row(answers(401)),
    "facebook_login": Row(answers(200)),
    "facebook_callback": Row(answers(401)),
    "facebook_login_by_token": Row(answers(401)),
}

# allauth's deprecated aliases (same views as socialaccount_*), declared by route.
ROUTE_ALIASES = {
    "accounts/social/login/cancelled/": "socialaccount_login_cancelled",
    "accounts/social/login/error/": "socialaccount_login_error",
    "accounts/social/signup/": "socialaccount_signup",
    "accounts/social/connections/": "socialaccount_connections",
}


# An admin of another company (not a persona of ROWS): what each of these
# answers them, by method, for a receiver of employer_admin's company. Not
# found, so that ids of other companies' receivers reveal nothing; a GET of
# an action that takes only POST is refused for its method first.
OTHER_COMPANY_ADMIN: dict[str, dict[str, int]] = {
    "matching:employer_webhook": {"get": 404, "post": 404},
    "matching:employer_webhook_stop": {"get": 405, "post": 404},
    "matching:employer_webhook_start": {"get": 405, "post": 404},
    "matching:employer_webhook_rotate": {"get": 405, "post": 404},
    "matching:employer_webhook_replace_secret": {"get": 404, "post": 404},
    "matching:employer_webhook_delete": {"get": 404, "post": 404},
    "matching:employer_webhook_test": {"get": 405, "post": 404},
}

"""The account's part of "download my data" (consents.privacy.registry);
its erasure is the deletion of the account itself, after every app the
person let in has lost its access (so their consent history says so)."""

from allauth.socialaccount.models import SocialAccount

from accounts.models import User
from accounts.oauth import AppAccessEnd
from accounts.selectors import api_apps_authorised_by, api_apps_of
from accounts.services import api_app_consent_pages_forget, api_app_disconnect
from outbox.selectors import emails_to


def section(user: User):
    emails = emails_to(user)
    return "account", {
        "email": user.email,
        "name": user.full_name,
        "role": user.role,
        "language": user.language,
        "joined": user.date_joined,
        "last_sign_in": user.last_login,
        # Registration screening: every decision about the account, with its
        # reason, and when and why it was lifted (who decided stays with us).
        "screening_decisions": [
            {
                "decision": d.decision,
                "reason": d.reason,
                "decided_at": d.decided_at,
                "lifted_at": d.lifted_at,
                "lift_reason": d.lift_reason,
            }
            for d in user.screening_decisions.all()
        ],
        # The API: apps the person registered, and the apps they let in.
        "apps_you_registered": [
            {
                "name": app.name,
                "client_id": app.client_id,
                "redirect_uris": app.redirect_uris.split(),
                "registered": app.created,
                "revoked": app.revoked_at,
                "last_used": app.last_used_at,
            }
            for app in api_apps_of(user)
        ],
        "apps_you_let_in": [{"name": app.name, "client_id": app.client_id} for app in api_apps_authorised_by(user)],
        "social_accounts": [
            {"provider": a.provider, "connected": a.date_joined} for a in SocialAccount.objects.filter(user=user)
        ],
        "emails_sent_to_you": [
            {
                "written": e.created_at,
                "sent": e.sent_at,
                "state": e.state,
                "stream": e.stream,
                "purpose": e.purpose,
                "subject": e.subject,
                "text": e.body_text,
            }
            for e in emails
        ],
    }


def erase(user: User) -> None:
    for app in api_apps_authorised_by(user):
        api_app_disconnect(actor=user, client=app, ended_by=AppAccessEnd.ACCOUNT_DELETED)
    api_app_consent_pages_forget(user=user)

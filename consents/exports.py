"""Consents' part of "download my data" and of erasure (consents.privacy.registry)."""

from accounts.models import User
from consents import selectors, services
from consents.models import ShareGrant


def section(user: User):
    return "consents", {
        "ledger": [
            {
                "when": e.occurred_at,
                "kind": e.kind,
                "event": e.event,
                "employer": e.employer_name,
                "purpose": e.purpose,
                "cookie_category": e.cookie_category,
                "app": e.app_name,
                "app_client_id": e.app_client_id,
                "scope": e.scope,
                "channel": e.channel,
                "notice_sha256": e.notice_sha256,
                "language": e.language,
            }
            for e in selectors.ledger_of(user).order_by("occurred_at", "pk")
        ],
        "share_grants": [
            {
                "employer": g.employer.legal_name,
                "fields": sorted(g.field_groups),
                "since": g.granted_at,
                "until": g.expires_at,
                "ended": g.ended_at,
                "end_reason": g.end_reason,
                "origin": g.origin,
            }
            for g in selectors.grants_of(user)
        ],
        "email_purposes": selectors.purpose_states(user),
        "cookie_choices": [
            {
                "preferences": c.preferences,
                "analytics": c.analytics,
                "advertising": c.advertising,
                "gpc": c.gpc,
                "updated": c.updated_at,
            }
            for c in user.cookie_consents.all()
        ],
        "policies_accepted": [
            {
                "document": a.version.kind,
                "version": a.version.version,
                "accepted": a.accepted_at,
                "language": a.language,
            }
            for a in user.policy_acceptances.select_related("version")
        ],
        "who_viewed_my_profile": [
            {
                "when": r.occurred_at,
                "viewer": "Tsunagu staff" if r.viewer_kind == "staff" else r.employer_name,
                "person": r.viewer_name,
                "fields": r.field_groups,
                "channel": r.channel,
                "reason": r.reason,
            }
            for r in selectors.access_records_of(user).order_by("occurred_at")
        ],
        "restrictions": [{"since": r.started_at, "lifted": r.lifted_at} for r in user.restrictions.all()],
    }


def erase(user: User) -> None:
    """Withdraw every grant (employers are told)."""
    for grant in ShareGrant.objects.open().filter(candidate=user).select_related(
        "employer", "candidate"
    ):
        services.share_grant_withdraw(actor=user, grant=grant)

from django.conf import settings

from consents.middleware import parse_consent_cookie
from consents.policy_check import policy_published
from consents.services import cookie_consent_attach


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    """A visitor who chose cookies before signing in keeps their choices,
    now attached to the account (and recorded in its ledger)."""
    if request is None:
        return


    state = parse_consent_cookie(request.COOKIES.get(settings.TSUNAGU_COOKIE_NAME), gpc=False)
    if state.consent_id:
        cookie_consent_attach(consent_id=state.consent_id, user=user)


def on_migrated(sender, **kwargs) -> None:
    """Migrations may have seeded or published policy versions."""
    policy_published()

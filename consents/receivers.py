from django.conf import settings

from consents.access import record_list_access
from consents.middleware import parse_consent_cookie
from consents.models import SCREENING_REASON, Channel, FieldGroup
from consents.policy_check import policy_published
from consents.services import app_access_change_record, app_authorisation_record, cookie_consent_attach


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


def on_app_authorised(sender, user, client, scopes, held_before, notice_text="", language="", **kwargs) -> None:
    """A candidate let an app in (accounts.signals.app_authorised), having
    read the consent page's `notice_text` in `language`."""
    app_authorisation_record(
        user=user, client=client, scopes=scopes, held_before=held_before, notice_text=notice_text, language=language
    )


def on_app_access_changed(sender, user, client, held, ended_by, **kwargs) -> None:
    """An app may do less with a person's data, or nothing any more
    (accounts.signals.app_access_changed)."""
    app_access_change_record(user=user, client=client, held=held, ended_by=ended_by)


def on_candidates_shown_for_screening(sender, viewer, user_ids, **kwargs) -> None:
    """Staff saw these candidates' accounts (email address) on the screening
    pages (accounts.signals.candidates_shown_for_screening)."""
    record_list_access(
        viewer=viewer,
        candidate_ids=user_ids,
        channel=Channel.WEB,
        groups=(FieldGroup.CONTACT,),
        reason=SCREENING_REASON,
    )

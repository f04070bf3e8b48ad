"""OAuth 2.0 scopes of the API (django-oauth-toolkit's scopes backend).

A client may ask only for the scopes it was registered with, and gets them
all when it asks for none."""

from urllib.parse import urlsplit

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from oauth2_provider.scopes import BaseScopes
from oauth2_provider.settings import oauth2_settings

# What an employer admin may give a client of their company.
EMPLOYER_SCOPES = (
    "openings:read",
    "openings:write",
    "applications:read",
    "applications:write",
    "candidates:read",
    "webhooks:manage",
)
# What a candidate authorises an app (registered by a candidate) to do with their own data.
CANDIDATE_SCOPES = ("me:read", "me:consents")
# The same, in plain words, for the consent page (in the person's language).
CANDIDATE_SCOPE_WORDS = {
    "me:read": _(
        "See your profile, your applications, which employers you share your profile with and your email "
        "choices, and prepare a copy of all your data for you to download"
    ),
    "me:consents": _("Stop sharing your profile with an employer, and change which emails you receive from Tsunagu"),
}


def consent_page_text(*, app_name: str, registrant_name: str, scopes: list[str], email: str, redirect_uri: str) -> str:
    """The words of the consent page (templates/accounts/app_authorize.html)
    in the active language, one line per fact, as the person read them
    before pressing "Allow": the consent ledger stores their hash."""
    g = gettext
    words = [str(CANDIDATE_SCOPE_WORDS[scope]) for scope in scopes if scope in CANDIDATE_SCOPE_WORDS]
    return "\n".join(
        [
            g("Let %(app)s in?") % {"app": app_name},
            f"{g('App')}: {app_name}",
            f"{g('Registered by')}: {registrant_name or g('a Tsunagu member')} — {g('not made or checked by Tsunagu')}",
            f"{g('It may')}: {'; '.join(words)}",
            f"{g('Acting as')}: {email}",
            f"{g('Then you go to')}: {urlsplit(redirect_uri).netloc}",
            g(
                "It never sees your sign-in, and it cannot apply to jobs or share your profile with anyone. "
                "You can disconnect it at any time on your Apps page: it stops at once."
            ),
        ]
    )


# The same again, in a few words, for the person's consent history.
CANDIDATE_SCOPE_SHORT = {
    "me:read": _("read your data"),
    "me:consents": _("change your consents"),
}


class AppAccessEnd(models.TextChoices):
    """Why an app's access to a person's data ended (accounts.signals.
    app_access_changed), as the person reads it in their consent history."""

    DISCONNECTED = "disconnected", _("you disconnected it")
    APP = "app", _("the app gave up its access")
    REVOKED = "revoked", _("whoever registered the app revoked it")
    DELETED = "deleted", _("the app was deleted")
    ACCOUNT_DELETED = "account_deleted", _("your account was deleted")
    REGISTRANT_SCREENED = "registrant_screened", _("whoever registered the app was suspended from Tsunagu")
    STAFF = "staff", _("Tsunagu staff removed its access")
    REUSED = "reused", _("a used refresh token was presented again, so we stopped the app to protect you")


class ClientScopes(BaseScopes):
    def get_all_scopes(self) -> dict[str, str]:
        return oauth2_settings.SCOPES

    def get_available_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        if application is None:
            return list(oauth2_settings.SCOPES)
        return [scope for scope in application.scope_list if scope in oauth2_settings.SCOPES]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        return self.get_available_scopes(application, request) if application is not None else []

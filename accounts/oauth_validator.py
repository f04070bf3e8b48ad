"""Our OAuth 2.0 request validator (OAUTH2_VALIDATOR_CLASS): django-oauth-
toolkit's, telling the apps above when a candidate lets an app in, inside
the transaction that stores the token, so that the consent ledger records it
with the token (accounts.signals; consents.receivers). Tokens deleted or
narrowed (RFC 7009 revocation, a refresh asking fewer scopes, a reused
refresh chain) are watched at the models (accounts.app_access); here they
only get their reason. Employer systems' tokens (client credentials) tell
nothing, and a refresh with the same scopes continues the authorisation the
person gave.

Apart from accounts.oauth because django-oauth-toolkit's validator module
needs the app registry ready when it is imported."""

from django.db import router, transaction
from django.utils import translation
from oauth2_provider.models import get_access_token_model
from oauth2_provider.oauth2_validators import OAuth2Validator

from accounts.app_access import app_access_changes
from accounts.models import ApiClient, User
from accounts.oauth import AppAccessEnd, consent_page_text
from accounts.selectors import api_app_consent_language, api_app_scopes_held
from accounts.signals import app_authorised


def _candidate_app(client) -> ApiClient | None:
    return client if isinstance(client, ApiClient) and client.kind == ApiClient.Kind.CANDIDATE_APP else None


def _atomic():
    return transaction.atomic(using=router.db_for_write(get_access_token_model()))


class ApiValidator(OAuth2Validator):
    def save_bearer_token(self, token, request, *args, **kwargs):
        client = _candidate_app(request.client)
        user = request.user if isinstance(request.user, User) else None
        if client is None or user is None:
            return super().save_bearer_token(token, request, *args, **kwargs)
        if request.grant_type != "authorization_code":
            # A refresh spends the old token before it stores the new one:
            # settled once after both, so only scopes asked away are recorded.
            with _atomic(), app_access_changes(AppAccessEnd.APP):
                return super().save_bearer_token(token, request, *args, **kwargs)
        with _atomic():
            # One authorisation of a person at a time: two codes exchanged at
            # once must not both find the app holding nothing.
            User.objects.select_for_update().filter(pk=user.pk).first()
            held_before = api_app_scopes_held(user, client)
            saved = super().save_bearer_token(token, request, *args, **kwargs)
            scopes = token["scope"].split()
            # The consent page's words, in the language it was read in.
            language = api_app_consent_language(user, client)
            with translation.override(language):
                notice_text = consent_page_text(
                    app_name=client.name,
                    registrant_name=getattr(client.user, "full_name", ""),
                    scopes=scopes,
                    email=user.email,
                    redirect_uri=request.redirect_uri or "",
                )
            app_authorised.send(
                sender=ApiClient,
                user=user,
                client=client,
                scopes=scopes,
                held_before=held_before,
                notice_text=notice_text,
                language=language,
            )
        return saved

    def revoke_token(self, token, token_type_hint, request, *args, **kwargs):
        # RFC 7009: the app gives up a token; if that was its last live one
        # of the person, or the one with more scopes, the ledger says so
        # (accounts.app_access).
        with _atomic(), app_access_changes(AppAccessEnd.APP):
            return super().revoke_token(token, token_type_hint, request, *args, **kwargs)

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs):
        # A spent refresh token presented again ends its whole chain
        # (django-oauth-toolkit's reuse protection).
        with _atomic(), app_access_changes(AppAccessEnd.REUSED):
            return super().validate_refresh_token(refresh_token, client, request, *args, **kwargs)

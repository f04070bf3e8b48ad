"""Our OAuth 2.0 request validator (OAUTH2_VALIDATOR_CLASS): django-oauth-
toolkit's, telling the apps above when a candidate lets an app in and when
an app gives up its access (RFC 7009), inside the transaction that stores or
revokes the token, so that the consent ledger records it with the token
(accounts.signals; consents.receivers). Employer systems' tokens (client
credentials) and refreshed tokens tell nothing: a refresh continues the
authorisation the person gave.

Apart from accounts.oauth because django-oauth-toolkit's validator module
needs the app registry ready when it is imported."""

import hashlib

from django.db import router, transaction
from django.utils import translation
from oauth2_provider.models import get_access_token_model, get_refresh_token_model
from oauth2_provider.oauth2_validators import OAuth2Validator

from accounts.models import ApiClient, User
from accounts.oauth import AppAccessEnd, consent_page_text
from accounts.selectors import api_app_consent_language, api_app_scopes_held
from accounts.signals import app_access_ended, app_authorised


def _candidate_app(client) -> ApiClient | None:
    return client if isinstance(client, ApiClient) and client.kind == ApiClient.Kind.CANDIDATE_APP else None


def _atomic():
    return transaction.atomic(using=router.db_for_write(get_access_token_model()))


class ApiValidator(OAuth2Validator):
    def save_bearer_token(self, token, request, *args, **kwargs):
        client = _candidate_app(request.client)
        user = request.user if isinstance(request.user, User) else None
        if client is None or user is None or request.grant_type != "authorization_code":
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
        client = _candidate_app(request.client)
        if client is None:
            return super().revoke_token(token, token_type_hint, request, *args, **kwargs)
        with _atomic():
            checksum = hashlib.sha256(token.encode("utf-8")).hexdigest()
            lookup = {"token_checksum": checksum, "application": client}
            holders = {
                *get_access_token_model().objects.filter(**lookup).values_list("user_id", flat=True),
                *get_refresh_token_model().objects.filter(**lookup).values_list("user_id", flat=True),
            }
            people = [p for p in User.objects.filter(pk__in=holders) if api_app_scopes_held(p, client) is not None]
            super().revoke_token(token, token_type_hint, request, *args, **kwargs)
            for person in people:
                # Its last live token of them: the app no longer reaches their data.
                if api_app_scopes_held(person, client) is None:
                    app_access_ended.send(sender=ApiClient, user=person, client=client, ended_by=AppAccessEnd.APP)
        return None

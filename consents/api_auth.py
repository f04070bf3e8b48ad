"""Who an API token speaks for, decided again on every request.

django-oauth-toolkit checks the token (expiry, scopes) and the client
(`ApiClient.is_usable`: revoked, expired, the member left the company).
Here, on top: an employer client acts as the member who registered it, and
only while the company's admin has accepted the current Data Use Agreement
(consents.access, rule 1); a candidate app acts as the candidate who
authorised it, while their account is open. Staff have no API access."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import exceptions

from accounts.models import ApiClient
from accounts.services import api_client_touch
from consents.access import employer_has_current_agreement


class ApiClientAuthentication(OAuth2Authentication):
    www_authenticate_realm = "tsunagu"

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        client: ApiClient = token.application
        if client.kind == ApiClient.Kind.EMPLOYER:
            user = client.user  # client credentials: the token names no user
            if client.employer is None or not employer_has_current_agreement(client.employer):
                request.oauth2_error = {"error": "invalid_token"}
                raise exceptions.AuthenticationFailed(
                    _("Your company has not accepted the current Data Use Agreement: the API is closed until it does.")
                )
        elif user is None or not user.is_active or not user.is_candidate:
            request.oauth2_error = {"error": "invalid_token"}
            raise exceptions.AuthenticationFailed(_("The access token is invalid."))
        api_client_touch(client=client)
        return user, token


class ApiClientScheme(DjangoOAuthToolkitScheme):
    """The OpenAPI security scheme (OAuth 2.0 flows and each operation's scopes)."""

    target_class = "consents.api_auth.ApiClientAuthentication"

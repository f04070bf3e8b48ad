"""The API's common ground (docs/api.md): errors as RFC 9457 problem
details, cursor pagination, per-client throttling, request size limits and
the coarse checks of who a token speaks for. Object rules (which candidate,
which field) stay in consents.access."""

import io

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from oauth2_provider.contrib.rest_framework import TokenMatchesOASRequirements
from rest_framework import exceptions, status
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiClient


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is larger than the API accepts.")
    default_code = "request_too_large"


class Unprocessable(exceptions.APIException):
    """A service refused the change (a rule, not the shape of the request)."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("The change could not be made.")
    default_code = "unprocessable"


class Cursor(CursorPagination):
    """Opaque cursors: stable under inserts, constant cost per page."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-pk"


class LimitedJSONParser(JSONParser):
    """JSON bodies up to TSUNAGU_API_MAX_BODY bytes; 413 beyond, whatever
    Content-Length claims."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.TSUNAGU_API_MAX_BODY
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise RequestTooLarge()
        if stream is None:
            return super().parse(stream, media_type, parser_context)  # type: ignore[arg-type]
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise RequestTooLarge()
        return super().parse(io.BytesIO(body), media_type, parser_context)


class ClientRateThrottle(SimpleRateThrottle):
    """Per client (whichever token of it is used; a candidate's app per
    person too); anonymous calls per address. DRF answers 429 with
    Retry-After."""

    scope = "client"

    def __init__(self):  # the rate depends on the request (allow_request)
        pass

    def allow_request(self, request, view) -> bool:
        token = request.auth
        application_id = getattr(token, "application_id", None)
        self.scope = "client" if application_id else "anonymous"
        self.ident = f"c{application_id}" if application_id else self.get_ident(request)
        if application_id and getattr(token, "user_id", None):
            # A candidate's app: each person who let it in has their own allowance.
            self.ident += f"u{token.user_id}"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.ident}


def client_of(request) -> ApiClient | None:
    token = request.auth
    return getattr(token, "application", None) if token is not None else None


class EmployerClient(BasePermission):
    """A token of an employer's client (client credentials)."""

    message = _("This endpoint is for employers' systems.")

    def has_permission(self, request, view) -> bool:
        client = client_of(request)
        return client is not None and client.kind == ApiClient.Kind.EMPLOYER and request.user.is_authenticated


class CandidateApp(BasePermission):
    """A token a candidate gave an app (authorization code + PKCE), for a
    candidate whose account is open. Under a screening decision (suspended,
    registration refused) only what the website still opens to them answers
    (the view's `open_when_screened`: their email choices, their data export),
    as accounts.middleware.SCREENED_ALLOWED does for pages."""

    message = _("This endpoint is for candidates' apps.")

    def has_permission(self, request, view) -> bool:
        client = client_of(request)
        if not (
            client is not None
            and client.kind == ApiClient.Kind.CANDIDATE_APP
            and request.user.is_authenticated
            and request.user.is_candidate
        ):
            return False
        if request.user.screening and not getattr(view, "open_when_screened", False):
            self.message = _("Your account is suspended: see the notice on Tsunagu for what you can still do.")
            self.code = "account_suspended"
            return False
        return True


class ScopesRequired(TokenMatchesOASRequirements):
    """The token carries the scope(s) the view names for the method
    (`required_alternate_scopes`, documented in the OpenAPI schema)."""

    message = _("The access token does not carry the scope this call needs.")

    def get_required_alternate_scopes(self, request, view) -> dict:
        scopes = dict(super().get_required_alternate_scopes(request, view))
        if "GET" in scopes:
            scopes.setdefault("HEAD", scopes["GET"])
        return scopes

"""The base of every API view, and the API's errors in one shape: RFC 9457
problem details, translated by Accept-Language (docs/api.md). (Kept apart
from accounts.api_base, which DRF's settings import while its views load.)"""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import exception_handler

from accounts.api_base import Unprocessable

PROBLEM_TYPE = "urn:tsunagu:problem:"
PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: _("The request is not valid"),
    401: _("Authentication needed"),
    403: _("Not allowed"),
    404: _("Not found"),
    405: _("Method not allowed"),
    406: _("Not acceptable"),
    409: _("Conflict"),
    413: _("Request too large"),
    415: _("Unsupported media type"),
    422: _("The request could not be carried out"),
    429: _("Too many requests"),
}


def _field_errors(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """DRF's nested error detail, flattened to [{field, message, code}]."""
    if isinstance(detail, dict):
        found: list[dict[str, str]] = []
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            found += _field_errors(value, f"{prefix}.{name}" if prefix and name else (name or prefix))
        return found
    if isinstance(detail, list):
        found = []
        for index, value in enumerate(detail):
            if isinstance(value, (dict, list)):
                found += _field_errors(value, f"{prefix}[{index}]")
            else:
                found += _field_errors(value, prefix)
        return found
    return [{"field": prefix, "message": str(detail), "code": getattr(detail, "code", "invalid") or "invalid"}]


def problem_details_handler(exc: Exception, context: dict) -> Response | None:
    """Every error of the API in one shape (RFC 9457), in the language of
    Accept-Language: {type, title, status, detail, code, instance[, errors]}."""
    if isinstance(exc, DjangoValidationError):
        exc = Unprocessable(detail=" ".join(exc.messages))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: a 500, logged as usual
    assert isinstance(exc, exceptions.APIException)
    code = exc.get_codes()
    errors = None
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        detail = str(_("Some fields are not valid: see errors."))
        code = "invalid"
    else:
        detail = str(exc.detail) if not isinstance(exc.detail, (dict, list)) else str(exc.default_detail)
        if not isinstance(code, str):
            code = exc.default_code
    request = context.get("request")
    body: dict[str, Any] = {
        "type": f"{PROBLEM_TYPE}{code}",
        "title": str(TITLES.get(response.status_code, _("Error"))),
        "status": response.status_code,
        "detail": detail,
        "code": code,
        "instance": request.path if request is not None else "",
    }
    if errors is not None:
        body["errors"] = errors
    headers = {k: v for k, v in response.items() if k in ("Retry-After", "WWW-Authenticate", "Allow")}
    wait = getattr(exc, "wait", None) if isinstance(exc, exceptions.Throttled) else None
    if wait is not None:
        headers["Retry-After"] = str(max(1, int(wait + 0.999)))
    return Response(body, status=response.status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


class ApiView(GenericAPIView):
    """Every endpoint's base: answers are for the caller alone and may carry
    another person's data, so no cache keeps them (the public board sets
    its own Cache-Control)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class NoSuchEndpoint(ApiView):
    """Any other path under /api/v1/ (a typo, an id that is not a number):
    a problem document, like every API error, not the website's page."""

    authentication_classes: list = []
    permission_classes: list = []
    schema = None  # not an operation of the API

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound()


# --- The errors in the schema ------------------------------------------------------------


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The field (dotted for nested ones); empty for the request as a whole.")
    message = serializers.CharField(help_text="In the language of Accept-Language.")
    code = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """An error (RFC 9457 problem details), as problem_details_handler writes it."""

    type = serializers.CharField(help_text="urn:tsunagu:problem:<code>")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField()
    instance = serializers.CharField(help_text="The path that was called.")
    errors = FieldErrorSerializer(  # type: ignore[assignment]  # a field named "errors", not Serializer.errors
        many=True, required=False, help_text="Only with 400: what is wrong with each field."
    )


class ProblemAutoSchema(AutoSchema):
    """Each operation documents the errors it can answer, as problem
    details: 400 and 429 always; 401 and 403 where a token is needed; 404
    for paths with an id and for cursor-paginated lists (a stale cursor);
    413, 415 and 422 where a body is sent."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = {400, 429}
        if self.get_auth():
            codes |= {401, 403}
        if "{" in self.path or self._get_paginator() is not None:
            codes.add(404)
        if self.method in ("POST", "PUT", "PATCH"):
            codes |= {413, 415, 422}
        for code in sorted(codes):
            if str(code) not in responses:
                response = self._get_response_for_code(ProblemSerializer, str(code), [PROBLEM_CONTENT_TYPE], direction)
                response["description"] = str(TITLES[code])
                responses[str(code)] = response
        return responses

"""The API against its own OpenAPI schema (schemathesis, in process through
WSGI): for every operation, generated requests with an employer client's
token (all scopes) and without one get no server error and no answer the
schema does not describe (status, content type, body). Deterministic
(derandomize) and bounded (a few examples per operation)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.api_base import ClientRateThrottle
from tests.api.factories import register, token
from tests.consents.factories import EmployerWithAgreementFactory, admin_of
from tests.matching.factories import ApplicationFactory, OpeningFactory

pytestmark = pytest.mark.django_db

# Examples per operation: valid requests with a token get the most; invalid
# ones (negative mode: only "no server error" is asked of them) and calls
# without a token (401, or the public board) fewer. About a minute in all.
EXAMPLES = {"token": 10, "negative": 4, "anonymous": 3}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _in_the_tests_transaction(application):
    """The WSGI application, without its closing of "old" database
    connections around each request: inside the test's transaction
    PostgreSQL's connection counts as old (SQLite's in-memory one is never
    closed). As Django's test client does, per request."""

    def call(environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = application(environ, start_response)
            try:
                return list(response)
            finally:
                response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    return call


@pytest.fixture(autouse=True)
def _no_throttling(monkeypatch):
    # Hundreds of calls in a few seconds: the limits have their own tests.
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"client": "100000/min", "anonymous": "100000/min"})


def _run(schema, headers: dict[str, str], mode: GenerationMode, examples: int) -> dict[str, str]:
    failures: dict[str, str] = {}
    checks = CHECKS if mode == GenerationMode.POSITIVE else [not_a_server_error]
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(
            max_examples=examples,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            print_blob=False,
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=checks)

        try:
            run()
        except Unsatisfiable:
            assert mode == GenerationMode.NEGATIVE  # nothing to make invalid (no parameters, no body)
        except BaseException as exc:  # every operation's verdict (a FailureGroup), then one report
            if isinstance(exc, KeyboardInterrupt):
                raise
            failures[operation.label] = f"{type(exc).__name__}: {str(exc)[:1500]}"
    return failures


@pytest.fixture
def schema():
    return schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", _in_the_tests_transaction(get_wsgi_application())
    )


@pytest.fixture
def employer_token():
    employer = EmployerWithAgreementFactory()
    ApplicationFactory(opening=OpeningFactory(employer=employer))
    return token(register(admin_of(employer)))


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_keeps_to_its_schema_with_an_employer_token(schema, employer_token, mode):
    examples = EXAMPLES["token"] if mode == GenerationMode.POSITIVE else EXAMPLES["negative"]
    failures = _run(schema, {"Authorization": f"Bearer {employer_token}"}, mode, examples)
    assert not failures, "\n\n".join(f"{label}\n{text}" for label, text in failures.items())


def test_the_api_keeps_to_its_schema_without_a_token(schema):
    failures = _run(schema, {}, GenerationMode.POSITIVE, EXAMPLES["anonymous"])
    assert not failures, "\n\n".join(f"{label}\n{text}" for label, text in failures.items())

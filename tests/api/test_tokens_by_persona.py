"""The API matrix beyond sessions (tests/access_matrix.py covers every
URL for session personas, who all get 401): each endpoint × the kind of
token × its scopes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.oauth import EMPLOYER_SCOPES
from matching.models import WebhookEndpoint
from matching.services import interview_propose
from tests.api.factories import bearer, register, token
from tests.consents.factories import EmployerWithAgreementFactory, admin_of
from tests.matching.factories import ApplicationFactory, OpeningFactory

pytestmark = pytest.mark.django_db

# (method, path template, the scope it needs)
ENDPOINTS = [
    ("get", "/api/v1/openings/", "openings:read"),
    ("post", "/api/v1/openings/", "openings:write"),
    ("get", "/api/v1/openings/{opening}/", "openings:read"),
    ("patch", "/api/v1/openings/{opening}/", "openings:write"),
    ("post", "/api/v1/openings/{opening}/open/", "openings:write"),
    ("post", "/api/v1/openings/{opening}/close/", "openings:write"),
    ("get", "/api/v1/applications/", "applications:read"),
    ("get", "/api/v1/applications/{application}/", "applications:read"),
    ("post", "/api/v1/applications/{application}/move/", "applications:write"),
    ("get", "/api/v1/applications/{application}/notes/", "applications:read"),
    ("post", "/api/v1/applications/{application}/notes/", "applications:write"),
    ("get", "/api/v1/applications/{application}/messages/", "applications:read"),
    ("post", "/api/v1/applications/{application}/messages/", "applications:write"),
    ("get", "/api/v1/applications/{application}/interviews/", "applications:read"),
    ("post", "/api/v1/applications/{application}/interviews/", "applications:write"),
    ("post", "/api/v1/applications/{application}/interviews/{interview}/cancel/", "applications:write"),
    ("get", "/api/v1/applications/{application}/candidate/", "candidates:read"),
    ("get", "/api/v1/candidates/{profile}/", "candidates:read"),
    ("get", "/api/v1/webhooks/", "webhooks:manage"),
    ("post", "/api/v1/webhooks/", "webhooks:manage"),
    ("get", "/api/v1/webhooks/{webhook}/", "webhooks:manage"),
    ("patch", "/api/v1/webhooks/{webhook}/", "webhooks:manage"),
    ("get", "/api/v1/webhooks/{webhook}/deliveries/", "webhooks:manage"),
    ("post", "/api/v1/webhooks/{webhook}/test/", "webhooks:manage"),
    ("post", "/api/v1/webhooks/{webhook}/rotate-secret/", "webhooks:manage"),
    ("delete", "/api/v1/webhooks/{webhook}/", "webhooks:manage"),
]


@pytest.fixture
def world():
    employer = EmployerWithAgreementFactory()
    opening = OpeningFactory(employer=employer)
    application = ApplicationFactory(opening=opening)
    soon = timezone.now() + timedelta(days=3)
    interview = interview_propose(actor=admin_of(employer), application=application, slots=[soon], place="Office")
    return {
        "employer": employer,
        "opening": opening.pk,
        "application": application.pk,
        "profile": application.candidate.candidate_profile.pk,
        "interview": interview.pk,
        "webhook": WebhookEndpoint.objects.create(
            employer=employer, url="https://ats.example.test/hook", secret="whsec_x", events=["grant.withdrawn"]
        ).pk,
    }


def _call(client, method, path, world):
    url = path.format(**world)
    return getattr(client, method)(url, {}, content_type="application/json")


@pytest.mark.parametrize(("method", "path", "scope"), ENDPOINTS)
def test_each_endpoint_needs_its_scope_and_the_companys_token(world, method, path, scope):
    admin = admin_of(world["employer"])
    others = [
        s for s in EMPLOYER_SCOPES if s != scope and not (scope == "candidates:read" and s == "applications:read")
    ]
    lacking = bearer(token(register(admin, scopes=others)))
    assert _call(lacking, method, path, world).status_code == 403, "a token without the scope"
    other_company = bearer(token(register(admin_of(EmployerWithAgreementFactory()))))
    answer = _call(other_company, method, path, world)
    if "{" in path:
        assert answer.status_code == 404, "another company's token"
    else:
        assert answer.status_code in (200, 400), "another company's token sees only its own"
    assert _call(bearer("not-a-token"), method, path, world).status_code == 401
    full = bearer(token(register(admin)))
    assert _call(full, method, path, world).status_code in (200, 201, 202, 204, 400), "the company's token with it"

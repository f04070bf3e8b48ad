"""The employer admin's API page: register (secret shown once, stored
hashed), see last use, revoke."""

import pytest
from django.urls import reverse

from accounts.models import ApiClient
from tests.api.factories import register, token_response
from tests.consents.factories import EmployerWithAgreementFactory, admin_of

pytestmark = pytest.mark.django_db


def test_admin_registers_a_client_and_sees_the_secret_once(employer_admin, client):
    client.force_login(employer_admin)
    url = reverse("accounts:company_api")
    response = client.post(
        url, {"name": "採用管理システム", "scopes": ["applications:read", "candidates:read"], "days": 90}
    )
    assert response.status_code == 200
    stored = ApiClient.objects.get()
    html = response.content.decode()
    secret = response.context["issued"].secret
    assert secret in html and stored.client_id in html
    assert stored.client_secret != secret
    assert stored.scope_list == ["applications:read", "candidates:read"]
    assert stored.employer == employer_admin.employer_membership.employer and stored.user == employer_admin
    again = client.get(url)
    assert secret not in again.content.decode()
    assert "no-store" in again["Cache-Control"]


@pytest.mark.parametrize(
    "data",
    [
        {"name": "x", "scopes": ["me:read"], "days": 90},
        {"name": "x", "scopes": [], "days": 90},
        {"name": "x", "scopes": ["openings:read"], "days": 3650},
        {"name": "", "scopes": ["openings:read"], "days": 90},
        {"name": "x" * 500, "scopes": ["openings:read"], "days": 90},
    ],
)
def test_bad_registrations_are_refused(employer_admin, client, data):
    client.force_login(employer_admin)
    assert client.post(reverse("accounts:company_api"), data).status_code == 400
    assert not ApiClient.objects.exists()


def test_revoke_from_the_page_and_only_our_own(employer_admin, client):
    issued = register(employer_admin)
    foreign = register(admin_of(EmployerWithAgreementFactory()))
    client.force_login(employer_admin)
    assert client.post(reverse("accounts:company_api_revoke", args=[foreign.client.pk])).status_code == 404
    response = client.post(reverse("accounts:company_api_revoke", args=[issued.client.pk]))
    assert response.status_code == 302
    assert ApiClient.objects.get(pk=issued.client.pk).state == "revoked"
    assert token_response(issued).status_code == 401
    assert token_response(foreign).status_code == 200


def test_recruiters_cannot_register(employer_recruiter, client):
    client.force_login(employer_recruiter)
    assert (
        client.post(reverse("accounts:company_api"), {"name": "x", "scopes": ["openings:read"], "days": 90}).status_code
        == 403
    )

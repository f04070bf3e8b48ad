"""Labels and words of the signed-in list pages are translated once per
page, not once per row (issue 18: ~470 gettext and 54 get_FOO_display calls
on a page of 50 applications): the number of translation look-ups does not
grow with the rows, and the labels are still in the page's language. And
with everything warm (cached session, policy stamp), a withdrawn grant
counts at the very next request."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import _trans

from consents.models import ShareGrant
from consents.services import share_grant_withdraw
from tests.matching.factories import (
    ApplicationFactory,
    CompleteCandidateProfileFactory,
    EmployerWithAgreementFactory,
    OpeningFactory,
    recruiter_of,
)

pytestmark = pytest.mark.django_db

STATES = ["applied", "screening", "not_selected"]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def lookups(client: Client, url: str, monkeypatch) -> tuple[int, str]:
    client.get(url)  # warm up
    counted = []
    real = _trans.gettext

    def counting(message):
        counted.append(message)
        return real(message)

    with monkeypatch.context() as patch:
        patch.setattr(_trans, "gettext", counting)
        response = client.get(url)
    assert response.status_code == 200
    return len(counted), response.content.decode()


def test_the_employers_applications_page_translates_once_per_page(monkeypatch):
    company = EmployerWithAgreementFactory()
    opening = OpeningFactory(employer=company)
    client = signed_in(recruiter_of(company))
    url = reverse("matching:employer_opening", args=[opening.pk])

    def applications(start, stop):
        for i in range(start, stop):
            ApplicationFactory(opening=opening, candidate=CompleteCandidateProfileFactory().user, state=STATES[i % 3])

    applications(0, 3)
    few, _html = lookups(client, url, monkeypatch)
    applications(3, 12)
    many, html = lookups(client, url, monkeypatch)
    assert many == few, f"{few} look-ups with 3 applications, {many} with 12"
    assert "<td>Screening" in html
    with translation.override("ja"):
        japanese = signed_in(recruiter_of(company)).get(reverse("matching:employer_opening", args=[opening.pk]))
    assert "<td>書類選考" in japanese.content.decode()  # a row's state, in the page's language


def test_my_applications_translates_once_per_page(monkeypatch):
    candidate = CompleteCandidateProfileFactory().user
    company = EmployerWithAgreementFactory()
    client = signed_in(candidate)
    url = reverse("matching:my_applications")

    def applications(start, stop):
        for i in range(start, stop):
            ApplicationFactory(opening=OpeningFactory(employer=company), candidate=candidate, state=STATES[i % 3])

    applications(0, 3)
    few, _html = lookups(client, url, monkeypatch)
    applications(3, 12)
    many, html = lookups(client, url, monkeypatch)
    assert many == few, f"{few} look-ups with 3 applications, {many} with 12"
    assert "<strong>Screening</strong>" in html


def test_a_withdrawn_grant_hides_the_name_at_the_employers_very_next_request():
    """Everything warm (session, policy stamp, the page seen once): the
    candidate withdraws and the employer's next look no longer names them."""
    company = EmployerWithAgreementFactory()
    opening = OpeningFactory(employer=company)
    application = ApplicationFactory(
        opening=opening, candidate=CompleteCandidateProfileFactory(name_passport="NGUYEN VAN AN").user
    )
    client = signed_in(recruiter_of(company))
    url = reverse("matching:employer_opening", args=[opening.pk])
    assert "NGUYEN VAN AN" in client.get(url).content.decode()
    assert "NGUYEN VAN AN" in client.get(url).content.decode()

    share_grant_withdraw(actor=application.candidate, grant=ShareGrant.objects.get(pk=application.grant_id))
    html = client.get(url).content.decode()
    assert "NGUYEN VAN AN" not in html and "Candidate no longer shares their profile" in html

"""Sign-in that fits each role (issue 14): candidates meet Google, Facebook
and "email me a code" first; employer members and staff have their own
password page (then MFA). The code email is branded, in the language of the
page the person used, with the code on a line of its own and no
"Hello from <host>" greeting; its links use the configured SITE_URL."""

import re

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from tests.accounts.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

CODE_LINE = re.compile(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", re.MULTILINE)


class RequestClient(Client):
    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


@pytest.fixture
def client():
    return RequestClient()


def test_candidate_page_leads_with_providers_and_the_code_form(client):
    page = client.get(reverse("account_login")).content.decode()
    code_form = page.index(f'action="{reverse("account_request_login_code")}"')
    password_form = page.index(f'action="{reverse("account_login")}"')
    assert page.index("Continue with Google") < code_form < password_form
    assert "Continue with Facebook" in page
    assert 'id="id_code_email"' in page and 'type="email"' in page
    assert f'href="{reverse("accounts:password_login")}"' in page
    assert "Employer or staff?" in page


def test_the_page_keeps_where_the_person_was_going(client):
    target = "/en/jobs/1/apply/"
    page = client.get(reverse("account_login"), {"next": target}).content.decode()
    assert page.count(f'name="next" value="{target}"') >= 2  # the code form and the password form
    assert f"{reverse('accounts:password_login')}?next=%2Fen%2Fjobs%2F1%2Fapply%2F" in page


def test_password_page_signs_an_employer_member_in(client, employer_recruiter):
    page = client.get(reverse("accounts:password_login")).content.decode()
    assert 'name="password"' in page
    assert f'action="{reverse("accounts:password_login")}"' in page

    response = client.post(
        reverse("accounts:password_login"), {"login": employer_recruiter.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")


def test_password_page_asks_an_admin_for_the_second_factor(client, employer_admin):
    response = client.post(
        reverse("accounts:password_login"), {"login": employer_admin.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")


def test_password_page_refuses_a_wrong_password_with_a_message(client, employer_recruiter):
    wrong = {"login": employer_recruiter.email, "password": "x" * 5000}
    response = client.post(reverse("accounts:password_login"), wrong)
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_code_email_is_branded_with_the_code_on_its_own_line(client, candidate, settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    client.post(reverse("account_request_login_code"), {"email": candidate.email})
    [message] = [m for m in mail.outbox if m.to == [candidate.email]]

    assert message.subject == "[Tsunagu] Your sign-in code"
    assert CODE_LINE.search(message.body)
    assert "Hello from" not in message.body
    assert "testserver" not in message.body
    assert "http://127.0.0.1:8101" in message.body
    assert "sign in to Tsunagu" in message.body
    html = {mime: body for body, mime in message.alternatives}["text/html"]
    assert CODE_LINE.search(message.body).group(1) in html
    assert "testserver" not in html


def test_code_email_is_in_the_persons_language(client, candidate):
    # The account's language (outbox.languages.mail_language), whatever the page's.
    candidate.language = "ja"
    candidate.save(update_fields=["language"])
    client.post(reverse("account_request_login_code"), {"email": candidate.email})
    [message] = [m for m in mail.outbox if m.to == [candidate.email]]
    assert CODE_LINE.search(message.body)
    assert "ログインコード" in message.subject, message.subject
    assert "Tsunagu にログインするためのコードです" in message.body
    assert "Your sign-in code" not in message.body


def test_sign_up_code_email_names_no_host(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    page = client.get(reverse("account_signup"))
    data = {"email": "new.person@example.test", "accept_policies": "on"}
    assert "accept_policies" in page.context["form"].fields
    client.post(reverse("account_signup"), data)
    [message] = [m for m in mail.outbox if m.to == ["new.person@example.test"]]
    assert CODE_LINE.search(message.body)
    assert "testserver" not in message.body and "Hello from" not in message.body
    assert "http://127.0.0.1:8101" in message.body


def test_employer_asking_for_a_code_is_sent_to_the_password_page(client, employer_recruiter, settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    client.post(reverse("account_request_login_code"), {"email": employer_recruiter.email})
    [message] = [m for m in mail.outbox if m.to == [employer_recruiter.email]]
    assert not CODE_LINE.search(message.body)
    assert "http://127.0.0.1:8101" + reverse("accounts:password_login") in message.body

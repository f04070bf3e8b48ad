"""allauth's mails that would mislead, rewritten (issue 15): signing up with
the address of an account says how that account signs in (candidates have
no password to reset), and confirming a second address says it is added to
an existing account, not that an account is being created."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from outbox.models import OutboundEmail
from tests.accounts.factories import CandidateFactory, EmployerMemberFactory
from tests.accounts.test_sign_in import RequestClient

pytestmark = pytest.mark.django_db
SITE = settings.SITE_URL.rstrip("/")


def in_language(language: str, name: str) -> str:
    with translation.override(language):
        return reverse(name)


def sign_up(email: str, language: str = "en") -> OutboundEmail:
    RequestClient().post(in_language(language, "account_signup"), {"email": email, "accept_policies": "on"})
    return OutboundEmail.objects.filter(to_email=email).latest("pk")


def test_signing_up_with_a_candidates_address_says_how_they_sign_in_in_their_language():
    candidate = CandidateFactory(email="lan@example.test", language="vi")
    mail = sign_up(candidate.email)  # from an English page: the mail is in the account's language
    assert mail.kind == "allauth.account_already_exists"
    assert mail.language == "vi" and mail.recipient == candidate
    assert f"{SITE}{in_language('vi', 'account_login')}" in mail.body_text
    with translation.override("vi"):
        assert gettext("You already have a Tsunagu account") in mail.subject
    body = mail.body_text.lower()
    assert "password" not in body and "reset" not in body and "[password reset link hidden]" not in body
    assert "Tsunagu つなぐ" in mail.body_text  # the frame of our other mails
    assert OutboundEmail.objects.filter(to_email=candidate.email).count() == 1


def test_a_candidate_is_not_sent_to_a_password_reset():
    candidate = CandidateFactory(email="aung@example.test")
    body = sign_up(candidate.email).body_text
    assert "forgotten" not in body and "reset" not in body
    assert "one-time code" in body and "Google or Facebook" in body
    assert f"{SITE}{in_language('en', 'account_login')}" in body


def test_signing_up_with_an_employers_address_points_to_the_password_sign_in():
    recruiter = EmployerMemberFactory(user__email="hr@employer.test").user
    mail = sign_up(recruiter.email)
    assert mail.kind == "allauth.account_already_exists"
    assert f"{SITE}{in_language('en', 'accounts:password_login')}" in mail.body_text
    assert "employer or staff account" in mail.body_text


def test_adding_a_second_address_says_it_is_added_to_the_existing_account():
    candidate = CandidateFactory(email="lan@example.test")
    client = RequestClient()
    client.force_login(candidate)
    client.post(reverse("account_email"), {"action_add": "", "email": "lan.second@example.test"})
    mail = OutboundEmail.objects.get(to_email="lan.second@example.test")
    assert mail.kind == "allauth.email_confirmation"
    assert "adding this email address to your existing Tsunagu account" in mail.body_text
    assert "creating" not in mail.body_text and "no account is created" not in mail.body_text


def test_signing_up_still_says_the_account_is_being_created():
    mail = sign_up("new.person@example.test")
    assert mail.kind == "allauth.email_confirmation_signup"
    assert "finish creating your Tsunagu account" in mail.body_text
    assert "existing" not in mail.body_text

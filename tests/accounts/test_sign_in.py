"""How each role signs in (accounts/adapters.py, accounts/middleware.py).

Candidates have no password: they sign up and sign in with an emailed code or
Google. Employer members and staff use a password, plus TOTP where required,
and are refused the candidate routes. Every test drives allauth's real views.
"""

import base64
import hashlib
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.google.views import GoogleOAuth2Adapter
from django import forms
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from accounts.models import User
from consents.privacy.services import account_erase
from outbox.models import OutboundEmail
from outbox.selectors import emails_to
from tests.accounts.factories import TEST_PASSWORD, TOTP_SECRET

pytestmark = pytest.mark.django_db

# allauth's user codes: "ABCD-EFGH" on a line of its own.
CODE_LINE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.MULTILINE)


class RequestClient(Client):
    """A test client whose requests end as they do in production: the work
    queued for after the commit (the outbox handing mail to the eager Celery
    task) runs when the response is ready, so the mail is in mail.outbox."""

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


@pytest.fixture
def client():
    return RequestClient()


def code_from(message) -> str:
    match = CODE_LINE.search(message.body)
    assert match, f"no code in the email:\n{message.body}"
    return match.group(1)


def totp_now(secret: str = TOTP_SECRET) -> str:
    """The authenticator app's current code. allauth accepts only the code of
    the current 30-second step, so never hand out one about to expire."""
    if 30 - time.time() % 30 < 2:
        time.sleep(2.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def signed_in_user(client: Client) -> User | None:
    pk = client.session.get(SESSION_KEY)
    return User.objects.get(pk=pk) if pk else None


def page_text(response) -> str:
    return response.content.decode()


def sign_up(client: Client, url_name: str, email: str):
    """Fill a sign-up form as a person would: the address, plus every box
    the page says must be ticked (terms), and nothing else."""
    form = client.get(reverse(url_name)).context["form"]
    data = {"email": email}
    for name, field in form.fields.items():
        if isinstance(field, forms.BooleanField) and field.required:
            data[name] = "on"
    return client.post(reverse(url_name), data)


# --- Candidates: email and a code, never a password ----------------------------


def test_candidate_signs_up_with_only_an_email_and_the_emailed_code(client):
    response = sign_up(client, "account_signup", "Lan.Nguyen@Example.test")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert signed_in_user(client) is None, "no sign-in before the address is confirmed"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lan.nguyen@example.test"]

    response = client.post(reverse("account_email_verification_sent"), {"code": code_from(mail.outbox[0])})

    assert response.status_code == 302
    user = signed_in_user(client)
    assert user is not None
    assert user.email == "lan.nguyen@example.test"
    assert user.role == User.Role.CANDIDATE
    assert not user.has_usable_password()
    assert user.emailaddress_set.get().verified


def test_sign_up_with_a_wrong_code_creates_no_signed_in_candidate(client):
    sign_up(client, "account_signup", "someone@example.test")
    real = code_from(mail.outbox[0])
    wrong = "AAAA-AAAA" if real != "AAAA-AAAA" else "BBBB-BBBB"

    response = client.post(reverse("account_email_verification_sent"), {"code": wrong})

    assert response.status_code == 200
    assert signed_in_user(client) is None
    assert not User.objects.get(email="someone@example.test").emailaddress_set.get().verified


def test_sign_up_asks_for_an_address_and_no_password(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert 'type="password"' not in page_text(response)
    form = response.context["form"]
    typed = {
        name for name, field in form.fields.items() if field.required and not isinstance(field, forms.BooleanField)
    }
    assert typed == {"email"}


def request_login_code(client: Client, email: str):
    return client.post(reverse("account_request_login_code"), {"email": email})


def test_candidate_signs_in_with_an_emailed_code(client, candidate):
    response = request_login_code(client, candidate.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_login_code")
    assert mail.outbox[-1].to == [candidate.email]

    response = client.post(reverse("account_confirm_login_code"), {"code": code_from(mail.outbox[-1])})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    assert signed_in_user(client) == candidate


def test_a_password_does_not_sign_a_candidate_in(client, candidate):
    # A candidate has no password; allauth offers them a code instead.
    response = client.post(reverse("account_login"), {"login": candidate.email, "password": TEST_PASSWORD})
    assert response.status_code in (200, 302)
    assert response.get("Location") != reverse("accounts:dashboard")
    assert signed_in_user(client) is None


@pytest.mark.parametrize("persona", ["employer_recruiter", "employer_admin", "coordinator"])
def test_employer_members_and_staff_are_refused_a_login_code(persona, client, request):
    user = request.getfixturevalue(persona)
    response = request_login_code(client, user.email)
    # allauth answers every address alike (no enumeration): the page moves on,
    # but the mail holds no code, only how these accounts sign in.
    assert response.status_code == 302
    [message] = [m for m in mail.outbox if m.to == [user.email]]
    assert not CODE_LINE.search(message.body)
    assert "signs in with its password" in message.body

    response = client.post(reverse("account_confirm_login_code"), {"code": "ABCD-EFGH"}, follow=True)
    assert signed_in_user(client) is None
    assert client.get(reverse("accounts:dashboard"))["Location"].startswith(reverse("account_login"))


# --- Employer members and staff: a password, then TOTP ---------------------------


def password_login(client: Client, email: str, password: str = TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_sign_in_page_offers_a_password_and_a_code(client):
    page = page_text(client.get(reverse("account_login")))
    assert 'name="password"' in page
    assert reverse("account_request_login_code") in page


def test_recruiter_signs_in_with_email_and_password(client, employer_recruiter):
    response = password_login(client, employer_recruiter.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    assert signed_in_user(client) == employer_recruiter


def test_wrong_password_is_refused_with_a_message(client, employer_recruiter):
    response = password_login(client, employer_recruiter.email, "not the password at all")

    assert response.status_code == 200
    assert "not correct" in page_text(response)
    assert signed_in_user(client) is None


@pytest.mark.parametrize("persona", ["coordinator", "employer_admin"])
def test_password_alone_is_not_enough_when_totp_is_set_up(persona, client, request):
    user = request.getfixturevalue(persona)
    response = password_login(client, user.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_user(client) is None

    response = client.post(reverse("mfa_authenticate"), {"code": "000000" if totp_now() != "000000" else "111111"})
    assert response.status_code == 200
    assert signed_in_user(client) is None

    response = client.post(reverse("mfa_authenticate"), {"code": totp_now()})
    assert response.status_code == 302
    assert signed_in_user(client) == user
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_staff_without_mfa_sets_it_up_before_anything_else(client, staff_without_mfa):
    response = password_login(client, staff_without_mfa.email)
    assert signed_in_user(client) == staff_without_mfa

    for url in [
        response["Location"],
        reverse("home"),
        reverse("accounts:dashboard"),
        reverse("accounts:staff_employer_list"),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("admin:index"),
    ]:
        answer = client.get(url)
        assert answer.status_code == 302, url
        assert answer["Location"] == reverse("mfa_activate_totp"), url

    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("account_logout")).status_code == 200

    # Setting up TOTP (allauth first asks for the password again, then for a
    # code from the secret the page shows) opens the portal.
    response = client.get(reverse("mfa_activate_totp"))
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("account_reauthenticate"))
        response = client.post(response["Location"], {"password": TEST_PASSWORD})
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_now(secret)})
    assert response.status_code == 302
    assert client.get(reverse("accounts:staff_employer_list")).status_code == 200


def test_staff_without_mfa_can_sign_out(client, staff_without_mfa):
    client.force_login(staff_without_mfa)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert signed_in_user(client) is None


# --- Password reset and account enumeration -----------------------------------


def test_password_reset_for_a_candidate_explains_how_to_sign_in(client, candidate):
    response = client.post(reverse("account_reset_password"), {"email": candidate.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [candidate.email]
    assert "has no password" in message.body
    assert not CODE_LINE.search(message.body), "a candidate must not get a password reset code"
    candidate.refresh_from_db()
    assert not candidate.has_usable_password()


def test_password_reset_for_an_employer_member_sends_a_code(client, employer_recruiter):
    client.post(reverse("account_reset_password"), {"email": employer_recruiter.email})

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [employer_recruiter.email]
    assert CODE_LINE.search(mail.outbox[0].body)
    assert "has no password" not in mail.outbox[0].body


def _answer(client: Client, url_name: str, email: str) -> tuple:
    response = client.post(reverse(url_name), {"email": email})
    follow = client.get(response["Location"]) if response.status_code == 302 else None
    return response.status_code, response.get("Location"), follow and follow.status_code


@pytest.mark.parametrize("url_name", ["account_request_login_code", "account_reset_password"])
@pytest.mark.parametrize("persona", ["candidate", "employer_recruiter"])
def test_pages_that_take_an_address_do_not_reveal_whether_it_has_an_account(url_name, persona, request):
    user = request.getfixturevalue(persona)
    known = _answer(RequestClient(), url_name, user.email)
    unknown = _answer(RequestClient(), url_name, "nobody-here@example.test")

    assert known == unknown
    assert known[0] == 302


# --- Rate limiting ---------------------------------------------------------------


def test_repeated_wrong_passwords_lock_the_address_for_a_while(client, employer_recruiter):
    for _ in range(5):
        response = password_login(client, employer_recruiter.email, "wrong password, again")
        assert response.status_code == 200

    # The limit holds even for the right password now.
    response = password_login(client, employer_recruiter.email)

    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in page_text(response)
    assert signed_in_user(client) is None


# --- Google ----------------------------------------------------------------------


class GoogleStandIn:
    """Google's authorize, token and userinfo endpoints on 127.0.0.1.

    The authorize endpoint answers at once as if the person had chosen their
    Google account: it sends the browser back with a code. The token endpoint
    checks the code, the client and the PKCE verifier as Google would."""

    def __init__(self, profile: dict):
        self.profile = profile
        self.authorizations: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        self.userinfo_requests: list[str] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlparse(self.path)
                if url.path == "/authorize":
                    query = {k: v[0] for k, v in parse_qs(url.query).items()}
                    code = f"code-{len(stand_in.authorizations)}"
                    stand_in.authorizations[code] = query
                    target = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                elif url.path == "/userinfo":
                    stand_in.userinfo_requests.append(self.headers.get("Authorization", ""))
                    if self.headers.get("Authorization") != "Bearer access-for-test":
                        return self._json(401, {"error": "invalid_token"})
                    self._json(200, stand_in.profile)
                else:
                    self._json(404, {})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                stand_in.token_requests.append(form)
                auth = stand_in.authorizations.pop(form.get("code"), None)
                verifier = form.get("code_verifier", "")
                challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
                if (
                    auth is None
                    or form.get("client_id") != "test-google-client"
                    or form.get("client_secret") != "test-google-secret"
                    or form.get("redirect_uri") != auth["redirect_uri"]
                    or challenge != auth.get("code_challenge")
                ):
                    return self._json(400, {"error": "invalid_grant"})
                self._json(200, {"access_token": "access-for-test", "expires_in": 3599, "token_type": "Bearer"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "GoogleStandIn":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def google(monkeypatch):
    """Start a Google stand-in for a profile and point allauth's Google
    adapter at it (allauth reads these URLs from SOCIALACCOUNT_PROVIDERS once,
    at import, so the class attributes are what to change afterwards)."""
    started: list[GoogleStandIn] = []

    def start(profile: dict) -> GoogleStandIn:
        stand_in = GoogleStandIn(profile).start()
        started.append(stand_in)
        monkeypatch.setattr(GoogleOAuth2Adapter, "authorize_url", stand_in.url + "/authorize")
        monkeypatch.setattr(GoogleOAuth2Adapter, "access_token_url", stand_in.url + "/token")
        monkeypatch.setattr(GoogleOAuth2Adapter, "identity_url", stand_in.url + "/userinfo")
        return stand_in

    yield start
    for stand_in in started:
        stand_in.stop()


def through_google(client: Client, stand_in: GoogleStandIn):
    """Click "Sign in with Google", let the stand-in answer as Google would,
    and follow the browser back to the callback."""
    response = client.post(reverse("google_login"))
    assert response.status_code == 302
    authorize = response["Location"]
    assert authorize.startswith(stand_in.url + "/authorize?")
    state = parse_qs(urlparse(authorize).query)["state"][0]
    assert state in client.session["socialaccount_states"]

    back = requests.get(authorize, allow_redirects=False, timeout=5)
    assert back.status_code == 302
    callback = urlparse(back.headers["Location"])
    assert callback.path == reverse("google_callback")
    return client.get(callback.path, dict(parse_qs(callback.query)))


GOOGLE_PROFILE = {
    "id": "108204268033311374519",
    "email": "mya.thandar@gmail.example",
    "verified_email": True,
    "given_name": "မြသန္တာ",
    "family_name": "Mya",
    "name": "မြသန္တာ Mya",
}


def test_google_sign_up_makes_a_candidate_without_a_password(client, google):
    stand_in = google(GOOGLE_PROFILE)

    response = through_google(client, stand_in)

    assert len(stand_in.token_requests) == 1
    assert stand_in.userinfo_requests == ["Bearer access-for-test"]
    # Sign-up shows its page (with the terms) before the account exists.
    assert response.status_code == 302
    assert response["Location"] == reverse("socialaccount_signup")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert not User.objects.filter(email=GOOGLE_PROFILE["email"]).exists()

    response = sign_up(client, "socialaccount_signup", GOOGLE_PROFILE["email"])

    assert response.status_code == 302
    user = User.objects.get(email=GOOGLE_PROFILE["email"])
    assert signed_in_user(client) == user
    assert user.role == User.Role.CANDIDATE
    assert not user.has_usable_password()
    assert "မြသန္တာ" in user.full_name
    assert SocialAccount.objects.get(user=user).uid == GOOGLE_PROFILE["id"]


def test_employer_member_linked_to_google_is_refused(client, google, employer_recruiter):
    SocialAccount.objects.create(user=employer_recruiter, provider="google", uid=GOOGLE_PROFILE["id"])
    stand_in = google(GOOGLE_PROFILE | {"email": employer_recruiter.email})

    response = through_google(client, stand_in)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert signed_in_user(client) is None
    page = client.get(response["Location"])
    assert "sign in with their password" in page_text(page)


def test_google_with_an_employer_members_address_does_not_take_over_the_account(client, google, employer_recruiter):
    stand_in = google(GOOGLE_PROFILE | {"email": employer_recruiter.email})
    response = through_google(client, stand_in)
    assert response["Location"] == reverse("socialaccount_signup")

    response = sign_up(client, "socialaccount_signup", employer_recruiter.email)

    # The page answers as for any address; the owner is told by email.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert [m.to for m in mail.outbox] == [[employer_recruiter.email]]
    assert "You already have a Tsunagu account" in mail.outbox[0].subject
    assert reverse("accounts:password_login") in mail.outbox[0].body  # how this account signs in
    assert signed_in_user(client) is None
    assert not SocialAccount.objects.exists()
    assert User.objects.filter(email__iexact=employer_recruiter.email).count() == 1


def test_a_sign_in_code_mail_belongs_to_the_account_of_its_address(client, candidate):
    # allauth names no user for a code mail: the outbox row is tied to the
    # account by its address, so it is in the person's data export and
    # cleared with the account like every other mail to them.
    request_login_code(client, candidate.email.upper())
    row = OutboundEmail.objects.get(kind="allauth.login_code")
    assert row.recipient_id == candidate.pk
    assert row in emails_to(candidate)
    account_erase(user=candidate)
    row.refresh_from_db()
    assert (row.subject, row.body_text, row.body_html) == ("", "", "")


def test_a_code_mail_to_an_address_without_an_account_names_nobody(client):
    request_login_code(client, "nobody.here@example.test")
    sent = OutboundEmail.objects.filter(to_email="nobody.here@example.test")
    assert sent.exists() and not sent.filter(recipient__isnull=False).exists()

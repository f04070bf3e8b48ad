"""Signing up with Google (PRODUCT §2): the sign-up page says what Tsunagu
receives from the provider (name, email, photo), and the provider's photo
becomes the profile photo only if the person ticks the box.

The whole flow runs through allauth's real views. Google's token, userinfo
and picture endpoints are a stand-in HTTP server on 127.0.0.1; the picture
is a real JPEG, fetched by profiles.tasks.fetch_social_photo (eager in
tests) through the photo pipeline."""

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.google.views import GoogleOAuth2Adapter
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from accounts.models import User
from profiles.models import CandidateProfile
from tests.profiles.factories import sample_jpeg

pytestmark = pytest.mark.django_db

AVATAR = sample_jpeg((96, 96), (200, 40, 40))


class GoogleStandIn:
    """Google's token and userinfo endpoints, and a picture host."""

    def __init__(self):
        self.token_requests: list[dict] = []
        self.picture_requests: list[str] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status: int, body: bytes, content_type: str):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                path = urlparse(self.path).path
                if path == "/userinfo" and self.headers.get("Authorization") == "Bearer access-for-test":
                    self._send(200, json.dumps(stand_in.profile).encode(), "application/json")
                elif path == "/avatar.jpg":
                    stand_in.picture_requests.append(path)
                    self._send(200, AVATAR, "image/jpeg")
                else:
                    self._send(404, b"{}", "application/json")

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                stand_in.token_requests.append(form)
                if form.get("code") != "code-from-google" or form.get("client_id") != "test-google-client":
                    return self._send(400, b'{"error": "invalid_grant"}', "application/json")
                body = {"access_token": "access-for-test", "expires_in": 3599, "token_type": "Bearer"}
                self._send(200, json.dumps(body).encode(), "application/json")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.profile = {
            "id": "109876543210987654321",
            "email": "nguyen.thi.lan@gmail.example",
            "verified_email": True,
            "name": "Nguyễn Thị Lan",
            "given_name": "Lan",
            "family_name": "Nguyễn",
            "picture": f"{self.url}/avatar.jpg",
        }
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def google(monkeypatch, settings):
    stand_in = GoogleStandIn()
    # allauth read Google's endpoint URLs when it was imported: point its adapter at the stand-in.
    monkeypatch.setattr(GoogleOAuth2Adapter, "authorize_url", stand_in.url + "/authorize")
    monkeypatch.setattr(GoogleOAuth2Adapter, "access_token_url", stand_in.url + "/token")
    monkeypatch.setattr(GoogleOAuth2Adapter, "identity_url", stand_in.url + "/userinfo")
    # Sign-in photos are fetched only from the providers' picture hosts; here that is the stand-in.
    settings.TSUNAGU_PHOTO_FETCH_HOSTS = ("127.0.0.1",)
    yield stand_in
    stand_in.close()


def back_from_google(client, google) -> str:
    """Click "Sign in with Google"; Google sends the browser back with a code.
    Returns where the callback sends the browser next."""
    response = client.post(reverse("google_login"))
    assert response.status_code == 302
    authorize = urlparse(response["Location"])
    assert f"{authorize.scheme}://{authorize.netloc}{authorize.path}" == google.url + "/authorize"
    state = parse_qs(authorize.query)["state"][0]

    callback = client.get(reverse("google_callback"), {"code": "code-from-google", "state": state})

    assert len(google.token_requests) == 1
    assert callback.status_code == 302
    return callback["Location"]


def sign_up(client, *, import_photo: bool, capture):
    data = {"email": "nguyen.thi.lan@gmail.example", "accept_policies": "on"}
    if import_photo:
        data["import_photo"] = "on"
    with capture(execute=True):
        response = client.post(reverse("socialaccount_signup"), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return User.objects.get(email="nguyen.thi.lan@gmail.example")


def test_the_sign_up_page_says_what_google_gives_and_asks_about_the_photo(client, google):
    assert back_from_google(client, google) == reverse("socialaccount_signup")

    response = client.get(reverse("socialaccount_signup"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "What we receive from Google" in page
    assert "Your name and email address" in page
    assert "Your profile photo: only if you tick the box below" in page
    assert 'value="nguyen.thi.lan@gmail.example"' in page
    box = (
        page.split('name="import_photo"')[0].rsplit("<input", 1)[1] + page.split('name="import_photo"')[1].split(">")[0]
    )
    assert 'type="checkbox"' in box
    assert "checked" not in box
    assert "Use my profile photo from this account on my Tsunagu profile" in page
    # Nothing is fetched, and no account exists, before the person decides.
    assert google.picture_requests == []
    assert not User.objects.filter(email="nguyen.thi.lan@gmail.example").exists()


def test_without_the_box_no_photo_is_fetched(client, google, django_capture_on_commit_callbacks):
    back_from_google(client, google)

    user = sign_up(client, import_photo=False, capture=django_capture_on_commit_callbacks)

    assert user.role == User.Role.CANDIDATE
    assert SocialAccount.objects.get(user=user).uid == "109876543210987654321"
    assert google.picture_requests == []
    profile = CandidateProfile.objects.filter(user=user).first()
    assert profile is None or not profile.photo


def test_with_the_box_the_google_photo_becomes_the_profile_photo(client, google, django_capture_on_commit_callbacks):
    back_from_google(client, google)

    user = sign_up(client, import_photo=True, capture=django_capture_on_commit_callbacks)

    assert user.role == User.Role.CANDIDATE
    assert google.picture_requests == ["/avatar.jpg"]
    profile = CandidateProfile.objects.get(user=user)
    assert profile.photo and profile.photo_thumbnail
    assert profile.photo_source == "google"
    assert default_storage.exists(profile.photo.name)
    with default_storage.open(profile.photo.name) as stored, Image.open(io.BytesIO(stored.read())) as image:
        assert image.format == "JPEG"
        assert image.size == (96, 96)
        red, green, blue = image.convert("RGB").getpixel((48, 48))
        assert red > 150 and green < 100 and blue < 100  # the picture Google gave, re-encoded

    # The candidate sees it as their photo.
    photo = client.get(reverse("profiles:photo_own", args=["thumb"]))
    assert photo.status_code == 200
    assert b"".join(photo.streaming_content if photo.streaming else [photo.content])[:2] == b"\xff\xd8"


def test_the_photo_box_is_not_offered_on_an_email_sign_up(client):
    page = client.get(reverse("account_signup")).content.decode()
    assert 'name="email"' in page
    assert 'name="import_photo"' not in page

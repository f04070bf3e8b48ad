"""Sign-in that survives a proxy, a Redis outage and a broker outage;
session lifetimes by role; no debug pages in production (security issue).

Cache-Control on every signed-in page is checked by the access matrix
(tests/test_access_matrix.py), for every URL and persona."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core import mail as django_mail
from django.test import Client, TestCase
from django.urls import reverse

from accounts.models import EmployerMember
from config.cache import ResilientRedisCache
from config.settings.base import redis_cache
from consents.services import Notice, share_grant_give
from outbox.models import OutboundEmail
from tests.accounts.factories import TEST_PASSWORD, EmployerMemberFactory
from tests.accounts.test_sign_in import CODE_LINE
from tests.consents.factories import EmployerWithAgreementFactory
from tests.worker import use_broker

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"
PROXY = "10.0.0.1"


class RequestClient(Client):
    """Work queued for after the commit runs when the response is ready."""

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


def behind_proxy(client_ip: str) -> RequestClient:
    """A browser at `client_ip`: every request reaches us from the proxy."""
    return RequestClient(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_ip)


def password_login(client: Client, email: str, password: str = TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def limited(response) -> bool:
    return response.status_code == 429 or "Too many failed login attempts" in response.content.decode()


def signed_in_as(client: Client):
    return client.session.get("_auth_user_id")


# --- One client cannot lock everyone out behind the proxy ---------------------------------


def _flood_failed_logins(client: Client) -> None:
    """More failed sign-ins than the per-address limit allows (10 a minute),
    each for a different address (so only the per-address limit counts)."""
    for attempt in range(12):
        password_login(client, f"nobody{attempt}@example.test", "not the password")


def test_two_clients_behind_one_trusted_proxy_are_limited_separately(settings, employer_recruiter):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    attacker = behind_proxy("203.0.113.5")
    _flood_failed_logins(attacker)
    assert limited(password_login(attacker, employer_recruiter.email))  # the attacker is limited

    colleague = behind_proxy("198.51.100.7")
    response = password_login(colleague, employer_recruiter.email)
    assert response.status_code == 302
    assert signed_in_as(colleague) == str(employer_recruiter.pk)


def test_without_the_proxy_setting_everyone_behind_it_shares_one_limit(employer_recruiter):
    """Why the setting matters (and that the test above can fail)."""
    _flood_failed_logins(behind_proxy("203.0.113.5"))
    colleague = behind_proxy("198.51.100.7")
    assert limited(password_login(colleague, employer_recruiter.email))
    assert signed_in_as(colleague) is None


def test_a_client_ip_header_set_by_the_proxy_can_be_trusted_instead(settings, employer_recruiter):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    _flood_failed_logins(RequestClient(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="203.0.113.5"))
    colleague = RequestClient(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="198.51.100.7")
    assert password_login(colleague, employer_recruiter.email).status_code == 302


# --- Redis down: sign-in still works ----------------------------------------------------------


@pytest.fixture
def cache_down(settings):
    """The cache points at a closed port, as when Redis is down."""
    settings.CACHES = {"default": redis_cache(CLOSED_PORT)}
    yield
    # settings restores CACHES; Django's test signal resets the cache handler.


def test_signing_in_by_code_works_while_the_cache_is_down(cache_down, candidate):
    client = RequestClient()
    response = client.post(reverse("account_request_login_code"), {"email": candidate.email})
    assert response.status_code == 302
    code = CODE_LINE.search(django_mail.outbox[-1].body).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert signed_in_as(client) == str(candidate.pk)


def test_signing_in_by_password_works_while_the_cache_is_down(cache_down, employer_recruiter):
    client = RequestClient()
    assert password_login(client, employer_recruiter.email).status_code == 302
    assert signed_in_as(client) == str(employer_recruiter.pk)


def test_rate_limits_still_hold_in_the_process_while_the_cache_is_down(cache_down, employer_recruiter):
    client = RequestClient()
    for _ in range(5):
        password_login(client, employer_recruiter.email, "wrong password, again")
    assert limited(password_login(client, employer_recruiter.email))
    assert signed_in_as(client) is None


def test_readyz_reports_the_cache_degraded_but_the_process_ready(cache_down):
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["cache"].startswith("degraded")


# --- Broker down: requests do not wait for it ----------------------------------------------


def test_a_request_that_writes_many_emails_returns_promptly_while_the_broker_is_down(candidate):
    employer = EmployerWithAgreementFactory()
    for _ in range(10 - EmployerMember.objects.filter(employer=employer).count()):
        EmployerMemberFactory(employer=employer)
    grant = share_grant_give(candidate=candidate, employer=employer, groups={"core"}, notice=Notice("n", "en"))
    client = RequestClient()
    client.force_login(candidate)
    with use_broker(CLOSED_PORT):
        started = time.monotonic()
        response = client.post(reverse("consents:grant_withdraw", args=[grant.pk]))
        elapsed = time.monotonic() - started
    assert response.status_code == 302
    notices = OutboundEmail.objects.filter(subject__contains="withdrew access")
    assert notices.count() == EmployerMember.objects.filter(employer=employer).count() == 10
    assert set(notices.values_list("state", flat=True)) == {OutboundEmail.State.QUEUED}
    # Ten messages, one failed hand-over: the old code waited ~0.7 s for each.
    assert elapsed < 3, f"the request waited {elapsed:.1f} s for the broker"


# --- Session lifetimes by role -----------------------------------------------------------------


def _signed_in_ago(user, *, signed_in: float, seen: float) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    now = time.time()
    session["tsunagu_signed_in_at"] = now - signed_in
    session["tsunagu_seen_at"] = now - seen
    session.save()
    return client


def _still_signed_in(client: Client) -> bool:
    response = client.get(reverse("accounts:dashboard"))
    return response.status_code == 200


MINUTE, HOUR, DAY = 60, 3600, 24 * 3600


@pytest.mark.parametrize(
    "persona, idle, absolute",
    [
        ("coordinator", 30 * MINUTE, 12 * HOUR),
        ("privacy_officer", 30 * MINUTE, 12 * HOUR),
        ("employer_recruiter", 60 * MINUTE, 12 * HOUR),
        ("candidate", 14 * DAY, 30 * DAY),
    ],
)
def test_sessions_end_after_the_roles_idle_time_and_lifetime(persona, idle, absolute, request):
    user = request.getfixturevalue(persona)
    assert _still_signed_in(_signed_in_ago(user, signed_in=idle - MINUTE * 2, seen=idle - MINUTE * 2))
    assert not _still_signed_in(_signed_in_ago(user, signed_in=idle + MINUTE, seen=idle + MINUTE))
    # Active all along, but past the absolute lifetime.
    assert _still_signed_in(_signed_in_ago(user, signed_in=absolute - 2 * MINUTE, seen=MINUTE))
    assert not _still_signed_in(_signed_in_ago(user, signed_in=absolute + MINUTE, seen=MINUTE))


def test_activity_keeps_a_staff_session_alive(coordinator):
    client = _signed_in_ago(coordinator, signed_in=20 * MINUTE, seen=20 * MINUTE)
    assert _still_signed_in(client)
    # The visit just now counts: 20 more minutes later it is 20 minutes idle, not 40.
    session = client.session
    assert time.time() - session["tsunagu_seen_at"] < MINUTE


def test_a_signed_out_person_is_told_why(coordinator):
    client = _signed_in_ago(coordinator, signed_in=HOUR, seen=HOUR)
    response = client.get(reverse("accounts:dashboard"), follow=True)
    assert "You were signed out to keep your account safe" in response.content.decode()


def test_a_real_sign_in_starts_the_clocks(employer_recruiter):
    client = RequestClient()
    before = time.time()
    password_login(client, employer_recruiter.email)
    assert client.session["tsunagu_signed_in_at"] >= before


# --- No debug pages in production ----------------------------------------------------------------


def test_production_settings_never_turn_debug_on():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "tsunagu.example",
        "SITE_URL": "https://tsunagu.example",
        "DATABASE_URL": "sqlite:////tmp/unused.db",
        "REDIS_URL": CLOSED_PORT,
        "POSTMARK_SERVER_TOKEN": "dummy",
        "ANYMAIL_WEBHOOK_SECRET": "a:b",
        "DEFAULT_FROM_EMAIL": "no-reply@tsunagu.example",
        "AWS_STORAGE_BUCKET_NAME": "b",
        "AWS_ACCESS_KEY_ID": "a",
        "AWS_SECRET_ACCESS_KEY": "s",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
    }
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR, check=True
    )
    assert result.stdout.split()[0] == "False"


def test_an_error_shows_our_page_not_a_traceback(client, settings):
    settings.DEBUG = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    client.raise_request_exception = False
    response = client.get("/en/this-page-does-not-exist/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Traceback" not in body and "URLconf" not in body and "Using the URLconf" not in body


def test_the_redis_cache_reuses_one_client_per_connection_pool():
    # Django builds a redis.Redis per call (about 0.1 ms each, issue 18): one
    # client per pool serves every call, reads and writes alike on one server.
    backend = ResilientRedisCache(CLOSED_PORT, {"OPTIONS": {"socket_connect_timeout": 0.1}})
    first = backend._cache.get_client(write=True)
    assert backend._cache.get_client() is first
    assert backend._cache.get_client("some key", write=True) is first
    assert first.connection_pool is backend._cache._get_connection_pool(True)

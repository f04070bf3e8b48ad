"""Project-wide promises: health checks, security headers, languages in the
URL, no inline script, production refusing to start without its secrets, and
the management commands people run by hand."""

import io
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD
from accounts.models import Employer, EmployerInvitation, StaffGroup, User

# --- Health checks ------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_checks_the_database_and_the_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


@pytest.mark.django_db
def test_readyz_is_unavailable_when_the_cache_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache is down")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"].startswith("error")


# --- Security headers --------------------------------------------------------------------


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/", "/ja/accounts/login/", "/en/accounts/signup/", "/en/no-such-page/"])
def test_every_page_sends_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404)

    csp = csp_directives(response["Content-Security-Policy"])
    script_src = csp.get("script-src", csp["default-src"])
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "*" not in script_src
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


# --- Languages in the URL ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "prefix"),
    [("", "/en/"), ("ja,en;q=0.5", "/ja/"), ("my", "/my/"), ("zh-CN,zh;q=0.9", "/zh-hans/"), ("ko", "/en/")],
)
def test_the_root_sends_people_to_a_language(client, accept, prefix):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == prefix


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ja"])
def test_home_page_in_each_language(client, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


@pytest.mark.django_db
def test_language_switcher_links_to_the_same_page_in_the_other_language(client):
    page = client.get("/en/accounts/login/").content.decode()
    assert re.search(r'<a href="/ja/accounts/login/"[^>]*hreflang="ja"', page)


@pytest.mark.django_db
def test_language_switcher_keeps_the_query(client):
    page = client.get("/en/accounts/login/?next=/en/me/").content.decode()
    assert 'href="/ja/accounts/login/?next=/en/me/"' in page


# --- No inline script in our templates --------------------------------------------------------

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
# The one kind of inline <script> allowed: a JSON-LD data block, nothing else in its tag.
DATA_BLOCK = re.compile(r'\s+type="application/ld\+json"\s*')
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def test_templates_exist_to_be_checked():
    assert len(list(TEMPLATES_DIR.rglob("*.html"))) >= 5


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES_DIR.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES_DIR))
)
def test_template_has_no_inline_script(template):
    """The CSP forbids inline script; a template that has some breaks in
    browsers. Scripts are static files (<script src=...>)."""
    source = template.read_text()
    for attributes in SCRIPT_TAG.findall(source):
        if DATA_BLOCK.fullmatch(attributes):
            continue  # structured data for search engines: never run, so the CSP does not apply
        assert re.search(r"\ssrc\s*=", attributes), f"inline <script{attributes}> in {template}"
    assert not EVENT_HANDLER.search(source), f"on*= event handler in {template}"
    assert not JAVASCRIPT_URL.search(source), f"javascript: URL in {template}"


def test_inline_script_check_catches_what_it_should():
    assert not re.search(r"\ssrc\s*=", SCRIPT_TAG.findall("<script>alert(1)</script>")[0])
    # Only a JSON-LD data block passes without src, and only with nothing else in its tag.
    assert DATA_BLOCK.fullmatch(SCRIPT_TAG.findall('<script type="application/ld+json">{}</script>')[0])
    for other in (
        '<script type="text/javascript">',
        '<script type="module">',
        '<script type="application/ld+json" onload="x()">',
        '<script type="application/json">',
        "<script type=application/ld+json>",
    ):
        assert not DATA_BLOCK.fullmatch(SCRIPT_TAG.findall(other)[0]), other
    assert EVENT_HANDLER.search('<button type="button" onclick="go()">')
    assert EVENT_HANDLER.search("<img src=x\nonerror=alert(1)>")
    assert not EVENT_HANDLER.search('<p class="one">Questions? Send one.</p>')


# --- Production settings --------------------------------------------------------------------

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(45)[:60],
    "DJANGO_ALLOWED_HOSTS": "tsunagu.example",
    "SITE_URL": "https://tsunagu.example",
    "DATABASE_URL": "sqlite:////tmp/tsunagu-deploy-check.db",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "POSTMARK_SERVER_TOKEN": "dummy-postmark-token",
    "ANYMAIL_WEBHOOK_SECRET": "dummy:dummy",
    "DEFAULT_FROM_EMAIL": "Tsunagu <no-reply@tsunagu.example>",
    "AWS_STORAGE_BUCKET_NAME": "dummy-bucket",
    "AWS_ACCESS_KEY_ID": "dummy-access-key",
    "AWS_SECRET_ACCESS_KEY": "dummy-secret-key",
}


def run_with_production_settings(args: list[str], env: dict) -> subprocess.CompletedProcess:
    # Only the variables given: nothing leaks in from the test run's
    # environment (DATABASE_URL, REDIS_URL, the test's provider ids).
    base = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "SYSTEMROOT") if k in os.environ}
    return subprocess.run(
        [sys.executable, *args],
        env=base | {"DJANGO_SETTINGS_MODULE": "config.settings.production"} | env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def no_dotenv():
    if (Path(settings.BASE_DIR) / ".env").exists():
        pytest.skip(".env exists and the settings read it, so the environment cannot be controlled here")


@pytest.mark.parametrize(
    "missing",
    ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "POSTMARK_SERVER_TOKEN", "AWS_SECRET_ACCESS_KEY"],
)
def test_production_settings_refuse_to_start_without_a_secret(missing, no_dotenv):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}

    result = run_with_production_settings(["-c", "import django; django.setup()"], env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_settings_start_with_every_secret(no_dotenv):
    result = run_with_production_settings(
        ["-c", "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"], PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("database_url", "pooled"),
    [("postgres://tsunagu@db.example.test:5432/tsunagu", True), ("sqlite:////tmp/tsunagu-deploy-check.db", False)],
)
def test_production_keeps_postgresql_connections_in_a_pool_and_sessions_in_the_cache(database_url, pooled, no_dotenv):
    """Issue 18: Django's PostgreSQL pool instead of CONN_MAX_AGE (Django
    refuses both), only on PostgreSQL; sessions read from the cache."""
    show = (
        "import django; django.setup(); from django.conf import settings; d = settings.DATABASES['default'];"
        "print(bool(d['OPTIONS'].get('pool')), d['CONN_MAX_AGE'], settings.SESSION_ENGINE)"
    )
    result = run_with_production_settings(["-c", show], PRODUCTION_ENV | {"DATABASE_URL": database_url})
    assert result.returncode == 0, result.stderr
    pool, max_age, sessions = result.stdout.split()
    assert (pool == "True", max_age == "0") == (pooled, pooled)
    assert sessions == "django.contrib.sessions.backends.cached_db"


def test_deploy_check_is_clean_under_production_settings(no_dotenv):
    result = run_with_production_settings(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


# --- Demo data --------------------------------------------------------------------------------


def counts() -> dict:
    return {
        "users": User.objects.count(),
        "employers": Employer.objects.count(),
        "addresses": EmailAddress.objects.count(),
        "authenticators": Authenticator.objects.count(),
    }


@pytest.mark.django_db
def test_seed_demo_can_run_twice(settings):
    settings.DEBUG = True
    first, second = io.StringIO(), io.StringIO()

    call_command("seed_demo", stdout=first)
    after_first = counts()
    call_command("seed_demo", stdout=second)

    assert counts() == after_first
    assert after_first["employers"] == 2
    assert after_first["users"] >= 6 + 4 + 3
    for output in (first.getvalue(), second.getvalue()):
        assert "Demo sign-ins" in output
        for email in (
            "nguyen.lan@demo.tsunagu.example",
            "admin@sakura-care.demo.tsunagu.example",
            "coordinator@demo.tsunagu.example",
        ):
            assert email in output
        assert DEMO_PASSWORD in output


@pytest.mark.django_db
def test_demo_accounts_can_sign_in(settings, client):
    settings.DEBUG = True
    call_command("seed_demo", "--quiet-sign-ins", stdout=io.StringIO())

    response = client.post(
        reverse("account_login"), {"login": "recruiter@sakura-care.demo.tsunagu.example", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    candidate = User.objects.get(email="nguyen.lan@demo.tsunagu.example")
    assert candidate.is_candidate and not candidate.has_usable_password()


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.count() == 0


# --- create_staff -----------------------------------------------------------------------------

STAFF_PASSWORD = "hinoki-lantern-2031-green"


def create_staff(monkeypatch, *args: str, stdin: str = STAFF_PASSWORD + "\n") -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("create_staff", *args, "--password-stdin", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_create_staff_reads_the_password_from_stdin(monkeypatch, client):
    output = create_staff(
        monkeypatch, "Mika.Ito@Tsunagu.test", "--name", "伊藤 美香", "--group", "coordinator", "--group", "support"
    )

    assert "mika.ito@tsunagu.test" in output
    user = User.objects.get(email="mika.ito@tsunagu.test")
    assert (user.role, user.is_staff, user.is_superuser, user.full_name) == ("staff", True, False, "伊藤 美香")
    assert set(user.groups.values_list("name", flat=True)) == {StaffGroup.COORDINATOR, StaffGroup.SUPPORT}
    assert user.check_password(STAFF_PASSWORD)
    assert EmailAddress.objects.get(user=user).verified

    # First sign-in: password, then straight to MFA setup.
    response = client.post(reverse("account_login"), {"login": user.email, "password": STAFF_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:dashboard"))["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stdin", "message"),
    [("password\n", "too common"), ("short\n", "too short"), ("", "No password"), ("\n", "No password")],
)
def test_create_staff_refuses_a_weak_or_missing_password(monkeypatch, stdin, message):
    with pytest.raises(CommandError, match=message):
        create_staff(monkeypatch, "weak@tsunagu.test", "--name", "Weak", "--group", "support", stdin=stdin)
    assert not User.objects.filter(email="weak@tsunagu.test").exists()


@pytest.mark.django_db
def test_create_staff_refuses_an_address_with_an_account(monkeypatch, candidate):
    with pytest.raises(CommandError, match="already exists"):
        create_staff(monkeypatch, candidate.email.upper(), "--name", "Twice", "--group", "support")
    candidate.refresh_from_db()
    assert candidate.role == User.Role.CANDIDATE


@pytest.mark.django_db
def test_create_staff_refuses_an_unknown_group(monkeypatch):
    with pytest.raises(CommandError, match="invalid choice"):
        create_staff(monkeypatch, "who@tsunagu.test", "--name", "Who", "--group", "marketing")
    assert not User.objects.filter(email="who@tsunagu.test").exists()


# --- onboard_employer ----------------------------------------------------------------------------


def onboard(*overrides: str, actor: str = "coordinator@tsunagu.test") -> str:
    options = {
        "--as": actor,
        "--legal-name": "富士ものづくり株式会社",
        "--corporate-number": "1180301018771",
        "--industry": "manufacturing",
        "--address": "愛知県豊田市トヨタ町1番地",
        "--contact-name": "田中 健",
        "--contact-email": "jobs@fuji.test",
        "--admin-email": "tanaka@fuji.test",
    }
    options.update(dict(zip(overrides[::2], overrides[1::2], strict=True)))
    out = io.StringIO()
    call_command("onboard_employer", *[part for pair in options.items() for part in pair], stdout=out)
    return out.getvalue()


def test_onboard_employer_creates_the_employer_and_emails_the_admin(coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = onboard("--language", "ja")

    employer = Employer.objects.get(corporate_number="1180301018771")
    assert employer.legal_name == "富士ものづくり株式会社"
    assert employer.created_by == coordinator
    invitation = EmployerInvitation.objects.get(employer=employer)
    assert (invitation.email, invitation.member_role, invitation.language) == ("tanaka@fuji.test", "admin", "ja")
    [message] = mail.outbox
    assert message.to == ["tanaka@fuji.test"]
    link = re.search(r"https?://\S+/ja/invitations/\S+/", message.body).group(0)
    assert link in output


@pytest.mark.django_db
def test_onboard_employer_explains_a_wrong_corporate_number_and_creates_nothing(coordinator):
    with pytest.raises(CommandError) as caught:
        onboard("--corporate-number", "2180301018771")
    assert "corporate_number" in str(caught.value)
    assert "check digit is wrong" in str(caught.value)
    assert not Employer.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_onboard_employer_refuses_an_admin_address_with_an_account(coordinator, candidate):
    with pytest.raises(CommandError, match="already has a Tsunagu account"):
        onboard("--admin-email", candidate.email)
    assert not Employer.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["nobody@tsunagu.test", "admin@employer.test"])
def test_onboard_employer_must_be_run_as_a_staff_member(actor, employer_admin):
    with pytest.raises(CommandError, match="No active staff member"):
        onboard(actor=actor)
    assert Employer.objects.count() == 1  # only the admin's own employer


@pytest.mark.django_db
def test_the_benchmarks_bare_view_is_not_routed_unless_the_benchmark_asks():
    """/bench/bare/ exists only when bench/http.py sets TSUNAGU_BENCH_BARE_VIEW."""
    assert settings.TSUNAGU_BENCH_BARE_VIEW is False
    assert Client().get("/bench/bare/").status_code == 404

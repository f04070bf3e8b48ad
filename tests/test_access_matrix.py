"""Every URL × every persona answers as tests/access_matrix.py declares."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from consents.models import ShareGrant
from matching.models import Application, ApplicationMessage, WebhookEndpoint
from tests.access_matrix import AWAY, LOGIN, MFA, OTHER_COMPANY_ADMIN, ROUTE_ALIASES, ROWS
from tests.conftest import PERSONAS
from tests.matching.factories import OpeningFactory

LANG_PREFIX = re.compile(r"^(\^)?[a-z]{2}/")


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield name, prefix + str(pattern.pattern)


def all_patterns():
    return list(_walk(get_resolver().url_patterns))


def _is_admin(name, route):
    return (name or "").startswith("admin:") or LANG_PREFIX.sub("", route).startswith("staff/admin/")


def test_every_url_is_declared_in_the_matrix():
    missing = []
    for name, route in all_patterns():
        if _is_admin(name, route) or route.startswith("^static/"):
            continue  # the admin has its own test below
        if name in ROWS or LANG_PREFIX.sub("", route) in ROUTE_ALIASES:
            continue
        missing.append(f"{name or '(unnamed)'}  {route}")
    assert not missing, "URLs with no row in tests/access_matrix.py:\n" + "\n".join(missing)


def test_no_stale_rows():
    names = {name for name, _ in all_patterns()}
    assert not set(ROWS) - names


def assert_answer(response, expected, *, what: str):
    location = response.get("Location", "")
    if expected == LOGIN:
        assert response.status_code == 302 and reverse("account_login") in location, (
            what,
            response.status_code,
            location,
        )
    elif expected == MFA:
        assert response.status_code == 302 and location.endswith(reverse("mfa_activate_totp")), (
            what,
            response.status_code,
            location,
        )
    elif expected == AWAY:
        assert response.status_code in (301, 302, 303), (what, response.status_code)
        assert reverse("mfa_activate_totp") not in location, (what, location)
    else:
        assert response.status_code == expected, (what, response.status_code, location)


def answer_problem(response, expected) -> str | None:
    """None if the response is the expected answer, else what went wrong."""
    try:
        assert_answer(response, expected, what="")
    except AssertionError:
        return f"expected {expected!r}, got {response.status_code} {response.get('Location', '')}".strip()
    return None


@pytest.mark.parametrize("persona", PERSONAS)
def test_access(persona, persona_client, request):
    """Every declared URL as this persona (one test per persona keeps the
    suite fast: personas and objects are made once). All mismatches are
    reported together."""
    fixtures = _Fixtures(request)
    problems = []
    for url_name in sorted(ROWS):
        row = ROWS[url_name]
        kwargs = dict(row.kwargs)
        if row.kwargs_from:
            kwargs.update(row.kwargs_from(fixtures))
        response = persona_client(persona).get(reverse(url_name, kwargs=kwargs))
        problem = answer_problem(response, row.expect[persona])
        if problem:
            problems.append(f"{url_name}: {problem}")
        elif persona != "anonymous" and not _kept_out_of_caches(response):
            # Anything shown to a signed-in person may be another person's
            # data (a candidate's profile to an employer or staff): no copy in
            # a shared cache or the browser's history after a withdrawal.
            problems.append(f"{url_name}: Cache-Control is {response.get('Cache-Control')!r}, not private, no-store")
    assert not problems, f"{persona}:\n" + "\n".join(problems)


def _kept_out_of_caches(response) -> bool:
    directives = {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


@pytest.fixture
def conversation_message(candidate, employer_with_grant):
    """A message from employer_with_grant to `candidate` on an application
    made through the grant employer_with_grant's company holds."""
    grant = ShareGrant.objects.get(candidate=candidate, employer__members__user=employer_with_grant)
    application = Application.objects.create(
        opening=OpeningFactory(employer=grant.employer), candidate=candidate, grant=grant
    )
    return ApplicationMessage.objects.create(
        application=application, author=employer_with_grant, side=ApplicationMessage.Side.EMPLOYER, body="Hello"
    )


@pytest.fixture
def webhook_endpoint(employer):
    """A receiver of employer_admin's company, with a signing secret."""
    return WebhookEndpoint.objects.create(
        employer=employer, url="https://ats.example.test/hook", secret="whsec_c2VjcmV0", events=["grant.withdrawn"]
    )


def test_another_companys_admin_finds_no_receiver(other_employer_admin, webhook_endpoint, client):
    receiver_pages = {name for name in ROWS if name.startswith("matching:employer_webhook_")}
    assert receiver_pages | {"matching:employer_webhook"} == set(OTHER_COMPANY_ADMIN)  # none forgotten
    client.force_login(other_employer_admin)
    problems = []
    for url_name, by_method in sorted(OTHER_COMPANY_ADMIN.items()):
        url = reverse(url_name, kwargs={"pk": webhook_endpoint.pk})
        for method, expected in by_method.items():
            status = getattr(client, method)(url).status_code
            if status != expected:
                problems.append(f"{method.upper()} {url_name}: {status}, expected {expected}")
    assert not problems, "\n".join(problems)
    unchanged = WebhookEndpoint.objects.get()
    assert (unchanged.secret, unchanged.previous_secret, unchanged.is_active) == ("whsec_c2VjcmV0", "", True)


class _Fixtures:
    def __init__(self, request):
        self.request = request

    def __getitem__(self, name):
        return self.request.getfixturevalue(name)


def _admin_urls_without_arguments():
    for name, route in all_patterns():
        if name and name.startswith("admin:") and "<" not in route and "(?P" not in route:
            yield name


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_is_for_staff_with_mfa_only(persona, persona_client):
    client = persona_client(persona)
    for name in _admin_urls_without_arguments():
        if name in ("admin:logout", "admin:login"):
            continue
        response = client.get(reverse(name))
        what = f"{name} as {persona}"
        if persona == "staff_without_mfa":
            assert_answer(response, MFA, what=what)
        elif persona in ("coordinator", "privacy_officer", "support"):
            assert response.status_code in (200, 403), (what, response.status_code)
        else:
            assert response.status_code == 302, (what, response.status_code)


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_login_goes_through_allauth(persona, persona_client):
    """The admin's own login form would skip the MFA stage, so it is not used."""
    response = persona_client(persona).get(reverse("admin:login"))
    assert response.status_code == 302

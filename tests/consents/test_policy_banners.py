"""Revision banners (seed 004 Art. 34): for the people a document concerns,
never for a first version, closable (per account; per browser for visitors,
in a strictly necessary cookie), gone once read or accepted, and naming the
date of the version their link opens."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consents.banners import COOKIE
from consents.models import PolicyKind, PolicyText, PolicyVersion
from consents.services import policy_accept
from tests.accounts.factories import CandidateFactory
from tests.consents.factories import PolicyVersionFactory, publish

pytestmark = pytest.mark.django_db
HOME = reverse("home")
DISMISS = reverse("consents:policy_banner_dismiss")


def revision(kind=PolicyKind.TERMS, **fields) -> PolicyVersion:
    return publish(PolicyVersionFactory(kind=kind, requires_consent=False, **fields))


def banner_shown(client: Client, version: PolicyVersion) -> bool:
    return version.summary_in("en") in client.get(HOME).content.decode()


def test_a_first_version_is_not_announced(client):
    first = PolicyVersion.objects.filter(kind=PolicyKind.DATA_USE).order_by("published_at").first()
    PolicyVersion.objects.filter(pk=first.pk).update(published_at=timezone.now())
    PolicyText.objects.filter(version=first, language="en").update(summary="The first agreement")
    assert "The first agreement" not in client.get(HOME).content.decode()


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("anonymous", False),
        ("candidate", False),
        ("employer_admin", True),
        ("employer_recruiter", True),
        ("coordinator", False),
    ],
)
def test_the_data_use_agreement_is_announced_to_employer_members_only(persona, shown, persona_user, persona_client):
    persona_user(persona)  # made before the revision
    version = revision(PolicyKind.DATA_USE)
    assert banner_shown(persona_client(persona), version) is shown


@pytest.mark.parametrize("persona", ["anonymous", "candidate", "employer_recruiter"])
def test_terms_are_announced_to_visitors_candidates_and_employers(persona, persona_user, persona_client):
    persona_user(persona)
    assert banner_shown(persona_client(persona), revision())


def test_closing_a_banner_is_remembered_for_the_account(candidate, persona_client):
    version = revision()
    client = persona_client("candidate")
    response = client.post(DISMISS, {"version": version.pk, "next": reverse("consents:my_consents")})
    assert response.status_code == 302 and response.url == reverse("consents:my_consents")
    assert not banner_shown(client, version)
    assert COOKIE not in response.cookies  # the account remembers, not the browser
    other_browser = Client()
    other_browser.force_login(candidate)
    assert not banner_shown(other_browser, version)


def test_a_visitor_closes_a_banner_for_this_browser_only(client):
    version = revision()
    response = client.post(DISMISS, {"version": version.pk, "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == HOME
    cookie = response.cookies[COOKIE]
    assert cookie.value == str(version.pk) and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not banner_shown(client, version)
    assert banner_shown(Client(), version)


def test_a_forged_banner_cookie_is_ignored(client):
    version = revision()
    client.cookies[COOKIE] = "x" * 500 + ".;DROP"
    assert banner_shown(client, version)


def test_reading_the_revision_removes_its_banner(persona_client, candidate, client):
    version = revision()
    signed = persona_client("candidate")
    signed.get(reverse("consents:policy_version", args=[version.kind, version.version]))
    assert not banner_shown(signed, version)
    response = client.get(reverse("consents:policy_version", args=[version.kind, version.version]))
    assert response.cookies[COOKIE].value == str(version.pk)
    assert not banner_shown(client, version)


def test_accepting_the_revision_removes_its_banner(candidate, persona_client):
    version = revision(kind=PolicyKind.PRIVACY)
    client = persona_client("candidate")
    assert banner_shown(client, version)
    policy_accept(user=candidate, versions=[version], language="en")
    assert not banner_shown(client, version)


def test_someone_who_signed_up_after_the_revision_never_sees_its_banner():
    version = revision()
    newcomer = CandidateFactory()  # accepted the current versions at sign-up
    client = Client()
    client.force_login(newcomer)
    assert not banner_shown(client, version)


def test_an_employer_whose_admin_accepted_the_agreement_sees_no_banner(persona_user, persona_client):
    from consents.services import employer_agreement_accept

    admin = persona_user("employer_admin")
    persona_user("employer_recruiter")
    version = revision(PolicyKind.DATA_USE)
    employer_agreement_accept(actor=admin, version=version, language="en")
    assert not banner_shown(persona_client("employer_recruiter"), version)


def test_the_banner_names_the_date_of_the_version_its_link_opens(client, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    version = revision()
    # Published at 23:30 UTC: already the next day in Japan.
    published = timezone.now().replace(hour=23, minute=30, second=0, microsecond=0) - timedelta(days=1)
    PolicyVersion.objects.exclude(pk=version.pk).update(published_at=published - timedelta(days=400))
    PolicyVersion.objects.filter(pk=version.pk).update(published_at=published)
    html = client.get(HOME).content.decode()
    date = timezone.localtime(published).strftime("%Y-%m-%d")
    link = reverse("consents:policy_version", args=[version.kind, version.version])
    banner = re.search(r'<div class="revision-banner">(.*?)</form>', html, re.S).group(1)
    assert f"revised on {date}" in banner and link in banner and f"Read the version of {date}" in banner
    opened = client.get(link).content.decode()
    assert f"published {date}" in opened


def test_only_the_newest_revision_of_a_document_is_announced(client):
    older = revision()
    newer = revision()
    PolicyVersion.objects.filter(pk=older.pk).update(published_at=timezone.now() - timedelta(days=2))
    html = client.get(HOME).content.decode()
    assert newer.summary_in("en") in html and older.summary_in("en") not in html


def test_closing_needs_a_post_and_ignores_nonsense(client):
    assert client.get(DISMISS).status_code == 405
    for value in ("", "abc", "999999", "1" * 30):
        assert client.post(DISMISS, {"version": value}).status_code == 302


def test_the_cached_revisions_follow_publications_and_the_clock(client, monkeypatch):
    """The revisions are cached per policy generation (consents.selectors):
    a version published after a page was shown is announced on the next
    one, and a version saved with a later date comes into force on time
    with nothing written."""
    first = revision()
    assert banner_shown(client, first)
    second = revision(kind=PolicyKind.PRIVACY)
    assert banner_shown(client, second) and banner_shown(client, first)
    scheduled = PolicyVersionFactory(kind=PolicyKind.TERMS, requires_consent=False)
    PolicyVersion.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() + timedelta(hours=1))
    scheduled.save(update_fields=["requires_consent"])  # a write to a version bumps the generation
    assert not banner_shown(client, scheduled) and banner_shown(client, first)
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(hours=1, seconds=1))
    assert banner_shown(client, scheduled) and not banner_shown(client, first)

"""Policies (PRODUCT §3.4, seed 004 Art. 34): versioned Terms of Use and
Privacy Policy with translations (the Japanese text prevails), a public list
of every revision, re-acceptance at the next visit when a version asks for
it, a revision banner for a while, texts that never change once published,
and policy texts that cannot inject HTML."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from consents.markdown import render_markdown
from consents.models import ConsentEvent, ConsentKind, PolicyAcceptance, PolicyKind, PolicyText, PolicyVersion
from consents.selectors import subject_key_of
from consents.services import current_policy, policy_version_publish
from tests.consents.factories import PolicyVersionFactory, ShareGrantFactory, publish

pytestmark = pytest.mark.django_db

ACCEPT = reverse("consents:policy_accept")
DASHBOARD = reverse("accounts:dashboard")

# Signed-in personas who can reach a page (staff_without_mfa is held at MFA setup first).
SIGNED_IN = [
    "candidate",
    "other_candidate",
    "employer_admin",
    "employer_recruiter",
    "employer_with_grant",
    "revoked_employer",
    "coordinator",
    "privacy_officer",
    "support",
]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def redirected_to_accept(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(ACCEPT)


# --- Public pages ---------------------------------------------------------------------


def test_the_public_list_shows_every_published_revision(client):
    draft = PolicyVersionFactory(kind=PolicyKind.TERMS, version="2099-01-01")
    html = client.get(reverse("consents:policy_list")).content.decode()
    for kind in PolicyKind.values:
        assert reverse("consents:policy_version", args=[kind, "2026-11-23"]) in html
    assert "First version." in html
    assert draft.version not in html  # not published: not listed, not reachable
    assert client.get(reverse("consents:policy_version", args=["terms", draft.version])).status_code == 404


def test_the_english_page_says_the_japanese_text_prevails_and_links_it(client):
    response = client.get(reverse("consents:policy", args=["terms"]))
    html = response.content.decode()
    assert "<h1>Terms of Use</h1>" in html
    assert "This is a translation. The Japanese text prevails." in html
    assert "/ja/policies/terms/2026-11-23/" in html

    with translation.override("ja"):
        url = reverse("consents:policy", args=["terms"])
    html = client.get(url).content.decode()
    assert "<h1>利用規約</h1>" in html
    assert "The Japanese text prevails" not in html


def test_an_unknown_document_is_not_found(client):
    assert client.get(reverse("consents:policy", args=["cookies"])).status_code == 404


# --- Publishing --------------------------------------------------------------------------


def test_only_staff_publish_and_only_with_english_and_japanese_texts(candidate, employer_admin, privacy_officer):
    version = PolicyVersionFactory()
    for actor in (candidate, employer_admin):
        with pytest.raises(PermissionDenied):
            policy_version_publish(actor=actor, version=version)

    english_only = PolicyVersionFactory(texts={"en": "English only."})
    with pytest.raises(ValidationError):
        policy_version_publish(actor=privacy_officer, version=english_only)

    policy_version_publish(actor=privacy_officer, version=version)
    version.refresh_from_db()
    assert version.is_published and version.published_by == privacy_officer
    assert current_policy(PolicyKind.PRIVACY) == version
    with pytest.raises(ValidationError):
        policy_version_publish(actor=privacy_officer, version=version)


def test_the_admin_publish_action_publishes(privacy_officer):
    version = PolicyVersionFactory()
    response = signed_in(privacy_officer).post(
        reverse("admin:consents_policyversion_changelist"), {"action": "publish", "_selected_action": [version.pk]}
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.is_published


# --- Re-acceptance at the next visit ---------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_a_version_that_needs_consent_is_asked_at_everyones_next_request(persona, persona_client):
    client = persona_client(persona)
    assert client.get(DASHBOARD).status_code == 200
    publish(PolicyVersionFactory(kind=PolicyKind.PRIVACY))

    response = client.get(DASHBOARD)
    assert redirected_to_accept(response)
    assert f"next={DASHBOARD.replace('/', '%2F')}" in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "We have updated our policies" in page.content.decode()


@pytest.mark.parametrize(
    "url_name", ["policy_list", "cookie_settings", "account_logout", "sharing", "email_preferences"]
)
def test_a_pending_acceptance_never_blocks_leaving_or_withdrawing(url_name, candidate):
    client = signed_in(candidate)
    publish(PolicyVersionFactory(kind=PolicyKind.TERMS))
    response = client.get(reverse(url_name if url_name.startswith("account") else f"consents:{url_name}"))
    assert not redirected_to_accept(response)
    assert response.status_code == 200


def test_a_candidate_can_withdraw_a_grant_without_accepting_a_new_version(candidate):
    grant = ShareGrantFactory(candidate=candidate)
    client = signed_in(candidate)
    publish(PolicyVersionFactory(kind=PolicyKind.TERMS))
    response = client.post(reverse("consents:grant_withdraw", args=[grant.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("consents:sharing")
    grant.refresh_from_db()
    assert not grant.is_active


def test_accepting_records_the_acceptance_and_the_ledger_row_and_continues(candidate):
    client = signed_in(candidate)
    version = publish(PolicyVersionFactory(kind=PolicyKind.PRIVACY))
    target = reverse("consents:sharing")

    refused = client.post(ACCEPT, {"next": target})
    assert refused.status_code == 200
    assert "Please tick the box" in refused.content.decode()
    assert not PolicyAcceptance.objects.filter(user=candidate, version=version).exists()

    response = client.post(ACCEPT, {"accept": "on", "next": target})
    assert response.status_code == 302 and response["Location"] == target
    acceptance = PolicyAcceptance.objects.get(user=candidate, version=version)
    assert acceptance.language == "en"
    row = ConsentEvent.objects.get(
        subject_key=subject_key_of(candidate), kind=ConsentKind.POLICY, policy_version_id=version.pk
    )
    english = version.texts.get(language="en")
    assert (row.event, row.channel, row.actor, row.language) == ("grant", "web", "subject", "en")
    assert (row.notice_version_id, row.notice_sha256) == (version.pk, english.sha256)
    assert row.scope == {"document": "privacy", "version": version.version}
    assert client.get(DASHBOARD).status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "http://evil.example/en/dashboard/"])
def test_accepting_never_redirects_off_the_site(candidate, target):
    client = signed_in(candidate)
    publish(PolicyVersionFactory(kind=PolicyKind.TERMS))
    response = client.post(ACCEPT, {"accept": "on", "next": target})
    assert response.status_code == 302 and response["Location"] == DASHBOARD


def test_a_version_without_consent_is_announced_but_asks_nothing(candidate, client):
    version = publish(PolicyVersionFactory(kind=PolicyKind.TERMS, requires_consent=False))
    signed = signed_in(candidate)
    response = signed.get(DASHBOARD)
    assert response.status_code == 200
    for html in (response.content.decode(), client.get(reverse("home")).content.decode()):
        assert version.summary_in("en") in html
        assert reverse("consents:policy_version", args=["terms", version.version]) in html
    assert not PolicyAcceptance.objects.filter(version=version).exists()


def test_the_revision_banner_goes_away_after_the_configured_days(client, settings, monkeypatch):
    settings.TSUNAGU_POLICY_BANNER_DAYS = 30
    version = publish(PolicyVersionFactory(kind=PolicyKind.TERMS, requires_consent=False))
    # The first versions (published by the data migration) are long past their own banner.
    PolicyVersion.objects.exclude(pk=version.pk).update(published_at=timezone.now() - timedelta(days=400))
    PolicyVersion.objects.filter(pk=version.pk).update(published_at=timezone.now() - timedelta(days=29))
    assert version.summary_in("en") in client.get(reverse("home")).content.decode()
    # Two days later, with nothing written: the clock alone ends the banner
    # (the revisions are cached per policy generation, consents.selectors).
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(days=2))
    assert version.summary_in("en") not in client.get(reverse("home")).content.decode()
    # The revision stays on the public list for good.
    assert version.summary_in("en") in client.get(reverse("consents:policy_list")).content.decode()


# --- Published texts never change --------------------------------------------------------------


def test_a_published_version_cannot_be_edited_in_the_admin(privacy_officer):
    client = signed_in(privacy_officer)
    draft = PolicyVersionFactory()
    change = reverse("admin:consents_policyversion_change", args=[draft.pk])
    assert 'name="_save"' in client.get(change).content.decode()  # a draft can be edited

    published = current_policy(PolicyKind.TERMS)
    url = reverse("admin:consents_policyversion_change", args=[published.pk])
    page = client.get(url)
    assert page.status_code == 200  # visible, read-only
    assert 'name="_save"' not in page.content.decode()
    text = published.texts.get(language="en")
    before = (text.body, text.sha256)
    response = client.post(
        url,
        {
            "kind": "terms",
            "version": published.version,
            "texts-TOTAL_FORMS": "2",
            "texts-INITIAL_FORMS": "2",
            "texts-0-id": text.pk,
            "texts-0-version": published.pk,
            "texts-0-language": "en",
            "texts-0-title": "Terms",
            "texts-0-summary": "Quietly rewritten.",
            "texts-0-body": "We may do anything.",
        },
    )
    assert response.status_code == 403
    text.refresh_from_db()
    assert (text.body, text.sha256, text.summary) == (*before, "First version.")
    delete = reverse("admin:consents_policyversion_delete", args=[published.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert PolicyVersion.objects.filter(pk=published.pk).exists()


def test_the_ledger_and_access_records_are_read_only_in_the_admin(privacy_officer):
    ShareGrantFactory()
    client = signed_in(privacy_officer)
    event = ConsentEvent.objects.first()
    page = client.get(reverse("admin:consents_consentevent_change", args=[event.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:consents_consentevent_add")).status_code == 403
    assert (
        client.post(reverse("admin:consents_consentevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    )


# --- Policy texts cannot inject HTML ---------------------------------------------------------------


def test_the_markdown_renderer_escapes_html():
    html = render_markdown('## Title <img src=x onerror="alert(1)">\n\n<script>alert(1)</script> and **bold**\n')
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<strong>bold</strong>" in html and html.startswith("<h3>")


def test_a_script_in_a_published_policy_is_shown_as_text(client):
    version = publish(
        PolicyVersionFactory(
            kind=PolicyKind.PRIVACY,
            requires_consent=False,
            texts={"en": "Hello <script>alert('x')</script>\n", "ja": "こんにちは <script>alert('x')</script>\n"},
        )
    )
    html = client.get(reverse("consents:policy_version", args=["privacy", version.version])).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(" in html and "&lt;/script&gt;" in html


def test_a_texts_hash_is_the_hash_of_its_body():
    version = PolicyVersionFactory()
    text = PolicyText.objects.get(version=version, language="en")
    import hashlib

    assert text.sha256 == hashlib.sha256(text.body.encode()).hexdigest()


def test_policy_texts_may_hold_links_but_never_script_links():
    html = render_markdown("See the [PPC](https://www.ppc.go.jp/) and [this](javascript:alert(1)).\n")
    assert '<a href="https://www.ppc.go.jp/">PPC</a>' in html
    assert "javascript:" not in html.split("[this]")[0] and 'href="javascript' not in html

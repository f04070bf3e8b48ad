"""Email purposes (PRODUCT §3.2): the nine purposes of seed 004 Art. 1(3),
1(5) and 1(6), each opt-in and off by default, offered unticked at sign-up,
changed on one page with a ledger row per change, and checked at send time."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from consents import notices, services
from consents.models import (
    ConsentEvent,
    ConsentEventType,
    ConsentKind,
    EmailPurpose,
    EmailPurposeConsent,
    PolicyAcceptance,
    PolicyKind,
    ProcessingRestriction,
)
from consents.selectors import may_send_purpose, purpose_states, subject_key_of
from tests.accounts.factories import CandidateFactory

pytestmark = pytest.mark.django_db

NINE = {
    "job_openings",  # Art. 1(3)(1)
    "new_services",  # (2)
    "living_in_japan",  # (3)
    "service_changes",  # (4)
    "article_invitations",  # (5)
    "work_surveys",  # (6)
    "site_surveys",  # (7)
    "gifts_by_post",  # Art. 1(5)
    "statistics",  # Art. 1(6)
}
PREFERENCES = reverse("consents:email_preferences")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def checkbox(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no checkbox {name}"
    return match.group(0)


def purpose_rows(user):
    return list(ConsentEvent.objects.filter(subject_key=subject_key_of(user), kind=ConsentKind.PURPOSE).order_by("pk"))


def test_there_are_exactly_the_nine_purposes_of_the_policy():
    assert set(EmailPurpose.values) == NINE


def test_every_purpose_is_off_until_the_person_turns_it_on(candidate):
    assert not EmailPurposeConsent.objects.filter(user=candidate).exists()
    assert purpose_states(candidate) == dict.fromkeys(NINE, False)
    for purpose in NINE:
        assert not may_send_purpose(candidate, purpose)


# --- Sign-up -------------------------------------------------------------------------------


def test_the_sign_up_page_offers_every_purpose_unticked_and_the_policies_unaccepted(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    html = response.content.decode()
    for purpose in EmailPurpose:
        tag = checkbox(html, f"purpose_{purpose.value}")
        assert 'type="checkbox"' in tag and "checked" not in tag
        assert escape(str(purpose.label)) in html
    assert "checked" not in checkbox(html, "accept_policies")


def test_sign_up_without_accepting_the_policies_is_refused(client):
    response = client.post(
        reverse("account_signup"), {"email": "new.person@example.test", "purpose_job_openings": "on"}
    )
    assert response.status_code == 200
    assert "You need to accept the Terms of Use and the Privacy Policy" in response.content.decode()
    assert not User.objects.filter(email="new.person@example.test").exists()
    assert not EmailPurposeConsent.objects.exists()


def test_sign_up_records_the_policies_and_only_the_purposes_ticked(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new.person@example.test", "accept_policies": "on", "purpose_living_in_japan": "on"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.test")
    assert purpose_states(user) == {**dict.fromkeys(NINE, False), "living_in_japan": True}
    [row] = purpose_rows(user)
    assert (row.purpose, row.event, row.scope) == ("living_in_japan", ConsentEventType.GRANT, {"granted": True})
    current = {services.current_policy(PolicyKind.TERMS), services.current_policy(PolicyKind.PRIVACY)}
    assert {a.version for a in PolicyAcceptance.objects.filter(user=user)} == current
    policy_rows = ConsentEvent.objects.filter(subject_key=subject_key_of(user), kind=ConsentKind.POLICY)
    assert {r.policy_version_id for r in policy_rows} == {v.pk for v in current}


# --- The preferences page ---------------------------------------------------------------


def test_the_preferences_page_changes_purposes_one_ledger_row_per_change(candidate):
    client = signed_in(candidate)
    html = client.get(PREFERENCES).content.decode()
    for purpose in NINE:
        assert "checked" not in checkbox(html, purpose)

    client.post(PREFERENCES, {"job_openings": "on", "work_surveys": "on"})
    rows = purpose_rows(candidate)
    assert sorted(r.purpose for r in rows) == ["job_openings", "work_surveys"]
    for row in rows:
        assert (row.event, row.channel, row.actor, row.language) == (ConsentEventType.GRANT, "web", "subject", "en")
        assert row.notice_version_id == services.current_policy(PolicyKind.PRIVACY).pk
        labels = [str(EmailPurpose.JOB_OPENINGS.label), str(EmailPurpose.WORK_SURVEYS.label)]
        assert row.notice_sha256 == notices.sha256(notices.purposes_notice(labels))
    assert may_send_purpose(candidate, "job_openings") and may_send_purpose(candidate, "work_surveys")
    html = client.get(PREFERENCES).content.decode()
    assert "checked" in checkbox(html, "job_openings") and "checked" not in checkbox(html, "statistics")

    # The same choices again: nothing changed, nothing recorded.
    response = client.post(PREFERENCES, {"job_openings": "on", "work_surveys": "on"}, follow=True)
    assert "Nothing changed." in response.content.decode()
    assert len(purpose_rows(candidate)) == 2

    # Unticking one: one withdrawal.
    client.post(PREFERENCES, {"job_openings": "on"})
    rows = purpose_rows(candidate)
    assert len(rows) == 3
    assert (rows[-1].purpose, rows[-1].event, rows[-1].scope) == (
        "work_surveys",
        ConsentEventType.WITHDRAW,
        {"granted": False},
    )
    assert not may_send_purpose(candidate, "work_surveys")
    assert may_send_purpose(candidate, "job_openings")


def test_unknown_purposes_are_ignored_on_the_page_and_refused_by_the_service(candidate):
    signed_in(candidate).post(PREFERENCES, {"cold_calls": "on"})
    assert not purpose_rows(candidate)
    with pytest.raises(services.ValidationError):
        services.purpose_consents_set(actor=candidate, user=candidate, choices={"cold_calls": True}, language="en")


def test_nobody_else_sets_a_persons_purposes(candidate, other_candidate):
    with pytest.raises(services.PermissionDenied):
        services.purpose_consents_set(
            actor=other_candidate, user=candidate, choices={"job_openings": True}, language="en"
        )
    assert not purpose_rows(candidate)


# --- Checked at send time ---------------------------------------------------------------


def _opted_in(**kwargs):
    user = CandidateFactory(**kwargs)
    services.purpose_consents_set(actor=user, user=user, choices={"new_services": True}, language="en")
    return user


def test_may_send_only_with_a_current_opt_in_an_active_account_and_no_restriction():
    user = _opted_in()
    assert may_send_purpose(user, "new_services")
    assert not may_send_purpose(user, "job_openings")  # another purpose
    assert not may_send_purpose(user, "not_a_purpose")


def test_may_not_send_to_an_inactive_account():
    user = _opted_in()
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert not may_send_purpose(user, "new_services")


def test_may_not_send_while_the_use_of_data_is_restricted():
    user = _opted_in()
    restriction = ProcessingRestriction.objects.create(user=user)
    assert not may_send_purpose(user, "new_services")
    restriction.lifted_at = restriction.started_at
    restriction.save(update_fields=["lifted_at"])
    assert may_send_purpose(user, "new_services")


def test_may_not_send_after_the_purpose_is_withdrawn():
    user = _opted_in()
    services.purpose_consents_set(actor=user, user=user, choices={"new_services": False}, language="en")
    assert not may_send_purpose(user, "new_services")

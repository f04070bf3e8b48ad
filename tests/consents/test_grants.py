"""Sharing a profile with an employer (PRODUCT §3.1): the consent screen,
the grant, its receipt, withdrawal with immediate effect, expiry reminders,
and one grant however often the button is pressed."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from consents import notices, services
from consents.models import ConsentEvent, ConsentKind, FieldGroup, ShareGrant
from tests.accounts.factories import CandidateFactory
from tests.concurrency import at_once
from tests.consents.factories import (
    ContactShareGrantFactory,
    EmployerWithAgreementFactory,
    ShareGrantFactory,
    WithdrawnShareGrantFactory,
    admin_of,
    recruiter_of,
)
from tests.profiles.factories import FullCandidateProfileFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def screen(employer) -> str:
    return reverse("consents:share_with_employer", args=[employer.pk])


def optional_checkboxes(html: str) -> dict[str, str]:
    return {name: tag for tag, name in re.findall(r'(<input[^>]*name="(include_\w+)"[^>]*>)', html)}


@pytest.fixture
def employer():
    return EmployerWithAgreementFactory(legal_name="株式会社つなぐ食品", corporate_number="7000012050002")


# --- The consent screen ---------------------------------------------------------------


def test_the_consent_screen_names_the_employer_purpose_fields_and_expiry(candidate, employer):
    response = signed_in(candidate).get(screen(employer))
    assert response.status_code == 200
    html = response.content.decode()
    assert "株式会社つなぐ食品" in html and "7000012050002" in html
    assert "to decide whether to hire you" in html  # the purpose
    assert "Core profile: name, nationality, age" in html  # always shared, said so
    checkboxes = optional_checkboxes(html)
    assert set(checkboxes) == {"include_contact", "include_address", "include_date_of_birth", "include_photo"}
    for name, tag in checkboxes.items():
        assert "checked" not in tag, f"{name} must be unticked by default"
    assert 'name="agree"' in html and "checked" not in re.search(r'<input[^>]*name="agree"[^>]*>', html).group(0)
    until = timezone.localdate(timezone.now() + timedelta(days=365))
    assert f"{until:%Y-%m-%d}" in html
    # The exact statement agreed to is on the screen, word for word.
    notice = notices.share_notice(employer=employer, groups={"core"}, expires_at=timezone.now() + timedelta(days=365))
    assert notice.splitlines()[0] in html


def test_the_expiry_follows_the_configured_grant_length(candidate, employer, settings):
    settings.TSUNAGU_GRANT_DAYS = 30
    html = signed_in(candidate).get(screen(employer)).content.decode()
    assert f"{timezone.localdate(timezone.now() + timedelta(days=30)):%Y-%m-%d}" in html
    signed_in(candidate).post(screen(employer), {"agree": "on"})
    grant = ShareGrant.objects.get()
    assert timedelta(days=29, hours=23) < grant.expires_at - grant.granted_at <= timedelta(days=30)


def test_the_notice_dates_the_expiry_in_japan_time_like_the_screen(employer):
    # 20:00 UTC on 1 January is already 2 January in Tokyo.
    expires_at = datetime(2027, 1, 1, 20, 0, tzinfo=UTC)
    with translation.override("en"):
        text = notices.share_notice(employer=employer, groups={"core"}, expires_at=expires_at)
    assert "Jan. 2, 2027" in text


def test_without_agree_nothing_is_shared(candidate, employer):
    response = signed_in(candidate).post(screen(employer), {"include_contact": "on"})
    assert response.status_code == 400
    assert "nothing is shared without it" in response.content.decode()
    # What was ticked stays ticked, so the person does not lose their choice.
    assert "checked" in optional_checkboxes(response.content.decode())["include_contact"]
    assert not ShareGrant.objects.exists()
    assert not ConsentEvent.objects.filter(kind=ConsentKind.SHARE).exists()


def test_agreeing_creates_the_grant_records_the_notice_and_emails_a_receipt(
    candidate, employer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(candidate).post(
            screen(employer), {"agree": "on", "include_contact": "on", "include_photo": "on"}
        )
    assert response.status_code == 302 and response["Location"] == reverse("consents:sharing")

    grant = ShareGrant.objects.get()
    assert (grant.candidate, grant.employer) == (candidate, employer)
    assert grant.field_groups == {FieldGroup.CORE, FieldGroup.CONTACT, FieldGroup.PHOTO}
    assert grant.is_active
    row = ConsentEvent.objects.get(kind=ConsentKind.SHARE)
    with translation.override("en"):
        shown = notices.share_notice(
            employer=employer, groups={"core", "contact", "photo"}, expires_at=grant.expires_at
        )
    assert row.notice_sha256 == notices.sha256(shown)

    [receipt] = mail.outbox
    assert receipt.to == [candidate.email]
    assert "株式会社つなぐ食品" in receipt.subject
    assert "contact details" in receipt.body and "photo" in receipt.body
    assert "postal address" not in receipt.body
    assert f"{timezone.localdate(grant.expires_at):%Y-%m-%d}" in receipt.body


def test_the_sharing_page_lists_each_grant_with_its_fields_and_state(candidate):
    active = ContactShareGrantFactory(candidate=candidate)
    withdrawn = WithdrawnShareGrantFactory(candidate=candidate)
    html = signed_in(candidate).get(reverse("consents:sharing")).content.decode()
    assert active.employer.legal_name in html and withdrawn.employer.legal_name in html
    assert reverse("consents:grant_withdraw", args=[active.pk]) in html
    assert reverse("consents:grant_withdraw", args=[withdrawn.pk]) not in html
    assert "contact details" in html and "Withdrawn" in html


# --- Withdrawal -------------------------------------------------------------------------


def test_withdrawing_ends_access_at_once_and_tells_every_member_of_the_employer(
    candidate, django_capture_on_commit_callbacks
):
    profile = FullCandidateProfileFactory(user=candidate)
    grant = ContactShareGrantFactory(candidate=candidate)
    members = [admin_of(grant.employer), recruiter_of(grant.employer), recruiter_of(grant.employer)]
    bystander = recruiter_of(EmployerWithAgreementFactory())
    recruiter = signed_in(members[1])
    page = reverse("consents:employer_candidate", args=[profile.pk])
    assert recruiter.get(page).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(candidate).post(reverse("consents:grant_withdraw", args=[grant.pk]))
    assert response.status_code == 302

    assert recruiter.get(page).status_code == 404
    grant.refresh_from_db()
    assert grant.end_reason == ShareGrant.EndReason.WITHDRAWN and not grant.is_active
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)
    assert bystander.email not in {m.to[0] for m in mail.outbox}
    for message in mail.outbox:
        assert "Data Use Agreement" in message.body
        assert "delete any copies" in message.body


def test_a_suspended_or_deactivated_member_is_not_told_whose_data_to_stop_using(
    candidate, django_capture_on_commit_callbacks
):
    """The notice names the candidate: it goes to the members who may still
    read about candidates, not to one suspended by staff or switched off."""
    FullCandidateProfileFactory(user=candidate)
    grant = ContactShareGrantFactory(candidate=candidate)
    working = recruiter_of(grant.employer)
    suspended = recruiter_of(grant.employer, user__screening="suspended")
    switched_off = recruiter_of(grant.employer, user__is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        signed_in(candidate).post(reverse("consents:grant_withdraw", args=[grant.pk]))

    told = {m.to[0] for m in mail.outbox}
    assert working.email in told
    assert not {suspended.email, switched_off.email} & told


def test_a_candidate_cannot_withdraw_someone_elses_grant(candidate, other_candidate):
    grant = ShareGrantFactory(candidate=candidate)
    response = signed_in(other_candidate).post(reverse("consents:grant_withdraw", args=[grant.pk]))
    assert response.status_code == 404
    grant.refresh_from_db()
    assert grant.is_active


def test_withdrawing_needs_a_post(candidate):
    grant = ShareGrantFactory(candidate=candidate)
    assert signed_in(candidate).get(reverse("consents:grant_withdraw", args=[grant.pk])).status_code == 405
    grant.refresh_from_db()
    assert grant.is_active


# --- Expiry reminders -------------------------------------------------------------------


def _ending_in(days: float, **kwargs) -> ShareGrant:
    grant = ShareGrantFactory(**kwargs)
    ShareGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() + timedelta(days=days))
    grant.refresh_from_db()
    return grant


def test_the_expiry_reminder_goes_once_per_grant_ending_soon(settings, django_capture_on_commit_callbacks):
    settings.TSUNAGU_GRANT_REMINDER_DAYS = 14
    soon = _ending_in(10, candidate=CandidateFactory(email="soon@example.test"))
    _ending_in(30, candidate=CandidateFactory(email="later@example.test"))
    withdrawn = _ending_in(5, candidate=CandidateFactory(email="withdrawn@example.test"))
    services.share_grant_withdraw(actor=withdrawn.candidate, grant=withdrawn)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.share_grant_reminders_send() == 1
    [reminder] = mail.outbox
    assert reminder.to == ["soon@example.test"]
    assert soon.employer.legal_name in reminder.subject
    assert f"{timezone.localdate(soon.expires_at):%Y-%m-%d}" in reminder.body

    with django_capture_on_commit_callbacks(execute=True):
        assert services.share_grant_reminders_send() == 0
    assert len(mail.outbox) == 1


def test_the_reminder_window_is_configurable(settings, django_capture_on_commit_callbacks):
    settings.TSUNAGU_GRANT_REMINDER_DAYS = 40
    _ending_in(30)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.share_grant_reminders_send() == 1
    assert len(mail.outbox) == 1


# --- One grant however often the button is pressed --------------------------------------


def test_a_double_submit_makes_one_grant_one_row_and_one_receipt(
    candidate, employer, django_capture_on_commit_callbacks
):
    client = signed_in(candidate)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            assert client.post(screen(employer), {"agree": "on", "include_contact": "on"}).status_code == 302
    assert ShareGrant.objects.count() == 1
    assert ConsentEvent.objects.filter(kind=ConsentKind.SHARE).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks to race on")
@pytest.mark.django_db(transaction=True)  # reference data: tests/conftest.py _reference_data
def test_two_simultaneous_submits_make_one_grant():
    candidate = CandidateFactory()
    employer = EmployerWithAgreementFactory()
    clients = [signed_in(candidate), signed_in(candidate)]

    statuses = at_once(
        lambda: clients.pop().post(screen(employer), {"agree": "on", "include_contact": "on"}).status_code
    )

    assert statuses == [302, 302]
    assert ShareGrant.objects.filter(candidate=candidate).count() == 1
    assert ConsentEvent.objects.filter(kind=ConsentKind.SHARE).count() == 1
    assert len(mail.outbox) == 1  # one receipt

"""Withdrawing membership (PRODUCT §7; APPI Art. 35, GDPR Art. 17, CCPA
delete): after re-authentication by an emailed code, the account and profile
are deleted, every grant is withdrawn and its employer told, pending mail is
cancelled, and only what the law makes us keep stays, naming nobody."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from consents.models import (
    AccessRecord,
    ConsentEvent,
    ConsentSubject,
    CookieConsent,
    EmailPurposeConsent,
    FieldGroup,
    PolicyAcceptance,
    ProcessingRestriction,
    ShareGrant,
)
from consents.privacy.models import DataExport
from consents.selectors import access_records_of, ledger_of
from matching.models import Application, ApplicationNote, Proposal
from outbox import delivery
from outbox.models import OutboundEmail
from profiles.models import CandidateProfile
from tests.consents.privacy.privacy_factories import (
    CANDIDATE_PASSPORT_NAME,
    EMPLOYER_NAME,
    NOTE_ABOUT_CANDIDATE,
    NOTE_ABOUT_OTHER,
    OTHER_PASSPORT_NAME,
    employer_with_agreement,
    notice,
    one_of_each,
    other_candidate_user,
)

pytestmark = pytest.mark.django_db

WITHDRAW = "privacy:withdraw"
CODE = re.compile(r"\b(\d{6})\b")
WITHDRAWAL_NOTICE = "A candidate withdrew access to their profile"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask_for_code(client: Client, user: User) -> str:
    response = client.post(reverse(WITHDRAW), {"action": "send_code"})
    assert response.status_code == 200
    assert "We emailed you a 6-digit code" in response.content.decode()
    email = OutboundEmail.objects.filter(to_email=user.email, subject__contains="code to delete").latest("pk")
    # The stored text hides the code; the message handed to the provider has it.
    assert not CODE.search(email.body_text)
    return CODE.search(delivery.build_message(email).body).group(1)


def confirm(client: Client, code: str):
    return client.post(reverse(WITHDRAW), {"action": "confirm", "code": code})


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


@pytest.fixture
def world(candidate):
    return one_of_each(candidate, other_candidate_user())


# --- Before the code ----------------------------------------------------------------------


def test_the_page_says_what_is_deleted_and_what_the_law_makes_us_keep(candidate):
    page = signed_in(candidate).get(reverse(WITHDRAW)).content.decode()
    assert "What we delete" in page and "What the law makes us keep" in page
    for deleted in ("your profile, with your photo", "Your email preferences, cookie choices", "Employers' notes"):
        assert deleted in page
    assert "Emails not yet sent to you are cancelled" in page
    assert "records of who viewed your data" in page and "3 years, without your name" in page
    assert "The record of the consents you gave and withdrew" in page
    assert "This cannot be undone" in page


def test_confirming_without_asking_for_a_code_deletes_nothing(candidate):
    client = signed_in(candidate)
    response = confirm(client, "123456")
    assert response.status_code == 302 and response["Location"] == reverse(WITHDRAW)
    assert "The code has expired" in client.get(reverse(WITHDRAW)).content.decode()
    assert User.objects.filter(pk=candidate.pk).exists()


def test_a_wrong_code_deletes_nothing(candidate):
    client = signed_in(candidate)
    code = ask_for_code(client, candidate)
    response = confirm(client, wrong(code))
    assert response.status_code == 400
    assert "This code is not right" in response.content.decode()
    assert User.objects.filter(pk=candidate.pk).exists()
    for malformed in ("", "12345", "abcdef", "1234567"):
        assert confirm(client, malformed).status_code == 400
    assert User.objects.filter(pk=candidate.pk).exists()


def test_the_code_works_for_10_minutes_only(candidate):
    client = signed_in(candidate)
    code = ask_for_code(client, candidate)
    later = timezone.now() + timedelta(minutes=10, seconds=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = confirm(client, code)
    assert response.status_code == 302 and response["Location"] == reverse(WITHDRAW)
    assert User.objects.filter(pk=candidate.pk).exists()
    # The expired code is spent: it does not work later either.
    assert confirm(client, code).status_code == 302
    assert User.objects.filter(pk=candidate.pk).exists()


def test_after_six_wrong_codes_even_the_right_one_is_refused(candidate):
    client = signed_in(candidate)
    code = ask_for_code(client, candidate)
    for _attempt in range(6):
        confirm(client, wrong(code))
        assert User.objects.filter(pk=candidate.pk).exists()
    response = confirm(client, code)
    assert response.status_code == 302 and response["Location"] == reverse(WITHDRAW)
    assert User.objects.filter(pk=candidate.pk).exists()
    # A new code starts afresh.
    assert confirm(client, ask_for_code(client, candidate)).status_code == 302
    assert not User.objects.filter(pk=candidate.pk).exists()


def test_only_the_latest_code_counts(candidate):
    client = signed_in(candidate)
    first = ask_for_code(client, candidate)
    second = ask_for_code(client, candidate)
    if first != second:
        assert confirm(client, first).status_code == 400
        assert User.objects.filter(pk=candidate.pk).exists()
    assert confirm(client, second)["Location"] == reverse("privacy:goodbye")


# --- With the code -------------------------------------------------------------------------


@pytest.fixture
def before(world):
    """The world, plus a second employer with a direct grant, mail already
    sent to the person, and what the test compares after erasure."""
    from consents import services

    second = employer_with_agreement(legal_name="Kyoto Ryokan KK", admin_name="Ono Aki", recruiter_name="Ueda Jun")
    services.share_grant_give(
        candidate=world.candidate, employer=second.employer, groups={FieldGroup.CORE}, notice=notice()
    )
    sent = OutboundEmail.objects.create(
        recipient=world.candidate,
        to_email=world.candidate.email,
        subject="Welcome to Tsunagu",
        body_text="Hello",
        state=OutboundEmail.State.SENT,
        sent_at=timezone.now(),
    )
    candidate = world.candidate
    key = ConsentSubject.objects.get(user=candidate).key
    return {
        "world": world,
        "second": second,
        "sent": sent,
        "key": key,
        "profile_pk": world.profile.pk,
        "photo_files": [world.profile.photo.name, world.profile.photo_thumbnail.name],
        "active_grants": list(ShareGrant.objects.filter(candidate=candidate, ended_at__isnull=True)),
        "queued": list(
            OutboundEmail.objects.filter(recipient=candidate, state=OutboundEmail.State.QUEUED).values_list(
                "pk", flat=True
            )
        ),
        "access_records": AccessRecord.objects.filter(subject_key=key).count(),
        "ledger": ConsentEvent.objects.filter(subject_key=key).count(),
    }


def erase(world) -> None:
    client = signed_in(world.candidate)
    response = confirm(client, ask_for_code(client, world.candidate))
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:goodbye")
    goodbye = client.get(response["Location"])
    assert "Your account is deleted" in goodbye.content.decode()
    # Signed out: the privacy centre asks to sign in.
    assert client.get(reverse("privacy:centre"))["Location"].startswith(reverse("account_login"))


def test_the_account_profile_photo_and_preferences_are_gone(before):
    world = before["world"]
    candidate = world.candidate
    assert all(default_storage.exists(name) for name in before["photo_files"])
    assert EmailPurposeConsent.objects.filter(user=candidate).exists()
    assert CookieConsent.objects.filter(user=candidate).exists()

    erase(world)

    assert not User.objects.filter(pk=candidate.pk).exists()
    assert not User.objects.filter(email=candidate.email).exists()
    assert not CandidateProfile.objects.filter(pk=before["profile_pk"]).exists()
    assert not any(default_storage.exists(name) for name in before["photo_files"])
    assert not EmailPurposeConsent.objects.filter(user_id=candidate.pk).exists()
    assert not CookieConsent.objects.filter(user_id=candidate.pk).exists()
    assert not PolicyAcceptance.objects.filter(user_id=candidate.pk).exists()
    assert not ProcessingRestriction.objects.filter(user_id=candidate.pk).exists()
    assert not Proposal.objects.filter(pk=world.proposal.pk).exists()


def test_every_grant_is_withdrawn_in_the_ledger_and_every_employer_member_is_told(before):
    world, second = before["world"], before["second"]
    grants = before["active_grants"]
    assert len(grants) == 2

    erase(world)

    withdrawals = ConsentEvent.objects.filter(subject_key=before["key"], kind="share", event="withdraw")
    assert sorted(withdrawals.values_list("grant_id", flat=True)) == sorted(g.pk for g in grants)
    for member in (world.side.admin, world.side.recruiter, second.admin, second.recruiter):
        told = OutboundEmail.objects.filter(recipient=member, subject=WITHDRAWAL_NOTICE)
        assert told.count() == 1, member.email
        assert "delete any copies" in told.get().body_text


def test_mail_not_yet_sent_is_cancelled_and_sent_mail_keeps_its_record(before):
    queued = before["queued"]
    assert queued
    erase(before["world"])
    states = set(OutboundEmail.objects.filter(pk__in=queued).values_list("state", flat=True))
    assert states == {OutboundEmail.State.CANCELLED}
    before["sent"].refresh_from_db()
    assert before["sent"].state == OutboundEmail.State.SENT
    assert before["sent"].recipient_id is None


def test_applications_stay_without_the_person_and_notes_about_them_are_deleted(before):
    world = before["world"]
    erase(world)
    application = Application.objects.get(pk=world.application.pk)
    assert application.candidate_id is None
    assert application.anonymised_at is not None
    assert application.state == "interview"
    assert not ApplicationNote.objects.filter(application=application).exists()
    assert not ApplicationNote.objects.filter(body=NOTE_ABOUT_CANDIDATE).exists()
    # The other candidate's application and the note about them are untouched.
    other = Application.objects.get(pk=world.other_application.pk)
    assert other.candidate_id == world.other.pk and other.anonymised_at is None
    assert list(other.notes.values_list("body", flat=True)) == [NOTE_ABOUT_OTHER]
    assert ShareGrant.objects.filter(candidate=world.other, ended_at__isnull=True).count() == 1


def test_access_records_and_the_ledger_stay_but_name_nobody(before):
    erase(before["world"])
    key = before["key"]
    assert not ConsentSubject.objects.filter(key=key).exists()
    assert AccessRecord.objects.filter(subject_key=key).count() == before["access_records"]
    withdrawn = len(before["active_grants"])
    assert ConsentEvent.objects.filter(subject_key=key).count() == before["ledger"] + withdrawn


def employer_pages(world, client: Client) -> dict[str, str]:
    pages = {
        "candidates": client.get(reverse("consents:employer_candidates")),
        "opening": client.get(reverse("matching:employer_opening", args=[world.opening.pk])),
        "application": client.get(reverse("matching:employer_application", args=[world.application.pk])),
    }
    assert all(r.status_code == 200 for r in pages.values()), {k: r.status_code for k, r in pages.items()}
    return {name: response.content.decode() for name, response in pages.items()}


def test_the_employer_can_no_longer_find_the_candidate_on_any_page(before):
    world = before["world"]
    client = signed_in(world.side.recruiter)
    shown = employer_pages(world, client)
    assert CANDIDATE_PASSPORT_NAME in shown["candidates"] and CANDIDATE_PASSPORT_NAME in shown["opening"]
    assert CANDIDATE_PASSPORT_NAME in shown["application"] and NOTE_ABOUT_CANDIDATE in shown["application"]
    assert client.get(reverse("consents:employer_candidate", args=[world.profile.pk])).status_code == 200

    erase(world)

    after = employer_pages(world, client)
    personal = [
        CANDIDATE_PASSPORT_NAME,
        "グエン・ティ・ラン",
        world.candidate.email,
        world.candidate.full_name,
        "+819012345678",
        NOTE_ABOUT_CANDIDATE,
    ]
    for name, page in after.items():
        for value in personal:
            assert value not in page, f"{value!r} still on the employer's {name} page"
    assert OTHER_PASSPORT_NAME in after["candidates"] and OTHER_PASSPORT_NAME in after["opening"]
    assert client.get(reverse("consents:employer_candidate", args=[world.profile.pk])).status_code == 404
    assert client.get(reverse("consents:employer_candidate_photo", args=[world.profile.pk, "thumb"])).status_code == 404


def test_signing_up_again_with_the_same_email_starts_from_nothing(before, django_capture_on_commit_callbacks):
    world = before["world"]
    old_pk, email = world.candidate.pk, world.candidate.email
    erase(world)

    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(reverse("account_signup"), {"email": email, "accept_policies": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]

    fresh = User.objects.get(email=email)
    assert fresh.pk != old_pk
    assert fresh.is_candidate
    assert not CandidateProfile.objects.filter(user=fresh).exists()
    assert not ShareGrant.objects.filter(candidate=fresh).exists()
    assert not Application.objects.filter(candidate=fresh).exists()
    assert not DataExport.objects.filter(user=fresh).exists()
    assert not access_records_of(fresh).exists()
    assert ConsentSubject.objects.get(user=fresh).key != before["key"]
    assert set(ledger_of(fresh).values_list("kind", flat=True)) == {"policy"}
    assert not Application.objects.filter(pk=world.application.pk, candidate__isnull=False).exists()


def test_archives_prepared_before_are_deleted_with_their_files(before, django_capture_on_commit_callbacks):
    world = before["world"]
    client = signed_in(world.candidate)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:export_start"))
    export = DataExport.objects.get(user=world.candidate)
    assert export.state == DataExport.State.READY and default_storage.exists(export.file.name)
    erase(world)
    assert not DataExport.objects.filter(pk=export.pk).exists()
    assert not default_storage.exists(export.file.name)


def test_mail_written_to_the_person_keeps_only_the_record_of_sending(before):
    """What we wrote to the person (their applications, the employers'
    names) goes with the account: otherwise their address would still tie
    them to the applications kept without their name. The row (to, when,
    state) stays as the record of sending."""
    world = before["world"]
    email = world.candidate.email
    assert OutboundEmail.objects.filter(to_email=email, subject__contains=EMPLOYER_NAME).exists()
    erase(world)
    rows = OutboundEmail.objects.filter(to_email=email)
    assert rows.count() >= len(before["queued"]) + 1
    for row in rows:
        assert (row.subject, row.body_text, row.body_html, row.template_model) == ("", "", "", {}), row.pk
        assert row.created_at and row.state

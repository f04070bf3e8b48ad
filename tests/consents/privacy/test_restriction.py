"""Restriction of use (APPI Art. 35 suspension of use, GDPR Art. 18): while
it lasts the candidate is hidden from every employer page and from matching
and gets no purpose mail, and their data is kept; lifting it restores all."""

import pytest
from django.test import Client
from django.urls import reverse

from consents.campaigns.emails import CAMPAIGN
from consents.campaigns.services import audience
from consents.models import (
    AccessRecord,
    EmailPurpose,
    EmailPurposeConsent,
    FieldGroup,
    ProcessingRestriction,
    ShareGrant,
)
from consents.selectors import may_send_purpose
from consents.services import purpose_consents_set, subject_key_for
from matching.engine import rank_candidates
from matching.models import Application
from outbox import delivery
from outbox import services as outbox
from outbox.models import OutboundEmail
from profiles.models import CandidateProfile
from tests.consents.privacy.privacy_factories import (
    CANDIDATE_PASSPORT_NAME,
    NOTE_ABOUT_CANDIDATE,
    OTHER_PASSPORT_NAME,
    apply,
    employer_with_agreement,
    filled_profile,
    note,
    open_opening,
    other_candidate_user,
)

pytestmark = pytest.mark.django_db

JOBS = EmailPurpose.JOB_OPENINGS


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def setting(candidate):
    """The candidate applied (contact details and photo shared) to an opening
    of an employer that also sees another candidate, and opted in to job mail."""
    side = employer_with_agreement(legal_name="Osaka Foods KK", admin_name="Kato Yui", recruiter_name="Mori Ken")
    opening = open_opening(side, title="Prep cook", sponsorship=True)
    profile = filled_profile(candidate, name_passport=CANDIDATE_PASSPORT_NAME, photo=True)
    filled_profile(other_candidate_user(), name_passport=OTHER_PASSPORT_NAME)
    other = CandidateProfile.objects.get(name_passport=OTHER_PASSPORT_NAME)
    application = apply(candidate, opening, groups=(FieldGroup.CONTACT, FieldGroup.PHOTO))
    apply(other.user, opening)
    note(side, application, NOTE_ABOUT_CANDIDATE)
    purpose_consents_set(actor=candidate, user=candidate, choices={JOBS: True}, language="en")
    return {"side": side, "opening": opening, "profile": profile, "application": application, "other": other}


def employer_sees(setting) -> dict:
    """What the recruiter finds about the candidate on each employer page."""
    client = signed_in(setting["side"].recruiter)
    profile = setting["profile"]
    candidates = client.get(reverse("consents:employer_candidates")).content.decode()
    opening = client.get(reverse("matching:employer_opening", args=[setting["opening"].pk])).content.decode()
    application = client.get(reverse("matching:employer_application", args=[setting["application"].pk]))
    assert application.status_code == 200
    application = application.content.decode()
    detail = client.get(reverse("consents:employer_candidate", args=[profile.pk]))
    photo = client.get(reverse("consents:employer_candidate_photo", args=[profile.pk, "thumb"]))
    return {
        "in the list": CANDIDATE_PASSPORT_NAME in candidates,
        "others still listed": OTHER_PASSPORT_NAME in candidates and OTHER_PASSPORT_NAME in opening,
        "on the opening": CANDIDATE_PASSPORT_NAME in opening,
        "on the application": any(
            value in application
            for value in (CANDIDATE_PASSPORT_NAME, profile.user.email, "+819012345678", NOTE_ABOUT_CANDIDATE)
        ),
        "profile page": detail.status_code,
        "photo": photo.status_code,
    }


VISIBLE = {
    "in the list": True,
    "others still listed": True,
    "on the opening": True,
    "on the application": True,
    "profile page": 200,
    "photo": 200,
}
HIDDEN = {
    "in the list": False,
    "others still listed": True,
    "on the opening": False,
    "on the application": False,
    "profile page": 404,
    "photo": 404,
}


def matched(setting) -> bool:
    opening = setting["opening"]
    pk = setting["profile"].pk
    return (
        rank_candidates(opening).filter(pk=pk).exists()
        or rank_candidates(opening, eligible_only=False).filter(pk=pk).exists()
    )


def mailed(candidate) -> bool:
    return may_send_purpose(candidate, JOBS) or audience(JOBS).filter(pk=candidate.pk).exists()


def restrict(candidate):
    response = signed_in(candidate).post(reverse("privacy:restriction"), {"action": "start"}, follow=True)
    assert "Use of your data is restricted" in response.content.decode()


def lift(candidate):
    response = signed_in(candidate).post(reverse("privacy:restriction"), {"action": "lift"}, follow=True)
    assert "Restriction lifted" in response.content.decode()


def test_restricting_hides_the_candidate_from_employers_matching_and_purpose_mail(candidate, setting):
    assert employer_sees(setting) == VISIBLE
    assert matched(setting) and mailed(candidate)

    restrict(candidate)

    about_them = AccessRecord.objects.filter(subject_key=subject_key_for(candidate))
    records = about_them.count()
    assert employer_sees(setting) == HIDDEN
    assert about_them.count() == records, "a hidden profile was recorded as seen"
    assert not matched(setting)
    assert not may_send_purpose(candidate, JOBS)
    assert not audience(JOBS).filter(pk=candidate.pk).exists()


def test_purpose_mail_queued_before_the_restriction_is_not_delivered(candidate, setting):
    email = outbox.enqueue(
        kind=CAMPAIGN,
        to_email=candidate.email,
        recipient=candidate,
        subject="New openings this week",
        body_text="...",
        stream=OutboundEmail.Stream.BROADCAST,
        purpose=JOBS,
    )
    restrict(candidate)
    delivery.deliver(email.pk)
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.SUPPRESSED
    assert email.sent_at is None


def test_the_data_is_kept_while_restricted(candidate, setting):
    restrict(candidate)
    profile = CandidateProfile.objects.get(pk=setting["profile"].pk)
    assert profile.name_passport == CANDIDATE_PASSPORT_NAME and profile.photo
    assert ShareGrant.objects.filter(candidate=candidate, ended_at__isnull=True).count() == 1
    assert Application.objects.get(pk=setting["application"].pk).candidate == candidate
    assert setting["application"].notes.filter(body=NOTE_ABOUT_CANDIDATE).exists()
    assert EmailPurposeConsent.objects.get(user=candidate, purpose=JOBS).granted
    page = signed_in(candidate).get(reverse("privacy:centre")).content.decode()
    assert "Restricted: no employer sees you" in page and "Lift the restriction" in page


def test_lifting_the_restriction_restores_visibility(candidate, setting):
    restrict(candidate)
    lift(candidate)
    assert employer_sees(setting) == VISIBLE
    assert matched(setting) and mailed(candidate)
    restriction = ProcessingRestriction.objects.get(user=candidate)
    assert restriction.lifted_at is not None


def test_restricting_twice_keeps_one_restriction(candidate, setting):
    restrict(candidate)
    restrict(candidate)
    assert ProcessingRestriction.objects.filter(user=candidate, lifted_at__isnull=True).count() == 1
    lift(candidate)
    assert not ProcessingRestriction.objects.filter(user=candidate, lifted_at__isnull=True).exists()
    restrict(candidate)
    assert ProcessingRestriction.objects.filter(user=candidate).count() == 2
    assert employer_sees(setting) == HIDDEN

"""Registration screening: staff suspend or refuse an account with a
reason; the person is told; from their next request no employer sees them;
they keep their data and an appeal through the contact desk; every decision
is in their data export."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.exports import section as account_section
from accounts.models import ScreeningDecision
from accounts.services import account_reinstate, account_screen
from consents.models import EmailPurpose
from consents.selectors import purpose_audience
from consents.services import purpose_consents_set
from outbox.models import OutboundEmail

pytestmark = pytest.mark.django_db


def screen(actor, person, decision="suspended", reason="Your profile names another person's passport."):
    return account_screen(actor=actor, user=person, decision=decision, reason=reason)


def test_the_employer_loses_sight_of_the_candidate_on_the_next_request(
    employer_with_grant, candidate, candidate_profile, coordinator, persona_client
):
    recruiter = persona_client("employer_with_grant")
    page = reverse("consents:employer_candidate", args=[candidate_profile.pk])
    assert recruiter.get(page).status_code == 200
    screen(coordinator, candidate)
    assert recruiter.get(page).status_code == 404
    listing = recruiter.get(reverse("consents:employer_candidates")).content.decode()
    assert page not in listing
    account_reinstate(actor=coordinator, user=candidate, reason="Appeal upheld.")
    assert recruiter.get(page).status_code == 200


def test_the_person_is_told_the_reason_and_how_to_appeal(candidate, coordinator):
    screen(coordinator, candidate, decision="refused", reason="We could not verify your email address.")
    email = OutboundEmail.objects.get(recipient=candidate, kind="accounts.screening_decision")
    assert "We could not accept your registration" in email.body_text
    assert "We could not verify your email address." in email.body_text
    assert "/en/contact/?topic=appeal" in email.body_text


def test_a_screened_person_reaches_only_the_notice_their_data_and_the_contact_desk(candidate, support, persona_client):
    screen(support, candidate)
    client = persona_client("candidate")
    for path in (
        reverse("profiles:overview"),
        reverse("matching:my_applications"),
        reverse("consents:share_with_employer", args=[1]),  # sharing anew waits; withdrawing does not
        reverse("accounts:dashboard"),
    ):
        response = client.get(path)
        assert response.status_code == 302 and response.url == reverse("accounts:screening_notice"), path
    notice = client.get(reverse("accounts:screening_notice")).content.decode()
    assert "Your use of Tsunagu is suspended." in notice and "another person&#x27;s passport" in notice
    for name in ("privacy:centre", "contact:contact", "consents:email_preferences"):
        assert client.get(reverse(name)).status_code == 200, name
    response = client.post(
        reverse("contact:contact"), {"name": "Lan", "topic": "appeal", "message": "It is my own passport."}
    )
    assert response.status_code == 302
    inquiry = candidate.inquiries.get()
    assert inquiry.topic == "appeal"
    # The desk links the appeal to the decision, for those who may decide.
    desk = persona_client("support").get(reverse("contact:staff_inquiry", args=[inquiry.pk])).content.decode()
    assert reverse("accounts:staff_account_screen", args=[candidate.pk]) in desk


def test_screened_candidates_get_no_purpose_mail(candidate, coordinator):
    purpose_consents_set(actor=candidate, user=candidate, choices={EmailPurpose.JOB_OPENINGS: True}, language="en")
    assert purpose_audience(EmailPurpose.JOB_OPENINGS).filter(pk=candidate.pk).exists()
    screen(coordinator, candidate)
    assert not purpose_audience(EmailPurpose.JOB_OPENINGS).filter(pk=candidate.pk).exists()


def test_every_decision_is_recorded_and_in_the_data_export(candidate, coordinator):
    screen(coordinator, candidate)
    account_reinstate(actor=coordinator, user=candidate, reason="Checked again: all fine.")
    screen(coordinator, candidate, decision="refused", reason="Second reason.")
    _name, data = account_section(candidate)
    decisions = data["screening_decisions"]
    assert [d["decision"] for d in decisions] == ["refused", "suspended"]
    assert decisions[1]["lift_reason"] == "Checked again: all fine."
    assert "decided_by" not in decisions[0]
    assert ScreeningDecision.objects.in_force().get(user=candidate).decision == "refused"


def test_staff_screen_through_the_page_with_a_reason(candidate, persona_client):
    client = persona_client("support")
    page = reverse("accounts:staff_account_screen", args=[candidate.pk])
    assert client.post(page, {"decision": "suspended", "reason": ""}).status_code == 400
    assert client.post(page, {"decision": "suspended", "reason": "ミャンマー語: ဆိုင်းငံ့ထားသည်"}).status_code == 302
    candidate.refresh_from_db()
    assert candidate.screening == "suspended"
    listing = client.get(reverse("accounts:staff_screening"), {"q": candidate.email}).content.decode()
    assert page in listing


def test_who_may_screen_and_who_may_be_screened(candidate, coordinator, privacy_officer, support):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        screen(privacy_officer, candidate)
    with pytest.raises(ValidationError):
        screen(coordinator, support)
    with pytest.raises(ValidationError):
        account_screen(actor=coordinator, user=candidate, decision="banished", reason="x")
    assert mail.outbox == []


def test_every_look_at_a_candidates_account_while_screening_is_in_their_access_log(
    candidate, other_candidate, employer_admin, persona_client
):
    """Issue 10: every look at a candidate is recorded. Finding an account,
    opening it and recording a decision each show staff the email address:
    the candidate reads it in "who viewed my profile", in their language;
    the list of decisions in force names no one, and an employer member's
    account is not a candidate's data."""
    from consents.models import AccessRecord, FieldGroup
    from consents.selectors import access_records_of

    staff = persona_client("support")
    staff.get(reverse("accounts:staff_screening"), {"q": candidate.email.upper()})
    page = reverse("accounts:staff_account_screen", args=[candidate.pk])
    staff.get(page)
    staff.post(page, {"decision": "suspended", "reason": "Two accounts with one passport."})
    staff.get(reverse("accounts:staff_account_screen", args=[employer_admin.pk]))

    looks = list(access_records_of(candidate))
    assert len(looks) == 2  # found, opened (recording the decision redirects to a new look)
    assert {(r.viewer_kind, tuple(r.field_groups)) for r in looks} == {("staff", (FieldGroup.CONTACT,))}
    assert not access_records_of(other_candidate).exists()
    assert AccessRecord.objects.count() == 2  # none for the employer member

    listing = staff.get(reverse("accounts:staff_screening")).content.decode()
    assert f"#{candidate.pk}" in listing and candidate.email not in listing
    assert AccessRecord.objects.count() == 2

    candidate.language = "ja"
    candidate.save(update_fields=["language"])
    own = persona_client("candidate")
    log = own.get(reverse("consents:access_log").replace("/en/", "/ja/")).content.decode()
    assert "登録審査：利用停止または登録拒否を判断するためのアカウント確認" in log


def test_a_screened_candidate_still_sees_who_has_and_who_viewed_their_profile_and_may_withdraw(
    candidate, coordinator, persona_client
):
    """Knowing who saw one's data, and withdrawing a share, are rights that
    do not pause with the account (APPI Art. 33(5), Art. 35)."""
    screen(coordinator, candidate)
    own = persona_client("candidate")
    notice = own.get(reverse("accounts:screening_notice")).content.decode()
    for name in ("consents:sharing", "consents:access_log", "consents:my_consents"):
        assert reverse(name) in notice
        assert own.get(reverse(name)).status_code == 200, name
    assert own.get(reverse("matching:board")).status_code == 302  # the service itself stays closed

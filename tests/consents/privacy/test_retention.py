"""Retention (PRODUCT §7, TSUNAGU_RETENTION): nothing is kept longer than
its period, and nothing the law makes us keep is deleted before its time.
Time travels through `apply_retention(now=...)`, and through a shifted
clock where a person signs in."""

import io
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from consents.models import AccessRecord, ConsentEvent, ShareGrant
from consents.privacy import services as privacy
from consents.privacy.models import DataExport, PrivacyRequest
from consents.privacy.retention import apply_retention
from matching import services as matching
from matching.models import Application, ApplicationEvent, ApplicationNote
from outbox.models import OutboundEmail
from tests.accounts.factories import CandidateFactory, EmployerMemberFactory, StaffFactory
from tests.consents.privacy.privacy_factories import (
    apply,
    employer_with_agreement,
    filled_profile,
    note,
    open_opening,
)

pytestmark = pytest.mark.django_db

WARNING = "Your Tsunagu account will be deleted unless you sign in"
WARN_DAYS = 3 * 365
GRACE_DAYS = 30


def warnings_to(user: User) -> int:
    return OutboundEmail.objects.filter(to_email=user.email, subject=WARNING).count()


def signs_in(user: User, at: datetime) -> None:
    """The person signs in at `at` (Django records last_login on sign-in)."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        Client().force_login(user)
    user.refresh_from_db()


def inactive_candidate(email: str, *, last_seen: datetime | None, joined: datetime | None = None) -> User:
    user = CandidateFactory(email=email)
    User.objects.filter(pk=user.pk).update(last_login=last_seen, date_joined=joined or last_seen or timezone.now())
    user.refresh_from_db()
    return user


# --- Inactive accounts -------------------------------------------------------------------------


def test_inactive_candidates_are_warned_once_after_the_warning_period():
    now = timezone.now()
    old = inactive_candidate("old@example.test", last_seen=now - timedelta(days=WARN_DAYS + 1))
    never = inactive_candidate("never@example.test", last_seen=None, joined=now - timedelta(days=WARN_DAYS + 1))
    recent = inactive_candidate("recent@example.test", last_seen=now - timedelta(days=WARN_DAYS - 1))
    new = inactive_candidate("new@example.test", last_seen=None, joined=now - timedelta(days=10))
    staff = StaffFactory(email="old.staff@tsunagu.test")
    recruiter = EmployerMemberFactory(user__email="old.recruiter@employer.test").user
    User.objects.filter(pk__in=[staff.pk, recruiter.pk]).update(last_login=now - timedelta(days=WARN_DAYS + 100))

    result = apply_retention(now=now)

    assert result["inactive_accounts_warned"] == 2
    for user in (old, never):
        user.refresh_from_db()
        assert user.inactivity_warned_at == now
        assert warnings_to(user) == 1
        body = OutboundEmail.objects.get(to_email=user.email, subject=WARNING).body_text
        assert f"within {GRACE_DAYS} days" in body
    for user in (recent, new, staff, recruiter):
        user.refresh_from_db()
        assert user.inactivity_warned_at is None and warnings_to(user) == 0

    apply_retention(now=now + timedelta(days=1))
    assert warnings_to(old) == 1 and warnings_to(never) == 1


def test_a_warned_account_is_deleted_after_the_grace_period_like_a_withdrawal():
    now = timezone.now()
    user = inactive_candidate("gone@example.test", last_seen=now - timedelta(days=WARN_DAYS + 1))
    filled_profile(user, name_passport="LE VAN GONE")
    side = employer_with_agreement(legal_name="Nagoya Parts KK", admin_name="Abe Rin", recruiter_name="Goto Sho")
    application = apply(user, open_opening(side, title="Assembly"))
    grant_id = application.grant_id

    apply_retention(now=now)
    assert apply_retention(now=now + timedelta(days=GRACE_DAYS - 1))["inactive_accounts_deleted"] == 0
    assert User.objects.filter(pk=user.pk).exists()

    result = apply_retention(now=now + timedelta(days=GRACE_DAYS + 1))

    assert result["inactive_accounts_deleted"] == 1
    assert not User.objects.filter(pk=user.pk).exists()
    application.refresh_from_db()
    assert application.candidate_id is None and application.anonymised_at is not None
    assert ConsentEvent.objects.filter(grant_id=grant_id, event="withdraw").count() == 1
    for member in (side.admin, side.recruiter):
        assert OutboundEmail.objects.filter(
            recipient=member, subject="A candidate withdrew access to their profile"
        ).exists()


def test_signing_in_after_the_warning_keeps_the_account():
    now = timezone.now()
    user = inactive_candidate("back@example.test", last_seen=now - timedelta(days=WARN_DAYS + 1))
    apply_retention(now=now)
    signs_in(user, now + timedelta(days=5))

    apply_retention(now=now + timedelta(days=GRACE_DAYS + 1))
    assert User.objects.filter(pk=user.pk).exists()


def test_an_account_that_came_back_is_warned_and_deleted_again_when_inactive_again():
    """Coming back once after a warning does not keep an account forever."""
    now = timezone.now()
    user = inactive_candidate("twice@example.test", last_seen=now - timedelta(days=WARN_DAYS + 1))
    apply_retention(now=now)
    came_back = now + timedelta(days=5)
    signs_in(user, came_back)
    apply_retention(now=now + timedelta(days=GRACE_DAYS + 1))

    later = came_back + timedelta(days=WARN_DAYS + 1)
    apply_retention(now=later)
    user.refresh_from_db()
    assert warnings_to(user) == 2
    assert user.inactivity_warned_at == later

    apply_retention(now=later + timedelta(days=GRACE_DAYS + 1))
    assert not User.objects.filter(pk=user.pk).exists()


# --- Applications ------------------------------------------------------------------------------------


def test_closed_applications_are_deleted_after_their_period_and_open_ones_are_kept(candidate, other_candidate):
    side = employer_with_agreement(legal_name="Sendai Care KK", admin_name="Ito Mei", recruiter_name="Kudo Taro")
    opening = open_opening(side, title="Care assistant")
    filled_profile(candidate, name_passport="CLOSED ONE")
    filled_profile(other_candidate, name_passport="OPEN ONE")
    closed = apply(candidate, opening)
    note(side, closed, "Not this time.")
    matching.application_move(actor=side.admin, application=closed, to_state="not_selected")
    still_open = apply(other_candidate, opening)
    Application.objects.filter(pk=still_open.pk).update(created_at=timezone.now() - timedelta(days=1000))
    closed.refresh_from_db()
    period = timedelta(days=365)

    assert apply_retention(now=closed.closed_at + period - timedelta(days=1))["closed_applications_deleted"] == 0
    assert Application.objects.filter(pk=closed.pk).exists()

    result = apply_retention(now=closed.closed_at + period + timedelta(days=1))

    assert result["closed_applications_deleted"] == 1
    assert not Application.objects.filter(pk=closed.pk).exists()
    assert not ApplicationNote.objects.filter(application_id=closed.pk).exists()
    assert not ApplicationEvent.objects.filter(application_id=closed.pk).exists()
    assert Application.objects.filter(pk=still_open.pk).exists()


# --- Access records (APPI Arts. 29-30: 3 years) ----------------------------------------------------------


def record(at: datetime) -> AccessRecord:
    import uuid

    return AccessRecord.objects.create(
        occurred_at=at,
        subject_key=uuid.uuid4(),
        viewer_kind=AccessRecord.ViewerKind.EMPLOYER,
        viewer_id=1,
        viewer_name="Recruiter",
        employer_name="Employer KK",
        field_groups=["core"],
        channel="web",
    )


@pytest.mark.parametrize(
    "now",
    [
        datetime(2027, 2, 1, 9, tzinfo=ZoneInfo("Asia/Tokyo")),  # the 3 years hold 29 Feb 2024
        datetime(2027, 10, 1, 9, tzinfo=ZoneInfo("Asia/Tokyo")),  # no leap day in them
    ],
)
def test_access_records_are_kept_3_years_and_deleted_after(now):
    three_years = now - relativedelta(years=3)
    older = [record(three_years - timedelta(days=1)), record(three_years - timedelta(days=400))]
    younger = [record(three_years + timedelta(hours=12)), record(now - timedelta(days=30))]

    result = apply_retention(now=now)

    assert result["access_records_deleted"] == 2
    assert not AccessRecord.objects.filter(pk__in=[r.pk for r in older]).exists()
    assert AccessRecord.objects.filter(pk__in=[r.pk for r in younger]).count() == 2


# --- Email texts ---------------------------------------------------------------------------------------


def test_email_texts_are_cleared_after_their_period_but_the_record_of_sending_stays(candidate):
    now = timezone.now()

    def email(age_days: int) -> OutboundEmail:
        row = OutboundEmail.objects.create(
            recipient=candidate,
            to_email=candidate.email,
            subject="Your application was sent",
            body_text="Dear Lan, your application to Osaka Foods was sent.",
            body_html="<p>Dear Lan</p>",
            template_model={"name": "Lan"},
            state=OutboundEmail.State.SENT,
            sent_at=now - timedelta(days=age_days),
        )
        OutboundEmail.objects.filter(pk=row.pk).update(created_at=now - timedelta(days=age_days))
        return row

    old, recent = email(181), email(179)

    result = apply_retention(now=now)

    assert result["email_contents_cleared"] == 1
    old.refresh_from_db()
    assert (old.body_text, old.body_html, old.template_model) == ("", "", {})
    assert (old.to_email, old.state) == (candidate.email, OutboundEmail.State.SENT)
    assert old.created_at and old.sent_at
    recent.refresh_from_db()
    assert recent.body_text.startswith("Dear Lan") and recent.body_html and recent.template_model


# --- Exports and answered requests ------------------------------------------------------------------------


def test_expired_exports_are_deleted_with_their_files(candidate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = privacy.data_export_request(user=candidate)
    export.refresh_from_db()
    name = export.file.name
    assert export.state == DataExport.State.READY and default_storage.exists(name)

    assert apply_retention(now=export.expires_at - timedelta(minutes=1))["data_exports_deleted"] == 0
    assert default_storage.exists(name)
    assert apply_retention(now=export.expires_at + timedelta(minutes=1))["data_exports_deleted"] == 1
    export.refresh_from_db()
    assert export.state == DataExport.State.EXPIRED and not export.file
    assert not default_storage.exists(name)


def test_answered_requests_go_after_3_years_and_open_ones_stay(privacy_officer):
    def request(name: str) -> PrivacyRequest:
        return privacy.privacy_request_submit(
            requester=None,
            name=name,
            email=f"{name}@example.test",
            country="JP",
            us_state="",
            kind="appi_disclosure",
            details="",
            language="en",
        )

    answered, still_open = request("answered"), request("open")
    privacy.privacy_request_verify(actor=privacy_officer, request=answered, method="Passport copy")
    privacy.privacy_request_answer(actor=privacy_officer, request=answered, answer="Here it is.")
    answered.refresh_from_db()

    apply_retention(now=answered.answered_at + timedelta(days=3 * 365 - 1))
    assert PrivacyRequest.objects.filter(pk=answered.pk).exists()
    apply_retention(now=answered.answered_at + timedelta(days=3 * 365 + 1))
    assert not PrivacyRequest.objects.filter(pk=answered.pk).exists()
    assert PrivacyRequest.objects.filter(pk=still_open.pk).exists()


# --- The command ---------------------------------------------------------------------------------------------


def everything_due(candidate, privacy_officer, capture) -> dict:
    """One item of every kind past its period, by today's clock."""
    now = timezone.now()
    long_ago = now - timedelta(days=WARN_DAYS + 40)
    sleeper = inactive_candidate("sleeper@example.test", last_seen=long_ago)
    warned = inactive_candidate("warned@example.test", last_seen=long_ago)
    User.objects.filter(pk=warned.pk).update(inactivity_warned_at=now - timedelta(days=GRACE_DAYS + 1))
    side = employer_with_agreement(legal_name="Kobe Port KK", admin_name="Ueno Sae", recruiter_name="Noda Ryo")
    filled_profile(candidate, name_passport="DRY RUN")
    closed = apply(candidate, open_opening(side, title="Forklift"))
    matching.application_move(actor=side.admin, application=closed, to_state="not_selected")
    Application.objects.filter(pk=closed.pk).update(closed_at=now - timedelta(days=400))
    record(now - timedelta(days=4 * 365))
    OutboundEmail.objects.filter(recipient=candidate).update(created_at=now - timedelta(days=200))
    with capture(execute=True):
        export = privacy.data_export_request(user=candidate)
    DataExport.objects.filter(pk=export.pk).update(expires_at=now - timedelta(hours=1))
    answered = privacy.privacy_request_submit(
        requester=candidate,
        name="x",
        email="",
        country="JP",
        us_state="",
        kind="appi_purpose",
        details="",
        language="en",
    )
    privacy.privacy_request_answer(actor=privacy_officer, request=answered, answer="Our purposes are ...")
    PrivacyRequest.objects.filter(pk=answered.pk).update(answered_at=now - timedelta(days=4 * 365))
    return {"sleeper": sleeper, "warned": warned, "export": DataExport.objects.get(pk=export.pk)}


def snapshot() -> dict:
    return {
        "users": User.objects.count(),
        "warned": User.objects.filter(inactivity_warned_at__isnull=False).count(),
        "emails": OutboundEmail.objects.count(),
        "email texts": OutboundEmail.objects.exclude(body_text="").count(),
        "applications": Application.objects.count(),
        "access records": AccessRecord.objects.count(),
        "exports ready": DataExport.objects.filter(state=DataExport.State.READY).count(),
        "privacy requests": PrivacyRequest.objects.count(),
        "open grants": ShareGrant.objects.filter(ended_at__isnull=True).count(),
    }


def test_the_dry_run_prints_what_it_would_do_and_changes_nothing(
    candidate, privacy_officer, django_capture_on_commit_callbacks
):
    due = everything_due(candidate, privacy_officer, django_capture_on_commit_callbacks)
    before = snapshot()

    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)

    printed = out.getvalue()
    for line in (
        "Would act on       1  inactive accounts warned",
        "Would act on       1  inactive accounts deleted",
        "Would act on       1  access records deleted",
        "Would act on       1  privacy requests deleted",
        "Would act on       1  data exports deleted",
        "Would act on       1  closed applications deleted",
    ):
        assert line in printed, printed
    assert "email contents cleared" in printed
    assert snapshot() == before
    assert default_storage.exists(due["export"].file.name)

    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "Acted on       1  inactive accounts deleted" in out.getvalue()
    after = snapshot()
    assert after["users"] == before["users"] - 1
    assert after["access records"] == before["access records"] - 1
    assert after["applications"] == before["applications"] - 1
    assert after["exports ready"] == 0 and after["privacy requests"] == before["privacy requests"] - 1
    assert after["email texts"] < before["email texts"]
    assert not default_storage.exists(due["export"].file.name)
    assert warnings_to(due["sleeper"]) == 1


def test_the_privacy_centre_still_works_for_a_warned_candidate_who_signs_in(candidate):
    """Signing in is all it takes to keep the account."""
    User.objects.filter(pk=candidate.pk).update(last_login=timezone.now() - timedelta(days=WARN_DAYS + 1))
    apply_retention(now=timezone.now())
    client = Client()
    client.force_login(candidate)
    assert client.get(reverse("privacy:centre")).status_code == 200
    apply_retention(now=timezone.now() + timedelta(days=GRACE_DAYS + 1))
    assert User.objects.filter(pk=candidate.pk).exists()

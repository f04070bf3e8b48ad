"""The consent ledger (PRODUCT §3): one append-only row for every change to a
share grant, with who, whom, what, when, the exact notice and the channel.
Nothing can update or delete a row: not the model, not a queryset and, on
PostgreSQL, not even raw SQL (a database trigger).

Purpose, cookie and policy rows are tested with their pages in
test_purposes.py, test_cookies.py and test_policies.py.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from consents import notices, services
from consents.models import Channel, ConsentEvent, ConsentEventType, ConsentKind, PolicyKind, ShareGrant
from consents.selectors import subject_key_of
from tests.accounts.factories import StaffFactory
from tests.consents.factories import (
    ContactShareGrantFactory,
    EmployerWithAgreementFactory,
    ExpiredShareGrantFactory,
    ShareGrantFactory,
    recruiter_of,
)

pytestmark = pytest.mark.django_db


def signed_in(user, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def share_rows(grant: ShareGrant):
    return list(ConsentEvent.objects.filter(kind=ConsentKind.SHARE, grant_id=grant.pk).order_by("occurred_at", "pk"))


def consent_screen_post(client: Client, employer, *, language="en", **ticked) -> None:
    data = {"agree": "on", **{f"include_{name}": "on" for name, on in ticked.items() if on}}
    with translation.override(language):
        url = reverse("consents:share_with_employer", args=[employer.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def age_confirmation(grant: ShareGrant, seconds: int = 120) -> None:
    """Move the candidate's last confirmation back, out of the double-submit window."""
    ShareGrant.objects.filter(pk=grant.pk).update(confirmed_at=timezone.now() - timedelta(seconds=seconds))


# --- A row for every change of a share grant ----------------------------------------------


def test_giving_a_grant_on_the_consent_screen_writes_one_row_with_the_notice_in_the_language_shown(candidate):
    employer = EmployerWithAgreementFactory()
    consent_screen_post(signed_in(candidate, "ja"), employer, language="ja", contact=True)

    grant = ShareGrant.objects.get(candidate=candidate, employer=employer)
    [row] = share_rows(grant)
    assert row.subject_key == subject_key_of(candidate)
    assert (row.event, row.channel, row.actor, row.actor_staff_id) == (ConsentEventType.GRANT, "web", "subject", None)
    assert (row.employer_id, row.employer_name) == (employer.pk, employer.legal_name)
    assert row.scope["field_groups"] == ["contact", "core"]
    assert row.scope["purpose"] == notices.SHARE_PURPOSE
    assert row.scope["expires_at"] == grant.expires_at.isoformat()
    assert row.language == "ja"
    with translation.override("ja"):
        shown = notices.share_notice(employer=employer, groups={"core", "contact"}, expires_at=grant.expires_at)
    assert employer.corporate_number in shown
    assert row.notice_sha256 == notices.sha256(shown)
    assert row.notice_version_id == services.current_policy(PolicyKind.PRIVACY).pk


def test_agreeing_again_after_the_double_submit_window_renews_and_extends(candidate):
    grant = ContactShareGrantFactory(candidate=candidate)
    before = grant.expires_at
    age_confirmation(grant, seconds=services.DOUBLE_SUBMIT_SECONDS + 1)
    ShareGrant.objects.filter(pk=grant.pk).update(expires_at=before - timedelta(days=100))
    consent_screen_post(signed_in(candidate), grant.employer, contact=True)

    grant.refresh_from_db()
    assert grant.expires_at >= before
    rows = share_rows(grant)
    assert [r.event for r in rows] == [ConsentEventType.GRANT, ConsentEventType.RENEW]
    assert rows[1].scope["expires_at"] == grant.expires_at.isoformat()
    assert rows[1].scope["field_groups"] == ["contact", "core"]
    assert ShareGrant.objects.filter(candidate=candidate).count() == 1


def test_changing_the_field_groups_writes_a_change_row_at_once(candidate):
    grant = ContactShareGrantFactory(candidate=candidate)
    # Inside the double-submit window: a different choice is a change, not a duplicate.
    consent_screen_post(signed_in(candidate), grant.employer, address=True, date_of_birth=True)

    grant.refresh_from_db()
    assert (grant.include_contact, grant.include_address, grant.include_date_of_birth) == (False, True, True)
    rows = share_rows(grant)
    assert [r.event for r in rows] == [ConsentEventType.GRANT, ConsentEventType.CHANGE]
    assert rows[1].scope["field_groups"] == ["address", "core", "date_of_birth"]
    assert rows[1].notice_sha256 != rows[0].notice_sha256


def test_withdrawing_on_the_sharing_page_writes_a_withdrawal_row(candidate):
    grant = ContactShareGrantFactory(candidate=candidate)
    signed_in(candidate).post(reverse("consents:grant_withdraw", args=[grant.pk]))
    rows = share_rows(grant)
    assert [r.event for r in rows] == [ConsentEventType.GRANT, ConsentEventType.WITHDRAW]
    assert (rows[1].channel, rows[1].actor) == ("web", "subject")
    # Withdrawing twice changes nothing.
    signed_in(candidate).post(reverse("consents:grant_withdraw", args=[grant.pk]))
    assert len(share_rows(grant)) == 2


def test_staff_withdraw_on_the_persons_written_request_and_are_named(candidate):
    grant = ShareGrantFactory(candidate=candidate)
    officer = StaffFactory(groups=["privacy_officer"])
    services.share_grant_withdraw(actor=officer, grant=grant, channel=Channel.STAFF_WRITTEN_REQUEST)
    row = share_rows(grant)[-1]
    assert (row.event, row.channel, row.actor, row.actor_staff_id) == (
        ConsentEventType.WITHDRAW,
        "staff_written_request",
        "staff",
        officer.pk,
    )


def test_nobody_else_can_give_or_withdraw_a_candidates_consent(candidate, other_candidate):
    grant = ShareGrantFactory(candidate=candidate)
    recruiter = recruiter_of(grant.employer)
    for actor in (recruiter, other_candidate):
        with pytest.raises(PermissionDenied):
            services.share_grant_withdraw(actor=actor, grant=grant)
        with pytest.raises(PermissionDenied):
            services.share_grant_give(
                candidate=candidate,
                employer=grant.employer,
                groups={"core", "contact"},
                notice=services.Notice(text="x", language="en"),
                actor=actor,
            )
    assert len(share_rows(grant)) == 1
    grant.refresh_from_db()
    assert grant.is_active and not grant.include_contact


def test_the_expiry_task_writes_an_expiry_row_by_the_system(candidate):
    grant = ExpiredShareGrantFactory(candidate=candidate)
    assert services.share_grants_expire_due() == 1
    [row] = share_rows(grant)
    assert (row.event, row.channel, row.actor) == (ConsentEventType.EXPIRE, "system", "system")
    assert row.notice_sha256 == ""  # nobody was shown anything


def test_agreeing_after_an_unrecorded_expiry_records_the_expiry_then_a_new_grant(candidate):
    old = ExpiredShareGrantFactory(candidate=candidate)
    consent_screen_post(signed_in(candidate), old.employer)
    old.refresh_from_db()
    assert old.end_reason == ShareGrant.EndReason.EXPIRED
    new = ShareGrant.objects.get(candidate=candidate, ended_at__isnull=True)
    assert [r.event for r in share_rows(old)] == [ConsentEventType.EXPIRE]
    assert [r.event for r in share_rows(new)] == [ConsentEventType.GRANT]


def test_the_candidate_sees_every_row_on_my_consents(candidate):
    grant = ContactShareGrantFactory(candidate=candidate)
    services.share_grant_withdraw(actor=candidate, grant=grant)
    html = signed_in(candidate).get(reverse("consents:my_consents")).content.decode()
    assert html.count(grant.employer.legal_name) == 2
    assert "Given" in html and "Withdrawn" in html


# --- Append-only ----------------------------------------------------------------------


@pytest.fixture
def row(candidate):
    ShareGrantFactory(candidate=candidate)
    return ConsentEvent.objects.filter(kind=ConsentKind.SHARE).get()


def test_the_ledger_refuses_queryset_updates_and_deletes(row):
    with pytest.raises(PermissionError):
        ConsentEvent.objects.update(event=ConsentEventType.WITHDRAW)
    with pytest.raises(PermissionError):
        ConsentEvent.objects.filter(pk=row.pk).update(employer_name="someone else")
    with pytest.raises(PermissionError):
        ConsentEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        ConsentEvent.objects.filter(pk=row.pk).delete()
    assert ConsentEvent.objects.get(pk=row.pk).employer_name == row.employer_name


def test_a_ledger_row_cannot_be_saved_again_or_deleted(row):
    row.employer_name = "someone else"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.save(update_fields=["employer_name"])
    with pytest.raises(PermissionError):
        row.delete()
    fresh = ConsentEvent.objects.get(pk=row.pk)
    assert fresh.employer_name != "someone else"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only")
def test_postgresql_refuses_raw_sql_update_and_delete_on_the_ledger(row):
    for sql in (
        "UPDATE consents_consentevent SET employer_name = 'someone else' WHERE id = %s",
        "DELETE FROM consents_consentevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])
    fresh = ConsentEvent.objects.get(pk=row.pk)
    assert fresh.employer_name == row.employer_name
    # Inserting stays possible: the ledger grows.
    ShareGrantFactory()
    assert ConsentEvent.objects.filter(kind=ConsentKind.SHARE).count() == 2

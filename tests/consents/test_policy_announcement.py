"""Seed 004 Art. 34: a revision is announced by email too, once, to every
active account, in their language, with its date and what changed."""

import pytest
from django.utils import translation

from consents.models import PolicyKind, PolicyText, PolicyVersion
from consents.services import policy_version_announce, policy_version_publish
from outbox.models import OutboundEmail
from tests.accounts.factories import CandidateFactory, StaffFactory


def _new_privacy_version():
    version = PolicyVersion.objects.create(kind=PolicyKind.PRIVACY, version="2027-01-15", requires_consent=True)
    summaries = {"en": "We now keep exports 7 days.", "ja": "エクスポートの保存期間を7日間にしました。"}
    for language, summary in summaries.items():
        PolicyText.objects.create(version=version, language=language, title="Privacy", body="Body", summary=summary)
    return version


@pytest.mark.django_db
def test_publishing_announces_the_revision_once_to_every_active_account(django_capture_on_commit_callbacks):
    english = CandidateFactory(language="en")
    japanese = CandidateFactory(language="ja")
    gone = CandidateFactory(is_active=False)
    staff = StaffFactory(groups=["privacy_officer"])
    version = _new_privacy_version()

    with django_capture_on_commit_callbacks(execute=True):
        policy_version_publish(actor=staff, version=version)

    rows = {row.recipient_id: row for row in OutboundEmail.objects.filter(subject__contains="2027-01-15")}
    assert english.pk in rows and japanese.pk in rows and staff.pk in rows
    assert gone.pk not in rows
    assert "We now keep exports 7 days." in rows[english.pk].body_text
    assert "エクスポートの保存期間を7日間にしました。" in rows[japanese.pk].body_text
    assert rows[english.pk].stream == OutboundEmail.Stream.TRANSACTIONAL

    # Running the announcement again (a retried task) sends nobody twice.
    with translation.override("ja"):
        assert policy_version_announce(version.pk) == 0
    assert OutboundEmail.objects.filter(subject__contains="2027-01-15").count() == len(rows)

"""Every kind of email, sent by the real service to a person reading each of
the eight languages (issue 15): the row is in their language, its subject
and body are not the English ones, no string of the English catalogues is
left untranslated, every merge field is filled, and the footer of purpose
mail (why they get it, how to stop it) is translated."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail as django_mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from accounts import services as account_services
from accounts.models import StaffGroup, User
from consents import services as consent_services
from consents.campaigns import services as campaign_services
from consents.campaigns.models import Campaign
from consents.contact import services as contact_services
from consents.models import EmailPurpose, PolicyKind
from consents.privacy import services as privacy_services
from matching.models import Opening
from matching.saved import services as saved_services
from outbox.models import OutboundEmail
from tests.accounts.factories import CandidateFactory, EmployerAdminFactory, EmployerMemberFactory, StaffFactory
from tests.accounts.test_sign_in import RequestClient
from tests.consents.factories import PolicyVersionFactory, publish
from tests.i18n.catalogues import english_patterns, translations
from tests.matching.factories import OpeningFactory

pytestmark = pytest.mark.django_db
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# The kinds this test sends through their real services. Not yet here (their
# templates are covered by the catalogue tests only): matching notices and
# digests, job alert digests, grant expiry reminder,
# inactivity warning, export ready, the later privacy-request mails,
# moderation notice and campaign tests.
SENT_HERE = {
    "allauth.login_code",
    "allauth.email_confirmation_signup",
    "allauth.email_confirmation",
    "allauth.account_already_exists",
    "allauth.password_reset_code",
    "allauth.candidate_no_password",
    "allauth.password_sign_in_only",
    "accounts.invitation",
    "accounts.screening_decision",
    "accounts.screening_lifted",
    "consents.grant_receipt",
    "consents.withdrawal_notice",
    "contact.inquiry_received",
    "contact.inquiry_answer",
    "privacy.request_received",
    "privacy.erasure_code",
    "campaigns.campaign",
    "saved.saved_job_closed",
}
_LEFT_OVER = re.compile(r"\{\{|\}\}|\{%|%\(|\bNone\b|\[\[")
_SENTENCE = re.compile(r"^[A-Z][a-z]+(?: [a-z]+){3,}")
DATA = {"Care for elderly residents.", "Where do I sign?", "Here is how."}


def _committing(fn, *args, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return fn(*args, **kwargs)


def send_one_of_each(language: str, coordinator: User, tag: str) -> dict[str, OutboundEmail]:
    """One mail of each kind in SENT_HERE to people whose language is
    `language` (or, without an account, who wrote in it). Returns the
    newest row of each kind."""
    first = OutboundEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    candidate = CandidateFactory(email=f"candidate.{tag}@example.test", language=language, full_name="Lan Nguyen")
    recruiter = EmployerMemberFactory(user__email=f"recruiter.{tag}@employer.test", user__language=language).user
    admin = EmployerAdminFactory(user__email=f"admin.{tag}@employer.test", user__language=language).user

    with translation.override(language):
        login_code = reverse("account_request_login_code")
        signup = reverse("account_signup")
        reset = reverse("account_reset_password")
    RequestClient().post(login_code, {"email": candidate.email})
    RequestClient().post(login_code, {"email": recruiter.email})
    RequestClient().post(signup, {"email": f"new.{tag}@example.test", "accept_policies": "on"})
    RequestClient().post(reset, {"email": recruiter.email})
    RequestClient().post(reset, {"email": candidate.email})
    # Signing up with the address of an account (told how it signs in), and
    # adding a second address to an account.
    RequestClient().post(signup, {"email": candidate.email, "accept_policies": "on"})
    adding = RequestClient()
    adding.force_login(candidate)
    with translation.override(language):
        adding.post(reverse("account_email"), {"action_add": "", "email": f"second.{tag}@example.test"})

    _committing(
        account_services.invitation_create,
        actor=coordinator,
        employer=admin.employer_membership.employer,
        email=f"boss.{tag}@employer.test",
        member_role="recruiter",
        language=language,
    )
    screened = CandidateFactory(email=f"screened.{tag}@example.test", language=language)
    _committing(account_services.account_screen, actor=coordinator, user=screened, decision="suspended", reason="x")
    _committing(account_services.account_reinstate, actor=coordinator, user=screened)

    employer = admin.employer_membership.employer
    if version := consent_services.current_policy("data_use"):
        consent_services.employer_agreement_accept(actor=admin, version=version, language=language)
    grant = _committing(
        consent_services.share_grant_give,
        candidate=candidate,
        employer=employer,
        groups={"core", "contact"},
        notice=consent_services.Notice(text="notice", language=language),
    )
    _committing(consent_services.share_grant_withdraw, actor=candidate, grant=grant)

    inquiry = _committing(
        contact_services.inquiry_submit,
        user=None,
        name="Aung",
        email=f"asker.{tag}@example.test",
        phone="",
        topic="service",
        message="Where do I sign?",
        language=language,
    )
    _committing(contact_services.inquiry_answer, actor=coordinator, inquiry=inquiry, text="Here is how.")
    _committing(
        privacy_services.privacy_request_submit,
        requester=None,
        name="Aung",
        email=f"requester.{tag}@example.test",
        country="JP",
        us_state="",
        kind="appi_disclosure",
        details="",
        language=language,
    )
    erasing = RequestClient()
    erasing.force_login(candidate)
    with translation.override(language):
        erasing.post(reverse("privacy:withdraw"), {"action": "send_code"})

    # Purpose mail: a campaign and a saved job that closed, each with the
    # footer saying why the person gets it and how to stop it.
    consent_services.purpose_consents_set(
        actor=candidate,
        user=candidate,
        choices={EmailPurpose.JOB_OPENINGS: True, EmailPurpose.LIVING_IN_JAPAN: True},
        language=language,
    )
    field = language.replace("-", "_")
    texts = {"subject_en": "Rent", "body_en": "How rent works, {{ name }}.", "subject_ja": "家賃", "body_ja": "家賃"}
    texts |= {f"subject_{field}": f"[{language}] ✓", f"body_{field}": f"[{language}] {{{{ name }}}} ✓"}
    campaign = campaign_services.campaign_save(
        actor=coordinator, campaign=Campaign(purpose=EmailPurpose.LIVING_IN_JAPAN, **texts)
    )
    campaign_services.campaign_schedule(actor=coordinator, campaign=campaign, when=None)
    _committing(campaign_services.campaign_run, campaign.pk)
    opening = OpeningFactory(title=f"Care worker {tag}", description="Care for elderly residents.")
    saved_services.saved_job_add(user=candidate, opening=opening)
    Opening.objects.filter(pk=opening.pk).update(state=Opening.State.CLOSED)
    _committing(saved_services.saved_jobs_notify_closed, now=timezone.now() + timedelta(minutes=1))

    rows = OutboundEmail.objects.filter(pk__gt=first).order_by("pk")
    return {row.kind: row for row in rows}


def problems_of(row: OutboundEmail, english: OutboundEmail, language: str) -> list[str]:
    found = []
    if row.language != language:
        found.append(f"written in {row.language!r}")
    for where, text in (("subject", row.subject), ("body", row.body_text)):
        if left := _LEFT_OVER.search(text):
            found.append(f"{where}: an unfilled merge field or None near {text[max(0, left.start() - 30) :][:80]!r}")
    if language == "en":
        return found
    if row.subject == english.subject and row.subject not in translations(language):
        found.append(f"subject as in English: {row.subject!r}")
    exact, patterns = english_patterns(language)
    english_lines = {" ".join(line.split()) for line in english.body_text.splitlines()}
    for line in row.body_text.splitlines():
        line = " ".join(line.split()).removeprefix("- ").strip()
        if not line or line in DATA or line in translations(language):
            continue
        if line in exact or patterns.fullmatch(line):
            found.append(f"untranslated: {line[:80]!r}")
        elif _SENTENCE.match(line) and line in english_lines:
            found.append(f"English as in the English mail: {line[:80]!r}")
    return found


@pytest.fixture
def coordinator_to_send(db):
    return StaffFactory(email="sender@tsunagu.test", groups=[StaffGroup.COORDINATOR])


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_kind_of_mail_is_in_the_persons_language(language, coordinator_to_send):
    django_mail.outbox.clear()
    english = send_one_of_each("en", coordinator_to_send, tag="en")
    rows = send_one_of_each(language, coordinator_to_send, tag=language.replace("-", ""))

    assert set(rows) >= SENT_HERE, f"not sent: {sorted(SENT_HERE - set(rows))}"
    assert set(english) >= SENT_HERE
    problems = [f"{kind}: {p}" for kind in sorted(SENT_HERE) for p in problems_of(rows[kind], english[kind], language)]
    problems += [
        f"{kind} (en): {p}" for kind in sorted(SENT_HERE) for p in problems_of(english[kind], english[kind], "en")
    ]
    assert not problems, f"{language}:\n" + "\n".join(problems)
    # The check sees an English mail for what it is.
    assert all(problems_of(english[kind], english[kind], language) for kind in SENT_HERE)

    # Purpose mail: why it came and how to stop it, in the language; the
    # campaign's own text for the language, with the name filled in.
    for kind in ("campaigns.campaign", "saved.saved_job_closed"):
        footer = rows[kind].body_text.rsplit("\n--\n", 1)[-1].strip().splitlines()
        english_footer = english[kind].body_text.rsplit("\n--\n", 1)[-1].strip().splitlines()
        assert len(footer) == len(english_footer) == 3, (kind, footer)
        for line, english_line in zip(footer, english_footer, strict=True):
            assert line.split(" http")[0] != english_line.split(" http")[0], (kind, line)
    assert rows["campaigns.campaign"].subject == f"[{language}] ✓"
    assert "Lan Nguyen" in rows["campaigns.campaign"].body_text


def test_a_policy_revision_is_announced_with_what_changed_in_each_language(coordinator_to_send):
    """The announcement of a revision to a reader of each language: in
    their language, with what changed in their language, or in English
    where the revision has no summary in it (here Tagalog)."""
    readers = {code: CandidateFactory(email=f"reader.{code}@example.test", language=code) for code in LANGUAGES}
    summaries = {code: f"[{code}] what changed ✓" for code in LANGUAGES if code != "tl"}
    version = publish(PolicyVersionFactory(kind=PolicyKind.PRIVACY, summaries=summaries))
    consent_services.policy_version_announce(version.pk)

    rows = {
        code: OutboundEmail.objects.get(recipient=reader, kind="consents.policy_revision")
        for code, reader in readers.items()
    }
    problems = []
    for code, row in rows.items():
        what_changed = summaries.get(code, summaries["en"])
        others = set(summaries.values()) - {what_changed}
        if what_changed not in row.body_text or any(other in row.body_text for other in others):
            problems.append(f"{code}: what changed is not {what_changed!r}")
        problems += [f"{code}: {p}" for p in problems_of(row, rows["en"], code)]
    assert not problems, "\n".join(problems)


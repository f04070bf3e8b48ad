"""Every kind of email, sent by the real service to a person reading each of
the eight languages (issue 15): the row is in their language, its subject
and body are not the English ones, no string of the English catalogues is
left untranslated, no raw code, every merge field is filled, and the footer
of purpose mail (why they get it, how to stop it) is translated. Whoever
acts (a recruiter, a staff member) reads another language than the
recipient: no line of the actor's language is left in the mail, and every
link (the calendar file's too) goes to a page in the recipient's language.

The kinds come from the outbox's registry (outbox.kinds.KINDS, every
`MessageKind` of every app's emails.py): a kind registered but not sent
here fails `test_every_registered_kind_is_sent`, unless NOT_SENT says why
no service can send it. A kind with many texts (matching.notice: the
notices about applications, proposals, interviews, webhooks) is sent by
each service that writes one.

The people (a candidate, a recruiter, an employer admin, a staff member and
the addresses without an account, one of each per language) and every mail
are made once for the module, inside a transaction rolled back at its end;
each test then reads the rows of one language beside the English ones.
"""

import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import cache
from typing import Any

import pytest
from allauth.account import app_settings as allauth_settings
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules

from accounts import services as account_services
from accounts.models import StaffGroup, User
from consents import services as consent_services
from consents.campaigns import services as campaign_services
from consents.campaigns.models import Campaign
from consents.contact import services as contact_services
from consents.models import EmailPurpose, PolicyKind, PolicyText, PolicyVersion, ShareGrant
from consents.privacy import retention
from consents.privacy import services as privacy_services
from consents.privacy.models import PrivacyRequest
from matching import services as matching_services
from matching.models import ApplicationState, Interview, Opening, RefusalReason, WebhookEndpoint
from matching.saved import services as saved_services
from matching.saved.models import Frequency
from outbox.kinds import KINDS
from outbox.models import OutboundEmail
from profiles import services as profile_services
from profiles.models import ModerationCase, ProhibitedContent
from tests.accounts.factories import CandidateFactory, EmployerAdminFactory, EmployerMemberFactory, StaffFactory
from tests.i18n.catalogues import catalogue, english_patterns, live_entries, translations
from tests.i18n.test_page_languages import raw_codes
from tests.matching.factories import CompleteCandidateProfileFactory, OpeningFactory, notice_for
from tests.matching.saved.factories import alert_for
from tests.matching.talk import in_days
from tests.reference_data import ensure_reference_data

pytestmark = pytest.mark.django_db
LANGUAGES = [code for code, _name in settings.LANGUAGES]

# Registered kinds no service sends with our settings. Each reason is
# checked by test_the_kinds_left_out_are_never_sent: turn a setting on and
# the kind must be sent here instead.
NOT_SENT = {
    "allauth.base": "the frame every allauth mail is written in, never a mail of its own",
    "allauth.other": "the kind of a mail a later allauth may add: none today",
    "allauth.password_reset_key": "passwords are reset by code (ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED)",
    "allauth.password_reset": "allauth's notifications are off (ACCOUNT_EMAIL_NOTIFICATIONS)",
    "allauth.password_changed": "allauth's notifications are off (ACCOUNT_EMAIL_NOTIFICATIONS)",
    "allauth.password_set": "allauth's notifications are off (ACCOUNT_EMAIL_NOTIFICATIONS)",
    "allauth.email_changed": "allauth's notifications are off (ACCOUNT_EMAIL_NOTIFICATIONS)",
    "allauth.email_confirm": "allauth's notifications are off (ACCOUNT_EMAIL_NOTIFICATIONS)",
    "allauth.email_deleted": "allauth's notifications are off (ACCOUNT_EMAIL_NOTIFICATIONS)",
}

# What people and staff write, the same in every language's world: their
# own words are not ours to translate.
DATA = {
    "Care for elderly residents.",
    "Where do I sign?",
    "Here is how.",
    "Here is what we hold about you.",
    "We need to check records kept by a processor.",
    "We cannot identify you from what you sent.",
    "Contact details are not allowed in the self-introduction.",
    "Your account was used to send spam.",
    "The interviewer is ill.",
    "The opening was posted twice.",
    "Clearer wording about cookies.",
}
# What changed in the revision the test announces, per language; none in
# Tagalog (its readers get the English one).
REVISION_SUMMARIES = {
    "en": "Clearer wording about cookies.",
    "ja": "クッキーについての記述を明確にしました。",
    **{code: f"[{code}] ✓ cookies" for code in LANGUAGES if code not in ("en", "ja", "tl")},
}
_LEFT_OVER = re.compile(r"\{\{|\}\}|\{%|%\(|\bNone\b|\[\[")
_SENTENCE = re.compile(r"^[A-Z][a-z]+(?: [a-z]+){3,}")
_URL = re.compile(r"https?://\S+")


# --- who gets mail, once per language -----------------------------------------------------


def tag_of(language: str) -> str:
    """The part of each address that says whose world it is: `candidate.zhhans@…`."""
    return language.replace("-", "")


LANGUAGE_OF_TAG = {tag_of(code): code for code in LANGUAGES}


class People:
    """A candidate (complete profile, ready to apply), the admin and a
    recruiter of an employer that accepted the Data Use Agreement, and a
    staff member (coordinator and privacy officer), all reading `language`.
    Names and titles are the same in every language's world, so a line of
    data reads the same in the English mail and the translated one."""

    def __init__(self, language: str) -> None:
        tag = self.tag = tag_of(language)
        self.language = language
        # Who acts on this world reads another language (next in the list).
        self.stranger = LANGUAGES[(LANGUAGES.index(language) + 1) % len(LANGUAGES)]
        self.candidate = CandidateFactory(
            email=f"candidate.{tag}@example.test", language=language, full_name="Lan Nguyen"
        )
        self.profile = CompleteCandidateProfileFactory(user=self.candidate, name_passport="NGUYEN THI LAN")
        self.admin = EmployerAdminFactory(
            user__email=f"admin.{tag}@employer.test",
            user__language=language,
            user__full_name="Sato Hanako",
            employer__legal_name="Fuji Care Co., Ltd.",
        ).user
        self.employer = self.admin.employer_membership.employer
        self.recruiter = EmployerMemberFactory(
            employer=self.employer,
            user__email=f"recruiter.{tag}@employer.test",
            user__language=language,
            user__full_name="Tanaka Ken",
        ).user
        version = consent_services.current_policy(PolicyKind.DATA_USE)
        assert version is not None
        consent_services.employer_agreement_accept(actor=self.admin, version=version, language=language)
        self.staff = StaffFactory(
            email=f"staff.{tag}@tsunagu.test",
            language=language,
            full_name="Aung Aung",
            groups=[StaffGroup.COORDINATOR, StaffGroup.PRIVACY_OFFICER],
        )
        self.objects: dict[str, Any] = {}

    def address(self, role: str, domain: str = "example.test") -> str:
        return f"{role}.{self.tag}@{domain}"

    def client(self, user: User | None = None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    def url(self, name: str, *args) -> str:
        with translation.override(self.language):
            return reverse(name, args=args)

    def opening(self, title: str, **fields) -> Opening:
        return OpeningFactory(employer=self.employer, title=title, description="Care for elderly residents.", **fields)

    def apply(self, opening: Opening):
        groups = {"core", "contact"}
        return matching_services.application_submit(
            candidate=self.candidate, opening=opening, groups=groups, notice=notice_for(self.employer, groups)
        )

    def privacy_request(self, role: str, *, country: str, kind: str) -> PrivacyRequest:
        """Made on the privacy desk's form without signing in."""
        return privacy_services.privacy_request_submit(
            requester=None,
            name="Aung",
            email=self.address(role),
            country=country,
            us_state="",
            kind=kind,
            details="",
            language=self.language,
        )

    def interview(self, application, *, choose: bool) -> Interview:
        interview = matching_services.interview_propose(
            actor=self.recruiter,
            application=application,
            slots=[in_days(3, 10)],
            place="Shinjuku office",
            interviewers="Tanaka Ken",
        )
        if choose:
            slot = interview.slots.get()
            interview = matching_services.interview_choose(
                candidate=self.candidate, interview=interview, slot_id=slot.pk
            )
        return interview


def one_by_one(everyone: list[People]) -> Iterator[People]:
    """Each world in turn, acted on in another language than its people's
    (a staff member's desk, a recruiter's page, a page left open): nothing
    they read may come from the actor's language. A request sets its page's
    language, as in production."""
    for p in everyone:
        with translation.override(p.stranger):
            yield p


class Mailbag:
    """Every row the steps write, by language and by what it is:
    "kind · step → role" (the role is the start of the address)."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, OutboundEmail]] = defaultdict(dict)
        self.strays: list[str] = []

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Work queued for after the commit runs at the end of the step, as
        in production (Celery is eager: tasks and deliveries run too)."""
        first = OutboundEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        # Jobs of Celery beat run in the default language (no request).
        with translation.override(settings.LANGUAGE_CODE), TestCase.captureOnCommitCallbacks(execute=True):
            yield
        for row in OutboundEmail.objects.filter(pk__gt=first).order_by("pk"):
            local = row.to_email.partition("@")[0]
            role, _dot, tag = local.partition(".")
            if tag not in LANGUAGE_OF_TAG:
                self.strays.append(f"{row.kind} · {name} → {row.to_email}")
                continue
            rows = self.rows[LANGUAGE_OF_TAG[tag]]
            key = base = f"{row.kind} · {name} → {role}"
            n = 1
            while key in rows:
                n += 1
                key = f"{base} #{n}"
            rows[key] = row


def send_every_kind() -> Mailbag:
    bag = Mailbag()
    world = {language: People(language) for language in LANGUAGES}
    everyone = list(world.values())
    for p in one_by_one(everyone):
        consent_services.purpose_consents_set(
            actor=p.candidate,
            user=p.candidate,
            choices={EmailPurpose.JOB_OPENINGS: True, EmailPurpose.LIVING_IN_JAPAN: True},
            language=p.language,
        )

    # --- allauth: codes, sign-up, reset, a second address ----------------------------
    with bag.step("sign-in code"):
        for p in one_by_one(everyone):
            url = p.url("account_request_login_code")
            for email in (p.candidate.email, p.recruiter.email, p.address("unknown")):
                p.client().post(url, {"email": email})
    with bag.step("sign-up"):
        for p in one_by_one(everyone):
            for email in (p.address("new"), p.candidate.email):
                p.client().post(p.url("account_signup"), {"email": email, "accept_policies": "on"})
    with bag.step("password reset"):
        for p in one_by_one(everyone):
            for email in (p.recruiter.email, p.candidate.email):
                p.client().post(p.url("account_reset_password"), {"email": email})
    with bag.step("address added"):
        for p in one_by_one(everyone):
            p.client(p.candidate).post(p.url("account_email"), {"email": p.address("second"), "action_add": ""})

    # --- accounts ------------------------------------------------------------------------
    with bag.step("invitation"):
        for p in one_by_one(everyone):
            account_services.invitation_create(
                actor=p.staff,
                employer=p.employer,
                email=p.address("boss", "employer.test"),
                member_role="recruiter",
                language=p.language,
            )
    with bag.step("screening"):
        for p in one_by_one(everyone):
            screened = CandidateFactory(email=p.address("screened"), language=p.language)
            refused = CandidateFactory(email=p.address("refused"), language=p.language)
            reason = "Your account was used to send spam."
            account_services.account_screen(actor=p.staff, user=screened, decision="suspended", reason=reason)
            account_services.account_screen(actor=p.staff, user=refused, decision="refused", reason=reason)
            account_services.account_reinstate(actor=p.staff, user=screened)

    # --- the contact desk and the privacy desk ---------------------------------------------
    with bag.step("inquiry"):
        for p in one_by_one(everyone):
            inquiry = contact_services.inquiry_submit(
                user=None,
                name="Aung",
                email=p.address("asker"),
                phone="",
                topic="service",
                message="Where do I sign?",
                language=p.language,
            )
            contact_services.inquiry_answer(actor=p.staff, inquiry=inquiry, text="Here is how.")
    with bag.step("privacy request answered"):
        for p in one_by_one(everyone):
            request = p.privacy_request("requester", country="JP", kind="appi_disclosure")
            privacy_services.privacy_request_verify(actor=p.staff, request=request, method="passport")
            privacy_services.privacy_request_confirm_receipt(actor=p.staff, request=request)
            privacy_services.privacy_request_answer(
                actor=p.staff, request=request, answer="Here is what we hold about you."
            )
    with bag.step("privacy request extended and refused"):
        for p in one_by_one(everyone):
            request = p.privacy_request("resident", country="DE", kind="gdpr_access")
            privacy_services.privacy_request_extend(
                actor=p.staff, request=request, reason="We need to check records kept by a processor."
            )
            privacy_services.privacy_request_answer(
                actor=p.staff, request=request, answer="We cannot identify you from what you sent.", refused=True
            )
    with bag.step("erasure code"):
        for p in one_by_one(everyone):
            p.client(p.candidate).post(p.url("privacy:withdraw"), {"action": "send_code"})
    with bag.step("data export"):
        for p in one_by_one(everyone):
            privacy_services.data_export_request(user=p.candidate)

    # --- purpose mail: a campaign, its test copy, a saved job, a job alert ------------------
    texts: dict[str, str] = {}
    for language in LANGUAGES:
        field = language.replace("-", "_")
        texts |= {f"subject_{field}": f"[{language}] ✓", f"body_{field}": f"[{language}] {{{{ name }}}} ✓"}
    campaign = campaign_services.campaign_save(
        actor=everyone[0].staff, campaign=Campaign(purpose=EmailPurpose.LIVING_IN_JAPAN, **texts)
    )
    with bag.step("campaign test"):
        for p in one_by_one(everyone):
            campaign_services.campaign_send_test(actor=p.staff, campaign=campaign, language=p.language)
    with bag.step("campaign"):
        campaign_services.campaign_schedule(actor=everyone[0].staff, campaign=campaign, when=None)
    for p in one_by_one(everyone):
        saved = p.opening("Night shift carer")
        saved_services.saved_job_add(user=p.candidate, opening=saved)
        Opening.objects.filter(pk=saved.pk).update(state=Opening.State.CLOSED)
        alert_for(p.candidate, "category=care_worker", name="Care jobs")
    with bag.step("saved job closed"):
        saved_services.saved_jobs_notify_closed(now=timezone.now() + timedelta(minutes=1))
    for p in one_by_one(everyone):
        p.opening("Day care assistant", category="care_worker")
    with bag.step("job alert"):
        saved_services.job_alerts_run(frequency=Frequency.DAILY, now=timezone.now() + timedelta(minutes=1))

    # --- an application through the pipeline -----------------------------------------------
    with bag.step("application"):
        for p in one_by_one(everyone):
            p.objects["applied"] = p.apply(p.opening("Care worker"))
    with bag.step("grant expiry reminder"):
        ends = max(grant.expires_at for grant in (p.objects["applied"].grant for p in everyone))
        consent_services.share_grant_reminders_send(now=ends - timedelta(days=1))
    with bag.step("application moved"):
        for p in one_by_one(everyone):
            matching_services.application_move(
                actor=p.recruiter, application=p.objects["applied"], to_state=ApplicationState.SCREENING
            )
    with bag.step("interview proposed"):
        for p in one_by_one(everyone):
            p.objects["interview"] = p.interview(p.objects["applied"], choose=False)
    with bag.step("interview chosen"):
        for p in one_by_one(everyone):
            interview = p.objects["interview"]
            matching_services.interview_choose(
                candidate=p.candidate, interview=interview, slot_id=interview.slots.get().pk
            )
    with bag.step("interview reminder"):
        matching_services.interview_reminders_send(now=in_days(3, 10) - timedelta(hours=12))
    with bag.step("other times asked"):
        for p in one_by_one(everyone):
            matching_services.interview_ask_other_times(candidate=p.candidate, interview=p.objects["interview"])
    for p in one_by_one(everyone):
        p.objects["interview"] = p.interview(p.objects["applied"], choose=False)
    with bag.step("interview cancelled"):
        for p in one_by_one(everyone):
            matching_services.interview_cancel(
                actor=p.recruiter, interview=p.objects["interview"], reason="The interviewer is ill."
            )
    for p in one_by_one(everyone):
        matching_services.application_message_send(author=p.recruiter, application=p.objects["applied"], body="Hello")
        matching_services.application_message_send(author=p.candidate, application=p.objects["applied"], body="Hi")
    with bag.step("conversation"):
        matching_services.conversation_digests_send(now=timezone.now() + timedelta(hours=1))
    for p in one_by_one(everyone):
        p.interview(p.objects["applied"], choose=True)
    with bag.step("not selected"):
        for p in one_by_one(everyone):
            matching_services.application_move(
                actor=p.recruiter,
                application=p.objects["applied"],
                to_state=ApplicationState.NOT_SELECTED,
                refusal_reason=RefusalReason.EXPERIENCE,
                tell_reason=True,
            )

    # --- a proposal, and interviews cancelled when sharing ends -------------------------------
    with bag.step("proposal"):
        for p in one_by_one(everyone):
            p.objects["proposal"] = matching_services.proposal_create(
                actor=p.staff,
                opening=p.opening("Kitchen assistant"),
                candidate=p.candidate,
                override_reason="Their experience fits.",
            )
    # Accepting renews the grant the first application gave: as a person
    # would, later than a double submit (which writes no second receipt).
    ShareGrant.objects.update(confirmed_at=F("confirmed_at") - timedelta(hours=1))
    with bag.step("proposal accepted"):
        for p in one_by_one(everyone):
            p.objects["proposed"] = matching_services.proposal_accept(
                candidate=p.candidate,
                proposal=p.objects["proposal"],
                groups={"core", "contact"},
                notice=notice_for(p.employer, {"core", "contact"}),
            )
    for p in one_by_one(everyone):
        p.interview(p.objects["proposed"], choose=False)
        p.objects["scheduled"] = p.apply(p.opening("Laundry staff"))
        p.interview(p.objects["scheduled"], choose=True)
    with bag.step("sharing withdrawn"):
        for p in one_by_one(everyone):
            grant = p.objects["proposed"].grant
            consent_services.share_grant_withdraw(actor=p.candidate, grant=grant)
    with bag.step("application withdrawn"):
        for p in one_by_one(everyone):
            matching_services.application_withdraw(candidate=p.candidate, application=p.objects["scheduled"])

    # --- the employer's side, moderation, retention, a policy revision ---------------------
    with bag.step("opening unpublished"):
        for p in one_by_one(everyone):
            matching_services.opening_unpublish(
                actor=p.staff, opening=p.opening("Receptionist"), reason="The opening was posted twice."
            )
    with bag.step("webhooks stopped"):
        for p in one_by_one(everyone):
            endpoint = WebhookEndpoint.objects.create(
                employer=p.employer,
                url="https://hooks.fuji-care.example/tsunagu",
                secret="whsec_test",
                events=["application.created"],
                consecutive_failures=20,
            )
            matching_services.webhook_endpoint_disable(endpoint=endpoint, reason="20 failures in a row")
    with bag.step("moderation"):
        for p in one_by_one(everyone):
            case = profile_services.moderation_report_create(
                actor=p.staff,
                profile_id=p.profile.pk,
                target=ModerationCase.Target.SELF_INTRODUCTION,
                category=ProhibitedContent.DEFAMATION,
            )
            profile_services.moderation_decide(
                actor=p.staff, case=case, hide=True, reason="Contact details are not allowed in the self-introduction."
            )
    with bag.step("inactivity warning"):
        later = timezone.now() + retention.days("inactive_account_warning") + timedelta(days=1)
        retention.inactive_accounts(later, dry_run=False)
    with bag.step("policy revised"):
        version = PolicyVersion.objects.create(kind=PolicyKind.PRIVACY, version="2099-01-01")
        for language, summary in REVISION_SUMMARIES.items():
            with translation.override(language):
                title = str(PolicyKind.PRIVACY.label)
            PolicyText.objects.create(version=version, language=language, title=title, body="Text.", summary=summary)
        consent_services.policy_version_publish(actor=everyone[0].staff, version=version)
    return bag


@pytest.fixture(scope="module")
def mail(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every mail, once for the module. Rate limits are off: eight worlds
    ask for codes from the same address within the minute."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(ACCOUNT_RATE_LIMITS=False, MEDIA_ROOT=media),
        translation.override("en"),
        transaction.atomic(),
    ):
        ensure_reference_data()
        bag = send_every_kind()
        raw_codes()  # read while the database is open
        transaction.set_rollback(True)
    return bag


# --- what a mail must not be ------------------------------------------------------------


def _ics_summary(row: OutboundEmail) -> list[str]:
    return [
        line
        for attachment in row.attachments
        for line in attachment["content"].splitlines()
        if line.startswith("SUMMARY")
    ]


_SITE_PAGE = re.compile(re.escape(settings.SITE_URL.rstrip("/")) + r"/([A-Za-z-]+)/")


@cache
def foreign(language: str) -> dict[str, str]:
    """Whole lines another language's catalogue says, and `language`'s
    does not (nor English): a line of the actor's language left in a mail."""
    mine = {" ".join(entry.msgid.split()) for entry in live_entries(catalogue("ja"))}
    if language != "en":
        mine |= translations(language)
    said = {}
    for other in LANGUAGES:
        if other not in ("en", language):
            said |= {text: other for text in translations(other) if text not in mine and re.search(r"\w{3}", text)}
    return said


def problems_of(row: OutboundEmail, english: OutboundEmail, language: str) -> list[str]:
    found = []
    if row.language != language:
        found.append(f"written in {row.language!r}")
    calendars = "".join(a["content"] for a in row.attachments).replace("\r\n ", "").replace("\n ", "")
    for prefix in _SITE_PAGE.findall(row.body_text + calendars):
        if prefix.lower() != language.lower():
            found.append(f"a link to a page in {prefix!r}")
    for line in [row.subject, *row.body_text.splitlines()]:
        line = " ".join(line.split())
        if line not in DATA and (other := foreign(language).get(line)):
            found.append(f"in {other!r}: {line[:80]!r}")
    for where, text in (("subject", row.subject), ("body", row.body_text)):
        if left := _LEFT_OVER.search(text):
            found.append(f"{where}: an unfilled merge field or None near {text[max(0, left.start() - 30) :][:80]!r}")
        if code := raw_codes().search(_URL.sub("", text)):
            found.append(f"{where}: raw code {code.group()!r}")
    if language == "en":
        return found
    said = translations(language)
    exact, patterns = english_patterns(language)
    subject = " ".join(row.subject.split())
    if subject not in said and (subject == english.subject or subject in exact or patterns.fullmatch(subject)):
        found.append(f"subject as in English: {row.subject!r}")
    english_lines = {" ".join(line.split()) for line in english.body_text.splitlines()}
    for line in row.body_text.splitlines():
        line = " ".join(line.split()).removeprefix("- ").strip()
        if not line or line in DATA or line in said:
            continue
        if line in exact or patterns.fullmatch(line):
            found.append(f"untranslated: {line[:80]!r}")
        elif _SENTENCE.match(line) and line in english_lines:
            found.append(f"English as in the English mail: {line[:80]!r}")
    english_summaries = _ics_summary(english)
    found += [f"calendar in English: {line!r}" for line in _ics_summary(row) if line in english_summaries]
    return found


def footer(row: OutboundEmail) -> list[str]:
    """Purpose mail ends with why it came and how to stop it."""
    return row.body_text.rsplit("\n--\n", 1)[-1].strip().splitlines()


# --- the tests --------------------------------------------------------------------------


def test_every_registered_kind_is_sent(mail):
    autodiscover_modules("emails")  # every app's kinds are registered
    sent = {row.kind for row in mail.rows["en"].values()}
    assert not mail.strays, f"mail to nobody's world: {mail.strays}"
    assert set(NOT_SENT) <= set(KINDS), f"no longer registered: {sorted(set(NOT_SENT) - set(KINDS))}"
    assert not sent & set(NOT_SENT), f"sent after all, take out of NOT_SENT: {sorted(sent & set(NOT_SENT))}"
    missing = set(KINDS) - set(NOT_SENT) - sent
    assert not missing, f"registered but not sent here: {sorted(missing)}"


def test_the_kinds_left_out_are_never_sent():
    assert allauth_settings.PASSWORD_RESET_BY_CODE_ENABLED
    assert not allauth_settings.EMAIL_NOTIFICATIONS


def test_english_mail_is_whole(mail):
    problems = [f"{key}: {p}" for key, row in sorted(mail.rows["en"].items()) for p in problems_of(row, row, "en")]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_kind_of_mail_is_in_the_persons_language(mail, language):
    english, rows = mail.rows["en"], mail.rows[language]
    assert set(rows) == set(english), (sorted(set(english) - set(rows)), sorted(set(rows) - set(english)))
    problems = [f"{key}: {p}" for key in sorted(rows) for p in problems_of(rows[key], english[key], language)]
    assert not problems, f"{language}:\n" + "\n".join(problems)
    # The check sees an English mail for what it is, by its words alone.
    for key, row in english.items():
        assert [p for p in problems_of(row, row, language) if not p.startswith(("written in", "a link"))], key

    # Purpose mail: why it came and how to stop it, in the language.
    for key, row in rows.items():
        if row.stream != OutboundEmail.Stream.BROADCAST:
            continue
        lines, english_lines = footer(row), footer(english[key])
        assert len(lines) == len(english_lines) >= 3, (key, lines)
        for line, english_line in zip(lines, english_lines, strict=True):
            assert line.split(" http")[0] != english_line.split(" http")[0], (key, line)
    # The campaign's own text for the language, with the name filled in.
    campaign = rows["campaigns.campaign · campaign → candidate"]
    assert campaign.subject == f"[{language}] ✓"
    assert "Lan Nguyen" in campaign.body_text


def test_a_policy_revision_says_what_changed_in_the_readers_language(mail):
    for language in LANGUAGES:
        expected = REVISION_SUMMARIES.get(language, REVISION_SUMMARIES["en"])
        others = set(REVISION_SUMMARIES.values()) - {expected}
        rows = [row for row in mail.rows[language].values() if row.kind == "consents.policy_revision"]
        assert rows, language
        for row in rows:
            assert expected in row.body_text, (language, row.body_text)
            assert not any(other in row.body_text for other in others), (language, row.body_text)

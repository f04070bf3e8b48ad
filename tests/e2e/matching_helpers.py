"""The people and the opening of the matching journeys, made in Python the
way the app makes them (matching.services, consents.services), so the
browser only walks the pages a candidate and a recruiter use.

Taxonomy entries (categories, prefectures, statuses, Japanese levels) come
from data migrations; tests/conftest.py restores them before every
transactional test, and consent_helpers.load_migration_data() adds back the
first policies.
"""

import re
import threading
import time
from datetime import timedelta

import pytest
from django.core.signals import request_finished
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from accounts.models import Employer, User
from consents.models import FieldGroup, PolicyKind, ShareGrant
from consents.notices import share_notice
from consents.services import Notice, current_policy, grant_expiry_default
from matching import services
from matching.models import Application, Opening
from profiles.models import (
    CandidateProfile,
    EmploymentType,
    JapaneseLevel,
    JobCategory,
    Prefecture,
    QualificationKind,
    StatusOfResidence,
)
from profiles.selectors import missing_required_sections, profile_for_display
from tests.accounts.factories import CandidateFactory, EmployerMemberFactory
from tests.e2e.consent_helpers import cookie_banner, employer_with_agreement
from tests.profiles.factories import FullCandidateProfileFactory, from_today

LEGAL_NAME = "Sakura Care Services Co., Ltd."
CARE_TITLE = "介護スタッフ Care worker"
CANDIDATE_NAME = "NGUYEN THI LAN"
CANDIDATE_EMAIL = "lan.nguyen@example.test"
RECRUITER_EMAIL = "tanaka@sakura-care.test"
START_IN_DAYS = 60


def care_employer() -> tuple[Employer, User]:
    """An employer whose admin accepted the current Data Use Agreement, and
    a recruiter of it (no MFA: recruiters need none)."""
    employer = employer_with_agreement(legal_name=LEGAL_NAME)
    recruiter = EmployerMemberFactory(employer=employer, user__email=RECRUITER_EMAIL, user__full_name="Tanaka Ken").user
    return employer, recruiter


def open_opening(
    recruiter: User,
    *,
    title: str,
    category: str,
    prefecture: str,
    required_level: str | None = None,
    salary: tuple[int, int] = (230_000, 280_000),
) -> Opening:
    """An opening saved and published by `recruiter` through the services,
    with the statuses of residence its category's work rules give."""
    opening = Opening(
        title=title,
        description="利用者さまの生活を支えるお仕事です。\nSupport residents with meals, bathing and walks.",
        category=JobCategory.objects.get(code=category),
        employment_type=EmploymentType.objects.get(code="full_time"),
        prefecture=Prefecture.objects.get(code=prefecture),
        city="世田谷区",
        salary_min=salary[0],
        salary_max=salary[1],
        salary_period="month",
        weekly_hours=40,
        required_level=JapaneseLevel.objects.get(code=required_level) if required_level else None,
        start_date=timezone.localdate() + timedelta(days=START_IN_DAYS),
        languages="日本語, English",
    )
    opening = services.opening_save(actor=recruiter, opening=opening)
    return services.opening_publish(actor=recruiter, opening=opening)


def ssw_candidate() -> CandidateProfile:
    """A candidate who may apply (every required profile section complete):
    Specified Skilled Worker (i) until after the start date, JLPT N3, living
    in Tokyo and wishing to work there."""
    user = CandidateFactory(email=CANDIDATE_EMAIL, full_name="Nguyen Thi Lan")
    profile = FullCandidateProfileFactory(
        user=user,
        name_passport=CANDIDATE_NAME,
        status=StatusOfResidence.objects.get(code="ssw_1"),
        period_of_stay_expiry=from_today(START_IN_DAYS + 300),
        expected_salary=240_000,
    )
    # The factory's certificate is JLPT N2: this candidate holds N3.
    profile.japanese_certificates.update(level=JapaneseLevel.objects.get(code="jlpt_n3"))
    # SSW (i) in nursing care: the field's skills test and the nursing-care
    # Japanese evaluation test (the work rules tie SSW to its field).
    for code in ("skills_test_nursing_care", "nursing_care_japanese_test"):
        profile.qualifications.create(kind=QualificationKind.objects.get(code=code), obtained_on=from_today(-200))
    missing = missing_required_sections(profile_for_display(profile.pk))
    assert not missing, f"the candidate could not apply; missing: {[s.slug for s in missing]}"
    return profile


def apply_in_python(candidate: User, opening: Opening, groups=(FieldGroup.CONTACT,)) -> Application:
    """Apply as the consent screen does (the same service and notice), for
    journeys that start after the application."""
    groups = {FieldGroup.CORE, *groups}
    privacy = current_policy(PolicyKind.PRIVACY)
    notice = Notice(
        text=share_notice(employer=opening.employer, groups=groups, expires_at=grant_expiry_default()),
        language="en",
        version_id=privacy.pk if privacy else None,
    )
    application = services.application_submit(candidate=candidate, opening=opening, groups=groups, notice=notice)
    assert ShareGrant.objects.get(pk=application.grant_id).include_contact == (FieldGroup.CONTACT in groups)
    return application


class OverlappingSubmits:
    """Stands in for matching.services.application_submit in the live
    server (it runs in this process) to make a double submit overlap the way
    a person's double click does: the first submit waits inside the server
    until the second one has arrived, so the second passed the view's "already
    applied?" check before any application existed.

    Then, on PostgreSQL, both run the real service at once (its row lock must
    serialise them). On SQLite every live-server thread shares the test's one
    in-memory connection, so two requests working at once would interleave
    their transactions on it: there the second waits until the first request
    is finished, and the service's own check inside its transaction must stop it.

    A browser only sends two requests when the second click comes after the
    first request left (Chromium replaces a form submission that has not
    started yet, so Playwright's instant dblclick() sends one): the test
    clicks, waits for `first_arrived`, and clicks again. `outcomes` tells
    what each submit did."""

    def __init__(self, real, *, timeout: float = 10):
        self.real = real
        self.timeout = timeout
        self.concurrent = connection.vendor == "postgresql"
        self.lock = threading.Lock()
        self.calls = 0
        self.first_thread: int | None = None
        self.first_arrived = threading.Event()
        self.second_arrived = threading.Event()
        self.first_finished = threading.Event()
        self.outcomes: list[str] = []
        self.both_done = threading.Event()

    def __call__(self, **kwargs):
        with self.lock:
            self.calls += 1
            call = self.calls
        if call == 1:
            self.first_thread = threading.get_ident()
            self.first_arrived.set()
            self.second_arrived.wait(self.timeout)
        else:
            self.second_arrived.set()
            if not self.concurrent:
                self.first_finished.wait(self.timeout)
        try:
            application = self.real(**kwargs)
        except services.AlreadyApplied:
            self._done("already applied")
            raise
        except Exception as exc:
            self._done(repr(exc))
            raise
        self._done("applied")
        return application

    def _done(self, outcome: str) -> None:
        with self.lock:
            self.outcomes.append(outcome)
            if len(self.outcomes) == 2:
                self.both_done.set()

    def wait_for_both(self) -> list[str]:
        """What the two submits did, once both are done (the page shows the
        second's answer; the first may still be sending its emails)."""
        assert self.both_done.wait(self.timeout), f"{self.calls} submits arrived; outcomes: {self.outcomes}"
        return sorted(self.outcomes)

    def on_request_finished(self, sender, **kwargs) -> None:
        # Sent by the handler thread once the response is closed.
        if threading.get_ident() == self.first_thread:
            self.first_finished.set()


@pytest.fixture
def overlapping_submits(monkeypatch) -> OverlappingSubmits:
    """matching.services.application_submit, made to overlap a double submit
    (see OverlappingSubmits); restored after the test."""
    submits = OverlappingSubmits(services.application_submit)
    monkeypatch.setattr(services, "application_submit", submits)
    request_finished.connect(submits.on_request_finished, weak=False)
    yield submits
    request_finished.disconnect(submits.on_request_finished)


def wait_in_browser_until(page, condition, *, timeout: float = 10) -> None:
    """Wait for something outside the browser (the live server thread) while
    Playwright keeps delivering the browser's events: each cookies() call is
    one round trip to the browser, during which the traffic guard's route
    handlers run (so the held request gets through). Not page.evaluate: it
    waits while the page has a navigation pending."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the server"
        page.context.cookies()


# --- Reading the pages ------------------------------------------------------------------


def url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def at(name: str, *args, fragment: bool = False) -> re.Pattern:
    """The URL of a named page (no query string; with `fragment`, maybe a #part)."""
    return re.compile(re.escape(url(name, *args)) + (r"(#[\w-]+)?$" if fragment else "$"))


def main(page: Page):
    return page.get_by_role("main")


def expect_message(page: Page, text: str) -> None:
    expect(main(page).locator("ul.messages")).to_contain_text(text)


def dismiss_cookie_banner(page: Page) -> None:
    """A person on a phone answers the banner first (it sits over the page's foot)."""
    cookie_banner(page).get_by_role("button", name="Reject all", exact=True).click()
    expect(cookie_banner(page)).to_have_count(0)

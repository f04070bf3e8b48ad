"""Personas shared by every test (healthchecks-style).

Each persona is a fixture; `persona_client(name)` gives a test client signed
in as that persona. Later features add personas (an employer with a grant,
one whose grant was revoked, ...) here and rows to tests/access_matrix.py.
"""

import pytest
from django.test import Client

from accounts.models import StaffGroup
from tests.accounts.factories import CandidateFactory, EmployerAdminFactory, EmployerMemberFactory, StaffFactory

PERSONAS = [
    "anonymous",
    "candidate",
    "other_candidate",
    "employer_admin",
    "employer_recruiter",
    "employer_with_grant",
    "revoked_employer",
    "staff_without_mfa",
    "coordinator",
    "privacy_officer",
    "support",
]


@pytest.fixture(scope="session", autouse=True)
def _fast_flush():
    """PostgreSQL only: a transactional test's flush deletes rows instead of
    truncating tables, in one transaction with the post_migrate handlers that
    follow it (tests/reference_data.py says why). Every foreign key is
    DEFERRABLE INITIALLY DEFERRED, so the order of the DELETEs does not
    matter; sequences are reset only where a test asks (then TRUNCATE)."""
    from django.db import connection, transaction
    from django.test import TransactionTestCase

    if connection.vendor != "postgresql":
        yield
        return
    operations = type(connection.ops)
    truncate = operations.sql_flush
    teardown = TransactionTestCase._fixture_teardown

    guarded: set[str] = set()

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if not guarded:
            # Tables with triggers of our own refuse DELETE (the append-only
            # ledger and its kin): those are truncated, as Django would.
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal")
                guarded.update(name.strip('"') for (name,) in cursor.fetchall())
            guarded.add("")  # looked: not again
        statements = [f"DELETE FROM {self.quote_name(table)};" for table in tables if table not in guarded]
        kept = [self.quote_name(table) for table in tables if table in guarded]
        if kept:
            statements.append(f"TRUNCATE {', '.join(kept)} CASCADE;")
        return statements

    def fixture_teardown(self):
        with transaction.atomic():
            teardown(self)

    operations.sql_flush = sql_flush
    TransactionTestCase._fixture_teardown = fixture_teardown
    yield
    operations.sql_flush = truncate
    TransactionTestCase._fixture_teardown = teardown


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Restore what migrations load, in case a transactional test on this
    worker flushed it (see tests/reference_data.py)."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    transactional = (
        "transactional_db" in names
        or "live_server" in names
        or (marker is not None and marker.kwargs.get("transaction"))
    )
    if transactional:
        request.getfixturevalue("transactional_db")
    elif marker is not None or "db" in names:
        request.getfixturevalue("db")
    else:
        return
    from tests.reference_data import ensure_reference_data

    ensure_reference_data()


@pytest.fixture(autouse=True)
def _broker_not_paused():
    """A test that saw the broker down must not pause the next one's."""
    from outbox import broker

    broker.resume()
    yield
    broker.resume()


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English: a request to a /ja/ page leaves Japanese
    active in the thread, which would leak into the next test's messages."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Every test starts with an empty cache (rate limits, used TOTP codes).

    Redis is shared by the xdist workers, so a FLUSHDB here would wipe
    another worker's rate-limit counters in the middle of its test: only
    this process's keys (config/settings/test.py gives it a prefix) go."""
    from django.conf import settings
    from django.core.cache import cache

    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        import redis

        client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
        keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()
    else:
        cache.clear()
    yield


@pytest.fixture
def candidate(db):
    return CandidateFactory(email="candidate@example.test", full_name="Nguyễn Thị Lan")


@pytest.fixture
def other_candidate(db):
    return CandidateFactory(email="other.candidate@example.test", full_name="အောင်ကျော်")


@pytest.fixture
def employer_admin(db):
    return EmployerAdminFactory(user__email="admin@employer.test").user


@pytest.fixture
def employer(employer_admin):
    return employer_admin.employer_membership.employer


@pytest.fixture
def employer_recruiter(employer):
    return EmployerMemberFactory(employer=employer, user__email="recruiter@employer.test").user


@pytest.fixture
def other_employer_admin(db):
    return EmployerAdminFactory(user__email="admin@other-employer.test").user


def _employer_with_agreement():
    """An employer whose admin accepted the current Data Use Agreement."""
    from consents.models import PolicyKind
    from consents.services import current_policy, employer_agreement_accept

    admin = EmployerAdminFactory().user
    version = current_policy(PolicyKind.DATA_USE)
    if version:
        employer_agreement_accept(actor=admin, version=version, language="en")
    return admin.employer_membership.employer


def _share(candidate, employer, groups=()):
    from consents.services import Notice, share_grant_give

    return share_grant_give(
        candidate=candidate,
        employer=employer,
        groups={"core", *groups},
        notice=Notice(text="test notice", language="en"),
    )


@pytest.fixture
def employer_with_grant(candidate):
    """A recruiter at an employer (agreement accepted) to which `candidate`
    shares contact details."""
    employer = _employer_with_agreement()
    _share(candidate, employer, groups=("contact",))
    return EmployerMemberFactory(employer=employer, user__email="recruiter@granted-employer.test").user


@pytest.fixture
def revoked_employer(candidate):
    """A recruiter at an employer (agreement accepted) whose grant from
    `candidate` was withdrawn."""
    from consents.services import share_grant_withdraw

    employer = _employer_with_agreement()
    grant = _share(candidate, employer)
    share_grant_withdraw(actor=candidate, grant=grant)
    return EmployerMemberFactory(employer=employer, user__email="recruiter@revoked-employer.test").user


@pytest.fixture
def staff_without_mfa(db):
    return StaffFactory(email="new.staff@tsunagu.test", groups=[StaffGroup.COORDINATOR], mfa=False)


@pytest.fixture
def coordinator(db):
    return StaffFactory(email="coordinator@tsunagu.test", groups=[StaffGroup.COORDINATOR])


@pytest.fixture
def privacy_officer(db):
    return StaffFactory(email="privacy@tsunagu.test", groups=[StaffGroup.PRIVACY_OFFICER])


@pytest.fixture
def support(db):
    return StaffFactory(email="support@tsunagu.test", groups=[StaffGroup.SUPPORT])


@pytest.fixture
def persona_user(request, db):
    """persona_user(name) → the User of that persona (None for anonymous)."""

    def get(name: str):
        return None if name == "anonymous" else request.getfixturevalue(name)

    return get


@pytest.fixture
def persona_client(persona_user):
    def make(name: str) -> Client:
        client = Client()
        user = persona_user(name)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def candidate_profile(candidate):
    from profiles.models import CandidateProfile

    return CandidateProfile.objects.get_or_create(user=candidate)[0]


def _publish_care_opening(employer_admin):
    """An open care-work opening of employer_admin's company, saved and
    published through the services (the `opening` fixture; the i18n crawl)."""
    from datetime import timedelta

    from django.utils import timezone

    from matching import services
    from matching.models import Opening
    from profiles.models import EmploymentType, JobCategory, Prefecture

    draft = Opening(
        title="Care worker (SSW)",
        description="Care for elderly residents.",
        category=JobCategory.objects.get(code="ssw_nursing_care"),
        employment_type=EmploymentType.objects.get(code="full_time"),
        prefecture=Prefecture.objects.get(code="13"),
        salary_min=220_000,
        salary_max=280_000,
        salary_period="month",
        weekly_hours=40,
        start_date=timezone.localdate() + timedelta(days=60),
    )
    saved = services.opening_save(actor=employer_admin, opening=draft)
    return services.opening_publish(actor=employer_admin, opening=saved)


@pytest.fixture
def opening(employer_admin):
    """An open opening of `employer` (employer_admin's company)."""
    return _publish_care_opening(employer_admin)

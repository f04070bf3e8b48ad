"""Consent factories.

Two kinds, on purpose:

- `ShareGrantFactory` and its named variants give (and withdraw) grants
  through consents.services, so the current state and the ledger agree the
  way they do in production: use these wherever a ledger row, an email or a
  receipt matters.
- `RawShareGrantFactory` and `ExpiredShareGrantFactory` write the ShareGrant
  row directly. They exist to test how the access module reacts to raw state
  (a grant past its expiry that the hourly task has not recorded yet), which
  no service can produce.
"""

from datetime import timedelta

import factory
from django.utils import timezone, translation

from consents import notices, services
from consents.models import OPTIONAL_FIELD_GROUPS, FieldGroup, PolicyKind, PolicyText, PolicyVersion, ShareGrant
from tests.accounts.factories import (
    CandidateFactory,
    EmployerAdminFactory,
    EmployerFactory,
    EmployerMemberFactory,
    StaffFactory,
)

# --- Employers ----------------------------------------------------------------


class EmployerWithAgreementFactory(EmployerFactory):
    """An employer whose admin accepted the current Data Use Agreement."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def agreement(self, create, extracted, **kwargs):
        if not create:
            return
        admin = EmployerAdminFactory(employer=self).user
        version = services.current_policy(PolicyKind.DATA_USE)
        assert version is not None, "no Data Use Agreement published (was the data migration flushed?)"
        services.employer_agreement_accept(actor=admin, version=version, language="en")


def admin_of(employer):
    return employer.members.select_related("user").get(role="admin").user


def recruiter_of(employer, **kwargs):
    """A new recruiter at `employer` (recruiters need no MFA)."""
    return EmployerMemberFactory(employer=employer, **kwargs).user


# --- Share grants through the services ----------------------------------------


def notice_for(employer, groups, *, language="en", expires_at=None) -> services.Notice:
    """The notice the consent screen shows for these groups, as the view builds it."""
    expires_at = expires_at or services.grant_expiry_default()
    with translation.override(language):
        text = notices.share_notice(employer=employer, groups=set(groups), expires_at=expires_at)
    privacy = services.current_policy(PolicyKind.PRIVACY)  # in force when it was shown, as the view records
    return services.Notice(text=text, language=language, version_id=privacy.pk if privacy else None)


def give(candidate, employer, groups=(), *, language="en", origin=ShareGrant.Origin.DIRECT) -> ShareGrant:
    groups = {FieldGroup.CORE, *groups}
    return services.share_grant_give(
        candidate=candidate,
        employer=employer,
        groups=groups,
        notice=notice_for(employer, groups, language=language),
        origin=origin,
    )


class ShareGrantFactory(factory.Factory):
    """A grant given by the candidate through services.share_grant_give (one
    ledger row). `groups` are the optional field groups ticked."""

    class Meta:
        model = ShareGrant

    candidate = factory.SubFactory(CandidateFactory)
    employer = factory.SubFactory(EmployerWithAgreementFactory)
    groups = ()
    language = "en"
    origin = ShareGrant.Origin.DIRECT

    @classmethod
    def _create(cls, model_class, *, candidate, employer, groups, language, origin):
        return give(candidate, employer, groups, language=language, origin=origin)


class ContactShareGrantFactory(ShareGrantFactory):
    groups = (FieldGroup.CONTACT,)


class AddressShareGrantFactory(ShareGrantFactory):
    groups = (FieldGroup.ADDRESS,)


class DateOfBirthShareGrantFactory(ShareGrantFactory):
    groups = (FieldGroup.DATE_OF_BIRTH,)


class PhotoShareGrantFactory(ShareGrantFactory):
    groups = (FieldGroup.PHOTO,)


class FullShareGrantFactory(ShareGrantFactory):
    groups = OPTIONAL_FIELD_GROUPS


class WithdrawnShareGrantFactory(ShareGrantFactory):
    """Given, then withdrawn by the candidate (two ledger rows)."""

    @classmethod
    def _create(cls, model_class, **kwargs):
        grant = super()._create(model_class, **kwargs)
        return services.share_grant_withdraw(actor=grant.candidate, grant=grant)


# --- Share grants as raw rows ---------------------------------------------------


class RawShareGrantFactory(factory.django.DjangoModelFactory):
    """A ShareGrant row written directly, with no ledger row."""

    class Meta:
        model = ShareGrant

    candidate = factory.SubFactory(CandidateFactory)
    employer = factory.SubFactory(EmployerWithAgreementFactory)
    granted_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyAttribute(lambda o: o.granted_at)
    expires_at = factory.LazyAttribute(lambda o: o.granted_at + timedelta(days=365))


class ExpiredShareGrantFactory(RawShareGrantFactory):
    """Past its expiry a minute ago, not yet recorded by the hourly task
    (ended_at is still empty)."""

    granted_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=365, minutes=1))
    include_contact = True


# --- Policies -------------------------------------------------------------------


class PolicyVersionFactory(factory.django.DjangoModelFactory):
    """An unpublished version with English and Japanese texts and their
    summaries of what changed; publish it with `publish(version)`
    (services.policy_version_publish, as staff)."""

    class Meta:
        model = PolicyVersion
        skip_postgeneration_save = True

    kind = PolicyKind.PRIVACY
    version = factory.Sequence(lambda n: f"2027-01-{n % 28 + 1:02d}-r{n}")
    requires_consent = True

    @factory.post_generation
    def texts(self, create, extracted, **kwargs):
        if not create:
            return
        bodies = extracted or {
            "en": f"## What we collect\n\nVersion {self.version} of the English text.\n",
            "ja": f"## 取得する情報\n\n第{self.version}版の日本語の本文。\n",
        }
        for language, body in bodies.items():
            PolicyText.objects.create(version=self, language=language, title=f"Policy {language}", body=body)

    @factory.post_generation
    def summaries(self, create, extracted, **kwargs):
        """What changed, per language (`summaries={"vi": ...}`): set on the
        text of that language, which is added if the version has none. By
        default an English and a Japanese one, on the texts it has."""
        if not create:
            return
        summaries = extracted or {
            language: summary
            for language, summary in (
                ("en", f"Revision {self.version}: we now explain retention in days."),
                ("ja", f"改定 {self.version}：保存期間を日数で説明します。"),
            )
            if self.texts.filter(language=language).exists()
        }
        for language, summary in summaries.items():
            PolicyText.objects.update_or_create(
                version=self,
                language=language,
                defaults={"summary": summary},
                create_defaults={
                    "title": f"Policy {language}",
                    "body": f"Version {self.version} ({language}).\n",
                    "summary": summary,
                },
            )


def publish(version: PolicyVersion, *, by=None) -> PolicyVersion:
    return services.policy_version_publish(actor=by or StaffFactory(groups=["privacy_officer"]), version=version)

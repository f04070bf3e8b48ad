"""Demo consents (``seed_demo``): everyone accepted the current policies, the
demo employers accepted the Data Use Agreement, and a few candidates share
their profile with an employer. Idempotent."""

from accounts.models import Employer, EmployerMember, User
from consents import services
from consents.models import EmployerAgreement, FieldGroup, PolicyKind, ShareGrant
from consents.notices import share_notice

SHARES = [
    ("nguyen.lan@demo.tsunagu.example", "7000012050002", {FieldGroup.CONTACT, FieldGroup.PHOTO}),
    ("aung.kyaw@demo.tsunagu.example", "1180301018771", {FieldGroup.CONTACT}),
    ("budi.santoso@demo.tsunagu.example", "1180301018771", set()),
]


def seed(stdout) -> dict:
    versions = [services.current_policy(k) for k in (PolicyKind.TERMS, PolicyKind.PRIVACY)]
    for user in User.objects.filter(email__endswith="demo.tsunagu.example"):
        services.policy_accept(user=user, versions=[v for v in versions if v], language="en")
    dua = services.current_policy(PolicyKind.DATA_USE)
    if dua:
        for member in EmployerMember.objects.filter(role="admin", user__email__endswith="demo.tsunagu.example"):
            if not EmployerAgreement.objects.filter(employer=member.employer, version=dua).exists():
                services.employer_agreement_accept(actor=member.user, version=dua, language="en")
    for email, corporate_number, groups in SHARES:
        candidate = User.objects.get(email=email)
        employer = Employer.objects.get(corporate_number=corporate_number)
        if ShareGrant.objects.open().filter(candidate=candidate, employer=employer).exists():
            continue
        field_groups: set[str] = {FieldGroup.CORE, *groups}
        notice = services.Notice(
            text=share_notice(employer=employer, groups=field_groups, expires_at=services.grant_expiry_default()),
            language="en",
        )
        services.share_grant_give(candidate=candidate, employer=employer, groups=field_groups, notice=notice)
    return {}

"""Demo accounts for the embedded default (``python manage.py seed_demo``).

Idempotent: running it again updates the same rows. Never run in production:
the passwords and the TOTP secret below are public."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.conf import settings
from django.contrib.auth.models import Group

from accounts.models import Employer, EmployerMember, StaffGroup, User

DEMO_PASSWORD = "tsunagu-demo-2026"
# Base32 secret for an authenticator app; locally the code 000000 works too.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

CANDIDATES = [
    ("nguyen.lan@demo.tsunagu.example", "Nguyen Thi Lan"),
    ("aung.kyaw@demo.tsunagu.example", "Aung Kyaw Min"),
    ("maria.santos@demo.tsunagu.example", "Maria Santos"),
    ("sita.gurung@demo.tsunagu.example", "Sita Gurung"),
    ("budi.santoso@demo.tsunagu.example", "Budi Santoso"),
    ("li.wei@demo.tsunagu.example", "Li Wei"),
]

EMPLOYERS = [
    {
        "legal_name": "株式会社さくら介護サービス (Sakura Care Services Co., Ltd.)",
        "corporate_number": "7000012050002",
        "industry": "care",
        "postal_code": "1000013",
        "address": "東京都千代田区霞が関3-1-1",
        "contact_name": "佐藤 花子",
        "contact_email": "hr@sakura-care.demo.tsunagu.example",
        "members": [
            ("admin@sakura-care.demo.tsunagu.example", "Sato Hanako", EmployerMember.Role.ADMIN),
            ("recruiter@sakura-care.demo.tsunagu.example", "Suzuki Ichiro", EmployerMember.Role.RECRUITER),
        ],
    },
    {
        "legal_name": "富士ものづくり株式会社 (Fuji Manufacturing Co., Ltd.)",
        "corporate_number": "1180301018771",
        "industry": "manufacturing",
        "postal_code": "4718571",
        "address": "愛知県豊田市トヨタ町1番地",
        "contact_name": "田中 健",
        "contact_email": "jobs@fuji-mfg.demo.tsunagu.example",
        "members": [
            ("admin@fuji-mfg.demo.tsunagu.example", "Tanaka Ken", EmployerMember.Role.ADMIN),
            ("recruiter@fuji-mfg.demo.tsunagu.example", "Yamada Yui", EmployerMember.Role.RECRUITER),
        ],
    },
]

STAFF = [
    ("coordinator@demo.tsunagu.example", "Coordinator Demo", StaffGroup.COORDINATOR),
    ("privacy@demo.tsunagu.example", "Privacy Officer Demo", StaffGroup.PRIVACY_OFFICER),
    ("support@demo.tsunagu.example", "Support Demo", StaffGroup.SUPPORT),
]


def _user(email: str, name: str, role: str, password: str | None, *, is_staff: bool = False) -> User:
    user, _ = User.objects.update_or_create(
        email=email, defaults={"full_name": name, "role": role, "is_staff": is_staff, "is_active": True}
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _with_totp(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        # What allauth stores when someone scans the QR code (the secret encrypted
        # by its MFA adapter), for the printed demo secret.
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(DEMO_TOTP_SECRET)}
        )


def seed(stdout) -> dict:
    sign_ins: dict = {"candidates": [], "employers": [], "staff": []}
    for email, name in CANDIDATES:
        _user(email, name, User.Role.CANDIDATE, None)
        sign_ins["candidates"].append(email)
    for spec in EMPLOYERS:
        spec = dict(spec)
        members = spec.pop("members")
        employer, _ = Employer.objects.update_or_create(corporate_number=spec["corporate_number"], defaults=spec)
        for email, name, role in members:
            user = _user(email, name, User.Role.EMPLOYER, DEMO_PASSWORD)
            EmployerMember.objects.update_or_create(user=user, defaults={"employer": employer, "role": role})
            if user.requires_mfa:
                _with_totp(user)
            sign_ins["employers"].append((email, f"{employer.legal_name} · {role}"))
    for email, name, group in STAFF:
        user = _user(email, name, User.Role.STAFF, DEMO_PASSWORD, is_staff=True)
        user.groups.set([Group.objects.get(name=group)])
        _with_totp(user)
        sign_ins["staff"].append((email, group))
    return sign_ins


def print_sign_ins(stdout, sign_ins: dict) -> None:
    """The demo sign-ins, short: they are the last thing `make demo` prints
    before the server starts."""
    w = stdout.write
    site = settings.SITE_URL.rstrip("/")
    w("")
    w(f"Demo sign-ins (local demo only): {site}/en/accounts/login/")
    w("  Candidates: 'Email me a code'; the email with the code prints on the server's console.")
    w("    " + ", ".join(sign_ins["candidates"]))
    w(f"  Employer members and staff: {site}/en/accounts/login/password/")
    w(f"    password {DEMO_PASSWORD}, then the MFA code 000000 (TOTP secret {DEMO_TOTP_SECRET})")
    for email, what in [*sign_ins["employers"], *sign_ins["staff"]]:
        w(f"    {email}  ({what})")
    w("")
